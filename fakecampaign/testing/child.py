"""``python -m fakecampaign.testing.child FD [IDLE]``: serve an in-memory fakecampaign on an inherited listening socket.

Started by ``process.ServerProcess.spawn``. Without IDLE it exits when its stdin ends, i.e. when the test session
that started it is gone, however it went. With IDLE (seconds) it is a kept server (``reuse.py``): it outlives the
run, hands a fresh app to each run that leases it, and exits once it has been without a lease for IDLE seconds.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from contextlib import AsyncExitStack, suppress
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from fakecampaign.testing.reuse import FINGERPRINT_ENV, LEASE_PATH, STATE_ENV, STOP_PATH, TOKEN_ENV, proof, proven
from fakecampaign.warmup import send_json

if TYPE_CHECKING:
    import uvicorn
    from fastapi import FastAPI

    from fakecampaign.config import Settings

GRACE = 2.0  # seconds uvicorn gets to wind down once the parent is gone
WATCH_EVERY = 1.0  # seconds between the idle checks of a kept server
UNLEASED = "this fakecampaign server is kept for a pytest run and is not leased now"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def main(argv: list[str]) -> int:
    # Start-up allocates only objects that live as long as the process: with the collector off while the
    # modules are imported and the app is built, a server starts ~0.1-0.3 s sooner (cli.serve says why). So the
    # heavy imports are made here, not when this module is imported (the tests import it).
    gc.disable()
    import uvicorn

    from fakecampaign.config import Settings

    sock = socket.socket(fileno=int(argv[1]))
    settings = Settings.documented_defaults()
    if len(argv) > 2:  # a kept server
        kept = KeptApp(
            settings,
            token=os.environ.pop(TOKEN_ENV),
            fingerprint=os.environ.pop(FINGERPRINT_ENV, ""),
            idle=float(argv[2]),
            state=os.environ.pop(STATE_ENV, ""),
        )
        app: Any = kept
        threading.Thread(target=kept.watch, daemon=True).start()
    else:
        app = _new_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))
    if len(argv) <= 2:
        threading.Thread(target=_exit_with_parent, args=(server,), daemon=True).start()
    gc.freeze()  # as `fakecampaign serve` does: start-up objects stay out of the collector's way
    gc.enable()
    server.run(sockets=[sock])
    return 0


def _new_app(settings: Settings) -> FastAPI:
    from fakecampaign.app import create_app  # imported by main() with the collector off, or by a test

    return create_app(settings)


def _exit_with_parent(server: uvicorn.Server) -> None:
    sys.stdin.buffer.read()  # returns at EOF: the parent closed the pipe or died
    server.should_exit = True
    time.sleep(GRACE)
    os._exit(0)


class Lifespan:
    """One app's lifespan (its webhook dispatcher), run by hand for apps swapped in after uvicorn started: the
    app's own lifespan context, as fakecampaign/warmup.py runs the app it builds."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self._stack = AsyncExitStack()

    async def start(self) -> None:
        await self._stack.enter_async_context(self.app.router.lifespan_context(self.app))

    async def stop(self) -> None:
        await self._stack.aclose()


class KeptApp:
    """A kept server's ASGI app: the fakecampaign app of the current lease, plus the lease endpoints.

    A run leases the server with ``GET /_fakecampaign/plugin-session?nonce=...&proof=...`` (``reuse.proof``; the
    answer proves the token back) and holds the lease while that request's connection is open (the answer's first
    chunk is sent at once, the answer never ends): when the run ends, however it ends, the connection closes and the
    server is free again. Each lease after the first gets a new app (its own in-memory database, clock, faults and
    journals; ~30 ms once the modules are imported, built as soon as the lease before ends), so nothing one run did
    is seen by the next. One lease at a time: a second run is refused (409) and starts a server of its own. Without
    a lease every other request is refused (503), so nothing but a run can change the app the next run gets.
    """

    def __init__(self, settings: Settings, *, token: str, fingerprint: str, idle: float, state: str = "") -> None:
        self.settings = settings
        self.state = state  # the state file that names this server, removed on an idle exit
        self.token = token
        self.fingerprint = fingerprint
        self.idle = idle
        self.app = _new_app(settings)
        self.lifespan = Lifespan(self.app)
        self.leased = False
        self._renewal: asyncio.Task[None] | None = None  # the next lease's fresh app, being built
        self.released_at = time.monotonic()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http" and scope["path"] in (LEASE_PATH, STOP_PATH):
            await self._session(scope, receive, send)
        elif not self.leased:
            # Between runs the app is the next run's, and anyone on this machine can reach the port (the app
            # has no admin token): what they wrote would be in the next run's "fresh" app. Only a lease opens it.
            await send_json(send, 503, {"message": UNLEASED})  # (the app serves HTTP only: no websocket scope)
        else:
            await self.app(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self.lifespan.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.lifespan.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _session(self, scope: Scope, receive: Receive, send: Send) -> None:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        nonce = query.get("nonce", [""])[0]
        purpose = "stop" if scope["path"] == STOP_PATH else "lease"
        if not proven(self.token, purpose, nonce, query.get("proof", [""])[0]):
            await send_json(send, 403, {"message": "not this server's token"})
            return
        if scope["path"] == STOP_PATH:
            if self.leased and b"idle=1" in scope.get("query_string", b""):  # only if no run is using it
                await send_json(send, 409, {"message": "leased by a test run"})
                return
            await send_json(send, 200, {"stopped": os.getpid()})
            asyncio.get_running_loop().call_later(0.05, os._exit, 0)  # after the answer has left
            return
        if self.leased:
            await send_json(send, 409, {"message": "leased by another test run"})
            return
        self.leased = True
        try:
            if self._renewal is not None:  # started when the last lease ended; done by now, unless runs follow closely
                renewal, self._renewal = self._renewal, None
                await renewal
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
            info = {"pid": os.getpid(), "fingerprint": self.fingerprint, "proof": proof(self.token, "server", nonce)}
            await send({"type": "http.response.body", "body": json.dumps(info).encode() + b"\n", "more_body": True})
            while (await receive())["type"] != "http.disconnect":
                pass
        finally:
            # The next run's app is built now, between runs, so its lease is answered at once.
            self._renewal = asyncio.create_task(self._renew())
            self.leased = False
            self.released_at = time.monotonic()

    async def _renew(self) -> None:
        old = self.lifespan
        self.app = _new_app(self.settings)
        self.lifespan = Lifespan(self.app)
        await self.lifespan.start()
        await old.stop()
        _drop_framework_caches()
        gc.collect()  # the old app is a web of cycles (routes close over it): free it now, between runs

    def watch(self) -> None:
        """Exit once no run has held a lease for ``idle`` seconds (in memory: nothing to save)."""
        while True:
            time.sleep(WATCH_EVERY)
            if not self.leased and time.monotonic() - self.released_at > self.idle:
                self.forget()
                os._exit(0)

    def forget(self) -> None:
        """Remove the state file (and log) if it still names this server: a file left behind would send the
        next runs to a port that another program may have taken by then. One naming another server (a run
        started a new one meanwhile) is that server's."""
        if not self.state:
            return
        with suppress(OSError, ValueError, AttributeError):
            with open(self.state) as file:
                named = json.load(file)
            if named.get("token") == self.token:
                os.unlink(self.state)
                with suppress(OSError):
                    os.unlink(os.path.splitext(self.state)[0] + ".log")


def _drop_framework_caches() -> None:
    """Empty FastAPI's module-level LRU caches, so that the app just replaced can be freed.

    They classify endpoints and dependencies (4096 entries), keyed by the functions themselves, and an app's
    route functions close over the app: each replaced app (~1.2 MB) would stay alive, run after run. Emptying a
    cache is always safe; the next app fills it again as it is built.
    """
    for name, module in list(sys.modules.items()):
        if name == "fastapi" or name.startswith("fastapi."):
            for value in list(vars(module).values()):
                if isinstance(value, functools._lru_cache_wrapper):
                    value.cache_clear()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
