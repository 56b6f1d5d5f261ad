"""Settings from FAKECAMPAIGN_* environment variables, the CLI, and a real ``python -m fakecampaign serve``."""

from __future__ import annotations

import gc
import os
import re
import socket
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from fakecampaign.cli import build_parser, main, settings_from
from fakecampaign.config import Settings
from tests.processes import serve

START_TIMEOUT = 10.0


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No FAKECAMPAIGN_* variable from the developer's shell leaks into these tests."""
    for name in list(os.environ):
        if name.startswith("FAKECAMPAIGN_"):
            monkeypatch.delenv(name)


def test_settings_defaults_without_environment() -> None:
    settings = Settings()
    assert (settings.host, settings.port, settings.db, settings.database_url) == ("127.0.0.1", 8080, None, None)
    assert (settings.account, settings.api_token, settings.actid, settings.event_key) == (
        "fake", "fake-api-token", "123456789", "fake-event-key",
    )  # fmt: skip
    assert (settings.tracking, settings.admin_token, settings.max_body_bytes) == (True, None, 1_048_576)


@pytest.mark.parametrize(
    ("env", "field", "expected"),
    [
        ({"FAKECAMPAIGN_PORT": "9000"}, "port", 9000),
        ({"FAKECAMPAIGN_PORT": "0"}, "port", 0),
        ({"FAKECAMPAIGN_HOST": "0.0.0.0"}, "host", "0.0.0.0"),
        ({"FAKECAMPAIGN_DB": "/tmp/fc.db"}, "db", Path("/tmp/fc.db")),
        ({"FAKECAMPAIGN_DATABASE_URL": "sqlite:///x.db"}, "database_url", "sqlite:///x.db"),
        ({"FAKECAMPAIGN_ACCOUNT": "demo"}, "account", "demo"),
        ({"FAKECAMPAIGN_API_TOKEN": "tok-1"}, "api_token", "tok-1"),
        ({"FAKECAMPAIGN_ACTID": "987654321"}, "actid", "987654321"),
        ({"FAKECAMPAIGN_ACTID": "000000001"}, "actid", "000000001"),
        ({"FAKECAMPAIGN_EVENT_KEY": "ek"}, "event_key", "ek"),
        ({"FAKECAMPAIGN_TRACKING": "false"}, "tracking", False),
        ({"FAKECAMPAIGN_TRACKING": "0"}, "tracking", False),
        ({"FAKECAMPAIGN_TRACKING": "true"}, "tracking", True),
        ({"FAKECAMPAIGN_ADMIN_TOKEN": "s3cret"}, "admin_token", "s3cret"),
        ({"FAKECAMPAIGN_MAX_BODY_BYTES": "2048"}, "max_body_bytes", 2048),
        ({"FAKECAMPAIGN_REQUEST_JOURNAL_SIZE": "0"}, "request_journal_size", 0),
        ({"fakecampaign_port": "9001"}, "port", 9001),  # names are case-insensitive
        ({"FAKECAMPAIGN_UNKNOWN": "x", "FAKECAMPAIGN_PORT": "9002"}, "port", 9002),  # unknown names ignored
    ],
    ids=lambda v: "-".join(v) if isinstance(v, dict) else None,
)
def test_settings_read_from_environment(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], field: str, expected: Any
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert getattr(Settings(), field) == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FAKECAMPAIGN_ACTID", "12"),
        ("FAKECAMPAIGN_ACTID", "1234567890"),
        ("FAKECAMPAIGN_ACTID", "12345678a"),
        ("FAKECAMPAIGN_ACTID", "١٢٣٤٥٦٧٨٩"),  # Arabic-Indic digits are not AC's digits
        ("FAKECAMPAIGN_PORT", "70000"),
        ("FAKECAMPAIGN_PORT", "-1"),
        ("FAKECAMPAIGN_PORT", "http"),
        ("FAKECAMPAIGN_TRACKING", "maybe"),
        ("FAKECAMPAIGN_ACCOUNT", "   "),
        ("FAKECAMPAIGN_API_TOKEN", "\t"),
        ("FAKECAMPAIGN_EVENT_KEY", " "),
        ("FAKECAMPAIGN_MAX_BODY_BYTES", "10"),
        ("FAKECAMPAIGN_REQUEST_JOURNAL_SIZE", "-1"),
    ],
)
def test_invalid_environment_value_raises_validation_error(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()


def test_settings_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(ValidationError):
        settings.port = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"db": Path("/tmp/state.db")}, "sqlite:////tmp/state.db"),
        ({"db": Path("state.db")}, "sqlite:///state.db"),
        ({"database_url": "sqlite:///other.db"}, "sqlite:///other.db"),
        ({"db": Path("/tmp/state.db"), "database_url": "sqlite:///wins.db"}, "sqlite:///wins.db"),
        ({}, "sqlite://"),
    ],
    ids=["db-absolute", "db-relative", "database_url", "database_url-over-db", "none-in-memory"],
)
def test_resolved_database_url(kwargs: dict[str, Any], expected: str) -> None:
    assert Settings(**kwargs).resolved_database_url() == expected


def test_resolved_database_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKECAMPAIGN_DB", "/tmp/env.db")
    assert Settings().resolved_database_url() == "sqlite:////tmp/env.db"


# --- CLI -----------------------------------------------------------------------------------------------


def test_cli_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"fakecampaign {version('fakecampaign')}\n"


def test_cli_without_a_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    assert "serve" in capsys.readouterr().err


def test_cli_port_flag_overrides_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKECAMPAIGN_PORT", "7000")
    monkeypatch.setenv("FAKECAMPAIGN_ACTID", "555666777")
    settings = settings_from(build_parser().parse_args(["serve", "--port", "9"]))
    assert settings.port == 9
    assert settings.actid == "555666777"  # what no flag names still comes from the environment


def test_cli_environment_applies_when_no_flag_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKECAMPAIGN_PORT", "7000")
    assert settings_from(build_parser().parse_args(["serve"])).port == 7000


def test_cli_flags_set_every_serve_option(tmp_path: Path) -> None:
    args = build_parser().parse_args(
        [
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            "1234",
            "--db",
            str(tmp_path / "s.db"),
            "--account",
            "acme",
            "--api-token",
            "tok",
            "--actid",
            "111222333",
            "--event-key",
            "ek",
            "--admin-token",
            "adm",
            "--log-level",
            "warning",
        ]
    )
    settings = settings_from(args)
    assert (settings.host, settings.port, settings.db, settings.account) == ("0.0.0.0", 1234, tmp_path / "s.db", "acme")
    assert (settings.api_token, settings.actid, settings.event_key) == ("tok", "111222333", "ek")
    assert (settings.admin_token, settings.log_level) == ("adm", "warning")


def test_cli_invalid_environment_returns_2_with_a_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FAKECAMPAIGN_ACTID", "12")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "invalid settings" in err
    assert "actid" in err


def test_cli_invalid_flag_value_returns_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--actid", "12"]) == 2
    assert "actid" in capsys.readouterr().err


def test_cli_unreadable_fixtures_file_returns_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--fixtures", str(tmp_path / "missing.json")]) == 2
    assert "missing.json" in capsys.readouterr().err
    assert gc.isenabled()  # serve turns the collector off for the build, and back on whatever happens


# --- a real process ------------------------------------------------------------------------------------


def test_serve_subprocess_becomes_healthy_and_prints_the_banner() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAKECAMPAIGN_")}
    env |= {"FAKECAMPAIGN_ACTID": "246813579"}
    with serve("--api-token", "banner-token", "--event-key", "banner-key", env=env) as served:
        lines, url = served.banner, served.url
    assert re.fullmatch(r"http://127\.0\.0\.1:[1-9][0-9]*", url)
    assert lines[0].startswith(f"fakecampaign {version('fakecampaign')} serving on {url}")
    assert "  Api-Token     banner-token" in lines
    assert "  actid         246813579" in lines
    assert "  event key     banner-key" in lines
    assert f"  event URL     {url}/event" in lines


def test_serve_refuses_a_port_in_use(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        assert main(["serve", "--port", port]) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err
