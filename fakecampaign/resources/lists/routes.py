"""/api/3/lists (ac-api-facts-breadth.md §3.1). [AC3] calls /api/3/lists/ with a trailing slash."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from fakecampaign.api import examples as ex
from fakecampaign.api.deps import caller_of
from fakecampaign.api.v3 import docs, params
from fakecampaign.errors import NoResultFoundForbidden
from fakecampaign.resources.lists import service as lists
from fakecampaign.resources.lists.schemas import ListBody, ListEnvelope, ListOut, ListsEnvelope, state_of
from fakecampaign.schemas.common import StringTotal
from fakecampaign.schemas.misc import UserEnvelope
from fakecampaign.schemas.tracking import EmptyObject

router = APIRouter(tags=["Lists"])
__all__ = ["router", "state_of"]

EXAMPLE: dict[str, Any] = {
    "stringid": "newsletter", "userid": "1", "name": "Newsletter", "cdate": "2026-01-31T12:00:00+00:00",
    "send_last_broadcast": "0", "sender_url": "https://example.com", "sender_reminder": "You signed up on our site.",
    "udate": "2026-01-31T12:00:00+00:00", "created_timestamp": "2026-01-31 12:00:00",
    "updated_timestamp": "2026-01-31 12:00:00", "channel": "email", "active_subscribers": "0",
    "non_deleted_subscribers": "0",
    "links": {"contactGoalLists": "http://127.0.0.1:8000/api/3/lists/1/contactGoalLists"}, "id": "1", "user": "1",
}  # fmt: skip


def _id(raw: str) -> int:
    return params.path_id(raw, resource=lists.MODEL)


@router.post("/lists", name="lists.create", response_model=ListEnvelope, responses=docs.example({"list": EXAMPLE}))
async def create(body: ListBody, request: Request) -> ListEnvelope:
    """Create a list (AC answers 200, not 201). Only ``name`` is enforced (G47)."""
    caller = caller_of(request)
    return ListEnvelope(
        list=ListOut.of(
            lists.create(caller.store, account=caller.account, changes=body.list.changes()), caller.base_url
        )
    )


router.post("/lists/", name="lists.create_slash", response_model=ListEnvelope, include_in_schema=False)(create)


@router.get(
    "/lists",
    name="lists.list",
    response_model=ListsEnvelope,
    responses=docs.example({"lists": [EXAMPLE], "meta": {"total": "1"}}),
    openapi_extra=docs.list_params(
        ("filters[name]", "Name contains this; filters[name][eq|neq|lt|lte|gt|gte|contains|starts_with] too"),
        ("filters[id]", "A list id"),
        ("filters[channel]", "email or sms"),
        ("orders[name]", "weight, ASC or DESC"),
    ),
)
async def list_(request: Request) -> ListsEnvelope:
    """List lists."""
    caller = caller_of(request)
    found, total = lists.list_(caller.store, account=caller.account, query=docs.list_query(request.query_params))
    return ListsEnvelope(lists=[ListOut.of(r, caller.base_url) for r in found], meta=StringTotal(total=str(total)))


router.get("/lists/", name="lists.list_slash", response_model=ListsEnvelope, include_in_schema=False)(list_)


@router.get(
    "/lists/{list_id}", name="lists.get", response_model=ListEnvelope, responses=docs.example({"list": EXAMPLE})
)
async def get(list_id: str, request: Request) -> ListEnvelope:
    """Retrieve a list."""
    caller = caller_of(request)
    return ListEnvelope(
        list=ListOut.of(lists.get(caller.store, account=caller.account, list_id=_id(list_id)), caller.base_url)
    )


@router.put(
    "/lists/{list_id}", name="lists.update", response_model=ListEnvelope, responses=docs.example({"list": EXAMPLE})
)
async def update(list_id: str, body: ListBody, request: Request) -> ListEnvelope:
    """Update a list (G48: answered like GET, ``{"list": {...}}``)."""
    caller = caller_of(request)
    record = lists.update(caller.store, account=caller.account, list_id=_id(list_id), changes=body.list.changes())
    return ListEnvelope(list=ListOut.of(record, caller.base_url))


@router.delete("/lists/{list_id}", name="lists.delete", response_model=EmptyObject, responses=docs.example({}))
async def delete(list_id: str, request: Request) -> EmptyObject:
    """Delete a list and its memberships; an unknown id is AC's documented 403."""
    caller = caller_of(request)
    lid = params.path_id(list_id, missing=lambda raw: NoResultFoundForbidden(resource=lists.MODEL, id=raw))
    lists.delete_(caller.store, account=caller.account, list_id=lid)
    return EmptyObject()


@router.get(
    "/lists/{list_id}/user",
    name="lists.user",
    response_model=UserEnvelope,
    responses=docs.example(UserEnvelope.of(ex.ACCOUNT, ex.BASE_URL).model_dump(mode="json")),
)
async def user_of(list_id: str, request: Request) -> UserEnvelope:
    """The list's owner (its ``links.user``): the account's one user."""
    caller = caller_of(request)
    lists.get(caller.store, account=caller.account, list_id=_id(list_id))
    return UserEnvelope.of(caller.account, caller.base_url)
