"""/api/3/dealGroups (pipelines) and /api/3/dealStages (ac-api-facts-breadth.md §7).

AC documents only ``400 {}`` for its deal calls; a missing or invalid field here is that 400 too (G69).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from fakecampaign.api import examples as ex
from fakecampaign.api.deps import caller_of
from fakecampaign.api.docs import PAGE, Param, documented
from fakecampaign.api.errors import answers_bare_400
from fakecampaign.api.v3 import docs, params
from fakecampaign.errors import BadRequest, UnknownRoute
from fakecampaign.resources.pipelines import service as pipelines
from fakecampaign.resources.pipelines.schemas import (
    GroupBody,
    GroupCreatedEnvelope,
    GroupEnvelope,
    GroupOut,
    GroupsEnvelope,
    StageBody,
    StageEnvelope,
    StageOut,
    StagesEnvelope,
    number,
    ref,
    state_of,
)
from fakecampaign.schemas.common import StringTotal
from fakecampaign.schemas.tracking import EmptyObject

router = APIRouter(tags=["Deals"])
__all__ = ["router", "state_of"]


def _group_key(raw: str) -> int:
    return params.path_id(raw, resource=pipelines.GROUP_MODEL)


def _stage_key(raw: str) -> int:
    return params.path_id(raw, resource=pipelines.STAGE_MODEL)


# --- examples (rendered by the wire builders from AC's documentation data) -------------------------------

STAGES_EXAMPLE = [
    pipelines.StageRecord(id=i, account_id=1, group_id=1, title=t, title_key=t.lower(), order=i, color="32B0FC",
                      width=280, cdate=None, udate=None)
    for i, t in enumerate(pipelines.DEFAULT_STAGES, start=1)
]  # fmt: skip
GROUP_EXAMPLE = pipelines.GroupRecord(
    id=1, account_id=1, title="Sales", title_key="sales", currency="usd", allgroups=1, allusers=1, autoassign=1,
    cdate=ex.T0, udate=ex.T0, stage_ids=(1, 2, 3),
)  # fmt: skip
_STAGES, _GROUP = STAGES_EXAMPLE, GROUP_EXAMPLE


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
    group, stages = pipelines.create_group(caller.store, account=caller.account, changes=body.dealGroup.changes())
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
    found, total = pipelines.list_groups(
        caller.store, account=caller.account, query=docs.list_query(request.query_params)
    )
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
    group, stages = pipelines.get_group(caller.store, account=caller.account, group_id=_group_key(group_id))
    return GroupEnvelope.of(group, stages)


@router.delete(
    "/dealGroups/{group_id}", name="dealGroups.delete", response_model=EmptyObject, openapi_extra=documented({})
)
async def delete_group(group_id: str, request: Request) -> EmptyObject:
    """Delete a pipeline with its stages and deals."""
    caller = caller_of(request)
    pipelines.delete_group(caller.store, account=caller.account, group_id=_group_key(group_id))
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
    _, stages = pipelines.get_group(caller.store, account=caller.account, group_id=_group_key(group_id))
    return StagesEnvelope(dealStages=[StageOut.of(s) for s in stages], meta=StringTotal(total=str(len(stages))))


@router.get(
    "/dealGroups/{group_id}/{name}", name="dealGroups.relation", openapi_extra=documented({"dealGroupUsers": []})
)
async def group_relation(group_id: str, name: str, request: Request) -> dict[str, Any]:
    """A pipeline's users and user groups: not emulated, empty (G67)."""
    if name not in ("dealGroupUsers", "dealGroupGroups"):
        raise UnknownRoute(method=request.method, path=request.url.path)
    caller = caller_of(request)
    pipelines.get_group(caller.store, account=caller.account, group_id=_group_key(group_id))
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
    stage = pipelines.create_stage(
        caller.store,
        account=caller.account,
        title=given.title,
        group_id=ref(given.group, "dealStage.group"),
        order=_order(given.order),
    )
    return StageEnvelope(dealStage=StageOut.of(stage, echoed=True))


def _order(raw: Any) -> int | None:
    order = number(raw, "dealStage.order")
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
    found, total = pipelines.list_stages(
        caller.store, account=caller.account, query=docs.list_query(request.query_params)
    )
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
        dealStage=StageOut.of(pipelines.get_stage(caller.store, account=caller.account, stage_id=_stage_key(stage_id)))
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
    stage = pipelines.get_stage(caller.store, account=caller.account, stage_id=_stage_key(stage_id))
    group, stages = pipelines.get_group(caller.store, account=caller.account, group_id=stage.group_id)
    return GroupEnvelope.of(group, stages)
