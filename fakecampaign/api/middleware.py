"""One pure-ASGI layer around the app: a body-size limit, a version header, and CORS for /event only.

CORS is answered for trackcmp's /event alone because the guide chose form data so browser pages can post
events (../shared/seed/000_ecc3f6c9e3e7914b.txt); AC's v3 API is server-to-server.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fakecampaign.api.errors import render
from fakecampaign.errors import PayloadTooLarge

EVENT_PATH = "/event"
CORS_HEADERS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-allow-methods", b"POST, GET, OPTIONS"),
    (b"access-control-allow-headers", b"Content-Type"),
    (b"access-control-max-age", b"86400"),
]


class FakecampaignMiddleware:
    def __init__(self, app: ASGIApp, *, version: str, max_body_bytes: int) -> None:
        self.app = app
        self.version_header = (b"x-fakecampaign-version", version.encode())
        self.max_body = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = [self.version_header, *(CORS_HEADERS if scope["path"] == EVENT_PATH else ())]
        send = _adding_headers(send, extra)
        if scope["path"] == EVENT_PATH and scope["method"] == "OPTIONS":
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        body = await _read_limited(receive, self.max_body, _declared_length(scope))
        if body is None:
            await render(PayloadTooLarge(limit=self.max_body))(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


async def _read_limited(receive: Receive, limit: int, declared: int | None) -> bytes | None:
    """The whole body, or None when it is larger than ``limit`` (said up front or found while reading)."""
    if declared is not None and declared > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # after the body: wait for the disconnect, as Starlette expects
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _adding_headers(send: Send, headers: list[tuple[bytes, bytes]]) -> Send:
    async def sender(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *headers]}
        await send(message)

    return sender
