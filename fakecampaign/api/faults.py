"""The fault layer: AC's rate limit and fault rules (services/faults.py), as one pure-ASGI layer.

app.py adds it inside FakecampaignMiddleware, so a call reaching it has had its Api-Token checked (v3) and its
body read within the size limit, and whatever this layer answers lands in the request journal with the rule
that hit it (``FAULT_STATE_KEY``). Without limits or rules it costs one attribute check per call.

Only the emulated API is touched (``/api/3/...`` and ``/event``): the control plane always answers, so a test
can clear what it configured.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
from collections.abc import Awaitable
from contextlib import suppress
from http import HTTPStatus
from typing import Any, Protocol, cast
from urllib.parse import parse_qs

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fakecampaign.api.errors import render
from fakecampaign.api.middleware import ACCOUNT_STATE_KEY, API_PREFIX, EVENT_PATH, FAULT_STATE_KEY
from fakecampaign.errors import RateLimited
from fakecampaign.schemas.common import Wire
from fakecampaign.schemas.errors import ErrorItem, ErrorSource, ErrorsOut, MessageErrorOut
from fakecampaign.schemas.tracking import EmptyObject, TrackReply
from fakecampaign.services import accounts
from fakecampaign.services.faults import RATE_LIMIT_FAULT, Admission, FaultRule
from fakecampaign.services.store import Store

FORM = b"application/x-www-form-urlencoded"


class FaultLayer:
    def __init__(self, app: ASGIApp, *, store: Store) -> None:
        self.app = app
        self.store = store
        self.registry = store.faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.registry.active:  # the hot paths' whole cost when nothing is configured
            await self.app(scope, receive, send)
            return
        await self._serve(scope, receive, send)

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        v3 = path.startswith(API_PREFIX)
        if scope["type"] != "http" or not (v3 or path == EVENT_PATH):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        who: tuple[int, str] | None = state.get(ACCOUNT_STATE_KEY)  # (id, name), set for an authenticated v3 call
        resolved = v3
        if not v3 and self.registry.scoped_to_accounts():
            who, receive = await self._event_account(scope, receive)
            resolved = True
        account = who[1] if who else None
        rule = self.registry.pick(scope["method"], path, account)
        if rule is not None:
            state[FAULT_STATE_KEY] = rule.id
            if not resolved and rule.effect != "latency":  # the route will not run to tell the journal
                who, receive = await self._event_account(scope, receive)
            if not v3 and who is not None:
                state[ACCOUNT_STATE_KEY] = who  # journal an /event call the rule answered under its account
            if await _inflict(rule, scope, receive, send):
                return  # answered (or dropped) by the rule; a call that got no real answer is not counted
        # G102 (README "Where we guessed"): only v3 calls count against AC's limit, never trackcmp's /event.
        if v3 and account is not None:
            admission = self.registry.admit(account, self.store.clock.time())
            if admission is not None:
                if not admission.allowed:
                    state[FAULT_STATE_KEY] = RATE_LIMIT_FAULT
                    await _too_many(admission)(scope, receive, send)
                    return
                send = _with_rate_headers(send, admission)
        await self.app(scope, receive, send)

    async def _event_account(self, scope: Scope, receive: Receive) -> tuple[tuple[int, str] | None, Receive]:
        """The account (id, name) a trackcmp call names by its actid (query string or urlencoded body), for rules
        scoped to an account; the body is handed on to the route unchanged. Multipart bodies are not read here."""
        fields = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        headers = dict(scope["headers"])
        if b"content-length" in headers or b"transfer-encoding" in headers:
            message = await receive()  # the whole body: the main middleware has read it already
            receive = _replay(message, receive)
            if headers.get(b"content-type", b"").startswith(FORM):
                fields = {**fields, **parse_qs(bytes(message.get("body", b"")).decode("latin-1"))}
        actid = (fields.get("actid") or [""])[0]
        if not actid:
            return None, receive
        with self.store.db.transaction() as tx:
            found = accounts.find_by_actid(self.store, tx, actid)
        return ((found.id, found.name) if found else None), receive


async def _inflict(rule: FaultRule, scope: Scope, receive: Receive, send: Send) -> bool:
    """Apply a rule's effect; False when the call goes on to the route (latency alone)."""
    delay = rule.latency()
    # never blocks the loop; bounded by MAX_LATENCY_MS
    if delay and not await _unless_stopped(asyncio.sleep(delay)):
        await _drop_connection(reset=False)
        return True
    spec = rule.spec
    if spec.reset:
        await _drop_connection()
        return True
    if spec.hang_seconds is not None:
        await _unless_stopped(_hang(spec.hang_seconds, receive))
        await _drop_connection(reset=False)
        return True
    if spec.status is not None:
        await _fault_response(rule, scope["path"])(scope, receive, send)
        return True
    return False


def _fault_response(rule: FaultRule, path: str) -> Response:
    spec = rule.spec
    status = spec.status or 500
    if spec.body is not None:
        body = json.dumps(spec.body, separators=(",", ":")).encode()
    else:
        body = fault_body(status, path).model_dump_json().encode()
    headers = dict(spec.headers)
    if status == HTTPStatus.TOO_MANY_REQUESTS and not any(k.lower() == "retry-after" for k in headers):
        headers["Retry-After"] = "1"  # as AC's own 429 says (../shared/reference/ac-api-facts.md §7.1)
    empty = status in (HTTPStatus.NO_CONTENT, HTTPStatus.NOT_MODIFIED)
    return Response(b"" if empty else body, status_code=status, media_type="application/json", headers=headers)


def fault_body(status: int, path: str) -> Wire:
    """G101: the body of an injected status when the rule gives none: AC's envelope for that status — trackcmp's
    ``{"success": 0, "message"}`` on /event, bare ``{}`` for 400 and 2xx/3xx, the ``errors`` list for 422, and
    ``{"message": "<reason phrase>"}`` otherwise (AC's 403/404 envelope; its 5xx bodies are unknown)."""
    phrase = _phrase(status)
    if path == EVENT_PATH:
        return TrackReply(success=0, message=phrase)
    if status == HTTPStatus.UNPROCESSABLE_ENTITY:
        problem = ErrorItem(title=phrase, detail="", code="invalid", source=ErrorSource(pointer="/data/attributes"))
        return ErrorsOut(errors=[problem])
    if status <= HTTPStatus.BAD_REQUEST:
        return EmptyObject()
    return MessageErrorOut(message=RateLimited.template if status == HTTPStatus.TOO_MANY_REQUESTS else phrase)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _too_many(admission: Admission) -> Response:
    """AC's 429: Retry-After in whole seconds and its RateLimit-* headers (ac-api-facts.md §7.1).

    G104: one user saw a 503 instead [MEDIATOOLKIT#18]; the limiter always answers the documented 429 (a fault
    rule injects a 503 for that case)."""
    response = render(RateLimited(hint=f"Over this account's limit of {admission.limit} v3 requests per second"))
    response.headers["Retry-After"] = str(admission.retry_after)
    response.headers["RateLimit-Limit"] = str(admission.limit)
    response.headers["RateLimit-Remaining"] = "0"
    return response


def _with_rate_headers(send: Send, admission: Admission) -> Send:
    """AC puts RateLimit-Limit and RateLimit-Remaining on its answers; only while a limit applies here."""
    extra = [
        (b"ratelimit-limit", str(admission.limit).encode()),
        (b"ratelimit-remaining", str(admission.remaining).encode()),
    ]

    async def sender(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return sender


def _replay(first: Message, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return first

    return replay


async def _hang(seconds: float, receive: Receive) -> None:
    """Answer nothing for ``seconds``; stop early once the client has given up (its disconnect)."""

    async def disconnected() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    with suppress(TimeoutError):
        await asyncio.wait_for(disconnected(), timeout=seconds)


async def _unless_stopped(waiting: Awaitable[None]) -> bool:
    """Await a rule's wait (latency, hang); False when a stopping server cancelled it, which then leaves the
    call to end without an answer, like the rest of a hang.

    uvicorn cancels the calls still in flight once its graceful-shutdown timeout is over
    (serving.SHUTDOWN_GRACE_SECONDS, uvicorn/server.py ``Server.shutdown``), and answers ``500`` with a logged
    traceback for a CancelledError that leaves the app before a response started (``run_asgi``). That 500 was
    once hidden by a race: the process died of the SIGTERM uvicorn re-raises after serving before the 500 went
    out, until the engine's lifespan shutdown (app.py) gave the loop turns to send it. The cancellation is
    taken back only when it is the task's one pending cancel and uvicorn's connection is there to close;
    otherwise it propagates.
    """
    try:
        await waiting
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is None or task.cancelling() != 1 or _current_transport() is None:
            raise
        task.uncancel()
        return False
    return True


async def _drop_connection(*, reset: bool = True) -> None:
    """Reset the client's connection without a byte of answer (WireMock's CONNECTION_RESET_BY_PEER), or
    (``reset=False``, the end of a hang) close it the ordinary way, still without an answer.

    ASGI has no message for this, and uvicorn answers 500 to an app that raises or returns without a response
    (uvicorn/protocols/http/httptools_impl.py ``run_asgi``), unless the connection is already gone. uvicorn runs
    each request as a task of ``RequestResponseCycle.run_asgi``, whose ``transport`` is the connection: it is
    aborted with SO_LINGER 0 (a TCP RST), and the loop turns once so uvicorn sees the disconnect. Under another
    server (or an in-process transport) ConnectionResetError is raised instead.
    """
    transport = _current_transport()
    if transport is None:
        raise ConnectionResetError("fakecampaign fault: connection reset")
    if transport.is_closing():  # the client hung up first (a hang it gave up on)
        return
    sock = transport.get_extra_info("socket")
    if reset and sock is not None:
        with suppress(OSError, ValueError):  # without SO_LINGER 0 the close is a FIN: still no answer
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    for _ in range(2):  # connection_lost is scheduled with call_soon: let it run before the app returns
        await asyncio.sleep(0)


class _Transport(Protocol):
    """What is used of a connection's transport (asyncio's, or uvloop's, which is not an asyncio subclass)."""

    def get_extra_info(self, name: str, default: Any = None) -> Any: ...

    def abort(self) -> None: ...

    def is_closing(self) -> bool: ...


def _current_transport() -> _Transport | None:
    task = asyncio.current_task()
    coro = task.get_coro() if task is not None else None
    frame = getattr(coro, "cr_frame", None)
    cycle = frame.f_locals.get("self") if frame is not None else None
    transport = getattr(cycle, "transport", None)
    if all(callable(getattr(transport, name, None)) for name in ("abort", "get_extra_info", "is_closing")):
        return cast(_Transport, transport)
    return None
