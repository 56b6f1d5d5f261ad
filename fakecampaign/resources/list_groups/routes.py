"""/api/3/listGroups (ac-api-facts-breadth.md §3.1): [ACPY] and [ACMCP] call POST right after creating a list."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, status

from fakecampaign.api import docs
from fakecampaign.api.deps import caller_of
from fakecampaign.api.v3 import params
from fakecampaign.resources.list_groups import service as list_groups
from fakecampaign.resources.list_groups.schemas import ListGroupBody, ListGroupEnvelope, ListGroupOut
from fakecampaign.resources.lists import service as lists
from fakecampaign.resources.lists.routes import EXAMPLE as LIST_EXAMPLE
from fakecampaign.resources.lists.schemas import ListEnvelope, ListOut
from fakecampaign.schemas.common import ref_id

router = APIRouter(tags=["Lists"])
__all__ = ["router"]

EXAMPLE: dict[str, Any] = {
    "list": 19,
    "group": 1,
    "links": {
        "list": "http://127.0.0.1:8000/api/3/listGroups/55/list",
        "group": "http://127.0.0.1:8000/api/3/listGroups/55/group",
    },
    "id": "55",
}


def _id(raw: str) -> int:
    return params.path_id(raw, resource=list_groups.MODEL)


@router.post(
    "/listGroups",
    name="listGroups.create",
    status_code=status.HTTP_201_CREATED,
    response_model=ListGroupEnvelope,
    responses=docs.example({"listGroup": EXAMPLE}, 201),
)
async def create(body: ListGroupBody, request: Request) -> ListGroupEnvelope:
    """Give a user group permission on a list. fakecampaign has no permissions: it records and echoes (G131)."""
    caller = caller_of(request)
    given = body.listGroup
    record = list_groups.create(
        caller.store, account=caller.account, list_id=ref_id(given.listid), group_id=ref_id(given.groupid)
    )
    return ListGroupEnvelope(listGroup=ListGroupOut.of(record, caller.base_url, given))


@router.get(
    "/listGroups/{list_group_id}",
    name="listGroups.get",
    response_model=ListGroupEnvelope,
    responses=docs.example({"listGroup": {**EXAMPLE, "list": "19", "group": "1"}}),
)
async def get(list_group_id: str, request: Request) -> ListGroupEnvelope:
    """Retrieve a listGroup."""
    caller = caller_of(request)
    record = list_groups.get(caller.store, account=caller.account, list_group_id=_id(list_group_id))
    return ListGroupEnvelope(listGroup=ListGroupOut.of(record, caller.base_url))


@router.get(
    "/listGroups/{list_group_id}/list",
    name="listGroups.list_of",
    response_model=ListEnvelope,
    responses=docs.example({"list": LIST_EXAMPLE}),
)
async def list_of(list_group_id: str, request: Request) -> ListEnvelope:
    """The list a listGroup gives permission on."""
    caller = caller_of(request)
    record = list_groups.get(caller.store, account=caller.account, list_group_id=_id(list_group_id))
    found = lists.get(caller.store, account=caller.account, list_id=record.list_id)
    return ListEnvelope(list=ListOut.of(found, caller.base_url))


@router.get(
    "/listGroups/{list_group_id}/group",
    name="listGroups.group_of",
    responses=docs.example({"group": None}),
)
async def group_of(list_group_id: str, request: Request) -> dict[str, None]:
    """The user group: not emulated (no user groups), so ``null`` once the listGroup exists (G42)."""
    caller = caller_of(request)
    list_groups.get(caller.store, account=caller.account, list_group_id=_id(list_group_id))
    return {"group": None}
