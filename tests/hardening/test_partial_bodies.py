"""Issue 8 items 2 and 5 (body side): a body that does not arrive whole writes nothing and is not journaled as
answered; a body that does not arrive in time is a 408, and the connection is closed."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from starlette.types import Message

from fakecampaign.api.guards import BodyDeadlines, read_body
from fakecampaign.app import create_app
from fakecampaign.config import Settings
from fakecampaign.errors import BodyTimeout
from fakecampaign.services import state
from fakecampaign.testing.server import LiveServer

EVENT = {
    "actid": "123456789",
    "key": "fake-event-key",
    "event": "signup",
    "visit": json.dumps({"email": "half@example.com"}),
    "eventdata": "x" * 509,
}


async def call(
    app: Any, method: str, path: str, chunks: list[Message], headers: list[tuple[bytes, bytes]]
) -> list[Message]:
    """One ASGI call whose client sends ``chunks`` then nothing more; returns what the app sent."""
    pending = list(chunks)
    sent: list[Message] = []

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"testserver"), *headers], "client": ("127.0.0.1", 1), "server": ("testserver", 80),
    }  # fmt: skip
    await app(scope, receive, send)
    return sent


def test_an_event_whose_body_was_cut_off_is_not_written_nor_journaled() -> None:
    app = create_app(Settings.documented_defaults())
    body = urlencode(EVENT).encode()
    form = [(b"content-type", b"application/x-www-form-urlencoded"), (b"content-length", str(len(body)).encode())]

    async def scenario() -> tuple[list[Message], dict[str, Any], list[Any]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            token = {"Api-Token": "fake-api-token"}
            created = await client.post(
                "/api/3/contacts", headers=token, json={"contact": {"email": "half@example.com"}}
            )
            assert created.status_code == 201
            # The client declared the whole length, sent the first 301 bytes, then closed the connection.
            cut = [{"type": "http.request", "body": body[:301], "more_body": True}]
            sent = await call(app, "POST", "/event", cut, form)
            events = (await client.get("/_fakecampaign/events")).json()
            requests = (await client.get("/_fakecampaign/requests")).json()["requests"]
        return sent, events, requests

    sent, events, requests = asyncio.run(scenario())
    assert sent == []  # nobody to answer
    assert events["meta"]["total"] == 0
    assert [(r["method"], r["path"]) for r in requests] == [("POST", "/api/3/contacts")]


def test_a_v3_body_cut_off_writes_nothing() -> None:
    app = create_app(Settings.documented_defaults())
    body = json.dumps({"contact": {"email": "cut@example.com", "firstName": "Half"}}).encode()
    headers = [(b"api-token", b"fake-api-token"), (b"content-type", b"application/json"), (b"content-length", b"999")]
    # A JSON object whose first chunk happens to be complete JSON on its own must not be taken for the body.
    sent = asyncio.run(
        call(app, "POST", "/api/3/contacts", [{"type": "http.request", "body": body, "more_body": True}], headers)
    )
    assert sent == []
    assert state.dump(app.state.store, name="fake").contacts == []


@pytest.fixture(scope="module")
def impatient() -> Any:
    with LiveServer(Settings(body_read_timeout=0.3)) as server:
        yield server


def test_a_stalled_body_gets_408_and_the_connection_is_closed(impatient: LiveServer) -> None:
    with socket.create_connection(("127.0.0.1", impatient.port), timeout=10) as sock:
        sock.sendall(
            b"POST /event HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 100\r\n\r\nactid=1"
        )
        reply = _read_all(sock)  # explicit wait: the server answers when its timer fires, then closes
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ")
    assert json.loads(body) == {"message": "Request body did not arrive within 0.3 seconds"}
    assert httpx.get(f"{impatient.url}/_fakecampaign/events", timeout=10).json()["meta"]["total"] == 0


def test_a_body_that_arrives_in_time_is_served(impatient: LiveServer) -> None:
    response = httpx.post(f"{impatient.url}/event", data={"actid": "999999999"}, timeout=10)
    assert response.status_code == 200


def _read_all(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_a_cancellation_that_is_not_the_deadline_still_cancels() -> None:
    deadlines = BodyDeadlines(60.0)

    async def scenario() -> None:
        never, waiting = asyncio.Event(), asyncio.Event()

        async def receive() -> Message:
            waiting.set()
            await never.wait()
            raise AssertionError("unreachable")

        reader = asyncio.ensure_future(read_body(receive, limit=10, declared=None, deadlines=deadlines))
        await waiting.wait()
        reader.cancel()
        with pytest.raises(asyncio.CancelledError):
            await reader

    asyncio.run(scenario())


def test_the_deadline_turns_into_a_body_timeout() -> None:
    deadlines = BodyDeadlines(0.01)

    async def scenario() -> None:
        never = asyncio.Event()

        async def receive() -> Message:
            await never.wait()
            raise AssertionError("unreachable")

        with pytest.raises(BodyTimeout):
            await read_body(receive, limit=10, declared=None, deadlines=deadlines)
        assert not deadlines._reads

    asyncio.run(scenario())
