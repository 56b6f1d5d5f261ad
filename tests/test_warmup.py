"""``fakecampaign serve`` listens before the app is built (fakecampaign/warmup.py, README G140).

Health answers 200 once both hot paths are served; every other request waits for the stage of the build it
needs (the hot app for /event, the contact's renderers for GET contact, everything else for the rest) and is
then answered as the complete app answers it, so a 200 from health never means "some routes are missing".
Each stage is held on a gate here, so "still waiting" is a state the test controls, not a race it hopes to
win.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from fakecampaign._version import __version__
from fakecampaign.api.resources import _renderer, load_sideload_renderers
from fakecampaign.app import complete_app, create_app, create_hot_app, import_cold
from fakecampaign.cli import can_defer
from fakecampaign.config import Settings
from fakecampaign.resources.catalog import RESOURCES
from fakecampaign.warmup import DeferredApp
from tests.engine.receiver import Receiver
from tests.processes import serve

BASE = "http://127.0.0.1:8080"
TOKEN = {"Api-Token": "fake-api-token"}
FORM = {"actid": "123456789", "key": "fake-event-key", "event": "signed up", "visit": '{"email":"a@x.io"}'}
URLENCODED = {"content-type": "application/x-www-form-urlencoded"}


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


class Gates:
    """Hold the warm-up thread before each stage: ``hot`` before the hot app is built, ``lanes`` before the
    contact's renderers are imported, ``cold`` before the rest is."""

    def __init__(self) -> None:
        self.hot, self.lanes, self.cold = threading.Event(), threading.Event(), threading.Event()

    def open(self) -> None:
        self.hot.set()
        self.lanes.set()
        self.cold.set()

    @staticmethod
    def held(gate: threading.Event, stage: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            assert gate.wait(timeout=30), "the test never opened the gate"
            return stage()

        return run


def run(scenario: Callable[[DeferredApp, Gates, httpx.AsyncClient], Awaitable[None]], **front: Any) -> None:
    async def main() -> None:
        gates = Gates()
        build = Gates.held(gates.hot, front.pop("build", lambda: create_hot_app(Settings(), engine=False)))
        lanes = Gates.held(gates.lanes, load_sideload_renderers)
        warm = Gates.held(gates.cold, front.pop("warm", import_cold))
        app = DeferredApp(
            build, warm_lanes=lanes, warm=warm, complete=complete_app, version=__version__, allowed_hosts=None, **front
        )
        lifespan = Lifespan(app)
        await lifespan.startup()
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            try:
                await scenario(app, gates, client)
            finally:
                gates.open()
        await lifespan.shutdown()

    asyncio.run(main())


async def still_waiting(*tasks: asyncio.Future[Any]) -> None:
    """Let every ready callback run; the tasks must still be waiting for the build."""
    for _ in range(50):
        await asyncio.sleep(0)
    assert not any(task.done() for task in tasks)


def test_health_answers_once_both_hot_paths_are_served_exactly_as_the_built_app_does() -> None:
    async def scenario(app: DeferredApp, gates: Gates, client: httpx.AsyncClient) -> None:
        waiting = asyncio.ensure_future(client.get("/_fakecampaign/health"))
        await still_waiting(waiting)  # nothing is built: not ready
        gates.hot.set()
        await client.post("/event", content=urllib.parse.urlencode(FORM), headers=URLENCODED)
        await still_waiting(waiting)  # /event is served, GET contact is not yet: still not ready
        gates.lanes.set()
        early = await waiting
        assert app.hot
        assert not app.built  # the rest is still held: health did not wait for it
        gates.cold.set()
        await client.get("/_fakecampaign/health?wait=all")
        late = await client.get("/_fakecampaign/health")  # answered by the built app's own route
        assert app.built
        assert (early.status_code, early.content) == (late.status_code, late.content) == (200, b'{"status":"ok"}')
        assert early.headers.multi_items() == late.headers.multi_items()

    run(scenario)


def test_a_cold_route_waits_for_the_build_then_is_answered_by_the_built_app() -> None:
    async def scenario(app: DeferredApp, gates: Gates, client: httpx.AsyncClient) -> None:
        accounts = asyncio.ensure_future(client.get("/_fakecampaign/accounts"))
        docs = asyncio.ensure_future(client.get("/openapi.json"))
        await still_waiting(accounts, docs)
        gates.open()
        listed = await accounts
        assert listed.status_code == 200
        assert [a["name"] for a in listed.json()["accounts"]] == ["fake"]
        assert (await docs).json()["info"]["title"] == "fakecampaign"

    run(scenario)


def test_the_hot_routes_work_from_the_first_request_sent_after_health() -> None:
    async def scenario(app: DeferredApp, gates: Gates, client: httpx.AsyncClient) -> None:
        gates.hot.set()
        gates.lanes.set()
        assert (await client.get("/_fakecampaign/health")).status_code == 200
        assert not app.built
        created = asyncio.ensure_future(
            client.post("/api/3/contacts", json={"contact": {"email": "a@x.io"}}, headers=TOKEN)
        )
        await still_waiting(created)
        gates.open()
        contact = (await created).json()["contact"]
        event = await client.post("/event", content=urllib.parse.urlencode(FORM), headers=URLENCODED)
        assert event.json() == {"success": 1, "message": "Event spawned"}
        fetched = await client.get(f"/api/3/contacts/{contact['id']}", headers=TOKEN)
        assert fetched.json()["contact"]["email"] == "a@x.io"

    run(scenario)


def test_health_with_wait_all_answers_only_once_everything_is_built() -> None:
    async def scenario(app: DeferredApp, gates: Gates, client: httpx.AsyncClient) -> None:
        waiting = asyncio.ensure_future(client.get("/_fakecampaign/health?wait=all"))
        await still_waiting(waiting)
        gates.open()
        assert (await waiting).status_code == 200
        assert app.built
        assert route_table(built[0]) == route_table(create_app(Settings()))  # the same routes, in the same order

    built: list[Any] = []
    run(scenario, build=lambda: built.append(create_hot_app(Settings(), engine=False)) or built[0])


def route_table(app: Any) -> list[tuple[Any, ...]]:
    def row(r: Any) -> tuple[Any, ...]:  # a Mount has no methods; FastAPI's included routers, no path either
        methods = sorted(getattr(r, "methods", None) or ())
        return type(r).__name__, methods, getattr(r, "path", None), getattr(r, "name", None)

    return [row(route) for route in app.routes]


def test_a_health_call_the_guards_would_refuse_waits_for_the_built_apps_answer() -> None:
    async def scenario(app: DeferredApp, gates: Gates, client: httpx.AsyncClient) -> None:
        rebound = asyncio.ensure_future(client.get("/_fakecampaign/health", headers={"host": "evil.example"}))
        cross_site = asyncio.ensure_future(
            client.get("/_fakecampaign/health", headers={"sec-fetch-site": "cross-site", "sec-fetch-mode": "cors"})
        )
        await still_waiting(rebound, cross_site)
        gates.open()
        assert (await rebound).status_code == 403
        assert "evil.example" in (await rebound).json()["message"]
        assert (await cross_site).status_code == 403

    run(scenario)


def test_a_failed_build_stops_the_server_and_never_answers_healthy() -> None:
    stopped: list[bool] = []

    def broken() -> Any:
        raise RuntimeError("boom")

    async def scenario(app: DeferredApp, gates: Gates, client: httpx.AsyncClient) -> None:
        waiting = asyncio.ensure_future(client.get("/api/3/contacts", headers=TOKEN))
        gates.open()
        assert (await waiting).status_code == 503
        assert stopped == [True]
        assert isinstance(app.error, RuntimeError)
        assert (await client.get("/_fakecampaign/health")).status_code == 503

    run(scenario, build=broken, stop=lambda: stopped.append(True))


ANSWERED = (("1", TOKEN), ("1", {}), ("x", TOKEN))  # GET contact: not found, no token, not an id


def test_event_is_served_by_the_hot_app_while_the_rest_is_still_loading() -> None:
    built: list[Any] = []

    def build() -> Any:
        built.append(create_hot_app(Settings(), engine=False))
        return built[0]

    async def scenario(app: DeferredApp, gates: Gates, client: httpx.AsyncClient) -> None:
        body = urllib.parse.urlencode(FORM)
        refused = urllib.parse.urlencode({**FORM, "key": "wrong"})
        event = asyncio.ensure_future(client.post("/event", content=body, headers=URLENCODED))
        accounts = asyncio.ensure_future(client.get("/_fakecampaign/accounts"))
        await still_waiting(event, accounts)
        gates.hot.set()  # the rest stays held: only the hot app is built, and the early /event goes to it
        early_event = await event
        assert early_event.json() == {"success": 1, "message": "Event spawned"}
        assert app.hot
        assert not app.built
        assert built[0].state.engine is None  # no automation or webhook can exist before COMPLETE
        early_refusal = await client.post("/event", content=refused, headers=URLENCODED)
        preflight = await client.options("/event")
        assert preflight.status_code == 204
        contact = asyncio.ensure_future(client.get("/api/3/contacts/1", headers=TOKEN))
        await still_waiting(accounts, contact)
        gates.lanes.set()  # the contact's fast lane is next
        early = [await contact, *[await client.get(f"/api/3/contacts/{p}", headers=h) for p, h in ANSWERED[1:]]]
        assert [answer.status_code for answer in early] == [404, 403, 404]
        assert not app.built
        await still_waiting(accounts)
        gates.cold.set()
        assert (await accounts).status_code == 200
        assert built[0].state.engine.dispatcher._task is not None  # the lifespan started before that answer
        journal = await client.get("/_fakecampaign/events", params={"account": "fake"})
        assert [e["event"] for e in journal.json()["events"]] == ["signed up", "signed up"]
        # The complete app's answers: the same, byte for byte and header for header.
        late_event = await client.post("/event", content=body, headers=URLENCODED)
        late_refusal = await client.post("/event", content=refused, headers=URLENCODED)
        late = [await client.get(f"/api/3/contacts/{p}", headers=h) for p, h in ANSWERED]
        for before, after in zip([early_event, early_refusal, *early], [late_event, late_refusal, *late], strict=True):
            assert (before.status_code, before.content) == (after.status_code, after.content)
            assert before.headers.multi_items() == after.headers.multi_items()

    run(scenario, build=build)


def test_the_engine_built_once_complete_runs_webhooks_from_the_first_request_the_complete_app_answers() -> None:
    async def scenario(app: DeferredApp, gates: Gates, client: httpx.AsyncClient) -> None:
        hook = {"name": "n", "url": receiver.url, "events": ["subscribe"], "sources": ["api"]}
        created = asyncio.ensure_future(client.post("/api/3/webhooks", headers=TOKEN, json={"webhook": hook}))
        await still_waiting(created)  # a webhook (or an automation) can only be defined once COMPLETE is reached
        gates.open()
        assert (await created).status_code == 201
        contact = await client.post("/api/3/contacts", headers=TOKEN, json={"contact": {"email": "e@x.io"}})
        assert contact.status_code == 201
        waited = await client.post("/_fakecampaign/webhooks/wait", params={"timeout": 5})
        assert waited.json()["complete"] is True

    with Receiver() as receiver:
        run(scenario)
        assert [r.form["type"] for r in receiver.received] == ["subscribe"]


@pytest.mark.parametrize(
    "options", [{"fixtures": "fixtures/demo.json"}, {"db": "x.sqlite3"}, {"database_url": "sqlite://"}]
)
def test_only_a_start_state_without_automations_or_webhooks_can_leave_the_engine_for_later(
    options: dict[str, Any],
) -> None:
    with pytest.raises(ValueError, match="build its engine later"):
        create_hot_app(Settings(**options), engine=False)


@pytest.mark.parametrize("fails", [False, True])
def test_the_collector_fakecampaign_serve_turned_off_for_the_build_is_back_on_once_it_ends(fails: bool) -> None:
    def broken() -> None:
        raise ImportError("no module named nowhere")

    async def scenario(app: DeferredApp, gates: Gates, client: httpx.AsyncClient) -> None:
        gc.disable()  # as cli.serve does before building
        gates.open()
        await app.wait()
        assert (app.error is not None) is fails
        assert gc.isenabled()

    try:
        run(scenario, **({"warm": broken, "stop": lambda: None} if fails else {}))
    finally:
        gc.enable()


def test_a_failure_while_loading_the_rest_stops_the_server() -> None:
    stopped: list[bool] = []

    def broken() -> Any:
        raise ImportError("no module named nowhere")

    async def scenario(app: DeferredApp, gates: Gates, client: httpx.AsyncClient) -> None:
        gates.open()
        await app.wait()
        assert isinstance(app.error, ImportError)
        assert stopped == [True]
        assert not app.hot
        assert (
            await client.post("/event", content=urllib.parse.urlencode(FORM), headers=URLENCODED)
        ).status_code == 503

    run(scenario, warm=broken, stop=lambda: stopped.append(True))


FAILING_SERVE = """
import sys
import fakecampaign.app
from fakecampaign import cli
from fakecampaign.config import Settings

def broken(*args, **kwargs):
    raise RuntimeError("simulated build failure")

fakecampaign.app.create_hot_app = broken
sys.exit(cli.serve(Settings(port=0)))
"""


def test_serve_exits_2_when_its_deferred_build_fails() -> None:
    # uvicorn re-raises a signal it caught after shutting down: stopping by SIGTERM would exit 143, not 2.
    done = subprocess.run([sys.executable, "-c", FAILING_SERVE], capture_output=True, text=True, timeout=60)
    assert "the app could not be built; stopping" in done.stderr
    assert done.returncode == 2, done.stderr[-2000:]


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


def imported(code: str, names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` a fresh interpreter has imported after running ``code``."""
    code += f"\nimport sys; print(' '.join(m for m in {names!r} if m in sys.modules))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()


HEAVY = ("fastapi", "starlette.routing", "sqlalchemy", "httpx", "jinja2", "fakecampaign.app")
COLD = (
    "fakecampaign.api.control",
    "fakecampaign.api.openapi",
    "fakecampaign.api.offline_docs",
    "fakecampaign.ui.routes",
    "fakecampaign.resources.tags.routes",
    "fakecampaign.schemas.fixtures",
    "httpx",
    "smtplib",
    "jinja2",
)


def test_what_runs_before_the_build_imports_nothing_heavy() -> None:
    assert imported("import fakecampaign.cli, fakecampaign.serving, fakecampaign.warmup", HEAVY) == []


def test_the_app_never_imports_the_orm() -> None:
    # The tables are Core ``Table``s and services write Core statements: the ORM (and SQLModel, whose table
    # classes cost ~0.18 s to build at every start; README, Performance) would only slow the start down.
    assert imported("from fakecampaign.app import create_app; create_app()", ("sqlalchemy.orm", "sqlmodel")) == []


def test_the_hot_app_imports_nothing_only_the_rest_needs() -> None:
    assert imported("from fakecampaign.app import create_hot_app; create_hot_app()", COLD) == []


# The warm-up thread's first two stages, as ``fakecampaign serve`` runs them, then both hot paths.
HOT_AND_LANES = """
import asyncio, httpx
from fastapi.routing import APIRoute
from fakecampaign.cli import _deferred_app
from fakecampaign.config import Settings

build, warm_lanes, _ = _deferred_app(Settings())._stages
app = build()
warm_lanes()
assert not any(isinstance(route, APIRoute) for route in app.routes), app.routes

async def hot_paths():
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8080") as client:
        form = {"actid": "123456789", "key": "fake-event-key", "event": "e", "visit": '{"email":"a@x.io"}'}
        assert (await client.post("/event", data=form)).json() == {"success": 1, "message": "Event spawned"}
        missing = await client.get("/api/3/contacts/1", headers={"Api-Token": "fake-api-token"})
        assert missing.status_code == 404, missing.text

asyncio.run(hot_paths())
"""


def test_the_hot_paths_are_served_without_the_engine_or_any_fastapi_route() -> None:
    # The engine waits for COMPLETE (no automation or webhook can exist before), and so do the FastAPI routes of
    # /event and contacts: building the first one with a response model imports pydantic.v1 (README G140).
    assert imported(HOT_AND_LANES, ("pydantic.v1", "fakecampaign.engine.setup", "fakecampaign.engine.runner")) == []


ROUTES = tuple(
    f"fakecampaign.resources.{name}.routes"
    for name in ("contact_tags", "contact_lists", "field_values", "deals", "tags", "lists", "fields", "pipelines")
)


def test_the_contact_lane_renders_sideloads_without_importing_any_resources_routes() -> None:
    code = "from fakecampaign.app import create_hot_app; create_hot_app()\n"
    code += "from fakecampaign.api.resources import load_sideload_renderers; load_sideload_renderers()"
    assert imported(code, ROUTES) == []


def test_every_sideload_has_a_renderer_that_is_also_the_routes_one() -> None:
    for resource in RESOURCES:
        if resource.sideload is not None:
            routes = [m for m in resource.http if m.endswith(".routes")]
            assert [importlib.import_module(m).sideload_of for m in routes] == [_renderer(resource.name)]


def test_serve_in_memory_answers_every_kind_of_request_right_after_health() -> None:
    with serve(warm=False) as server, httpx.Client(base_url=server.url, timeout=30) as client:  # the first waits
        assert client.get("/docs").status_code == 200
        assert client.get("/_fakecampaign/ui/").status_code == 200
        created = client.post("/api/3/contacts", json={"contact": {"email": "w@x.io"}}, headers=TOKEN)
        assert created.status_code == 201
        assert client.get("/_fakecampaign/health?wait=all").status_code == 200
