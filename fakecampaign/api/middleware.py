"""One pure-ASGI layer around the app: a body-size limit, a version header, CORS for /event only, the
Api-Token check of every /api/3 call, and the journal of calls to the emulated API.

The token is checked here, before FastAPI reads the body, so a bad token is AC's 403 whatever the body is;
it also spares each v3 route a dependency, which cost FastAPI ~10% of a contact GET (README "Performance").

CORS is answered for trackcmp's /event alone because the guide chose form data so browser pages can post
events (../shared/seed/000_ecc3f6c9e3e7914b.txt); AC's v3 API is server-to-server.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fakecampaign.api import guards
from fakecampaign.api.errors import render
from fakecampaign.errors import ACError
from fakecampaign.services import accounts
from fakecampaign.services.requests import RequestJournal
from fakecampaign.services.store import Store

EVENT_PATH = "/event"
API_PREFIX = "/api/3"
ACCOUNT_STATE_KEY = "fakecampaign_account"  # the caller's (account id, name), for the request journal
CALLER_STATE_KEY = "fakecampaign_caller"  # the AccountRecord of an authenticated /api/3 call
FAULT_STATE_KEY = "fakecampaign_fault"  # the fault rule (api/faults.py) that answered a call, for the journal
BODY_STATE_KEY = "fakecampaign_body"  # /event's body as read here: the route need not replay it through receive
CORS_HEADERS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-allow-methods", b"POST, OPTIONS"),  # only what /event serves (G7: no GET)
    (b"access-control-allow-headers", b"Content-Type"),
    (b"access-control-max-age", b"86400"),
]


class FakecampaignMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        version: str,
        max_body_bytes: int,
        journal: RequestJournal,
        store: Store,
        body_read_timeout: float = 30.0,
        allowed_hosts: frozenset[str] | None = None,
    ) -> None:
        self.app = app
        self.version_header = (b"x-fakecampaign-version", version.encode())
        self.added_headers = [self.version_header]  # built once: every answer gets them
        self.added_event_headers = [self.version_header, *CORS_HEADERS]
        self.max_body = max_body_bytes
        self.deadlines = guards.BodyDeadlines(body_read_timeout)
        self.hosts = guards.HostGuard(allowed_hosts)
        self.journal = journal
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        at = self.store.clock.time()
        status: list[int] = []
        send = _adding_headers(send, self.added_event_headers if path == EVENT_PATH else self.added_headers, status)
        answered = True
        inner = scope
        if scope["method"] == "HEAD":
            inner, send = guards.head_as_get(scope, send)
        try:
            await self._serve(inner, receive, send)
        except guards.ClientGone:
            answered = False  # nothing was answered or written, so nothing is journaled as answered
        finally:
            if answered and (path == EVENT_PATH or path.startswith(API_PREFIX)):
                self._record(scope, status, at)

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] == EVENT_PATH and scope["method"] == "OPTIONS":
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        try:
            self.hosts.check(scope)
            has_body = _has_body(scope)  # once: a GET has none, and its headers need not be scanned again
            if scope["path"].startswith(API_PREFIX):
                self._authenticate(scope)
                if has_body:
                    scope = _as_json(scope)
            elif scope["path"].startswith(guards.CONTROL_PREFIX):
                guards.check_control_call(scope)
            if has_body:
                declared = _declared_length(scope)
                body = await guards.read_body(receive, limit=self.max_body, declared=declared, deadlines=self.deadlines)
                if scope["path"] != EVENT_PATH:
                    guards.refuse_lone_surrogates(body)
                else:
                    scope.setdefault("state", {})[BODY_STATE_KEY] = body
                receive = _replay(body, receive)
        except ACError as error:
            await render(error)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _authenticate(self, scope: Scope) -> None:
        account = accounts.authenticate(self.store, guards.header(scope, b"api-token"))
        state = scope.setdefault("state", {})
        state[CALLER_STATE_KEY] = account
        state[ACCOUNT_STATE_KEY] = (account.id, account.name)

    def _record(self, scope: Scope, status: list[int], at: float) -> None:
        state = scope.get("state") or {}
        fault = state.get(FAULT_STATE_KEY)
        account_id, account = state.get(ACCOUNT_STATE_KEY) or (None, None)
        self.journal.record(
            tstamp=int(at),
            method=scope["method"],
            path=scope["path"],
            query=scope.get("query_string", b"").decode("latin-1"),  # redacted when read
            status=status[0] if status else (0 if fault else 500),  # 0: a fault dropped the call unanswered
            account=account,
            account_id=account_id,
            at=at,
            fault=fault,
        )


def _as_json(scope: Scope) -> Scope:
    """G23: a v3 body is read as JSON whatever its Content-Type says (``curl -d`` sends form-urlencoded);
    AC's documentation only ever sends JSON, and FastAPI would otherwise refuse it as no body at all.
    Only for a request with a body (``_has_body``)."""
    headers = scope["headers"]
    if (guards.header(scope, b"content-type") or "").startswith("application/json"):
        return scope
    kept = [(k, v) for k, v in headers if k != b"content-type"]
    return {**scope, "headers": [*kept, (b"content-type", b"application/json")]}


def _has_body(scope: Scope) -> bool:
    """A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3)."""
    return any(key in (b"content-length", b"transfer-encoding") for key, _ in scope["headers"])


def _declared_length(scope: Scope) -> int | None:
    value = guards.header(scope, b"content-length")
    return int(value) if value is not None and value.isdigit() else None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # after the body: wait for the disconnect, as Starlette expects
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _adding_headers(send: Send, headers: list[tuple[bytes, bytes]], status: list[int]) -> Send:
    async def sender(message: Message) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])
            message = {**message, "headers": [*message.get("headers", []), *headers]}
        await send(message)

    return sender
