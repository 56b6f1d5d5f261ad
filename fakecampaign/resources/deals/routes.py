"""/api/3/deals, /api/3/dealGroups (pipelines), /api/3/dealStages (ac-api-facts-breadth.md §7).

AC documents only ``400 {}`` for a bad deal, so every write here answers a missing or invalid field with it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, status

from fakecampaign.api import examples as ex
from fakecampaign.api.deps import caller_of
from fakecampaign.api.docs import PAGE, Param, documented
from fakecampaign.api.errors import answers_bare_400
from fakecampaign.api.v3 import docs, params
from fakecampaign.errors import BadRequest, UnknownRoute
from fakecampaign.resources.deals import service as deals
from fakecampaign.resources.deals.schemas import (
    ContactDealsEnvelope,
    DealBody,
    DealCreatedEnvelope,
    DealEnvelope,
    DealOut,
    DealsEnvelope,
    GroupBody,
    GroupCreatedEnvelope,
    GroupEnvelope,
    GroupOut,
    GroupsEnvelope,
    StageBody,
    StageEnvelope,
    StageOut,
    StagesEnvelope,
    _number,
    _ref,
    sideload_of,
    state_of,
)
from fakecampaign.schemas.common import StringTotal
from fakecampaign.schemas.contacts import ContactOnlyEnvelope, ContactOut
from fakecampaign.schemas.misc import UserEnvelope
from fakecampaign.schemas.tracking import EmptyObject
from fakecampaign.services import contacts

router = APIRouter(tags=["Deals"])
__all__ = ["router", "sideload_of", "state_of"]

# Relations a deal's links name that fakecampaign does not emulate: G42's answer (empty list or null).
DEAL_RELATIONS: dict[str, list[Any] | None] = {
    "dealActivities": [],
    "contactDeals": [],
    "nextTask": None,
    "notes": [],
    "account": None,
    "customerAccount": None,
    "organization": None,
    "scoreValues": [],
    "tasks": [],
    "dealCustomFieldData": [],
}


def _deal_id(raw: str) -> int:
    return params.path_id(raw, resource=deals.MODEL)


def _group_id(raw: str) -> int:
    return params.path_id(raw, resource=deals.GROUP_MODEL)


def _stage_id(raw: str) -> int:
    return params.path_id(raw, resource=deals.STAGE_MODEL)


# --- examples (rendered by the wire builders from AC's documentation data) -------------------------------

_STAGES = [
    deals.StageRecord(id=i, account_id=1, group_id=1, title=t, title_key=t.lower(), order=i, color="32B0FC",
                      width=280, cdate=None, udate=None)
    for i, t in enumerate(deals.DEFAULT_STAGES, start=1)
]  # fmt: skip
_GROUP = deals.GroupRecord(
    id=1, account_id=1, title="Sales", title_key="sales", currency="usd", allgroups=1, allusers=1, autoassign=1,
    cdate=ex.T0, udate=ex.T0, stage_ids=(1, 2, 3),
)  # fmt: skip
_DEAL = deals.DealRecord(
    id=46, account_id=1, contact_id=113, group_id=1, stage_id=1, title="Able Hyena", title_key="able hyena",
    description="Demo requested", value=45600, currency="usd", owner=1, percent=0, status=0,
    hash="0f2d3c4b5a69788796a5b4c3d2e1f0a9", cdate=ex.T0 + 180, mdate=ex.T0 + 180, edate=None,
)  # fmt: skip
DEAL_BODY = {
    "deal": {"title": "Able Hyena", "contact": "113", "value": 45600, "currency": "usd", "group": "1", "status": 0}
}


# --- deals -----------------------------------------------------------------------------------------------


@router.post(
    "/deals",
    name="deals.create",
    status_code=status.HTTP_201_CREATED,
    response_model=DealCreatedEnvelope,
    openapi_extra=documented(
        DealCreatedEnvelope.of(_DEAL, ex.CONTACT, _STAGES[0], ex.BASE_URL), status=201, request=DEAL_BODY
    ),
)
@answers_bare_400
async def create(body: DealBody, request: Request) -> DealCreatedEnvelope:
    """Create a deal for a contact: title, contact, value (cents), currency and a pipeline (group) or stage."""
    caller = caller_of(request)
    deal, contact, stage = deals.create(caller.store, account=caller.account, changes=body.deal.changes())
    return DealCreatedEnvelope.of(deal, contact, stage, caller.base_url)


@router.get(
    "/deals",
    name="deals.list",
    response_model=DealsEnvelope,
    openapi_extra=documented(
        DealsEnvelope.of(deals.DealPage([_DEAL], 1, {"usd": (1, _DEAL.value)})),
        params=(
            Param("filters[search]", "Deals whose title contains this"),
            Param("filters[title]", "Same as filters[search]"),
            *(Param(f"filters[{n}]", f"Only deals with this {n}", "integer") for n in ("stage", "group", "status")),
            Param("filters[owner]", "Only deals of this user", "integer"),
            Param("filters[contact]", "Only this contact's deals", "integer"),
            Param("filters[minimum_value]", "At least this value (cents)", "integer"),
            Param("filters[maximum_value]", "At most this value (cents)", "integer"),
            *(Param(f"orders[{n}]", "ASC or DESC") for n in ("title", "value", "cdate")),
            *PAGE,
        ),
    ),
)
async def list_(request: Request) -> DealsEnvelope:
    """List deals; ``meta`` sums them per currency."""
    caller = caller_of(request)
    page = deals.list_(caller.store, account=caller.account, query=docs.list_query(request.query_params))
    return DealsEnvelope.of(page)


@router.get(
    "/deals/{deal_id}",
    name="deals.get",
    response_model=DealEnvelope,
    openapi_extra=documented(DealEnvelope(deal=DealOut.of(_DEAL))),
)
async def get(deal_id: str, request: Request) -> DealEnvelope:
    """Retrieve a deal."""
    caller = caller_of(request)
    return DealEnvelope(deal=DealOut.of(deals.get(caller.store, account=caller.account, deal_id=_deal_id(deal_id))))


@router.put(
    "/deals/{deal_id}",
    name="deals.update",
    response_model=DealEnvelope,
    openapi_extra=documented(
        DealEnvelope(deal=DealOut.of(_DEAL, echoed=True)), request={"deal": {"stage": "2", "status": 1}}
    ),
)
@answers_bare_400
async def update(deal_id: str, body: DealBody, request: Request) -> DealEnvelope:
    """Update a deal: any field; a new stage moves it to that stage's pipeline."""
    caller = caller_of(request)
    deal = deals.update(caller.store, account=caller.account, deal_id=_deal_id(deal_id), changes=body.deal.changes())
    return DealEnvelope(deal=DealOut.of(deal, echoed=True))


@router.delete("/deals/{deal_id}", name="deals.delete", response_model=EmptyObject, openapi_extra=documented({}))
async def delete(deal_id: str, request: Request) -> EmptyObject:
    """Delete a deal."""
    caller = caller_of(request)
    deals.delete_(caller.store, account=caller.account, deal_id=_deal_id(deal_id))
    return EmptyObject()


@router.get(
    "/contacts/{contact_id}/deals",
    name="deals.of_contact",
    response_model=ContactDealsEnvelope,
    openapi_extra=documented(ContactDealsEnvelope(deals=[DealOut.of(_DEAL)])),
)
async def of_contact(contact_id: str, request: Request) -> ContactDealsEnvelope:
    """A contact's deals (its ``links.deals``); 404 for an unknown contact."""
    caller = caller_of(request)
    found = deals.of_contact(caller.store, account=caller.account, contact_id=params.path_id(contact_id))
    return ContactDealsEnvelope(deals=[DealOut.of(d) for d in found])


@router.get(
    "/deals/{deal_id}/contact",
    name="deals.contact",
    response_model=ContactOnlyEnvelope,
    openapi_extra=documented(ContactOnlyEnvelope(contact=ContactOut.of(ex.CONTACT, ex.BASE_URL))),
)
async def contact_of(deal_id: str, request: Request) -> ContactOnlyEnvelope:
    """The deal's contact (its ``links.contact``)."""
    caller = caller_of(request)
    deal = deals.get(caller.store, account=caller.account, deal_id=_deal_id(deal_id))
    contact = contacts.get(caller.store, account=caller.account, contact_id=deal.contact_id)
    return ContactOnlyEnvelope(contact=ContactOut.of(contact, caller.base_url))


@router.get(
    "/deals/{deal_id}/stage",
    name="deals.stage",
    response_model=StageEnvelope,
    openapi_extra=documented(StageEnvelope(dealStage=StageOut.of(_STAGES[0]))),
)
async def stage_of(deal_id: str, request: Request) -> StageEnvelope:
    """The deal's stage (its ``links.stage``)."""
    caller = caller_of(request)
    deal = deals.get(caller.store, account=caller.account, deal_id=_deal_id(deal_id))
    return StageEnvelope(
        dealStage=StageOut.of(deals.get_stage(caller.store, account=caller.account, stage_id=deal.stage_id))
    )


@router.get(
    "/deals/{deal_id}/group",
    name="deals.group",
    response_model=GroupEnvelope,
    openapi_extra=documented(GroupEnvelope.of(_GROUP, _STAGES)),
)
async def group_of(deal_id: str, request: Request) -> GroupEnvelope:
    """The deal's pipeline (its ``links.group``)."""
    caller = caller_of(request)
    deal = deals.get(caller.store, account=caller.account, deal_id=_deal_id(deal_id))
    group, stages = deals.get_group(caller.store, account=caller.account, group_id=deal.group_id)
    return GroupEnvelope.of(group, stages)


@router.get(
    "/deals/{deal_id}/owner",
    name="deals.owner",
    response_model=UserEnvelope,
    openapi_extra=documented(UserEnvelope.of(ex.ACCOUNT, ex.BASE_URL)),
)
async def owner_of(deal_id: str, request: Request) -> UserEnvelope:
    """The deal's owner (its ``links.owner``): the account's one user."""
    caller = caller_of(request)
    deals.get(caller.store, account=caller.account, deal_id=_deal_id(deal_id))
    return UserEnvelope.of(caller.account, caller.base_url)


@router.get("/deals/{deal_id}/{name}", name="deals.relation", openapi_extra=documented({"notes": []}))
async def relation_of(deal_id: str, name: str, request: Request) -> dict[str, Any]:
    """Relations of a deal that fakecampaign does not emulate (notes, tasks, dealActivities, ...): empty."""
    if name not in DEAL_RELATIONS:
        raise UnknownRoute(method=request.method, path=request.url.path)
    caller = caller_of(request)
    deals.get(caller.store, account=caller.account, deal_id=_deal_id(deal_id))
    return {name: DEAL_RELATIONS[name]}


# --- pipelines (dealGroups) ------------------------------------------------------------------------------


@router.post(
    "/dealGroups",
    name="dealGroups.create",
    response_model=GroupCreatedEnvelope,
    openapi_extra=documented(
        GroupCreatedEnvelope(dealGroup=GroupOut.of(_GROUP, echoed=True), dealStages=[StageOut.of(s) for s in _STAGES]),
        request={"dealGroup": {"title": "Sales", "currency": "usd", "allgroups": 1, "allusers": 1, "autoassign": 1}},
    ),
)
@answers_bare_400
async def create_group(body: GroupBody, request: Request) -> GroupCreatedEnvelope:
    """Create a pipeline (200, as AC documents); it comes with the stages To Contact, In Contact, Follow Up."""
    caller = caller_of(request)
    group, stages = deals.create_group(caller.store, account=caller.account, changes=body.dealGroup.changes())
    return GroupCreatedEnvelope(dealGroup=GroupOut.of(group, echoed=True), dealStages=[StageOut.of(s) for s in stages])


@router.get(
    "/dealGroups",
    name="dealGroups.list",
    response_model=GroupsEnvelope,
    openapi_extra=documented(
        GroupsEnvelope(dealGroups=[GroupOut.of(_GROUP)], meta=StringTotal(total="1")),
        params=(
            Param("filters[title]", "Pipelines whose title contains this"),
            Param("orders[title]", "ASC or DESC"),
            *PAGE,
        ),
    ),
)
async def list_groups(request: Request) -> GroupsEnvelope:
    """List pipelines."""
    caller = caller_of(request)
    found, total = deals.list_groups(caller.store, account=caller.account, query=docs.list_query(request.query_params))
    return GroupsEnvelope(dealGroups=[GroupOut.of(g) for g in found], meta=StringTotal(total=str(total)))


@router.get(
    "/dealGroups/{group_id}",
    name="dealGroups.get",
    response_model=GroupEnvelope,
    openapi_extra=documented(GroupEnvelope.of(_GROUP, _STAGES)),
)
async def get_group(group_id: str, request: Request) -> GroupEnvelope:
    """Retrieve a pipeline with its stages."""
    caller = caller_of(request)
    group, stages = deals.get_group(caller.store, account=caller.account, group_id=_group_id(group_id))
    return GroupEnvelope.of(group, stages)


@router.delete(
    "/dealGroups/{group_id}", name="dealGroups.delete", response_model=EmptyObject, openapi_extra=documented({})
)
async def delete_group(group_id: str, request: Request) -> EmptyObject:
    """Delete a pipeline with its stages and deals."""
    caller = caller_of(request)
    deals.delete_group(caller.store, account=caller.account, group_id=_group_id(group_id))
    return EmptyObject()


@router.get(
    "/dealGroups/{group_id}/stages",
    name="dealGroups.stages",
    response_model=StagesEnvelope,
    openapi_extra=documented(StagesEnvelope(dealStages=[StageOut.of(s) for s in _STAGES], meta=StringTotal(total="3"))),
)
async def stages_of_group(group_id: str, request: Request) -> StagesEnvelope:
    """A pipeline's stages (its ``links.stages``)."""
    caller = caller_of(request)
    _, stages = deals.get_group(caller.store, account=caller.account, group_id=_group_id(group_id))
    return StagesEnvelope(dealStages=[StageOut.of(s) for s in stages], meta=StringTotal(total=str(len(stages))))


@router.get(
    "/dealGroups/{group_id}/{name}", name="dealGroups.relation", openapi_extra=documented({"dealGroupUsers": []})
)
async def group_relation(group_id: str, name: str, request: Request) -> dict[str, Any]:
    """A pipeline's users and user groups: not emulated, empty (G67)."""
    if name not in ("dealGroupUsers", "dealGroupGroups"):
        raise UnknownRoute(method=request.method, path=request.url.path)
    caller = caller_of(request)
    deals.get_group(caller.store, account=caller.account, group_id=_group_id(group_id))
    return {name: []}


# --- stages ----------------------------------------------------------------------------------------------


@router.post(
    "/dealStages",
    name="dealStages.create",
    response_model=StageEnvelope,
    openapi_extra=documented(
        StageEnvelope(dealStage=StageOut.of(_STAGES[0], echoed=True)),
        request={"dealStage": {"title": "Negotiation", "group": "1", "order": 4}},
        params=(Param("reorder", "0 or 1: accepted and ignored"),),
    ),
)
@answers_bare_400
async def create_stage(body: StageBody, request: Request) -> StageEnvelope:
    """Add a stage to a pipeline (200, as AC documents), last unless ``order`` is given."""
    caller = caller_of(request)
    given = body.dealStage
    stage = deals.create_stage(
        caller.store,
        account=caller.account,
        title=given.title,
        group_id=_ref(given.group, "dealStage.group"),
        order=_order(given.order),
    )
    return StageEnvelope(dealStage=StageOut.of(stage, echoed=True))


def _order(raw: Any) -> int | None:
    order = _number(raw, "dealStage.order")
    if order is not None and not 0 < order < 10_000:
        raise BadRequest(hint="dealStage.order must be between 1 and 9999")
    return order


@router.get(
    "/dealStages",
    name="dealStages.list",
    response_model=StagesEnvelope,
    openapi_extra=documented(
        StagesEnvelope(dealStages=[StageOut.of(s) for s in _STAGES], meta=StringTotal(total="3")),
        params=(
            Param("filters[title]", "Stages whose title contains this"),
            Param("filters[d_groupid]", "Only this pipeline's stages", "integer"),
            Param("orders[title]", "ASC or DESC"),
            *PAGE,
        ),
    ),
)
async def list_stages(request: Request) -> StagesEnvelope:
    """List stages."""
    caller = caller_of(request)
    found, total = deals.list_stages(caller.store, account=caller.account, query=docs.list_query(request.query_params))
    return StagesEnvelope(dealStages=[StageOut.of(s) for s in found], meta=StringTotal(total=str(total)))


@router.get(
    "/dealStages/{stage_id}",
    name="dealStages.get",
    response_model=StageEnvelope,
    openapi_extra=documented(StageEnvelope(dealStage=StageOut.of(_STAGES[0]))),
)
async def get_stage(stage_id: str, request: Request) -> StageEnvelope:
    """Retrieve a stage."""
    caller = caller_of(request)
    return StageEnvelope(
        dealStage=StageOut.of(deals.get_stage(caller.store, account=caller.account, stage_id=_stage_id(stage_id)))
    )


@router.get(
    "/dealStages/{stage_id}/group",
    name="dealStages.group",
    response_model=GroupEnvelope,
    openapi_extra=documented(GroupEnvelope.of(_GROUP, _STAGES)),
)
async def group_of_stage(stage_id: str, request: Request) -> GroupEnvelope:
    """The stage's pipeline (its ``links.group``)."""
    caller = caller_of(request)
    stage = deals.get_stage(caller.store, account=caller.account, stage_id=_stage_id(stage_id))
    group, stages = deals.get_group(caller.store, account=caller.account, group_id=stage.group_id)
    return GroupEnvelope.of(group, stages)
