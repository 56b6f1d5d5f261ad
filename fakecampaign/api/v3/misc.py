"""Token checks real clients make: /api/3/, /users/me, and empty read-only lists.

The token itself is checked for every /api/3 call before it reaches a route (api/middleware.py).
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from fakecampaign.api import examples as ex
from fakecampaign.api.deps import caller_of
from fakecampaign.api.docs import PAGE, documented
from fakecampaign.schemas.misc import AccountsEnvelope, CampaignsEnvelope, UserEnvelope
from fakecampaign.schemas.tracking import EmptyObject

router = APIRouter(tags=["Token checks"])


@router.get("/", response_model=EmptyObject, openapi_extra=documented({}))
async def api_root() -> EmptyObject:
    """200 for a valid token; clients such as tap-activecampaign probe it ([TAP])."""
    return EmptyObject()


@router.get(
    "/users/me", response_model=UserEnvelope, openapi_extra=documented(UserEnvelope.of(ex.ACCOUNT, ex.BASE_URL))
)
async def get_current_user(request: Request) -> UserEnvelope:
    """The token's user."""
    caller = caller_of(request)
    return UserEnvelope.of(caller.account, caller.base_url)


@router.get("/accounts", response_model=AccountsEnvelope, openapi_extra=documented(AccountsEnvelope(), params=PAGE))
async def list_accounts() -> AccountsEnvelope:
    """AC's deals "accounts" (companies): not emulated, always empty."""
    return AccountsEnvelope()


@router.get("/campaigns", response_model=CampaignsEnvelope, openapi_extra=documented(CampaignsEnvelope(), params=PAGE))
async def list_campaigns() -> CampaignsEnvelope:
    """Not emulated, always empty."""
    return CampaignsEnvelope()
