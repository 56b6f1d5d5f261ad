"""``create_app(settings)``: the only place an app, its database and its default account come to be.

It is built in two steps, which ``fakecampaign serve`` can run apart (fakecampaign/warmup.py): ``create_hot_app``
(the database, the default account, the engine, the middleware and the fast lanes of ``POST /event`` and ``GET``
contact) and ``complete_app`` (every FastAPI route: /event's and contacts', the control plane, the other
resources, /docs and the UI), whose imports ``import_cold`` can do beforehand on another thread. Only the
deferred build leaves the engine to ``complete_app`` (``create_hot_app(engine=False)`` says when that is safe)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig

from fakecampaign._version import __version__
from fakecampaign.api import errors, guards
from fakecampaign.api.faults import FaultLayer
from fakecampaign.api.middleware import FakecampaignMiddleware
from fakecampaign.api.router import import_cold_routes, include_cold_routes, include_hot_routes
from fakecampaign.clock import Clock
from fakecampaign.config import Settings
from fakecampaign.db import Database
from fakecampaign.services import activities, seeding
from fakecampaign.services.bounds import JournalBounds
from fakecampaign.services.requests import RequestJournal
from fakecampaign.services.store import Store

if TYPE_CHECKING:
    from fakecampaign.engine.setup import Engine

DESCRIPTION = """A local, offline fake of ActiveCampaign's v3 REST API (contacts, event tracking, tracking logs,
activities) and of trackcmp.net's `/event`. Authenticate v3 calls with the `Api-Token` header.
The control plane for tests lives under `/_fakecampaign/`."""


# A fake has nothing to trace; FastAPI's OpenTelemetry check alone cost ~4% of every request.
NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False}


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """Build a fakecampaign app: its own database, the default account, routes and error handlers."""
    app = create_hot_app(settings, clock=clock)
    complete_app(app)
    return app


def create_hot_app(settings: Settings | None = None, *, clock: Clock | None = None, engine: bool = True) -> FastAPI:
    """Everything but the FastAPI routes: it serves ``POST /event`` and ``GET`` contact (their fast lanes);
    ``complete_app`` adds the rest.

    ``engine=False`` leaves the engine (automations, webhooks and their dispatcher, and their imports) to
    ``complete_app``, and the app's lifespan, which starts the dispatcher, to whoever completes it. Only the
    deferred build does that (fakecampaign/warmup.py), and only where no automation or webhook can exist
    before the app is complete: in memory without a fixtures file, an account has none at start, and only
    routes ``complete_app`` adds (the v3 automations and webhooks routes, the control plane) can
    define one. Meanwhile an event or a contact change has nothing to trigger, as with the engine there."""
    settings = settings if settings is not None else Settings()
    if not engine and (settings.fixtures is not None or settings.db or settings.database_url):
        raise ValueError("only an in-memory app without fixtures can build its engine later (its start state has none)")
    bounds = JournalBounds(per_account=settings.event_journal_per_account, overall=settings.event_journal_size)
    database = Database(settings.resolved_database_url(), shared=settings.workers > 1)
    store = Store(db=database, clock=clock or Clock(), journal_bounds=bounds)
    store.faults.set_default_limit(settings.rate_limit)
    activities.subscribe(store.bus)
    # Before the start state: a fixtures file's automations and contacts go through the engine like any others.
    built = _build_engine(store, settings) if engine else None
    _load_start_state(store, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        running: Engine | None = app.state.engine
        assert running is not None, "the app's lifespan starts once it is complete (complete_app built its engine)"
        await running.dispatcher.start()  # webhook deliveries and SMTP relays, off the request path
        yield
        await running.dispatcher.stop()
        store.db.dispose()

    app = FastAPI(
        title="fakecampaign",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        telemetry=NO_TELEMETRY,
        docs_url=None,  # api/offline_docs.py serves /docs and /redoc from the package, not a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.engine = built
    include_hot_routes(app)
    errors.install(app)
    app.state.request_journal = journal = RequestJournal(settings.request_journal_size)
    app.add_middleware(FaultLayer, store=store)  # inside the next one: it sees the caller's account
    app.add_middleware(
        FakecampaignMiddleware,
        version=__version__,
        max_body_bytes=settings.max_body_bytes,
        journal=journal,
        store=store,
        body_read_timeout=settings.body_read_timeout,
        allowed_hosts=guards.parse_allowed_hosts(settings.allowed_hosts),
    )
    return app


def import_cold() -> None:
    """Import what ``complete_app`` needs (safe on another thread; see fakecampaign/warmup.py)."""
    from fakecampaign.engine import setup  # noqa: F401  (the deferred build's engine)

    import_cold_routes()
    from fakecampaign.api import offline_docs  # noqa: F401
    from fakecampaign.ui import routes  # noqa: F401


def complete_app(app: FastAPI) -> None:
    """Add the FastAPI routes (/event's and contacts' behind their lanes), the control plane, the other resources,
    /docs and the UI (on the loop thread), and the engine if ``create_hot_app`` left it (the deferred build; the
    caller then starts the app's lifespan)."""
    from fakecampaign.api import offline_docs
    from fakecampaign.ui import routes as ui

    if app.state.engine is None:
        app.state.engine = _build_engine(app.state.store, app.state.settings)
    include_cold_routes(app)
    offline_docs.install(app)
    ui.install(app)


def _build_engine(store: Store, settings: Settings) -> Engine:
    """The engine on the store's bus (engine/setup.py); imported here, so the deferred build's hot stage does not."""
    from fakecampaign.engine import setup

    return setup.build(store, smtp_url=settings.smtp_url, webhook_timeout=settings.webhook_timeout)


def _load_start_state(store: Store, settings: Settings) -> None:
    """The default account from the settings, then the fixtures file (services/seeding.py has the rules)."""
    default = seeding.AccountSpec(settings.account, settings.api_token, settings.actid, settings.event_key)
    specs: list[seeding.AccountSpec] = []
    if settings.fixtures is not None:
        from fakecampaign import fixtures  # its schemas are ~0.1 s of imports; only a fixtures file needs them

        specs = fixtures.read_specs(settings.fixtures)
    seeding.load_start_state(
        store, default=default, tracking=settings.tracking, fixtures=specs, source=str(settings.fixtures)
    )
