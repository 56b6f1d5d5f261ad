"""The fixtures format (README "Fixtures format"): accounts with contacts, event names, switch and past events."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool

from fakecampaign.schemas.automations import AutomationFixture
from fakecampaign.schemas.crm_fixtures import ContactMemberships, CrmData
from fakecampaign.schemas.deal_fixtures import DealsData
from fakecampaign.schemas.faults import FaultFixture
from fakecampaign.services.events import MAX_EVENT_NAME
from fakecampaign.services.faults import MAX_RATE_LIMIT
from fakecampaign.services.seeding import AccountSeed, AccountSpec, SeedContact, SeedEvent


class Strict(BaseModel):
    # A typo in a fixtures file must fail loudly, not be ignored.
    model_config = ConfigDict(extra="forbid")


class ContactFixture(Strict, ContactMemberships):
    email: str
    firstName: str = ""
    lastName: str = ""
    phone: str = ""


class EventFixture(Strict):
    email: str
    event: str = Field(min_length=1, max_length=MAX_EVENT_NAME)
    eventdata: str | None = None
    tstamp: AwareDatetime | None = None


class AccountData(Strict, CrmData, DealsData):
    """What an account holds; also the body of POST /_fakecampaign/seed."""

    tracking: StrictBool | None = None  # "yes" or 1 is a mistake to report, not a true to guess
    contacts: list[ContactFixture] = Field(default_factory=list)
    eventNames: list[str] = Field(default_factory=list)
    events: list[EventFixture] = Field(default_factory=list)
    automations: list[AutomationFixture] = Field(default_factory=list)  # README "Automations"
    rate_limit: int | None = Field(default=None, ge=0, le=MAX_RATE_LIMIT)  # README "Faults and rate limits"
    faults: list[FaultFixture] = Field(default_factory=list, max_length=100)

    def to_seed(self) -> AccountSeed:
        return AccountSeed(
            tracking=self.tracking,
            contacts=tuple(SeedContact(c.email, c.firstName, c.lastName, c.phone) for c in self.contacts),
            event_names=tuple(self.eventNames),
            events=tuple(SeedEvent(e.email, e.event, e.eventdata, _epoch(e.tstamp)) for e in self.events),
            automations=tuple(a.to_spec() for a in self.automations),
            rate_limit=self.rate_limit,
            faults=tuple(f.to_spec() for f in self.faults),
            resources={**self.crm_resources(self.contacts), **self.deal_resources()},
        )


class AccountFixture(AccountData):
    name: str | None = Field(default=None, min_length=1, max_length=100)  # None: a generated name
    api_token: str | None = None
    actid: str | None = Field(default=None, pattern=r"^[0-9]{9}$")
    event_key: str | None = None

    def to_spec(self) -> AccountSpec:
        return AccountSpec(self.name, self.api_token, self.actid, self.event_key, self.to_seed())


class FixtureFile(Strict):
    accounts: list[AccountFixture] = Field(default_factory=list)


def _epoch(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())
