"""The newcomer's papercuts (issue 12): each one a person trying fakecampaign for the first time ran into."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fakecampaign import fixtures
from fakecampaign.cli import banner, build_parser, main, settings_from
from fakecampaign.config import Settings
from fakecampaign.errors import InvalidFixture
from fakecampaign.testing.server import LiveServer

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


@pytest.fixture(scope="module")
def make_run() -> Iterator[LiveServer]:
    """A server as `make run` starts it: the demo fixtures."""
    with LiveServer(Settings.documented_defaults(fixtures=ROOT / "fixtures" / "demo.json")) as server:
        yield server


def readme_seed_calls() -> list[tuple[str, str]]:
    """The README's `curl ... $F/seed...` examples: (path and query, JSON body)."""
    text = README.replace("\\\n", " ")
    calls = []
    for line in text.splitlines():
        if line.startswith("curl") and "$F/seed" in line:
            words = shlex.split(line.split("#")[0])
            url = next(w for w in words if w.startswith("$F/seed"))
            calls.append((url.removeprefix("$F"), words[words.index("-d") + 1]))
    return calls


def test_readme_has_two_seed_examples() -> None:
    assert len(readme_seed_calls()) == 2


def test_readme_seed_examples_work_against_the_make_run_server(make_run: LiveServer) -> None:
    for path, body in readme_seed_calls():
        response = httpx.post(
            make_run.url + "/_fakecampaign" + path, content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 200, (path, response.text)


def test_serve_help_lists_the_settings_that_were_env_only() -> None:
    serve = build_parser()._subparsers._group_actions[0].choices["serve"]  # type: ignore[union-attr]
    text = serve.format_help()
    for flag in ("--tracking on|off", "--max-body-bytes", "--request-journal-size"):
        assert flag in text


@pytest.mark.parametrize(("given", "expected"), [("on", True), ("off", False), ("OFF", False), ("true", True)])
def test_tracking_flag(given: str, expected: bool) -> None:
    args = build_parser().parse_args(["serve", "--tracking", given])
    assert settings_from(args).tracking is expected


def test_tracking_flag_refuses_anything_else(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["serve", "--tracking", "maybe"])
    assert exit_.value.code == 2
    assert "expected on or off" in capsys.readouterr().err


def test_db_in_a_missing_directory_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--db", str(tmp_path / "nope" / "state.sqlite3"), "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"the directory {tmp_path / 'nope'} does not exist" in err
    assert "Traceback" not in err


def test_banner_on_every_interface_says_so() -> None:
    lines = banner(Settings.documented_defaults(host="0.0.0.0"), 8080).splitlines()
    assert lines[0].startswith("fakecampaign ")
    assert "serving on http://0.0.0.0:8080 (every interface" in lines[0]
    assert "from this machine http://127.0.0.1:8080" in lines[0]
    assert banner(Settings.documented_defaults(), 9000).splitlines()[0].split(" (")[0].endswith("http://127.0.0.1:9000")


def test_license_is_an_spdx_string() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT"
    assert re.search(r"setuptools>=(7[7-9]|[89][0-9])", project["build-system"]["requires"][0])


def test_a_fixtures_file_reports_every_mistake(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "accounts": [
                    {"name": "a", "tracking": "yes", "contacts": [{"email": "a@example.com", "nickname": "x"}]},
                    {"name": "b", "actid": "12", "events": [{"email": "b@example.com", "event": ""}]},
                ]
            }
        )
    )
    with pytest.raises(InvalidFixture) as raised:
        fixtures.read_file(path)
    pointers = sorted(pointer for pointer, _ in raised.value.entries)
    assert pointers == [
        "/accounts/0/contacts/0/nickname",
        "/accounts/0/tracking",
        "/accounts/1/actid",
        "/accounts/1/events/0/event",
    ]
    assert str(raised.value).startswith(f"4 problems in {path}:\n")


BAD_ENTRIES = {
    "contacts": [{"email": "not-an-email"}, {"email": "ok@example.com"}, {"email": "also bad"}],
    "events": [{"email": "stranger@example.com", "event": "login"}],
}


def test_seeding_a_file_reports_every_bad_entry_and_loads_nothing(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text(json.dumps({"accounts": [{"name": "several-mistakes", **BAD_ENTRIES}]}))
    with LiveServer(Settings.documented_defaults(seed_dir=tmp_path)) as server:
        response = httpx.post(server.url + "/_fakecampaign/seed", json={"path": "bad.json"})
        assert response.status_code == 422, response.text
        pointers = [error["source"]["pointer"] for error in response.json()["errors"]]
        assert pointers == ["/accounts/0/contacts/0", "/accounts/0/contacts/2", "/accounts/0/events/0"]
        assert "\n" not in response.headers["X-Fakecampaign-Error"]
        assert httpx.get(server.url + "/_fakecampaign/accounts/several-mistakes").status_code == 404


def test_creating_an_account_reports_every_bad_entry(make_run: LiveServer) -> None:
    body = {"name": "several-mistakes", "fixtures": BAD_ENTRIES}
    response = httpx.post(make_run.url + "/_fakecampaign/accounts", json=body)
    assert response.status_code == 422
    pointers = [error["source"]["pointer"] for error in response.json()["errors"]]
    assert pointers == ["/fixtures/contacts/0", "/fixtures/contacts/2", "/fixtures/events/0"]
    assert httpx.get(make_run.url + "/_fakecampaign/accounts/several-mistakes").status_code == 404


@pytest.mark.parametrize("value", ["yes", 1, "true"])
def test_tracking_must_be_a_json_boolean(make_run: LiveServer, value: object) -> None:
    with pytest.raises(InvalidFixture):
        fixtures.parse_account_data({"tracking": value}, source="body")
    response = httpx.post(make_run.url + "/_fakecampaign/accounts", json={"name": "t-yes", "tracking": value})
    assert response.status_code == 422
    assert httpx.get(make_run.url + "/_fakecampaign/accounts/t-yes").status_code == 404
