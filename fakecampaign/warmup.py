"""Serving while the app is still being built: ``fakecampaign serve`` listens first and builds in the background.

Importing and building the app (FastAPI, SQLAlchemy, every schema and route) takes about a second; a bare
FastAPI app takes about half that. When the build cannot fail (in memory, no fixtures file: nothing a user
gave can be wrong), ``fakecampaign serve`` hands uvicorn a ``DeferredApp`` instead: it starts listening at
once and builds the real app on a warm-up thread, in stages (README "Performance", G140):

1. HOT: the hot app (``fakecampaign.app.create_hot_app(engine=False)``): the database, the default account,
   the middleware, and the fast lanes of both hot paths (api/fastlane.py: plain Starlette routes calling the
   endpoint functions; no FastAPI route is built yet, api/lazy_router.py). From then on ``POST /event`` is
   served. There is no engine yet, and nothing for one to do: in memory without fixtures no account has an
   automation or a webhook, and only routes served from COMPLETE can define one (``create_hot_app`` says
   why), so an event or a new contact triggers nothing, exactly as it would with the engine;
2. LANES: the modules that render a contact's sideloads are imported; from then on ``GET
   /api/3/contacts/{id}`` is served too;
3. COMPLETE: the thread imports the rest, the engine's modules among them, and builds every FastAPI route,
   /event's and contacts' too (``import_cold``); then, on the event loop, ``complete_app`` builds the engine
   on the domain-event bus and adds the routes, each lane ahead of its FastAPI route (``fastlane.seat``), as
   in an app built at once (the router is only changed on the loop's own thread), and the app's lifespan starts
   the engine's dispatcher (webhook deliveries, SMTP relays) before the complete app answers its first request.

What a caller sees meanwhile:

- ``GET /_fakecampaign/health`` answers 200 once both hot paths are served (stage LANES), byte for byte what
  the built app answers. That 200 means "the hot paths answer now, and every other request sent now is
  answered correctly": the rest loads in the background, the way LocalStack loads a service lazily, and a
  request for it waits (on the event loop, without blocking it) until the build has reached the stage it
  needs, then is answered exactly as the complete app answers it. No request is answered by a half-built
  app, and no route is missing. Health does not answer before that: a "ready" that only means "listening"
  would hide the start-up cost from whoever waits on it.
- ``GET /_fakecampaign/health?wait=all`` answers only once the build is done (the healthcheck's choice: a
  container is "healthy" when nothing is left to wait for).
- Anything the health answer depends on that is not the plain case (a refused Host, a cross-site browser
  call, HEAD) waits for the build too, so the built app's guards answer it.

Request handlers never import what the warm-up thread may be importing (two threads importing one module wait
on each other's import lock): ``EARLY`` names only routes whose handling imports nothing more. This module
imports nothing heavy: it is what runs before the build.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import re
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from contextlib import AsyncExitStack
from typing import Any

from fakecampaign.api import guards
from fakecampaign.errors import ACError

Scope = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[dict[str, Any]], Any]

HEALTH_PATH = "/_fakecampaign/health"
HEALTH_BODY = b'{"status":"ok"}'  # schemas/control.py Health(), as the built app serializes it
# What the hot app answers exactly as the complete one: the two fast lanes (api/fastlane.py), which come first
# in the complete route table, and /event's CORS preflight, which the middleware answers itself. Their handling
# imports nothing more once their stage is reached.
EARLY = frozenset({("POST", "/event"), ("OPTIONS", "/event")})
EARLY_GET = re.compile(r"/api/3/contacts/[^/]+")  # the fast lane's /contacts/{contact_id}
# While the warm-up thread holds the GIL, the loop thread gets it back only every switch interval (5 ms by
# default) and needs it several times per request: a shorter interval keeps the early answers prompt.
WARMUP_SWITCH_INTERVAL = 0.0005


HOT, LANES, COMPLETE = 1, 2, 3  # the build's stages; what a request needs decides how long it waits
READY = LANES  # plain health answers 200 from here: POST /event and GET contact are both served


class DeferredApp:
    """An ASGI app that answers health once both hot paths are served, and every other request as soon as
    the build has reached the stage it needs: ``POST /event`` once ``build()`` made the hot app (on the
    warm-up thread), ``GET /api/3/contacts/{id}`` once ``warm_lanes()`` imported its renderers (same thread),
    everything else once ``warm()`` (same thread) and ``complete(app)`` (on the loop) have run."""

    def __init__(
        self,
        build: Callable[[], Any],
        *,
        warm_lanes: Callable[[], None],
        warm: Callable[[], None],
        complete: Callable[[Any], None],
        version: str,
        allowed_hosts: frozenset[str] | None,
        stop: Callable[[], None] | None = None,
    ) -> None:
        self._stages: tuple[Callable[[], Any], ...] = (self._build_hot, warm_lanes, warm)
        self._build = build
        self._complete = complete
        self._stop = stop or _terminate
        self._hot: Any = None  # the app from the HOT stage on (early requests go to it)
        self._app: Any = None  # the app once COMPLETE (every request goes to it)
        self._hosts = guards.HostGuard(allowed_hosts)
        self._health_headers = [
            (b"content-length", str(len(HEALTH_BODY)).encode()),
            (b"content-type", b"application/json"),
            (b"x-fakecampaign-version", version.encode()),
        ]
        self._reached: dict[int, asyncio.Event] = {}  # stage -> set once reached, or once the build failed
        self._stack = AsyncExitStack()
        self.stage = 0
        self.error: BaseException | None = None  # the build's failure, for the CLI's exit status

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self._app
        if app is not None:
            await app(scope, receive, send)
            return
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] == "http" and self.error is None:
            if self._plain_health(scope):
                # Ready means both hot paths are served now; the rest loads lazily (README G140).
                await self.wait(READY)
                if self.error is None:
                    await send({"type": "http.response.start", "status": 200, "headers": self._health_headers})
                    await send({"type": "http.response.body", "body": HEALTH_BODY})
                    return
            needed = _stage_for(scope)
            if needed < COMPLETE:
                await self.wait(needed)
                if self._hot is not None:
                    await self._hot(scope, receive, send)
                    return
        await self.wait()
        if self._app is None:  # the build failed: the server is stopping (the error is on stderr)
            await _unavailable(send)
            return
        await self._app(scope, receive, send)

    def stop_with(self, stop: Callable[[], None]) -> None:
        """How to stop the server if the build fails (the CLI's: ask uvicorn to exit, so ``serve`` returns 2)."""
        self._stop = stop

    @property
    def hot(self) -> bool:
        return self._hot is not None

    @property
    def built(self) -> bool:
        return self._app is not None

    async def wait(self, stage: int = COMPLETE) -> None:
        """Until the build has reached ``stage`` (or failed)."""
        assert self._reached, "the lifespan starts before any request"
        await self._reached[stage].wait()

    def _plain_health(self, scope: Scope) -> bool:
        """A health call the built app would answer 200 ``{"status":"ok"}``: GET, no query, an allowed Host,
        not a cross-site browser call. Anything else is left to the built app's own checks."""
        if scope["method"] != "GET" or scope["path"] != HEALTH_PATH or scope.get("query_string"):
            return False
        try:
            self._hosts.check(scope)
            guards.check_control_call(scope)
        except ACError:
            return False
        return True

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        await receive()  # lifespan.startup
        loop = asyncio.get_running_loop()
        self._reached = {stage: asyncio.Event() for stage in (HOT, LANES, COMPLETE)}
        done: list[asyncio.Future[Any]] = [loop.create_future() for _ in self._stages]
        switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(WARMUP_SWITCH_INTERVAL)
        thread = threading.Thread(target=self._warm_up, args=(loop, done), name="fakecampaign-warmup", daemon=True)
        thread.start()
        await send({"type": "lifespan.startup.complete"})
        try:
            await self._start(*done)
        finally:
            sys.setswitchinterval(switch_interval)
        await receive()  # lifespan.shutdown
        await self._stack.aclose()
        await send({"type": "lifespan.shutdown.complete"})

    def _warm_up(self, loop: asyncio.AbstractEventLoop, done: list[asyncio.Future[Any]]) -> None:
        """On the warm-up thread: each stage in turn, its result (or failure) handed to the loop."""
        for stage, future in zip(self._stages, done, strict=True):
            try:
                result = stage()
            except BaseException as error:  # handed to the loop, which reports it and stops the server
                failure = (
                    error if isinstance(error, Exception) else RuntimeError(f"the build was interrupted: {error!r}")
                )
                loop.call_soon_threadsafe(future.set_exception, failure)
                return
            loop.call_soon_threadsafe(future.set_result, result)

    def _build_hot(self) -> Any:
        app = self._build()
        app.middleware_stack = app.build_middleware_stack()  # else built by the first request
        return app

    async def _start(self, hot: asyncio.Future[Any], lanes: asyncio.Future[None], warm: asyncio.Future[None]) -> None:
        """On the loop: each stage as the thread reaches it; the engine and the routes of the rest are added
        here, on the loop's thread, then the app's lifespan starts."""
        try:
            app = await hot
            self._hot = app
            self._reach(HOT)
            await lanes
            self._reach(LANES)
            await warm
            self._complete(app)  # the engine and the rest of the routes
            # The app's lifespan (the engine's dispatcher) starts before the complete app answers anything.
            await self._stack.enter_async_context(app.router.lifespan_context(app))
        except Exception as error:
            self._hot = None
            self.error = error
            traceback.print_exception(error)
            print("fakecampaign: the app could not be built; stopping", file=sys.stderr, flush=True)
            self._stop()
        else:
            # Start-up objects live as long as the process: keep the collector off them (cli.py says why).
            gc.freeze()
            self._app = app
        gc.enable()  # ``fakecampaign serve`` turned it off for the build (cli.py says why)
        for event in self._reached.values():
            event.set()

    def _reach(self, stage: int) -> None:
        self.stage = stage
        self._reached[stage].set()


def _stage_for(scope: Scope) -> int:
    if scope["method"] == "GET" and EARLY_GET.fullmatch(scope["path"]) is not None:
        return LANES
    return HOT if (scope["method"], scope["path"]) in EARLY else COMPLETE


def _terminate() -> None:
    os.kill(os.getpid(), signal.SIGTERM)  # uvicorn shuts down gracefully (the CLI stops it without a signal)


async def _unavailable(send: Send) -> None:
    await send_json(send, 503, {"message": "fakecampaign could not start; see its log"})


async def send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    """A JSON answer from an ASGI shim that runs without the app (this front; the pytest plugin's kept server)."""
    data = json.dumps(body, separators=(",", ":")).encode()
    headers = [(b"content-length", str(len(data)).encode()), (b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})
