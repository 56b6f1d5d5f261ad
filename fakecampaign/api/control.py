"""The control plane for tests and demos, under /_fakecampaign/ and out of the emulated API's docs."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from fakecampaign.api.deps import BaseUrlDep, StoreDep
from fakecampaign.schemas.control import AccountCreate, AccountEnvelope, AccountOut, AccountsOut, Health
from fakecampaign.services import accounts

router = APIRouter(prefix="/_fakecampaign", tags=["fakecampaign control plane"])


@router.get("/health", response_model=Health)
async def health() -> Health:
    """200 once the app is ready to serve."""
    return Health()


@router.post("/accounts", status_code=status.HTTP_201_CREATED, response_model=AccountEnvelope)
async def create_account(store: StoreDep, base: BaseUrlDep, body: AccountCreate | None = None) -> AccountEnvelope:
    """Create an isolated account; credentials not given are generated."""
    spec = body or AccountCreate()
    account = accounts.create(
        store,
        name=spec.name,
        api_token=spec.api_token,
        actid=spec.actid,
        event_key=spec.event_key,
        tracking_enabled=spec.tracking,
    )
    return AccountEnvelope(account=AccountOut.of(account, base))


@router.get("/accounts", response_model=AccountsOut)
async def list_accounts(store: StoreDep, base: BaseUrlDep) -> AccountsOut:
    """Every account with its credentials."""
    return AccountsOut(accounts=[AccountOut.of(a, base) for a in accounts.list_all(store)])


@router.delete("/accounts/{name}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_account(name: str, store: StoreDep) -> Response:
    """Remove an account and all its data."""
    accounts.delete_account(store, name=name)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
