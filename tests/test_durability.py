"""The file database keeps every committed write when the process is killed (WAL + synchronous=NORMAL).

A power cut may lose the last commits; a killed process must not. README "Durability" says so; this proves the
second half with SIGKILL, which gives the server no chance to flush or close anything.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

TOKEN = {"Api-Token": "fake-api-token"}
EVENTS = 25


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server(db: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    env = {**os.environ, "FAKECAMPAIGN_LOG_LEVEL": "warning"}
    cmd = [sys.executable, "-m", "fakecampaign", "serve", "--port", str(port), "--db", str(db)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=10)
        assert proc.stderr is not None
        proc.stderr.close()


def wait_healthy(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        assert proc.poll() is None, "server exited during start-up"
        try:
            if httpx.get(f"{url}/_fakecampaign/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.02)
    raise AssertionError("server did not become healthy within 15 s")


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
