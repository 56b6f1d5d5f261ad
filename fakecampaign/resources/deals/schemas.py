"""Deal shapes, ac-api-facts-breadth.md §7.

GET prints ids and amounts as strings; a POST or PUT reply echoes ``value`` and ``status`` as numbers
[DOC-OAS][CORSAIR]. Links are relative (``/api/3/deals/46/notes``), as AC prints them (breadth §1.1.6).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from fakecampaign.resources.deals.service import DealChanges, DealPage, DealRecord
from fakecampaign.resources.pipelines.schemas import Id, Number, StageOut, number, ref, relative
from fakecampaign.resources.pipelines.service import StageRecord
from fakecampaign.schemas.common import Body, Wire, iso, plain
from fakecampaign.schemas.contacts import ContactOut
from fakecampaign.services.records import ContactRecord

DEAL_LINKS = (
    "dealActivities", "contact", "contactDeals", "group", "nextTask", "notes", "account", "customerAccount",
    "organization", "owner", "scoreValues", "stage", "tasks", "dealCustomFieldData",
)  # fmt: skip


class DealIn(Body):
    title: str | None = None
    description: str | None = None
    contact: Id = None
    account: Id = None  # AC's companies: not emulated, accepted and ignored
    value: Number = None
    currency: str | None = None
    group: Id = None
    stage: Id = None
    owner: Id = None
    percent: Number = None
    status: Number = None

    def changes(self) -> DealChanges:
        return DealChanges(
            title=self.title,
            description=self.description,
            contact=ref(self.contact, "deal.contact"),
            value=number(self.value, "deal.value"),
            currency=self.currency,
            group=ref(self.group, "deal.group"),
            stage=ref(self.stage, "deal.stage"),
            owner=ref(self.owner, "deal.owner"),
            percent=number(self.percent, "deal.percent"),
            status=number(self.status, "deal.status"),
        )


class DealBody(Body):
    """``{"deal": {...}}``."""

    deal: DealIn


class DealOut(Wire):
    owner: str
    contact: str
    organization: str | None = None
    group: str
    stage: str
    title: str
    description: str
    percent: str
    cdate: str
    mdate: str
    nextdate: str | None = None
    nexttaskid: str | None = None
    value: str | int
    currency: str
    winProbability: int | None = None
    winProbabilityMdate: str | None = None
    status: str | int
    activitycount: str = "0"
    nextdealid: str
    edate: str | None
    links: dict[str, str]
    id: str
    isDisabled: bool = False
    account: str | None = None
    customerAccount: str | None = None
    hash: str
    # Only in POST and PUT replies (breadth §7.2): the deal's custom field values; none are emulated.
    fields: list[Any] | None = Field(default=None, exclude_if=lambda v: v is None)

    @classmethod
    def of(cls, d: DealRecord, *, echoed: bool = False) -> DealOut:
        return cls.build(
            owner=str(d.owner),
            contact=str(d.contact_id),
            group=str(d.group_id),
            stage=str(d.stage_id),
            title=d.title,
            description=d.description,
            percent=str(d.percent),
            cdate=iso(d.cdate),
            mdate=iso(d.mdate),
            value=d.value if echoed else str(d.value),
            currency=d.currency,
            status=d.status if echoed else str(d.status),
            nextdealid=str(d.id),
            edate=None if d.edate is None else plain(d.edate),
            links=relative("deals", d.id, DEAL_LINKS),
            id=str(d.id),
            hash=d.hash,
            fields=[] if echoed else None,
        )


class DealEnvelope(Wire):
    deal: DealOut


class DealCreatedEnvelope(Wire):
    """POST /deals: 201 with the contact and stage side-loaded."""

    contacts: list[ContactOut]
    deal: DealOut
    dealStages: list[StageOut]

    @classmethod
    def of(cls, deal: DealRecord, contact: ContactRecord, stage: StageRecord, base_url: str) -> DealCreatedEnvelope:
        return cls(
            contacts=[ContactOut.of(contact, base_url)],
            deal=DealOut.of(deal, echoed=True),
            dealStages=[StageOut.of(stage)],
        )


class CurrencyTotal(Wire):
    currency: str
    total: str
    value: str


class DealsMeta(Wire):
    """``meta`` of GET /deals: per-currency sums, and an integer ``total`` (unlike most lists) [DOC-OAS]."""

    currencies: dict[str, CurrencyTotal]
    total: int


class DealsEnvelope(Wire):
    deals: list[DealOut]
    meta: DealsMeta

    @classmethod
    def of(cls, page: DealPage) -> DealsEnvelope:
        currencies = {
            code.upper(): CurrencyTotal(currency=code.upper(), total=str(n), value=str(v))
            for code, (n, v) in sorted(page.currencies.items())
        }
        return cls(deals=[DealOut.of(d) for d in page.deals], meta=DealsMeta(currencies=currencies, total=page.total))


class ContactDealsEnvelope(Wire):
    """GET /contacts/{id}/deals (the contact's ``links.deals``): no ``meta``, like AC's other sub-collections."""

    deals: list[DealOut]


def state_of(records: list[DealRecord], _base_url: str) -> dict[str, list[Any]]:
    return {"deals": [DealOut.of(r) for r in records]}


def sideload_of(records: list[DealRecord], _base_url: str) -> list[DealOut]:
    """GET /contacts/{id}'s ``deals``."""
    return [DealOut.of(r) for r in records]
