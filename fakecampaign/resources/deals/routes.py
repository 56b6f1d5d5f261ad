"""/api/3/deals (ac-api-facts-breadth.md §7); pipelines and stages are in resources/pipelines/.

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
from fakecampaign.errors import UnknownRoute
from fakecampaign.resources.deals import service as deals
from fakecampaign.resources.deals.schemas import (
    ContactDealsEnvelope,
    DealBody,
    DealCreatedEnvelope,
    DealEnvelope,
    DealOut,
    DealsEnvelope,
    sideload_of,
    state_of,
)
from fakecampaign.resources.pipelines import service as pipelines
from fakecampaign.resources.pipelines.routes import GROUP_EXAMPLE, STAGES_EXAMPLE
from fakecampaign.resources.pipelines.schemas import GroupEnvelope, StageEnvelope, StageOut
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


# --- examples (rendered by the wire builders from AC's documentation data) -------------------------------

_DEAL = deals.DealRecord(
    id=46, account_id=1, contact_id=113, group_id=1, stage_id=1, title="Able Hyena", title_key="able hyena",
    description="Demo requested", value=45600, currency="usd", owner=1, percent=0, status=0,
    hash="0f2d3c4b5a69788796a5b4c3d2e1f0a9", cdate=ex.T0 + 180, mdate=ex.T0 + 180, edate=None,
)  # fmt: skip
DEAL_BODY = {
    "deal": {"title": "Able Hyena", "contact": "113", "value": 45600, "currency": "usd", "group": "1", "status": 0}
}


_STAGES, _GROUP = STAGES_EXAMPLE, GROUP_EXAMPLE


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
    """Delete a deal. G69: AC's example body is empty; clients parse JSON, so ``{}`` like every AC delete."""
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
        dealStage=StageOut.of(pipelines.get_stage(caller.store, account=caller.account, stage_id=deal.stage_id))
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
    group, stages = pipelines.get_group(caller.store, account=caller.account, group_id=deal.group_id)
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
