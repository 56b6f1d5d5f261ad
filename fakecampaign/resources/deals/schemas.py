"""Deal, pipeline (dealGroup) and stage (dealStage) shapes, ac-api-facts-breadth.md §7.

GET prints ids, amounts and flags as strings; a POST or PUT reply echoes numbers as numbers (``value``,
``status``, a pipeline's flags, a stage's ``order`` and ``width``) [DOC-OAS][CORSAIR]. Links are relative
(``/api/3/deals/46/notes``), as AC prints them on these three resources (breadth §1.1.6).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, StrictFloat, StrictInt, StrictStr

from fakecampaign.errors import BadRequest
from fakecampaign.resources.deals.service import (
    DealChanges,
    DealPage,
    DealRecord,
    GroupChanges,
    GroupRecord,
    StageRecord,
)
from fakecampaign.schemas.common import Body, StringTotal, Wire, iso, plain, ref_id
from fakecampaign.schemas.contacts import ContactOut
from fakecampaign.services.records import ContactRecord

DEAL_LINKS = (
    "dealActivities", "contact", "contactDeals", "group", "nextTask", "notes", "account", "customerAccount",
    "organization", "owner", "scoreValues", "stage", "tasks", "dealCustomFieldData",
)  # fmt: skip
GROUP_LINKS = ("stages", "dealGroupUsers", "dealGroupGroups")
STAGE_LINKS = ("group",)
Id = StrictStr | StrictInt | None
Number = StrictInt | StrictFloat | StrictStr | None  # strict: true is not 1


def _relative(plural: str, record_id: int, names: tuple[str, ...]) -> dict[str, str]:
    return {name: f"/api/3/{plural}/{record_id}/{name}" for name in names}


def _number(value: Number, name: str) -> int | None:
    """An integer given as 45600, 45600.0 or "45600"; anything else is AC's 400 {}."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadRequest(hint=f"{name} must be a whole number")
    if isinstance(value, float):
        if not value.is_integer():
            raise BadRequest(hint=f"{name} must be a whole number (deal values are in cents)")
        return int(value)
    text = str(value).strip()
    if not (text.isascii() and text.lstrip("-").isdigit() and len(text) < 19):
        raise BadRequest(hint=f"{name} must be a whole number, got {text[:30]!r}")
    return int(text)


def _ref(value: Id, name: str) -> int | None:
    found = ref_id(value)
    if found == -1:
        raise BadRequest(hint=f"{name} must be an id")
    return found


# --- requests --------------------------------------------------------------------------------------------


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
            contact=_ref(self.contact, "deal.contact"),
            value=_number(self.value, "deal.value"),
            currency=self.currency,
            group=_ref(self.group, "deal.group"),
            stage=_ref(self.stage, "deal.stage"),
            owner=_ref(self.owner, "deal.owner"),
            percent=_number(self.percent, "deal.percent"),
            status=_number(self.status, "deal.status"),
        )


class DealBody(Body):
    """``{"deal": {...}}``."""

    deal: DealIn


class GroupIn(Body):
    title: str | None = None
    currency: str | None = None
    allgroups: Number = None
    allusers: Number = None
    autoassign: Number = None
    users: list[Any] = Field(default_factory=list)
    groups: list[Any] = Field(default_factory=list)

    def changes(self) -> GroupChanges:
        return GroupChanges(
            title=self.title,
            currency=self.currency,
            allgroups=_number(self.allgroups, "dealGroup.allgroups"),
            allusers=_number(self.allusers, "dealGroup.allusers"),
            autoassign=_number(self.autoassign, "dealGroup.autoassign"),
        )


class GroupBody(Body):
    """``{"dealGroup": {...}}``."""

    dealGroup: GroupIn


class StageIn(Body):
    title: str | None = None
    group: Id = None
    order: Number = None


class StageBody(Body):
    """``{"dealStage": {...}}``."""

    dealStage: StageIn


# --- responses -------------------------------------------------------------------------------------------


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
            links=_relative("deals", d.id, DEAL_LINKS),
            id=str(d.id),
            hash=d.hash,
            fields=[] if echoed else None,
        )


class StageOut(Wire):
    cardRegion1: str = "title"
    cardRegion2: str = "next-action"
    cardRegion3: str = "show-avatar"
    cardRegion4: str = "contact-fullname-orgname"
    cardRegion5: str = "value"
    cdate: str | None
    color: str
    dealOrder: str = "next-action DESC"
    group: str
    id: str
    links: dict[str, str]
    order: str | int
    title: str
    udate: str | None
    width: str | int

    @classmethod
    def of(cls, s: StageRecord, *, echoed: bool = False) -> StageOut:
        return cls.build(
            cdate=None if s.cdate is None else iso(s.cdate),
            color=s.color,
            group=str(s.group_id),
            id=str(s.id),
            links=_relative("dealStages", s.id, STAGE_LINKS),
            order=s.order if echoed else str(s.order),
            title=s.title,
            udate=None if s.udate is None else iso(s.udate),
            width=s.width if echoed else str(s.width),
        )


class GroupOut(Wire):
    title: str
    currency: str
    autoassign: str | int
    allusers: str | int
    allgroups: str | int
    cdate: str
    udate: str
    win_probability_initialize_date: str | None = None
    stages: list[str]
    links: dict[str, str]
    id: str

    @classmethod
    def of(cls, g: GroupRecord, *, echoed: bool = False) -> GroupOut:
        def flag(value: int) -> str | int:
            return value if echoed else str(value)

        return cls.build(
            title=g.title,
            currency=g.currency,
            autoassign=flag(g.autoassign),
            allusers=flag(g.allusers),
            allgroups=flag(g.allgroups),
            cdate=iso(g.cdate),
            udate=iso(g.udate),
            stages=[str(i) for i in g.stage_ids],
            links=_relative("dealGroups", g.id, GROUP_LINKS),
            id=str(g.id),
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


class GroupCreatedEnvelope(Wire):
    """POST /dealGroups: 200 with its stages; G67: no user groups or users are emulated, so both lists are
    empty."""

    dealGroup: GroupOut
    dealGroupGroups: list[Any] = Field(default_factory=list)
    dealGroupUsers: list[Any] = Field(default_factory=list)
    dealStages: list[StageOut]


class GroupEnvelope(Wire):
    """GET /dealGroups/{id}: with a ``dealStages`` sideload ([AC3] reads it)."""

    dealGroup: GroupOut
    dealStages: list[StageOut]

    @classmethod
    def of(cls, group: GroupRecord, stages: list[StageRecord]) -> GroupEnvelope:
        return cls(dealGroup=GroupOut.of(group), dealStages=[StageOut.of(s) for s in stages])


class GroupsEnvelope(Wire):
    dealGroups: list[GroupOut]
    meta: StringTotal


class StageEnvelope(Wire):
    dealStage: StageOut


class StagesEnvelope(Wire):
    dealStages: list[StageOut]
    meta: StringTotal


def state_of(records: list[Any], _base_url: str) -> dict[str, list[Any]]:
    return {
        "dealGroups": [GroupOut.of(r) for r in records if isinstance(r, GroupRecord)],
        "dealStages": [StageOut.of(r) for r in records if isinstance(r, StageRecord)],
        "deals": [DealOut.of(r) for r in records if isinstance(r, DealRecord)],
    }


def sideload_of(records: list[DealRecord], _base_url: str) -> list[DealOut]:
    """GET /contacts/{id}'s ``deals``."""
    return [DealOut.of(r) for r in records]
