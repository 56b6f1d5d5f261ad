"""How uvicorn serves fakecampaign: one place for the CLI and the pytest plugin's in-thread server.

uvicorn with httptools (what ``uvicorn[standard]`` picks) has no limit on a request's head and no deadline for
it: issue 8 sent a 100 MB header (accepted after 14.5 s, stalling other requests) and kept 60 slowloris
connections open for 30 s and more. ``GuardedHttpTools`` adds, per connection:

- a head size limit (``max_header_bytes``): a request line plus headers larger than that is answered
  ``431`` (``414`` when the URL alone is) and the connection closed, before more of it is buffered;
- a head deadline (``header_read_timeout``): a head still incomplete after that long is answered ``408`` and
  the connection closed (partial headers sent a byte at a time);
- a keep-alive timeout (``keep_alive_timeout``, uvicorn's own) that also covers a connection that never sends
  a byte (uvicorn arms it only after a first response).

Errors the parser finds (an unknown method, a malformed request line) are answered with AC's bare ``400 {}``
as JSON rather than uvicorn's plain text (G18). A body's own deadline is ``body_read_timeout``, enforced in the
ASGI layer (``api/guards.py``), so it holds under any server.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from typing import Any, ClassVar

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from fakecampaign.config import Settings

HINT_HEADER = b"x-fakecampaign-error"


# A stopping server waits this long for calls in flight, then cancels them: a fault rule's hang or latency
# (README "Faults and rate limits") must not hold `docker stop` or a test's teardown for minutes.
SHUTDOWN_GRACE_SECONDS = 3

LINGER_SECONDS = 2.0  # after refusing, how long to drain what the client still sends before closing


class GuardedHttpTools(HttpToolsProtocol):
    max_head = 65_536
    head_timeout = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_raw = 0  # bytes received since the current head began (approximate: whole reads)
        self._head_parsed = 0  # bytes of the current head the parser has handed over (exact)
        self._url_bytes = 0
        self._in_head = False
        self._head_started = 0.0
        self._refusal: tuple[int, str] | None = None
        self._draining = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        # A connection that never sends a request is as idle as one between requests.
        self.timeout_keep_alive_task = self.loop.call_later(self.timeout_keep_alive, self.timeout_keep_alive_handler)

    def data_received(self, data: bytes) -> None:
        if self._draining:
            return  # the rest of a refused request: read and dropped, see _refuse
        self._head_raw += len(data)
        super().data_received(data)
        if self._in_head and self._head_raw > self.max_head and not self.transport.is_closing():
            self._refuse(*self._too_large())

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        self._head_raw = self._head_parsed = self._url_bytes = 0
        self._head_started = self.loop.time()
        _HeadSweeper.watch(self)

    def on_url(self, url: bytes) -> None:
        self._url_bytes += len(url)
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def _count(self, size: int) -> None:
        self._head_parsed += size
        if self._head_parsed > self.max_head:
            self._refusal = self._too_large()
            raise ValueError("request head too large")  # httptools stops parsing; send_400_response answers

    def _too_large(self) -> tuple[int, str]:
        if self._url_bytes > self.max_head:
            return 414, f"The URL is longer than {self.max_head} bytes (max_header_bytes)"
        return 431, f"The request line and headers are larger than {self.max_head} bytes (max_header_bytes)"

    def head_overdue(self, now: float) -> bool:
        return self._in_head and now - self._head_started >= self.head_timeout

    def time_out_head(self) -> None:
        if not self.transport.is_closing():
            self._refuse(408, f"The request headers did not arrive within {self.head_timeout:g} s")

    def send_400_response(self, msg: str) -> None:
        status, message = self._refusal or (400, msg)
        self._refuse(status, message)

    def _refuse(self, status: int, message: str) -> None:
        """Answer and close. AC's bodies: ``{"message": ...}`` for these statuses, bare ``{}`` for a 400."""
        self._in_head = False
        body = b"{}" if status == 400 else json.dumps({"message": message}).encode()
        reason = {400: b"Bad Request", 408: b"Request Timeout", 414: b"URI Too Long"}.get(
            status, b"Request Header Fields Too Large"
        )
        head = [b"HTTP/1.1 %d %s\r\n" % (status, reason)]
        for name, value in self.server_state.default_headers:
            head.append(name + b": " + value + b"\r\n")
        head += [
            b"content-type: application/json\r\n",
            b"content-length: %d\r\n" % len(body),
            HINT_HEADER + b": " + message.encode("ascii", "replace") + b"\r\n",
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        # Closing a socket with unread input makes the kernel send RST, which can destroy the answer before the
        # client reads it (the client is typically still sending its oversized request). So: half-close, drop
        # what still arrives for a moment, then close (nginx's "lingering close").
        if self.transport.can_write_eof():
            self._draining = True
            self.transport.write_eof()
            self.loop.call_later(LINGER_SECONDS, self.transport.close)
        else:
            self.transport.close()


class _HeadSweeper:
    """One timer per event loop checks every connection's head deadline, a few times per deadline: arming and
    cancelling a timer for each request would cost the hot routes ~1.5 us each."""

    _timers: ClassVar[weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.TimerHandle]] = (
        weakref.WeakKeyDictionary()
    )

    @classmethod
    def watch(cls, protocol: GuardedHttpTools) -> None:
        loop = protocol.loop
        if loop not in cls._timers:
            interval = protocol.head_timeout / 4
            cls._timers[loop] = loop.call_later(interval, cls._sweep, loop, protocol.connections, interval)

    @classmethod
    def _sweep(cls, loop: asyncio.AbstractEventLoop, connections: set[Any], interval: float) -> None:
        del cls._timers[loop]
        now = loop.time()
        for protocol in list(connections):
            if isinstance(protocol, GuardedHttpTools) and protocol.head_overdue(now):
                protocol.time_out_head()
        if any(isinstance(p, GuardedHttpTools) and p._in_head for p in connections):
            cls._timers[loop] = loop.call_later(interval, cls._sweep, loop, connections, interval)


def protocol_for(settings: Settings) -> type[GuardedHttpTools]:
    """The protocol class with this server's limits (uvicorn builds one instance per connection)."""
    return type(
        "FakecampaignHttp",
        (GuardedHttpTools,),
        {"max_head": settings.max_header_bytes, "head_timeout": settings.header_read_timeout},
    )


def uvicorn_config(app: Any, settings: Settings, **options: Any) -> uvicorn.Config:
    """uvicorn's Config for this app, with the limits above."""
    return uvicorn.Config(
        app,
        http=protocol_for(settings),
        timeout_keep_alive=max(1, round(settings.keep_alive_timeout)),
        h11_max_incomplete_event_size=settings.max_header_bytes,  # if someone swaps in h11
        timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
        **options,
    )
