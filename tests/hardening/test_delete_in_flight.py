"""Issue 8 item 7: deleting an account while one of its writes is in flight leaves nothing behind, and the
request journal is keyed by account id, so a new account of the same name starts with no calls."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from starlette.types import Message

from fakecampaign.app import create_app
from fakecampaign.config import Settings
from fakecampaign.tables import ACCOUNTS, CONTACTS, EVENT_NAMES

TOKEN = "victim-token-0000"


def orphans(app: Any) -> int:
    """Rows whose account no longer exists."""
    accounts = select(ACCOUNTS.c.id)
    with app.state.store.db.transaction() as tx:
        return sum(
            tx.scalar(select(func.count()).select_from(t).where(t.c.account_id.not_in(accounts)))
            for t in (CONTACTS, EVENT_NAMES)
        )


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/3/contacts", {"contact": {"email": "late@example.com"}}),
        ("/api/3/contact/sync", {"contact": {"email": "late@example.com"}}),
        ("/api/3/eventTrackingEvents", {"eventTrackingEvent": {"name": "late"}}),
    ],
)
def test_a_write_whose_account_was_deleted_while_its_body_arrived_is_refused(path: str, body: Any) -> None:
    app = create_app(Settings.documented_defaults())
    raw = json.dumps(body).encode()

    async def scenario() -> tuple[int, Any, Any]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as control:
            made = await control.post("/_fakecampaign/accounts", json={"name": "victim", "api_token": TOKEN})
            assert made.status_code == 201
            chunks: list[Message] = [
                {"type": "http.request", "body": raw[:5], "more_body": True},
                {"type": "http.request", "body": raw[5:], "more_body": False},
            ]
            sent: list[Message] = []

            async def receive() -> Message:
                if len(chunks) == 1:  # the Api-Token was checked; the rest of the body is on its way...
                    deleted = await control.delete("/_fakecampaign/accounts/victim")  # ...when the account goes
                    assert deleted.status_code == 204
                return chunks.pop(0) if chunks else {"type": "http.disconnect"}

            async def send(message: Message) -> None:
                sent.append(message)

            headers = [
                (b"host", b"127.0.0.1"), (b"api-token", TOKEN.encode()), (b"content-type", b"application/json"),
                (b"content-length", str(len(raw)).encode()),
            ]  # fmt: skip
            scope = {
                "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
                "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
                "headers": headers, "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
            }  # fmt: skip
            await app(scope, receive, send)
            start = next(m for m in sent if m["type"] == "http.response.start")
            answer = json.loads(b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"))
            # A new account of the same name does not inherit the late call in its request journal.
            await control.post("/_fakecampaign/accounts", json={"name": "victim"})
            journal = (await control.get("/_fakecampaign/requests", params={"account": "victim"})).json()
        return start["status"], answer, journal["requests"]

    status, answer, journal = asyncio.run(scenario())
    assert journal == []
    assert (status, answer) == (
        403,
        {"message": "Forbidden: send your API key in the Api-Token header (Api-Token: <your key>)"},
    )
    assert orphans(app) == 0


def test_the_request_journal_is_keyed_by_account_id() -> None:
    app = create_app(Settings.documented_defaults())

    async def scenario() -> list[Any]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            first = (await client.post("/_fakecampaign/accounts", json={"name": "again"})).json()["account"]
            await client.get("/api/3/contacts", headers={"Api-Token": first["api_token"]})
            await client.post("/event", data={"actid": first["actid"], "key": "wrong", "event": "e"})
            assert (
                len((await client.get("/_fakecampaign/requests", params={"account": "again"})).json()["requests"]) == 2
            )
            await client.delete("/_fakecampaign/accounts/again")
            await client.post("/_fakecampaign/accounts", json={"name": "again"})
            return (await client.get("/_fakecampaign/requests", params={"account": "again"})).json()["requests"]

    assert asyncio.run(scenario()) == []


def test_a_call_after_the_delete_is_refused_by_the_old_token() -> None:
    app = create_app(Settings.documented_defaults())

    async def scenario() -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            await client.post("/_fakecampaign/accounts", json={"name": "gone", "api_token": TOKEN})
            assert (await client.get("/api/3/contacts", headers={"Api-Token": TOKEN})).status_code == 200
            await client.delete("/_fakecampaign/accounts/gone")
            return (await client.get("/api/3/contacts", headers={"Api-Token": TOKEN})).status_code

    assert asyncio.run(scenario()) == 403
