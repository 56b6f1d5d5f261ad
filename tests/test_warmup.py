"""``fakecampaign serve`` listens before the app is built (fakecampaign/warmup.py, README G140).

Health answers at once; every other request waits for the build and is then answered by the built app, so a
200 from health never means "some routes are missing". The build is held on a gate here, so "still waiting"
is a state the test controls, not a race it hopes to win.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from fakecampaign._version import __version__
from fakecampaign.app import create_app
from fakecampaign.cli import can_defer
from fakecampaign.config import Settings
from fakecampaign.warmup import DeferredApp
from tests.processes import serve

BASE = "http://127.0.0.1:8080"
TOKEN = {"Api-Token": "fake-api-token"}


class Lifespan:
    """Drives an ASGI app's lifespan the way uvicorn does."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    async def startup(self) -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        self.task = asyncio.create_task(self.app(scope, self.inbox.get, self.outbox.put))
        await self.inbox.put({"type": "lifespan.startup"})
        assert (await self.outbox.get())["type"] == "lifespan.startup.complete"

    async def shutdown(self) -> None:
        await self.inbox.put({"type": "lifespan.shutdown"})
        assert (await self.outbox.get())["type"] == "lifespan.shutdown.complete"
        assert self.task is not None
        await self.task


def gated(build: Callable[[], Any]) -> tuple[threading.Event, Callable[[], Any]]:
    gate = threading.Event()

    def held() -> Any:
        assert gate.wait(timeout=30), "the test never opened the gate"
        return build()

    return gate, held


def run(scenario: Callable[[DeferredApp, threading.Event, httpx.AsyncClient], Awaitable[None]], **front: Any) -> None:
    async def main() -> None:
        gate, build = gated(front.pop("build", lambda: create_app(Settings())))
        app = DeferredApp(build, version=__version__, allowed_hosts=None, **front)
        lifespan = Lifespan(app)
        await lifespan.startup()
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            try:
                await scenario(app, gate, client)
            finally:
                gate.set()
        await lifespan.shutdown()

    asyncio.run(main())


async def still_waiting(*tasks: asyncio.Future[Any]) -> None:
    """Let every ready callback run; the tasks must still be waiting for the build."""
    for _ in range(50):
        await asyncio.sleep(0)
    assert not any(task.done() for task in tasks)


def test_health_answers_during_the_build_exactly_as_the_built_app_does() -> None:
    async def scenario(app: DeferredApp, gate: threading.Event, client: httpx.AsyncClient) -> None:
        early = await client.get("/_fakecampaign/health")
        assert not app.built
        gate.set()
        await client.get("/_fakecampaign/health?wait=all")
        late = await client.get("/_fakecampaign/health")  # answered by the built app's own route
        assert app.built
        assert (early.status_code, early.content) == (late.status_code, late.content) == (200, b'{"status":"ok"}')
        assert early.headers.multi_items() == late.headers.multi_items()

    run(scenario)


def test_a_cold_route_waits_for_the_build_then_is_answered_by_the_built_app() -> None:
    async def scenario(app: DeferredApp, gate: threading.Event, client: httpx.AsyncClient) -> None:
        accounts = asyncio.ensure_future(client.get("/_fakecampaign/accounts"))
        docs = asyncio.ensure_future(client.get("/openapi.json"))
        await still_waiting(accounts, docs)
        gate.set()
        listed = await accounts
        assert listed.status_code == 200
        assert [a["name"] for a in listed.json()["accounts"]] == ["fake"]
        assert (await docs).json()["info"]["title"] == "fakecampaign"

    run(scenario)


def test_the_hot_routes_work_from_the_first_request_sent_after_health() -> None:
    async def scenario(app: DeferredApp, gate: threading.Event, client: httpx.AsyncClient) -> None:
        assert (await client.get("/_fakecampaign/health")).status_code == 200
        form = {"actid": "123456789", "key": "fake-event-key", "event": "signed up", "visit": '{"email":"a@x.io"}'}
        created = asyncio.ensure_future(
            client.post("/api/3/contacts", json={"contact": {"email": "a@x.io"}}, headers=TOKEN)
        )
        await still_waiting(created)
        gate.set()
        contact = (await created).json()["contact"]
        event = await client.post(
            "/event",
            content=urllib.parse.urlencode(form),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert event.json() == {"success": 1, "message": "Event spawned"}
        fetched = await client.get(f"/api/3/contacts/{contact['id']}", headers=TOKEN)
        assert fetched.json()["contact"]["email"] == "a@x.io"

    run(scenario)


def test_health_with_wait_all_answers_only_once_everything_is_built() -> None:
    async def scenario(app: DeferredApp, gate: threading.Event, client: httpx.AsyncClient) -> None:
        waiting = asyncio.ensure_future(client.get("/_fakecampaign/health?wait=all"))
        await still_waiting(waiting)
        gate.set()
        assert (await waiting).status_code == 200
        assert app.built

    run(scenario)


def test_a_health_call_the_guards_would_refuse_waits_for_the_built_apps_answer() -> None:
    async def scenario(app: DeferredApp, gate: threading.Event, client: httpx.AsyncClient) -> None:
        rebound = asyncio.ensure_future(client.get("/_fakecampaign/health", headers={"host": "evil.example"}))
        cross_site = asyncio.ensure_future(
            client.get("/_fakecampaign/health", headers={"sec-fetch-site": "cross-site", "sec-fetch-mode": "cors"})
        )
        await still_waiting(rebound, cross_site)
        gate.set()
        assert (await rebound).status_code == 403
        assert "evil.example" in (await rebound).json()["message"]
        assert (await cross_site).status_code == 403

    run(scenario)


def test_a_failed_build_stops_the_server_and_never_answers_healthy() -> None:
    stopped: list[bool] = []

    def broken() -> Any:
        raise RuntimeError("boom")

    async def scenario(app: DeferredApp, gate: threading.Event, client: httpx.AsyncClient) -> None:
        waiting = asyncio.ensure_future(client.get("/api/3/contacts", headers=TOKEN))
        gate.set()
        assert (await waiting).status_code == 503
        assert stopped == [True]
        assert isinstance(app.error, RuntimeError)
        assert (await client.get("/_fakecampaign/health")).status_code == 503

    run(scenario, build=broken, stop=lambda: stopped.append(True))


def test_the_built_apps_lifespan_runs_on_the_loop_once_built() -> None:
    built: list[Any] = []

    def build() -> Any:
        built.append(create_app(Settings()))
        return built[0]

    async def scenario(app: DeferredApp, gate: threading.Event, client: httpx.AsyncClient) -> None:
        gate.set()
        await app.wait()
        assert built[0].state.engine.dispatcher._task is not None  # the webhook dispatcher was started

    run(scenario, build=build)


@pytest.mark.parametrize(
    ("options", "deferred"),
    [
        ({}, True),
        ({"fixtures": "fixtures/demo.json"}, False),  # an invalid file must fail the start
        ({"db": "state.sqlite3"}, False),  # a taken file, or another account's token, must fail the start
        ({"database_url": "sqlite:///x.sqlite3"}, False),
    ],
)
def test_only_a_build_that_cannot_fail_is_deferred(options: dict[str, Any], deferred: bool) -> None:
    assert can_defer(Settings(**options)) is deferred


HEAVY = ("fastapi", "starlette.routing", "sqlalchemy", "sqlmodel", "httpx", "jinja2", "fakecampaign.app")


def test_what_runs_before_the_build_imports_nothing_heavy() -> None:
    code = (
        "import sys, fakecampaign.cli, fakecampaign.serving, fakecampaign.warmup\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.replace("'", '"')) == []


def test_serve_in_memory_answers_every_kind_of_request_right_after_health() -> None:
    with serve(warm=False) as server, httpx.Client(base_url=server.url, timeout=30) as client:  # the first waits
        assert client.get("/docs").status_code == 200
        assert client.get("/_fakecampaign/ui/").status_code == 200
        created = client.post("/api/3/contacts", json={"contact": {"email": "w@x.io"}}, headers=TOKEN)
        assert created.status_code == 201
        assert client.get("/_fakecampaign/health?wait=all").status_code == 200
