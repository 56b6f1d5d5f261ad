"""Dependencies as types: what handlers declare to get the store, the caller's account and base URL."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response

from fakecampaign.api.middleware import ACCOUNT_STATE_KEY, CALLER_STATE_KEY
from fakecampaign.config import Settings
from fakecampaign.errors import AdminTokenRequired
from fakecampaign.schemas.common import Wire
from fakecampaign.services.records import AccountRecord
from fakecampaign.services.requests import RequestJournal
from fakecampaign.services.store import Store


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def get_store(request: Request) -> Store:
    return store_of(request)


StoreDep = Annotated[Store, Depends(get_store)]


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling the v3 API: the store, the account its Api-Token belongs to, and the host it used."""

    store: Store
    account: AccountRecord
    base_url: str  # links point back at the host the client used, as AC's point at the account's own host


def caller_of(request: Request) -> Caller:
    """The caller of a v3 route; the middleware has already checked its Api-Token (AC's 403 otherwise)."""
    account: AccountRecord = getattr(request.state, CALLER_STATE_KEY)
    return Caller(store_of(request), account, base_url_of(request))


def remember_account(request: Request, name: str) -> None:
    """Tell the request journal whose call this was."""
    setattr(request.state, ACCOUNT_STATE_KEY, name)


async def require_admin(request: Request) -> None:
    """The control plane is open unless FAKECAMPAIGN_ADMIN_TOKEN is set (a shared demo must not be wiped)."""
    expected = request.app.state.settings.admin_token
    if expected is None:
        return
    given = request.headers.get("x-fakecampaign-admin-token") or _bearer(request.headers.get("authorization"))
    if not given or not secrets.compare_digest(given.encode(), expected.encode()):
        raise AdminTokenRequired()


def _bearer(value: str | None) -> str | None:
    scheme, _, token = (value or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


async def get_journal(request: Request) -> RequestJournal:
    journal: RequestJournal = request.app.state.request_journal
    return journal


JournalDep = Annotated[RequestJournal, Depends(get_journal)]


def base_url_of(request: Request) -> str:
    """``scheme://host/`` as the client addressed us; Starlette's ``request.base_url`` costs ~5% of a GET."""
    scope = request.scope
    host = request.headers.get("host")
    if not host:
        server = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}/"


async def get_base_url(request: Request) -> str:
    """Links point back at the host the client used, as AC's point at the account's own host."""
    return base_url_of(request)


BaseUrlDep = Annotated[str, Depends(get_base_url)]


def wire(shape: Wire, status_code: int = 200) -> Response:
    """A shape serialized straight to a response, for the hottest GETs: FastAPI's own response-model pass
    (validate, then serialize) is skipped. The route still declares ``response_model`` for /docs."""
    return Response(shape.model_dump_json(), status_code=status_code, media_type="application/json")
