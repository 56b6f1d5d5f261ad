"""Checks on a request the middleware runs before any route sees it (issue 8, "Harden it").

Each guard is a small function of the raw ASGI scope or body, so the middleware stays one readable pass and a
guard can be tested alone. A guard raises an ``ACError``; the middleware renders it as AC would.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import Receive

from fakecampaign.errors import BadRequest, BodyTimeout, PayloadTooLarge


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


def refuse_lone_surrogates(body: bytes) -> None:
    """A JSON string escape like ``"\\ud800"`` (half of a UTF-16 pair, alone) is not text: Python parses it,
    but SQLite cannot store it, so it once gave a 500 on every JSON route. AC's PHP ``json_decode`` fails on
    it too (JSON_ERROR_UTF16), and AC answers an unreadable body with ``400 {}`` (G18).

    Only bodies that contain an escape at all are parsed again, so ordinary calls pay one substring search.
    """
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
