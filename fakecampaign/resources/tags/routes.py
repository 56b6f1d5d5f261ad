"""/api/3/tags (ac-api-facts-breadth.md §2.1)."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from fakecampaign.api.deps import caller_of
from fakecampaign.api.v3 import docs, params
from fakecampaign.resources.tags import service as tags
from fakecampaign.resources.tags.schemas import TagBody, TagEnvelope, TagOut, TagsEnvelope, state_of
from fakecampaign.schemas.common import StringTotal
from fakecampaign.schemas.tracking import EmptyObject

router = APIRouter(tags=["Tags"])
__all__ = ["router", "state_of"]

EXAMPLE = {
    "tagType": "contact",
    "tag": "VIP",
    "description": "Paying customers",
    "cdate": "2026-01-31T12:00:00+00:00",
    "created_timestamp": "2026-01-31 12:00:00",
    "updated_timestamp": "2026-01-31 12:00:00",
    "created_by": None,
    "updated_by": None,
    "deleted": "0",
    "subscriber_count": "0",
    "links": {"contactGoalTags": "http://127.0.0.1:8000/api/3/tags/1/contactGoalTags"},
    "id": "1",
}


def _id(raw: str) -> int:
    return params.path_id(raw, resource=tags.MODEL)


@router.post(
    "/tags",
    name="tags.create",
    status_code=status.HTTP_201_CREATED,
    response_model=TagEnvelope,
    responses=docs.example({"tag": EXAMPLE}, 201, shaped=(422,)),
)
async def create(body: TagBody, request: Request) -> TagEnvelope:
    """Create a tag; a name the account already has (any case, same tagType) is refused."""
    caller = caller_of(request)
    tag = tags.create(caller.store, account=caller.account, changes=body.tag.changes())
    return TagEnvelope(tag=TagOut.of(tag, caller.base_url))


@router.get(
    "/tags",
    name="tags.list",
    response_model=TagsEnvelope,
    responses=docs.example({"tags": [EXAMPLE], "meta": {"total": "1"}}),
    openapi_extra=docs.list_params(
        ("search", "Tags whose name contains this"),
        ("filters[search]", "Name filter; filters[search][eq|neq|lt|lte|gt|gte|contains|starts_with] too"),
        ("orders[search]", "weight (exact, then prefix, then the rest), ASC or DESC"),
    ),
)
async def list_(request: Request) -> TagsEnvelope:
    """List and search tags."""
    caller = caller_of(request)
    found, total = tags.list_(caller.store, account=caller.account, query=docs.list_query(request.query_params))
    return TagsEnvelope(tags=[TagOut.of(t, caller.base_url) for t in found], meta=StringTotal(total=str(total)))


@router.get("/tags/{tag_id}", name="tags.get", response_model=TagEnvelope, responses=docs.example({"tag": EXAMPLE}))
async def get(tag_id: str, request: Request) -> TagEnvelope:
    """Retrieve a tag."""
    caller = caller_of(request)
    return TagEnvelope(
        tag=TagOut.of(tags.get(caller.store, account=caller.account, tag_id=_id(tag_id)), caller.base_url)
    )


@router.put(
    "/tags/{tag_id}",
    name="tags.update",
    response_model=TagEnvelope,
    responses=docs.example({"tag": EXAMPLE}, shaped=(422,)),
)
async def update(tag_id: str, body: TagBody, request: Request) -> TagEnvelope:
    """Update a tag's name, type or description."""
    caller = caller_of(request)
    tag = tags.update(caller.store, account=caller.account, tag_id=_id(tag_id), changes=body.tag.changes())
    return TagEnvelope(tag=TagOut.of(tag, caller.base_url))


@router.delete("/tags/{tag_id}", name="tags.delete", response_model=EmptyObject, responses=docs.example({}))
async def delete(tag_id: str, request: Request) -> EmptyObject:
    """Delete a tag; it comes off every contact."""
    caller = caller_of(request)
    tags.delete_(caller.store, account=caller.account, tag_id=_id(tag_id))
    return EmptyObject()
