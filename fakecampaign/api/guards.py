"""Checks on a request the middleware runs before any route sees it (issue 8, "Harden it").

Each guard is a small function of the raw ASGI scope or body, so the middleware stays one readable pass and a
guard can be tested alone. A guard raises an ``ACError``; the middleware renders it as AC would.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from fakecampaign.errors import (
    BadRequest,
    BodyTimeout,
    CrossSiteRefused,
    HostNotAllowed,
    PayloadTooLarge,
    UnsupportedMediaType,
)

CONTROL_PREFIX = "/_fakecampaign/"
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Sec-Fetch-Site values a control-plane call may carry: the page's own origin, or no page at all (typed URL,
# bookmark). "same-site" is refused too: another port of localhost is the same site.
OWN_SITE = frozenset({"same-origin", "none"})


def header(scope: Scope, name: bytes) -> str | None:
    """A request header's first value, straight from the ASGI scope (cheaper than Starlette's ``Headers``)."""
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def parse_allowed_hosts(setting: str | None) -> frozenset[str] | None:
    """``FAKECAMPAIGN_ALLOWED_HOSTS`` ("a,b,c") as host names; None when it is unset."""
    if setting is None:
        return None
    return frozenset(h.strip().lower().strip("[]") for h in setting.split(",") if h.strip())


class HostGuard:
    """DNS rebinding: a page on evil.example whose name is re-pointed at 127.0.0.1 reaches a loopback server
    as a same-origin page of evil.example, able to read every answer. Its requests still say
    ``Host: evil.example``, so a server listening on loopback answers only Host names that are loopback.

    ``allowed`` (``FAKECAMPAIGN_ALLOWED_HOSTS``) adds names (the compose service name, a docker host's name)
    and, once set, applies on every interface, loopback or not; ``*`` allows any.

    Host values already accepted are remembered (a few per server), so the hot routes pay a set lookup.
    """

    CACHE = 64

    def __init__(self, allowed: frozenset[str] | None) -> None:
        self.allowed = allowed
        self._accepted: set[bytes] = set()

    def check(self, scope: Scope) -> None:
        allowed = self.allowed
        if allowed is None:
            server = scope.get("server")
            if not server or not _is_loopback(str(server[0])):
                return
        elif "*" in allowed:
            return
        for key, value in scope["headers"]:
            if key == b"host":
                if value not in self._accepted:
                    self._admit(bytes(value))
                return
        # no Host (HTTP/1.0): not a browser

    def _admit(self, value: bytes) -> None:
        host = value.decode("latin-1")
        name = _host_name(host)
        if not (name in LOOPBACK_HOSTS or name.endswith(".localhost") or name in (self.allowed or ())):
            raise HostNotAllowed(host=host[:100])
        if len(self._accepted) < self.CACHE:
            self._accepted.add(value)


def check_control_call(scope: Scope) -> None:
    """CSRF: any page the user visits can make the browser send a request to localhost. Fetch metadata and
    Origin say when a browser does so for another site's page (https://web.dev/articles/fetch-metadata);
    such a call is refused, unless it is the user following a link (a GET navigation). Non-browser clients
    (curl, the pytest plugin, your app) send neither header and are unaffected; the control plane's own
    browser UI calls it same-origin.

    A write with a body must say JSON: a page can post a form or ``text/plain`` cross-site without a CORS
    preflight, but not ``application/json``, so this holds even for a browser that sends no fetch metadata.
    """
    method = scope["method"]
    site = header(scope, b"sec-fetch-site")
    navigation = method == "GET" and header(scope, b"sec-fetch-mode") == "navigate"
    if site is not None and site not in OWN_SITE and not navigation:
        raise CrossSiteRefused()
    origin = header(scope, b"origin")
    if origin is not None and not navigation and not _same_origin(scope, origin):
        raise CrossSiteRefused()
    if method not in SAFE_METHODS:
        content_type = header(scope, b"content-type")
        if content_type is not None and not _is_json(content_type):
            raise UnsupportedMediaType(content_type=content_type[:100])


def _same_origin(scope: Scope, origin: str) -> bool:
    host = header(scope, b"host")
    return host is not None and origin.lower() == f"{scope.get('scheme', 'http')}://{host}".lower()


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def _is_loopback(address: str) -> bool:
    return address.startswith(("127.", "::ffff:127.")) or address in ("::1", "localhost")


def _host_name(host: str) -> str:
    """``Host`` without its port, lower case; ``[::1]:8080`` -> ``::1``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class ClientGone(Exception):
    """The client closed the connection before its whole body arrived: nothing is answered or written."""


class BodyDeadlines:
    """Cancels a body read that outlives its deadline, cheaply enough for the hot routes.

    ``asyncio.timeout`` around every read cost ~4 us a request (a timer armed and disarmed each time); here a
    read only records its deadline, and one timer per ``interval`` sweeps the overdue ones, and only while
    reads are in flight. A deadline is therefore kept to within one interval.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.interval = min(1.0, timeout / 4)
        self._reads: dict[asyncio.Task[Any], float] = {}
        self._expired: set[asyncio.Task[Any]] = set()
        self._timer: asyncio.TimerHandle | None = None

    def start(self) -> asyncio.Task[Any] | None:
        task = asyncio.current_task()
        if task is None:
            return None
        loop = task.get_loop()
        self._reads[task] = loop.time() + self.timeout
        if self._timer is None:
            self._timer = loop.call_later(self.interval, self._sweep, loop)
        return task

    def finish(self, task: asyncio.Task[Any] | None) -> None:
        if task is not None:
            self._reads.pop(task, None)

    def expired(self, task: asyncio.Task[Any] | None) -> bool:
        """True (and the cancellation taken back) when ``task`` was cancelled for its deadline."""
        if task is None or task not in self._expired:
            return False
        self._expired.discard(task)
        task.uncancel()
        return True

    def _sweep(self, loop: asyncio.AbstractEventLoop) -> None:
        self._timer = None
        now = loop.time()
        for task, deadline in list(self._reads.items()):
            if deadline <= now:
                del self._reads[task]
                self._expired.add(task)
                task.cancel()
        if self._reads:
            self._timer = loop.call_later(self.interval, self._sweep, loop)


async def read_body(receive: Receive, *, limit: int, declared: int | None, deadlines: BodyDeadlines) -> bytes:
    """The whole body, or an exception; never a part of it.

    - ``PayloadTooLarge`` when it is larger than ``limit`` (said up front or found reading);
    - ``ClientGone`` when the client disconnects before the last chunk: a truncated ``/event`` was once
      stored with part of its eventdata although the client saw a failure (and its retry duplicated it);
    - ``BodyTimeout`` when the whole body takes longer than ``deadlines.timeout`` seconds, so a stalled or
      slowloris client cannot hold a request (and the memory of its partial body) open.
    """
    if declared is not None and declared > limit:
        raise PayloadTooLarge(limit=limit)
    chunks: list[bytes] = []
    size = 0
    task = deadlines.start()
    try:
        while True:
            message = await receive()
            if message["type"] != "http.request":
                raise ClientGone()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(limit=limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)
    except asyncio.CancelledError:
        if deadlines.expired(task):
            seconds = f"{deadlines.timeout:g}"
            raise BodyTimeout(hint=f"The whole body must arrive within {seconds} s", seconds=seconds) from None
        raise
    finally:
        deadlines.finish(task)


def head_as_get(scope: Scope, send: Send) -> tuple[Scope, Send]:
    """HEAD is GET without the body (RFC 9110 §9.3.2); FastAPI's routes answer it 405 otherwise. The route
    sees a GET; the client gets its status and headers (Content-Length included) and no body."""
    scope.setdefault("state", {})  # shared with the copy, so what the route records reaches the journal

    async def bodiless(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return {**scope, "method": "GET"}, bodiless


def refuse_lone_surrogates(body: bytes) -> None:
    """A JSON string escape like ``"\\ud800"`` (half of a UTF-16 pair, alone) is not text: Python parses it,
    but SQLite cannot store it, so it once gave a 500 on every JSON route. AC's PHP ``json_decode`` fails on
    it too (JSON_ERROR_UTF16), and AC answers an unreadable body with ``400 {}`` (G18).

    The same half encoded as raw UTF-8 bytes (``ED A0 80``) is not UTF-8, but ``json.loads`` decodes bytes with
    ``surrogatepass`` and lets it through, so such a body is checked as strict UTF-8.

    Only bodies that contain an escape or an ``ED`` byte are looked at again, so ordinary calls pay two
    substring searches.
    """
    if b"\xed" in body:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest(hint="The body is not valid UTF-8") from None
    if b"\\u" not in body:
        return
    try:
        parsed: Any = json.loads(body)
    except (ValueError, RecursionError):
        return  # not JSON at all: the route's own parser answers for it
    try:
        json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(hint="The body holds a lone UTF-16 surrogate escape (like \\ud800); it is not text") from None
    except RecursionError:
        return
