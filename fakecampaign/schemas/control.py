"""Control-plane shapes (fakecampaign's own API, not AC's)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from fakecampaign.services.records import AccountRecord


class Health(BaseModel):
    status: str = "ok"


class AccountCreate(BaseModel):
    """Body of POST /_fakecampaign/accounts; every field is optional and generated when absent."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=100)
    api_token: str | None = Field(default=None, min_length=1, max_length=200)
    actid: str | None = Field(default=None, pattern=r"^[0-9]{9}$")
    event_key: str | None = Field(default=None, min_length=1, max_length=200)
    tracking: bool = True


class AccountOut(BaseModel):
    """An account's credentials and the two URLs an app under test should be pointed at."""

    name: str
    api_token: str
    actid: str
    event_key: str
    tracking: bool
    account_url: str
    event_url: str

    @classmethod
    def of(cls, account: AccountRecord, base_url: str) -> AccountOut:
        base = base_url.rstrip("/")
        return cls(
            name=account.name,
            api_token=account.api_token,
            actid=account.actid,
            event_key=account.event_key,
            tracking=account.tracking_enabled,
            account_url=base,
            event_url=f"{base}/event",
        )


class AccountEnvelope(BaseModel):
    account: AccountOut


class AccountsOut(BaseModel):
    accounts: list[AccountOut]
