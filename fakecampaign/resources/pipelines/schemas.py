"""Pipeline (dealGroup) and stage (dealStage) shapes, ac-api-facts-breadth.md §7.

GET prints ids and flags as strings; a POST reply echoes numbers as numbers (a pipeline's flags, a stage's
``order`` and ``width``) [DOC-OAS][CORSAIR]. Links are relative (``/api/3/dealStages/1/group``), as AC prints them
on these resources (breadth §1.1.6).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, StrictFloat, StrictInt, StrictStr

from fakecampaign.errors import BadRequest
from fakecampaign.resources.pipelines.service import GroupChanges, GroupRecord, StageRecord
from fakecampaign.schemas.common import Body, StringTotal, Wire, iso, ref_id

GROUP_LINKS = ("stages", "dealGroupUsers", "dealGroupGroups")
STAGE_LINKS = ("group",)
Id = StrictStr | StrictInt | None
Number = StrictInt | StrictFloat | StrictStr | None  # strict: true is not 1


def relative(plural: str, record_id: int, names: tuple[str, ...]) -> dict[str, str]:
    return {name: f"/api/3/{plural}/{record_id}/{name}" for name in names}


def number(value: Number, name: str) -> int | None:
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


def ref(value: Id, name: str) -> int | None:
    found = ref_id(value)
    if found == -1:
        raise BadRequest(hint=f"{name} must be an id")
    return found


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
            allgroups=number(self.allgroups, "dealGroup.allgroups"),
            allusers=number(self.allusers, "dealGroup.allusers"),
            autoassign=number(self.autoassign, "dealGroup.autoassign"),
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


class StageOut(Wire):
    # G68: a new stage's card layout, as AC's own stages print it.
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
            links=relative("dealStages", s.id, STAGE_LINKS),
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
            links=relative("dealGroups", g.id, GROUP_LINKS),
            id=str(g.id),
        )


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
    }
