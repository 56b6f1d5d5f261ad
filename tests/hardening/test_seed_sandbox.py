"""Issue 8 item 1: a seed request reads only regular files inside the one directory the operator named."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fakecampaign import sandbox
from fakecampaign.config import Settings
from fakecampaign.errors import InvalidFixture, SeedPathRefused
from fakecampaign.testing.server import LiveServer

FILE = {"accounts": [{"name": "sandboxed"}]}  # no contacts: loading it again is no conflict
OUTSIDE = {"accounts": [{"name": "escaped", "contacts": [{"email": "secret-value@example.com"}]}]}


@pytest.fixture(scope="module")
def dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("seeds")
    outside = tmp_path_factory.mktemp("elsewhere")
    (root / "ok.json").write_text(json.dumps(FILE))
    (root / "sub").mkdir()
    (root / "sub" / "nested.json").write_text(json.dumps({"accounts": [{"name": "nested"}]}))
    (outside / "secret.json").write_text(json.dumps(OUTSIDE))
    (root / "link-out.json").symlink_to(outside / "secret.json")
    (root / "dir-out").symlink_to(outside)
    (root / "link-in.json").symlink_to(root / "ok.json")
    (root / "big.json").write_text(json.dumps({"accounts": [], "pad": "x" * 5000}))
    (root / "latin1.json").write_bytes(b'{"accounts": [], "x": "\xe9"}')
    os.mkfifo(root / "fifo.json")
    (root / "zero.json").symlink_to("/dev/zero")
    return root, outside


@pytest.fixture(scope="module")
def server(dirs: tuple[Path, Path]) -> Iterator[httpx.Client]:
    settings = Settings(seed_dir=dirs[0], seed_max_bytes=4096)
    with LiveServer(settings) as live, httpx.Client(base_url=live.url, timeout=10) as client:
        yield client


def seed(client: httpx.Client, path: str) -> httpx.Response:
    return client.post("/_fakecampaign/seed", json={"path": path})


@pytest.mark.parametrize(
    "path",
    [
        "/etc/passwd",
        "/etc/shadow",
        "/dev/zero",
        "../elsewhere/secret.json",
        "sub/../../x",
        "..",
        "/",
        "/proc/self/environ",
    ],
)
def test_a_path_outside_the_seed_directory_is_refused_without_reading_it(server: httpx.Client, path: str) -> None:
    response = seed(server, path)
    assert response.status_code == 403
    assert response.json()["message"].startswith("Forbidden: ")
    assert "root" not in response.text  # nothing of /etc/passwd, not even that it is not JSON
    assert "JSON" not in response.text


def test_an_absolute_path_to_a_fixture_shaped_file_outside_is_not_loaded(
    server: httpx.Client, dirs: tuple[Path, Path]
) -> None:
    response = seed(server, str(dirs[1] / "secret.json"))
    assert response.status_code == 403
    assert server.get("/_fakecampaign/accounts/escaped").status_code == 404


@pytest.mark.parametrize("path", ["link-out.json", "dir-out/secret.json", "zero.json"])
def test_a_symlink_cannot_lead_out(server: httpx.Client, path: str) -> None:
    response = seed(server, path)
    assert response.status_code == 403
    assert "symlink" in response.json()["message"]
    assert "secret-value" not in response.text
    assert server.get("/_fakecampaign/accounts/escaped").status_code == 404


def test_files_inside_load_relative_absolute_or_through_an_inside_symlink(
    server: httpx.Client, dirs: tuple[Path, Path]
) -> None:
    for path in ("ok.json", str(dirs[0] / "ok.json"), "link-in.json", "./ok.json"):
        response = seed(server, path)
        assert (response.status_code, response.json()) == (200, {"seeded": ["sandboxed"]}), path
    assert seed(server, "sub/nested.json").json() == {"seeded": ["nested"]}


def test_a_fifo_is_refused_at_once_and_does_not_block_the_server(server: httpx.Client) -> None:
    response = seed(server, "fifo.json")  # the old server blocked here until someone wrote to the FIFO
    assert response.status_code == 422
    assert response.json()["errors"][0]["detail"] == "cannot read the file: not a regular file"
    assert server.get("/_fakecampaign/health").status_code == 200


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("big.json", "cannot read the file: larger than 4096 bytes (seed_max_bytes)"),
        ("sub", "cannot read the file: not a regular file"),
        ("", "cannot read the file: not a regular file"),
        ("missing.json", "cannot read the file: no such file or directory"),
        ("latin1.json", "cannot read the file: not UTF-8 (invalid continuation byte)"),
        ("bad\u0000path.json", "cannot read the file: the path contains a NUL character"),
    ],
)
def test_an_unreadable_file_inside_is_ac_422(server: httpx.Client, path: str, detail: str) -> None:
    response = server.post(
        "/_fakecampaign/seed", content=json.dumps({"path": path}), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["code"], error["detail"]) == ("invalid_fixture", detail)


def test_without_a_seed_directory_no_request_names_a_file(live: LiveServer, tmp_path: Path) -> None:
    (tmp_path / "f.json").write_text(json.dumps(FILE))
    response = httpx.post(f"{live.url}/_fakecampaign/seed", json={"path": str(tmp_path / "f.json")}, timeout=10)
    assert response.status_code == 403
    assert "--seed-dir" in response.json()["message"]


def test_the_fixtures_directory_is_the_default_seed_directory(tmp_path: Path) -> None:
    start = tmp_path / "start.json"
    start.write_text(json.dumps({"accounts": []}))
    assert Settings(fixtures=start).seed_root() == tmp_path
    assert Settings(fixtures=start, seed_dir=tmp_path / "x").seed_root() == tmp_path / "x"
    assert Settings().seed_root() is None


def test_a_file_that_grows_past_the_cap_after_the_check_is_still_refused(tmp_path: Path) -> None:
    (tmp_path / "f.json").write_text("[" + " " * 100 + "]")
    with pytest.raises(InvalidFixture, match="larger than 10 bytes"):
        sandbox.read_within(tmp_path, "f.json", max_bytes=10)
    with pytest.raises(SeedPathRefused):
        sandbox.read_within(None, "f.json", max_bytes=10)


def test_an_unencodable_path_is_unreadable(tmp_path: Path) -> None:
    # Over HTTP a lone surrogate is refused earlier, as any unreadable JSON body (400 {}).
    with pytest.raises(InvalidFixture, match="the path cannot be encoded"):
        sandbox.read_within(tmp_path, "\ud8d5.json", max_bytes=10)
