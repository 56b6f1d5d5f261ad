"""/api/3/fields, /fieldOption(s)/bulk and /fieldRels (ac-api-facts-breadth.md §4.1)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, status

from fakecampaign.api.deps import caller_of
from fakecampaign.api.v3 import docs, params
from fakecampaign.errors import BulkOptionsFailed
from fakecampaign.resources.fields import service as fields
from fakecampaign.resources.fields.schemas import (
    FieldBody,
    FieldEnvelope,
    FieldsEnvelope,
    OptionOut,
    OptionsBody,
    OptionsEnvelope,
    RelBody,
    RelEnvelope,
    RelOut,
    RelsEnvelope,
    state_of,
)
from fakecampaign.schemas.common import ref_id
from fakecampaign.schemas.tracking import EmptyObject

router = APIRouter(tags=["Custom fields"])
__all__ = ["router", "state_of"]

EXAMPLE: dict[str, Any] = {
    "title": "Favourite colour", "descript": "", "type": "dropdown", "isrequired": "0", "perstag": "FAVOURITE_COLOUR",
    "defval": "", "show_in_list": "0", "rows": "0", "cols": "0", "visible": "1", "service": "", "ordernum": "1",
    "cdate": "2026-01-31T12:00:00+00:00", "udate": "2026-01-31T12:00:00+00:00", "options": ["1"], "relations": ["1"],
    "links": {"options": "http://127.0.0.1:8000/api/3/fields/1/options"}, "id": "1",
}  # fmt: skip
OPTION = {"field": "1", "orderid": 1, "value": "Blue", "label": "Blue", "isdefault": 0, "id": "1"}
REL = {"field": "1", "relid": "0", "dorder": "0", "cdate": "2026-01-31T12:00:00+00:00", "links": [], "id": "1"}


def _id(raw: str) -> int:
    return params.path_id(raw, resource=fields.MODEL)


@router.post(
    "/fields",
    name="fields.create",
    status_code=status.HTTP_201_CREATED,
    response_model=FieldEnvelope,
    responses=docs.example({"fieldOptions": [], "fieldRels": [], "field": EXAMPLE}, 201, shaped=(422,)),
)
async def create(body: FieldBody, request: Request) -> FieldEnvelope:
    """Create a custom field (``title`` and ``type`` required); ``perstag`` is derived from the title when omitted."""
    caller = caller_of(request)
    made = fields.create(caller.store, account=caller.account, changes=body.field.changes())
    return FieldEnvelope.of(made, caller.base_url, body.field.echoed())


@router.get(
    "/fields",
    name="fields.list",
    response_model=FieldsEnvelope,
    responses=docs.example({"fieldOptions": [OPTION], "fieldRels": [REL], "fields": [EXAMPLE], "meta": {"total": "1"}}),
    openapi_extra=docs.list_params(("filters[perstag]", "A personalization tag, e.g. FAVOURITE_COLOUR")),
)
async def list_(request: Request) -> FieldsEnvelope:
    """List custom fields with their options and relations."""
    caller = caller_of(request)
    query = docs.list_query(request.query_params, default_limit=fields.DEFAULT_LIMIT)
    found, total = fields.list_(caller.store, account=caller.account, query=query)
    return FieldsEnvelope.of(found, total, caller.base_url)


@router.get(
    "/fields/{field_id}", name="fields.get", response_model=FieldEnvelope, responses=docs.example({"field": EXAMPLE})
)
async def get(field_id: str, request: Request) -> FieldEnvelope:
    """Retrieve a field with its options and relations."""
    caller = caller_of(request)
    return FieldEnvelope.of(fields.get(caller.store, account=caller.account, field_id=_id(field_id)), caller.base_url)


@router.put(
    "/fields/{field_id}",
    name="fields.update",
    response_model=FieldEnvelope,
    responses=docs.example({"field": EXAMPLE}, shaped=(422,)),
)
async def update(field_id: str, body: FieldBody, request: Request) -> FieldEnvelope:
    """Update a field."""
    caller = caller_of(request)
    changed = fields.update(caller.store, account=caller.account, field_id=_id(field_id), changes=body.field.changes())
    return FieldEnvelope.of(changed, caller.base_url, body.field.echoed())


@router.delete("/fields/{field_id}", name="fields.delete", response_model=EmptyObject, responses=docs.example({}))
async def delete(field_id: str, request: Request) -> EmptyObject:
    """Delete a field with its options, relations and every contact's value."""
    caller = caller_of(request)
    fields.delete_(caller.store, account=caller.account, field_id=_id(field_id))
    return EmptyObject()


@router.get(
    "/fields/{field_id}/options",
    name="fields.options",
    response_model=OptionsEnvelope,
    responses=docs.example({"fieldOptions": [OPTION]}),
)
async def options(field_id: str, request: Request) -> OptionsEnvelope:
    """A field's options (its ``links.options``)."""
    caller = caller_of(request)
    found = fields.options_of(caller.store, account=caller.account, field_id=_id(field_id))
    return OptionsEnvelope(fieldOptions=[OptionOut.of(o, caller.base_url) for o in found])


@router.get(
    "/fields/{field_id}/relations",
    name="fields.relations",
    response_model=RelsEnvelope,
    responses=docs.example({"fieldRels": [REL]}),
)
async def relations(field_id: str, request: Request) -> RelsEnvelope:
    """A field's relations to lists (its ``links.relations``)."""
    caller = caller_of(request)
    found = fields.get(caller.store, account=caller.account, field_id=_id(field_id)).relations
    return RelsEnvelope(fieldRels=[RelOut.of(r) for r in found])


@router.post(
    "/fieldOption/bulk",
    name="fieldOptions.bulk",
    status_code=status.HTTP_201_CREATED,
    response_model=OptionsEnvelope,
    responses=docs.example({"fieldOptions": [OPTION]}, 201, shaped=(422,)),
)
async def bulk_options(body: OptionsBody, request: Request) -> OptionsEnvelope:
    """Add options to fields. The docs spell it /fieldOption/bulk, the official MCP server /fieldOptions/bulk:
    both answer."""
    caller = caller_of(request)
    given = body.fieldOptions
    if not given or any(o.value is None or ref_id(o.field) is None for o in given):
        raise BulkOptionsFailed(hint="Send {'fieldOptions': [{'field': id, 'value': ..., 'label': ...}, ...]}")
    rows = [{**o.model_dump(), "field": ref_id(o.field)} for o in given]
    made = fields.add_options(caller.store, account=caller.account, options=rows)
    return OptionsEnvelope(fieldOptions=[OptionOut.of(o, caller.base_url, as_given=True) for o in made])


router.post(
    "/fieldOptions/bulk",
    name="fieldOptions.bulk_plural",
    status_code=status.HTTP_201_CREATED,
    response_model=OptionsEnvelope,
    responses=docs.example({"fieldOptions": [OPTION]}, 201, shaped=(422,)),
)(bulk_options)


@router.post(
    "/fieldRels",
    name="fieldRels.create",
    status_code=status.HTTP_201_CREATED,
    response_model=RelEnvelope,
    responses=docs.example({"fieldRel": {**REL, "field": 1, "relid": 0}}, 201),
)
async def create_rel(body: RelBody, request: Request) -> RelEnvelope:
    """Show a field on a list (relid 0: every list); clients post one right after creating a field."""
    caller = caller_of(request)
    field_id = ref_id(body.fieldRel.field)
    made = fields.add_rel(
        caller.store,
        account=caller.account,
        field_id=-1 if field_id is None else field_id,
        relid=max(ref_id(body.fieldRel.relid) or 0, 0),
    )
    return RelEnvelope(fieldRel=RelOut.of(made, body.fieldRel))


@router.delete("/fieldRels/{rel_id}", name="fieldRels.delete", response_model=EmptyObject, responses=docs.example({}))
async def delete_rel(rel_id: str, request: Request) -> EmptyObject:
    """Remove a field's relation to a list."""
    caller = caller_of(request)
    fields.delete_rel(caller.store, account=caller.account, rel_id=params.path_id(rel_id, resource="FieldRel"))
    return EmptyObject()
