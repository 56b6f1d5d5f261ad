"""One SQLite file, one owner: a second server is refused; ``--workers N`` shares the file and stays consistent."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from fakecampaign.ownership import LOCK_SUFFIX, DatabaseInUse, claim, sqlite_file
from tests import processes
from tests.processes import serve

CALLS = 40  # each on a new connection, so that every worker process answers some
WORKERS_START_TIMEOUT = 120.0  # N+1 processes import the app; on a loaded 2-core machine that takes a while


@pytest.fixture(autouse=True)
def patient_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(processes, "START_TIMEOUT", WORKERS_START_TIMEOUT)


def refused(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "fakecampaign", "serve", "--port", "0", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_a_second_server_on_the_same_file_is_refused_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite3"
    with serve("--db", str(db)) as first:
        second = refused("--db", str(db))
        assert second.returncode == 2
        assert second.stderr.strip().splitlines() == [
            f"fakecampaign: {db} is in use by another fakecampaign server (pid {first.process.pid}); "
            "stop it first, or serve the file from one server with --workers N"
        ]
    with serve("--db", str(db)):  # the lock went with the first process
        pass


def test_workers_need_a_database_file() -> None:
    done = refused("--workers", "2")
    assert done.returncode == 2
    assert done.stderr.strip() == "fakecampaign: --workers needs --db: processes cannot share an in-memory database"


def test_in_memory_and_other_databases_take_no_lock() -> None:
    assert sqlite_file("sqlite://") is None
    assert sqlite_file("sqlite:///:memory:") is None
    assert sqlite_file("postgresql://u@localhost/db") is None
    assert claim("sqlite://") is None


def test_the_lock_holds_within_one_process_too(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    held = claim(url)
    assert held is not None
    assert (tmp_path / f"x.sqlite3{LOCK_SUFFIX}").exists()
    try:
        with pytest.raises(DatabaseInUse, match="in use by another fakecampaign server"):
            claim(url)
    finally:
        held.close()
    again = claim(url)
    assert again is not None
    again.close()


def calls(url: str, token: str, count: int = CALLS) -> list[int]:
    """``count`` GET /users/me, each on a new connection (two at a time), so every worker answers some."""

    def one(_: int) -> int:
        with httpx.Client(base_url=url, timeout=10) as client:
            return client.get("/api/3/users/me", headers={"Api-Token": token}).status_code

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(one, range(count)))


def test_workers_see_each_others_account_writes(tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite3"
    with serve("--db", str(db), "--workers", "2") as served, httpx.Client(base_url=served.url, timeout=10) as ctl:
        made = ctl.post("/_fakecampaign/accounts", json={"name": "w1"})
        assert made.status_code == 201, made.text
        token = made.json()["account"]["api_token"]
        assert set(calls(served.url, token)) == {200}  # every worker knows it, and has it cached now
        assert ctl.delete("/_fakecampaign/accounts/w1").status_code in (200, 204)
        assert set(calls(served.url, token)) == {403}  # no worker answers from a stale cache


def test_workers_write_concurrently_without_losing_or_doubling_a_write(tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite3"
    with serve("--db", str(db), "--workers", "2") as served:
        token = {"Api-Token": "fake-api-token"}

        def create(i: int) -> int:
            with httpx.Client(base_url=served.url, timeout=30) as client:
                body = {"contact": {"email": f"c{i % 20}@example.com"}}  # each email sent three times
                return client.post("/api/3/contact/sync", headers=token, json=body).status_code

        with ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(create, range(60)))
        assert set(statuses) == {201}
        listed = httpx.get(f"{served.url}/api/3/contacts", params={"limit": 100}, headers=token, timeout=10)
        assert listed.json()["meta"]["total"] == "20"


def test_workers_write_events_concurrently_without_losing_or_doubling_one(tmp_path: Path) -> None:
    """Each worker batches the /event calls of one loop turn into one commit (db.py): across processes every
    call is still written and journaled exactly once."""
    db = tmp_path / "shared.sqlite3"
    with serve("--db", str(db), "--workers", "2") as served:
        token = {"Api-Token": "fake-api-token"}
        made = httpx.post(
            f"{served.url}/api/3/contacts", headers=token, json={"contact": {"email": "e@example.com"}}, timeout=30
        )
        assert made.status_code == 201
        form = {"actid": "123456789", "key": "fake-event-key", "visit": '{"email": "e@example.com"}'}

        def track(i: int) -> str:
            with httpx.Client(base_url=served.url, timeout=30) as client:
                return client.post("/event", data={**form, "event": f"e{i}"}).text

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(track, range(CALLS)))
        assert set(answers) == {'{"success":1,"message":"Event spawned"}'}
        logs = httpx.get(f"{served.url}/api/3/trackingLogs", params={"limit": 100}, headers=token, timeout=10).json()
        assert sorted(log["type"] for log in logs["trackingLogs"]) == sorted(f"e{i}" for i in range(CALLS))
        journal = httpx.get(f"{served.url}/_fakecampaign/events", params={"limit": 100}, timeout=10).json()
        assert sorted(e["event"] for e in journal["events"]) == sorted(f"e{i}" for i in range(CALLS))
        assert journal["meta"]["total"] == CALLS
