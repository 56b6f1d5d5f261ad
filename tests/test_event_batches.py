"""POST /event's group commit (fakecampaign/db.py): calls of one loop turn share one COMMIT, and each is answered,
journaled, written and seen by the engine exactly as if it had been served alone."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx

from fakecampaign.app import create_app
from fakecampaign.bus import EventWritten
from fakecampaign.config import Settings
from fakecampaign.db import Database

S = Settings.documented_defaults()
TOKEN = {"Api-Token": S.api_token}
# (key, event, email): written, dropped for an unknown contact, refused for a bad key, refused for no event
CALLS = [
    (S.event_key, "signup", "a@example.com"),
    (S.event_key, "signup", "nobody@example.com"),
    ("wrong-key", "signup", "a@example.com"),
    (S.event_key, "", "a@example.com"),
    (S.event_key, "paid", "B@example.com"),
    (S.event_key, "paid", "a@example.com"),
] * 3


def form(key: str, event: str, email: str) -> dict[str, str]:
    return {"actid": S.actid, "key": key, "event": event, "visit": json.dumps({"email": email})}


async def served(calls: list[tuple[str, str, str]], *, together: bool) -> dict[str, Any]:
    """Serve ``calls`` on a fresh app, all at once (one loop turn) or one after another; return what was seen."""
    app = create_app(S)
    db: Database = app.state.store.db
    commits: list[int] = []
    commit_batch = db._commit_batch

    def counting(batch: Any) -> None:
        if db._batch is batch and db._owner is not None:
            commits.append(1)
        commit_batch(batch)

    db._commit_batch = counting  # type: ignore[method-assign]
    written: list[str] = []
    app.state.store.bus.subscribe(EventWritten, lambda _tx, event: written.append(event.name))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        for email in ("a@example.com", "b@example.com"):
            made = await client.post("/api/3/contacts", headers=TOKEN, json={"contact": {"email": email}})
            assert made.status_code == 201
        if together:
            answers = await asyncio.gather(*(client.post("/event", data=form(*call)) for call in calls))
        else:
            answers = [await client.post("/event", data=form(*call)) for call in calls]
        journal = (await client.get("/_fakecampaign/events", params={"account": S.account})).json()
        logs = (await client.get("/api/3/trackingLogs", headers=TOKEN)).json()
        feed = (await client.get("/api/3/activities", headers=TOKEN)).json()
    return {
        "answers": [(a.status_code, a.text) for a in answers],
        "journal": sorted((e["event"], e["email"], e["outcome"], e["reason"]) for e in journal["events"]),
        "journal_ids": [e["id"] for e in journal["events"]],
        "meta": journal["meta"],
        "logs": sorted((log["type"], log["contact"]) for log in logs["trackingLogs"]),
        "activities": sorted((a["reference_type"], a["reference_action"]) for a in feed["activities"]),
        "written": sorted(written),
        "commits": len(commits),
        "batch_left_open": db._batch is not None or db._lock.locked(),
    }


def test_concurrent_event_calls_answer_journal_and_write_as_served_one_by_one() -> None:
    alone = asyncio.run(served(CALLS, together=False))
    together = asyncio.run(served(CALLS, together=True))
    assert together["answers"] == alone["answers"]  # each answer in its call's place, byte for byte
    for seen in ("journal", "meta", "logs", "activities", "written"):
        assert together[seen] == alone[seen], seen
    assert together["journal_ids"] == list(range(1, len(CALLS) + 1))  # every call journaled once
    assert len(together["logs"]) == 9  # per round: "signup" and "paid" for a@, "paid" for B@ (case-blind)
    assert together["written"] == ["paid", "paid", "paid", "paid", "paid", "paid", "signup", "signup", "signup"]
    assert not together["batch_left_open"]
    assert not alone["batch_left_open"]
    # One by one, every call waits for its own commit; together, calls of one turn shared theirs.
    assert alone["commits"] == len(CALLS)
    assert 1 <= together["commits"] < len(CALLS)
