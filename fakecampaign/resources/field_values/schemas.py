"""fieldValue shapes (ac-api-facts-breadth.md §4.1, §4.3; live keys from [CORSAIR])."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from fakecampaign.resources.field_values.service import FieldValueRecord
from fakecampaign.schemas.common import Body, StringTotal, Wire, iso, relation_links
from fakecampaign.schemas.contacts import ContactOut


class FieldValueIn(Body):
    contact: str | int | None = None
    field: str | int | None = None
    value: Any = None


class FieldValueBody(Body):
    """``{"fieldValue": {"contact": 2, "field": 3, "value": "Blue"}, "useDefaults": true}``."""

    fieldValue: FieldValueIn
    useDefaults: bool | None = None


class FieldValueOut(Wire):
    contact: str | int
    field: str | int
    value: str
    cdate: str
    udate: str
    created_by: str = "0"
    updated_by: str = "0"
    links: dict[str, str]
    owner: str | int
    id: str

    @classmethod
    def of(cls, v: FieldValueRecord, base_url: str, echo: FieldValueIn | None = None) -> FieldValueOut:
        """``echo``: POST replies repeat the request's JSON types (``"contact":2,"field":3,"owner":2``)."""
        contact: str | int = str(v.contact_id)
        field: str | int = str(v.field_id)
        if echo is not None:
            contact = echo.contact if isinstance(echo.contact, int) else contact
            field = echo.field if isinstance(echo.field, int) else field
        return cls.build(
            contact=contact,
            field=field,
            value=v.value,
            cdate=iso(v.cdate),
            udate=iso(v.udate),
            links=relation_links(base_url, "fieldValues", v.id, ("owner", "field")),
            owner=contact,
            id=str(v.id),
        )


class FieldValueReply(Wire):
    """POST and PUT /fieldValues: ``{"contacts": [...], "fieldValue": {...}}``."""

    contacts: list[ContactOut]
    fieldValue: FieldValueOut


class FieldValueEnvelope(Wire):
    fieldValue: FieldValueOut


class FieldValuesOfContact(Wire):
    """GET /contacts/{id}/fieldValues: no ``meta`` (breadth §1.2)."""

    fieldValues: list[FieldValueOut] = Field(default_factory=list)


class FieldValuesEnvelope(Wire):
    fieldValues: list[FieldValueOut] = Field(default_factory=list)
    meta: StringTotal


def many(records: list[FieldValueRecord], base_url: str) -> list[FieldValueOut]:
    return [FieldValueOut.of(v, base_url) for v in records]


def sideload_of(records: list[FieldValueRecord], base_url: str) -> list[FieldValueOut]:
    """GET /contacts/{id}'s sideload (here, not in routes.py: that GET must not wait for the routes' imports)."""
    return many(records, base_url)


def state_of(records: list[FieldValueRecord], base_url: str) -> dict[str, list[FieldValueOut]]:
    return {"fieldValues": many(records, base_url)}
