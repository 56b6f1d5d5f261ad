"""Dependencies as types: what handlers declare to get the store, the caller's account and base URL."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from fakecampaign.services import accounts
from fakecampaign.services.records import AccountRecord
from fakecampaign.services.store import Store

# auto_error=False: a missing header must reach our own AC-shaped 403, not FastAPI's.
api_token_header = APIKeyHeader(name="Api-Token", auto_error=False, description="Your account's API key")


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]


async def get_account(store: StoreDep, api_token: Annotated[str | None, Depends(api_token_header)]) -> AccountRecord:
    return accounts.authenticate(store, api_token)


AccountDep = Annotated[AccountRecord, Depends(get_account)]


async def get_base_url(request: Request) -> str:
    """Links point back at the host the client used, as AC's point at the account's own host."""
    return str(request.base_url)


BaseUrlDep = Annotated[str, Depends(get_base_url)]
