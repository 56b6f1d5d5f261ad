"""The file database keeps every committed write when the process is killed (WAL + synchronous=NORMAL).

A power cut may lose the last commits; a killed process must not. README "Durability" says so; this proves the
second half with SIGKILL, which gives the server no chance to flush or close anything.
"""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.processes import serve

TOKEN = {"Api-Token": "fake-api-token"}
EVENTS = 25


@contextmanager
def server(db: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    with serve("--db", str(db)) as served:
        yield served.url, served.process


def write_events(url: str) -> str:
    with httpx.Client(base_url=url, timeout=5) as client:
        created = client.post("/api/3/contacts", headers=TOKEN, json={"contact": {"email": "kill@example.com"}})
        assert created.status_code == 201, created.text
        visit = json.dumps({"email": "kill@example.com"})
        for i in range(EVENTS):
            form = {
                "actid": "123456789",
                "key": "fake-event-key",
                "event": "signup",
                "visit": visit,
                "eventdata": str(i),
            }
            assert client.post("/event", data=form).json() == {"success": 1, "message": "Event spawned"}
        contact_id: str = created.json()["contact"]["id"]
        return contact_id


def test_sigkill_loses_no_committed_event(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite3"
    with server(db) as (url, proc):
        contact_id = write_events(url)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    with server(db) as (url, _):
        logs = httpx.get(f"{url}/api/3/contacts/{contact_id}/trackingLogs", headers=TOKEN, timeout=5).json()
    assert [log["value"] for log in logs["trackingLogs"]] == [str(i) for i in range(EVENTS)]


def test_restart_keeps_state_and_does_not_reload_fixtures_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "state.sqlite3"
    fixtures = tmp_path / "f.json"
    fixtures.write_text(json.dumps({"accounts": [{"name": "fake", "contacts": [{"email": "seeded@example.com"}]}]}))
    monkeypatch.setenv("FAKECAMPAIGN_FIXTURES", str(fixtures))
    for _ in range(2):
        with server(db) as (url, _):
            listed = httpx.get(f"{url}/api/3/contacts", headers=TOKEN, timeout=5).json()
            assert [c["email"] for c in listed["contacts"]] == ["seeded@example.com"]
