"""Read-only lists real clients call to check a token; AC-shaped and empty (nothing else is emulated)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from fakecampaign.schemas.common import StringTotal, Wire, api_url
from fakecampaign.services.records import AccountRecord


class UserOut(Wire):
    username: str
    firstName: str
    lastName: str
    email: str
    phone: str = ""
    signature: str | None = None
    links: dict[str, str]
    id: str = "1"


class UserEnvelope(Wire):
    """GET /users/me: the account's one user."""

    user: UserOut

    @classmethod
    def of(cls, account: AccountRecord, base_url: str) -> UserEnvelope:
        links = {name: api_url(base_url, f"users/1/{name}") for name in ("lists", "userGroup", "dealGroupTotals")}
        user = UserOut(
            username=account.name,
            firstName="Fake",
            lastName="Campaign",
            email=f"admin@{account.name}.example",
            links=links,
        )
        return cls(user=user)


class AccountsEnvelope(Wire):
    accounts: list[dict[str, Any]] = Field(default_factory=list)
    meta: StringTotal = StringTotal(total="0")


class CampaignsEnvelope(Wire):
    campaigns: list[dict[str, Any]] = Field(default_factory=list)
    meta: StringTotal = StringTotal(total="0")
