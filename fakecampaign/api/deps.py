"""Dependencies as types: what handlers declare to get the store, the caller's account and base URL."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response

from fakecampaign.api import guards
from fakecampaign.api.middleware import ACCOUNT_STATE_KEY, CALLER_STATE_KEY
from fakecampaign.config import Settings
from fakecampaign.errors import AdminTokenRequired
from fakecampaign.schemas.common import Wire
from fakecampaign.services import accounts
from fakecampaign.services.records import AccountRecord
from fakecampaign.services.requests import RequestJournal
from fakecampaign.services.store import Store


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling the v3 API: the store, the account its Api-Token belongs to, and the host it used."""

    store: Store
    account: AccountRecord
    base_url: str  # links point back at the host the client used, as AC's point at the account's own host


def caller_of(request: Request) -> Caller:
    """The caller of a v3 route; the middleware has already checked its Api-Token (AC's 403 otherwise).

    Checked again here, with no await before the route's service call: the account may have been deleted
    while the body was read, and a write for it then would leave rows no account owns (issue 8 item 7)."""
    store = store_of(request)
    account = accounts.current(store, request.scope["state"][CALLER_STATE_KEY])  # not request.state: ~2% of a GET
    return Caller(store, account, base_url_of(request))


def remember_account(request: Request, account_id: int, name: str) -> None:
    """Tell the request journal whose call this was."""
    setattr(request.state, ACCOUNT_STATE_KEY, (account_id, name))


@dataclass(frozen=True, slots=True)
class Control:
    """What a control-plane route works with, once the admin token (if one is set) was checked."""

    store: Store
    settings: Settings
    requests: RequestJournal
    base_url: str


async def control_of(request: Request) -> Control:
    """The control plane is open unless FAKECAMPAIGN_ADMIN_TOKEN is set (a shared demo must not be wiped).

    One dependency for all of it: the pytest plugin calls the control plane twice per test, and each extra
    dependency costs FastAPI a solve."""
    settings: Settings = request.app.state.settings
    if settings.admin_token is not None:
        given = request.headers.get("x-fakecampaign-admin-token") or _bearer(request.headers.get("authorization"))
        if not given or not secrets.compare_digest(given.encode(), settings.admin_token.encode()):
            raise AdminTokenRequired()
    return Control(store_of(request), settings, request.app.state.request_journal, base_url_of(request))


ControlDep = Annotated[Control, Depends(control_of)]


def _bearer(value: str | None) -> str | None:
    scheme, _, token = (value or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def base_url_of(request: Request) -> str:
    """``scheme://host/`` as the client addressed us; Starlette's ``request.base_url`` costs ~5% of a GET, and
    its ``request.headers`` (which this reads directly, the same way) a little more."""
    scope = request.scope
    host = guards.header(scope, b"host")
    if not host:
        server = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}/"


def wire(shape: Wire, status_code: int = 200) -> Response:
    """A shape serialized straight to a response, for the hottest GETs: FastAPI's own response-model pass
    (validate, then serialize) is skipped. The route still declares ``response_model`` for /docs.

    The serializer's own bytes are what ``model_dump_json()`` decodes to a str (which the response would then
    encode again): the same body, ~1 µs less a call (README "Performance")."""
    body: bytes = shape.__pydantic_serializer__.to_json(shape)
    return Response(body, status_code=status_code, media_type="application/json")
