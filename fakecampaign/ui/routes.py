"""The UI's routes under /_fakecampaign/ui/, and ``/`` leading there."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel

from fakecampaign._version import __version__
from fakecampaign.api.deps import base_url_of
from fakecampaign.config import Settings
from fakecampaign.errors import NoResultFound
from fakecampaign.services import accounts
from fakecampaign.services.records import AccountRecord
from fakecampaign.services.requests import RequestJournal
from fakecampaign.services.store import Store
from fakecampaign.ui import auth, engine_views, views

if TYPE_CHECKING:
    from fastapi.templating import Jinja2Templates

PREFIX = "/_fakecampaign/ui"
HERE = Path(__file__).parent
LIVE_INTERVAL_MS = 500  # issue 12: new events and requests show within a second

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def when(tstamp: int | None) -> str:
    if tstamp is None:
        return ""
    return datetime.fromtimestamp(tstamp, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@cache
def templates() -> Jinja2Templates:
    """The page templates, loaded with the first page: Jinja2 costs start-up time a server without a browser
    never gets back (README "Performance")."""
    from fastapi.templating import Jinja2Templates

    loaded = Jinja2Templates(directory=HERE / "templates")
    loaded.env.filters["when"] = when
    return loaded


class LoginIn(BaseModel):
    token: str


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="ui-static")
    app.add_api_route("/", to_ui, methods=["GET"], include_in_schema=False)


async def to_ui() -> RedirectResponse:
    return RedirectResponse(f"{PREFIX}/", status_code=307)


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _requests(request: Request) -> RequestJournal:
    journal: RequestJournal = request.app.state.request_journal
    return journal


def _render(request: Request, template: str, account: AccountRecord | None, **context: Any) -> Response:
    if not auth.admitted(request):
        return RedirectResponse(f"{PREFIX}/login?next={request.url.path}", status_code=303)
    settings: Settings = request.app.state.settings
    base = base_url_of(request).rstrip("/")
    names = [a.name for a in accounts.list_all(_store(request))]
    common = {
        "account": account,
        "account_names": names,
        "base_url": base,
        "version": __version__,
        "prefix": PREFIX,
        "live_interval": LIVE_INTERVAL_MS,
        # The version this rendering shows: a change between render and the first poll is not missed.
        "live_version": views.live_version(_store(request), _requests(request)),
        "feed": views.feed(_store(request)),
        # The page's own control-plane calls send it; only a visitor who gave the token sees a page at all.
        "admin_token": settings.admin_token or "",
    }
    return templates().TemplateResponse(request, template, {**common, **context})


def _account(request: Request, name: str | None) -> AccountRecord | None:
    settings: Settings = request.app.state.settings
    return accounts.find_by_name(_store(request), name or settings.account)


def _no_account(request: Request, name: str | None) -> Response:
    response = _render(request, "missing.html", None, what=f"No account named {name!r}")
    response.status_code = 404 if response.status_code == 200 else response.status_code
    return response


@router.get("", response_class=RedirectResponse)
async def ui_root() -> RedirectResponse:
    return RedirectResponse(f"{PREFIX}/", status_code=307)


@router.get("/", response_class=HTMLResponse)
async def accounts_page(request: Request) -> Response:
    store = _store(request)
    summaries = views.summaries(store) if auth.admitted(request) else []
    return _render(request, "accounts.html", _account(request, None), summaries=summaries, page="accounts")


@router.get("/contacts", response_class=HTMLResponse)
async def contacts_page(
    request: Request, account: str | None = None, search: str = "", offset: int = Query(default=0, ge=0)
) -> Response:
    record = _account(request, account)
    if record is None:
        return _no_account(request, account)
    admitted = auth.admitted(request)
    data = views.contacts_page(_store(request), record, search=search, offset=offset) if admitted else None
    return _render(request, "contacts.html", record, data=data, page="contacts")


@router.get("/contacts/{contact_id}", response_class=HTMLResponse)
async def contact_page(request: Request, contact_id: int, account: str | None = None) -> Response:
    record = _account(request, account)
    if record is None:
        return _no_account(request, account)
    if not auth.admitted(request):
        return _render(request, "contact.html", record)
    store = _store(request)
    try:
        contact = views.contact(store, record, contact_id)
    except NoResultFound:
        response = _render(request, "missing.html", record, what=f"No contact {contact_id} in {record.name}")
        response.status_code = 404
        return response
    items = views.contact_timeline(store, record, contact)
    about = views.contact_crm(store, record, contact.id)
    return _render(
        request,
        "contact.html",
        record,
        contact=contact,
        items=items,
        crm=about,
        page="contacts",
        account_action=f"{PREFIX}/contacts",  # another account has other contacts: go to its list
    )


@router.get("/catalog", response_class=HTMLResponse)
async def catalog_page(request: Request, account: str | None = None) -> Response:
    record = _account(request, account)
    if record is None:
        return _no_account(request, account)
    data = views.catalog(_store(request), record) if auth.admitted(request) else None
    return _render(request, "catalog.html", record, data=data, page="catalog")


@router.get("/events", response_class=HTMLResponse)
async def events_page(request: Request, account: str | None = None, outcome: str | None = None) -> Response:
    record = _account(request, account)
    if record is None:
        return _no_account(request, account)
    data = views.journal_page(_store(request), record, outcome=outcome) if auth.admitted(request) else None
    return _render(request, "events.html", record, data=data, outcome=outcome or "", page="events")


@router.get("/requests", response_class=HTMLResponse)
async def requests_page(request: Request, account: str | None = None) -> Response:
    record = _account(request, account)
    if record is None:
        return _no_account(request, account)
    calls = views.requests_page(_requests(request), record) if auth.admitted(request) else []
    return _render(request, "requests.html", record, calls=calls, page="requests")


@router.get("/outbox", response_class=HTMLResponse)
async def outbox_page(request: Request, account: str | None = None) -> Response:
    record = _account(request, account)
    if record is None:
        return _no_account(request, account)
    found = engine_views.emails(_store(request), record) if auth.admitted(request) else []
    return _render(request, "outbox.html", record, emails=found, page="outbox")


@router.get("/automations", response_class=HTMLResponse)
async def automations_page(request: Request, account: str | None = None) -> Response:
    record = _account(request, account)
    if record is None:
        return _no_account(request, account)
    data = engine_views.automations_page(_store(request), record) if auth.admitted(request) else None
    return _render(request, "automations.html", record, data=data, page="automations")


@router.get("/webhooks", response_class=HTMLResponse)
async def webhooks_page(request: Request, account: str | None = None) -> Response:
    record = _account(request, account)
    if record is None:
        return _no_account(request, account)
    data = engine_views.webhooks_page(_store(request), record) if auth.admitted(request) else None
    return _render(request, "webhooks.html", record, data=data, page="webhooks")


@router.get("/live")
async def live(request: Request) -> Response:
    """What live pages poll: a version that moves when an /event or API call is recorded."""
    if not auth.admitted(request):
        return JSONResponse({"message": "Send the admin token"}, status_code=403)
    return JSONResponse({"version": views.live_version(_store(request), _requests(request))})


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str = f"{PREFIX}/") -> Response:
    target = next if next.startswith(f"{PREFIX}/") else f"{PREFIX}/"
    return templates().TemplateResponse(
        request, "login.html", {"prefix": PREFIX, "next": target, "version": __version__, "account": None}
    )


@router.post("/login")
async def login(request: Request, body: LoginIn) -> Response:
    expected = auth.required_token(request)
    if expected is not None and not auth.matches(expected, body.token):
        return JSONResponse({"message": "That is not the admin token"}, status_code=403)
    response = JSONResponse({"ok": True})
    response.set_cookie(auth.COOKIE, body.token, httponly=True, samesite="strict", path=PREFIX)
    return response
