"""Issue 8 item 4: what one caller can make the server keep is bounded.

1,000 refused /event calls with 500 KB of eventdata each once added 516 MB to an in-memory server. Now a
journal row keeps at most a clipped copy of each field, eventdata has a documented limit (G24), and the journal
keeps at most N entries per account and M overall, the oldest evicted and counted in its ``meta``."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine
from typing import Any

import httpx

from fakecampaign.app import create_app
from fakecampaign.config import Settings
from fakecampaign.services.events import JOURNAL_CLIP, MAX_EVENTDATA

TOKEN = {"Api-Token": "fake-api-token"}
ACTID, KEY = "123456789", "fake-event-key"


def run(settings: Settings, scenario: Callable[[httpx.AsyncClient], Coroutine[Any, Any, Any]]) -> Any:
    app = create_app(settings)

    async def go() -> Any:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await scenario(client)

    return asyncio.run(go())


def event(email: str = "a@example.com", **fields: str) -> dict[str, str]:
    return {"actid": ACTID, "key": KEY, "event": "e", "visit": json.dumps({"email": email}), **fields}


async def journal(client: httpx.AsyncClient, **params: Any) -> Any:
    return (await client.get("/_fakecampaign/events", params={"limit": 1000, **params})).json()


def test_a_refused_call_keeps_only_a_clipped_copy_of_its_fields() -> None:
    async def scenario(client: httpx.AsyncClient) -> Any:
        big = "x" * 500_000
        refused = {"actid": "9" * 5000, "key": "k", "event": "e" * 5000, "eventdata": big,
                   "visit": json.dumps({"email": "m" * 5000 + "@example.com"})}  # fmt: skip
        assert (await client.post("/event", data=refused)).json()["success"] == 0
        return (await journal(client))["events"]

    [entry] = run(Settings.documented_defaults(), scenario)
    assert len(entry["eventdata"]) == JOURNAL_CLIP["eventdata"] == 1024
    assert len(entry["actid"]) == 64
    assert len(entry["event"]) == 64


def test_eventdata_longer_than_the_limit_is_refused_and_not_written() -> None:
    async def scenario(client: httpx.AsyncClient) -> Any:
        made = await client.post("/api/3/contacts", headers=TOKEN, json={"contact": {"email": "a@example.com"}})
        contact = made.json()["contact"]["id"]
        longest = await client.post("/event", data=event(eventdata="y" * MAX_EVENTDATA))
        too_long = await client.post("/event", data=event(eventdata="y" * (MAX_EVENTDATA + 1)))
        logs = (await client.get(f"/api/3/contacts/{contact}/trackingLogs", headers=TOKEN)).json()["trackingLogs"]
        return longest.json(), too_long.json(), logs, (await journal(client))["events"]

    longest, too_long, logs, entries = run(Settings.documented_defaults(), scenario)
    assert longest == {"success": 1, "message": "Event spawned"}
    assert too_long == {"success": 0, "message": f"Event data must be at most {MAX_EVENTDATA} characters."}
    assert [len(log["value"]) for log in logs] == [MAX_EVENTDATA]  # the written one, whole
    assert [(e["outcome"], e["reason"]) for e in entries] == [("written", None), ("dropped", "eventdata_too_long")]


def test_the_journal_keeps_the_newest_entries_of_each_account() -> None:
    async def scenario(client: httpx.AsyncClient) -> Any:
        other = (await client.post("/_fakecampaign/accounts", json={"name": "quiet"})).json()["account"]
        await client.post("/event", data={"actid": other["actid"], "key": "wrong", "event": "mine"})
        for i in range(25):  # a flood of calls naming no account, then of the default account's
            await client.post("/event", data={"actid": "999999999", "key": "k", "event": f"u{i}"})
        for i in range(25):
            await client.post("/event", data=event(eventdata=str(i)))
        return (await journal(client, account="fake")), (await journal(client, account="quiet")), await journal(client)

    fake, quiet, everything = run(Settings.documented_defaults(event_journal_per_account=10), scenario)
    kept = [int(e["eventdata"]) for e in fake["events"]]
    assert kept == list(range(25 - len(kept), 25))  # the newest, in order
    assert 9 <= len(kept) <= 10
    assert fake["meta"] == {"total": len(kept), "evicted": 25 - len(kept)}
    assert [e["event"] for e in quiet["events"]] == ["mine"]  # the floods pushed none of its calls out
    assert quiet["meta"] == {"total": 1, "evicted": 0}
    assert everything["meta"]["total"] <= 21
    assert everything["meta"]["evicted"] == 51 - everything["meta"]["total"]


def test_the_journal_is_bounded_overall() -> None:
    async def scenario(client: httpx.AsyncClient) -> Any:
        for n in range(3):
            made = (await client.post("/_fakecampaign/accounts", json={"name": f"a{n}"})).json()["account"]
            for i in range(10):
                await client.post("/event", data={"actid": made["actid"], "key": "wrong", "event": f"a{n}-{i}"})
        return await journal(client)

    everything = run(Settings.documented_defaults(event_journal_size=20), scenario)
    names = [e["event"] for e in everything["events"]]
    assert 18 <= len(names) <= 20
    assert names[-1] == "a2-9"
    assert names == sorted(names, key=lambda n: (n[:2], int(n[3:])))  # oldest went first
    assert everything["meta"]["evicted"] == 30 - len(names)


def test_a_flood_of_refused_calls_stores_a_bounded_amount() -> None:
    # The stored bytes, not the process's RSS (which a test cannot measure reliably): 200 calls of 500 KB.
    async def scenario(client: httpx.AsyncClient) -> Any:
        for _ in range(200):
            await client.post(
                "/event", data={"actid": "999999999", "key": "k", "event": "e", "eventdata": "z" * 500_000}
            )
        return await journal(client)

    flooded = run(Settings.documented_defaults(event_journal_per_account=100), scenario)
    assert sum(len(e["eventdata"]) for e in flooded["events"]) <= 100 * 1024


def test_entries_removed_by_a_reset_do_not_cause_an_early_eviction() -> None:
    async def scenario(client: httpx.AsyncClient) -> Any:
        for i in range(8):
            await client.post("/event", data=event(eventdata=f"before-{i}"))
        await client.post("/_fakecampaign/reset", params={"account": "fake"})
        for i in range(8):
            await client.post("/event", data=event(eventdata=f"after-{i}"))
        return await journal(client, account="fake")

    fake = run(Settings.documented_defaults(event_journal_per_account=10), scenario)
    assert fake["meta"] == {"total": 8, "evicted": 0}


def test_the_request_journal_keeps_a_clipped_path_and_query() -> None:
    async def scenario(client: httpx.AsyncClient) -> Any:
        await client.get("/api/3/" + "p" * 50_000, params={"q": "v" * 50_000})
        return (await client.get("/_fakecampaign/requests")).json()["requests"]

    [entry] = run(Settings.documented_defaults(), scenario)
    assert (len(entry["path"]), entry["status"]) == (2048, 403)
    assert len(entry["query"]) <= 2048
