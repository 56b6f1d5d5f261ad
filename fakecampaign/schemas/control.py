"""Control-plane shapes (fakecampaign's own API, not AC's)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from fakecampaign.schemas.common import iso
from fakecampaign.schemas.contacts import ContactOut
from fakecampaign.schemas.fixtures import AccountData, AccountFixture
from fakecampaign.schemas.tracking import ActivityOut, TrackingLogOut
from fakecampaign.services.journal import JournalEntry
from fakecampaign.services.records import AccountRecord
from fakecampaign.services.requests import RequestRecord
from fakecampaign.services.state import AccountState

MAX_BATCH = 500


class Health(BaseModel):
    status: str = "ok"


class AccountCreate(BaseModel):
    """Body of POST /_fakecampaign/accounts; every field is optional and generated when absent."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=100)
    api_token: str | None = Field(default=None, min_length=1, max_length=200)
    actid: str | None = Field(default=None, pattern=r"^[0-9]{9}$")
    event_key: str | None = Field(default=None, min_length=1, max_length=200)
    tracking: StrictBool | None = None  # default: the fixtures' switch, else on; "yes" is refused
    fixtures: AccountData | None = None  # loaded into the new account, and what a reset of it restores

    def to_fixture(self) -> AccountFixture:
        data = self.fixtures or AccountData()
        return AccountFixture(
            name=self.name,
            api_token=self.api_token,
            actid=self.actid,
            event_key=self.event_key,
            tracking=self.tracking if self.tracking is not None else data.tracking,
            **data.model_dump(exclude={"tracking"}),
        )


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


class AccountBatchIn(BaseModel):
    """POST /_fakecampaign/accounts/batch: ``count`` empty accounts named ``<prefix>-<random>``."""

    model_config = ConfigDict(extra="forbid")

    count: int = Field(ge=1, le=MAX_BATCH)
    prefix: str = Field(default="account", min_length=1, max_length=60)


class AccountNamesIn(BaseModel):
    """POST /_fakecampaign/accounts/batch-delete: the accounts to remove (unknown names are skipped)."""

    model_config = ConfigDict(extra="forbid")

    names: list[str] = Field(max_length=MAX_BATCH)


class DeletedOut(BaseModel):
    deleted: list[str]


class AccountEnvelope(BaseModel):
    account: AccountOut


class AccountsOut(BaseModel):
    accounts: list[AccountOut]


class ResetOut(BaseModel):
    reset: str  # "all" or the account's name


class SeedIn(BaseModel):
    """POST /_fakecampaign/seed by file: ``{"path": "fixtures/demo.json"}`` (a whole fixtures file)."""

    model_config = ConfigDict(extra="forbid")

    path: str


class SeedOut(BaseModel):
    seeded: list[str]  # the accounts that were filled


class JournalEventOut(BaseModel):
    """One /event call as fakecampaign saw it."""

    id: int
    account: str | None
    actid: str | None
    email: str | None
    event: str | None
    eventdata: str | None
    outcome: str  # "written" or "dropped"
    reason: str | None  # why it was dropped: unknown_contact, tracking_disabled, bad_key, ...
    tstamp: str
    tracking_log_id: str | None

    @classmethod
    def of(cls, entry: JournalEntry) -> JournalEventOut:
        r = entry.record
        return cls(
            id=r.id,
            account=entry.account_name,
            actid=r.actid,
            email=r.email,
            event=r.event,
            eventdata=r.eventdata,
            outcome=r.outcome,
            reason=r.reason,
            tstamp=iso(r.tstamp),
            tracking_log_id=None if r.tracking_log_id is None else str(r.tracking_log_id),
        )


class CountMeta(BaseModel):
    total: int


class JournalMeta(CountMeta):
    # Entries the journal's bounds evicted since start (README "Hardening"): of this account, or of all.
    evicted: int = 0


class JournalOut(BaseModel):
    events: list[JournalEventOut]
    meta: JournalMeta


class RequestOut(BaseModel):
    id: int
    tstamp: str
    method: str
    path: str
    query: str
    status: int  # 0: a fault rule dropped the call without an answer (reset, hang)
    account: str | None
    at: float  # arrival time in fractional epoch seconds, to tell how far apart calls were
    fault: str | None  # the fault rule that answered the call ("fault-3"), "rate_limit", or null

    @classmethod
    def of(cls, r: RequestRecord) -> RequestOut:
        return cls(
            id=r.id,
            tstamp=iso(r.tstamp),
            method=r.method,
            path=r.path,
            query=r.query,
            status=r.status,
            account=r.account,
            at=r.at,
            fault=r.fault,
        )


class RequestsOut(BaseModel):
    requests: list[RequestOut]


class StateOut(BaseModel):
    """Everything one account holds; contacts, logs and activities in AC's own shapes, then each registry
    resource's records under its own keys (tags, contactTags, lists, ...)."""

    model_config = ConfigDict(extra="allow")

    account: AccountOut
    contacts: list[ContactOut]
    eventNames: list[str]
    trackingLogs: list[TrackingLogOut]
    activities: list[ActivityOut]
    events: list[JournalEventOut]

    @classmethod
    def of(cls, state: AccountState, base_url: str, extra: dict[str, list[Any]] | None = None) -> StateOut:
        return cls(
            **(extra or {}),
            account=AccountOut.of(state.account, base_url),
            contacts=[ContactOut.of(c, base_url) for c in state.contacts],
            eventNames=state.event_names,
            trackingLogs=[TrackingLogOut.of(log, base_url) for log in state.tracking_logs],
            activities=[ActivityOut.of(a, base_url) for a in state.activities],
            events=[JournalEventOut.of(e) for e in state.events],
        )
