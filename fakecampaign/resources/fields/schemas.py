"""Custom field, fieldOption and fieldRel shapes (ac-api-facts-breadth.md §4.1, §4.3)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from fakecampaign.resources.fields.service import FieldChanges, FieldRecord, OptionRecord, RelRecord
from fakecampaign.schemas.common import Body, SmallInt, StringTotal, Wire, api_url, iso, plain, relation_links

NUMBERS = ("isrequired", "show_in_list", "rows", "cols", "visible", "ordernum")


class FieldIn(Body):
    title: str | None = None
    type: str | None = None
    descript: str | None = None
    perstag: str | None = None
    defval: str | None = None
    isrequired: bool | SmallInt | None = None
    show_in_list: bool | SmallInt | None = None
    rows: SmallInt | None = None
    cols: SmallInt | None = None
    visible: bool | SmallInt | None = None
    service: str | None = None
    ordernum: SmallInt | None = None

    def changes(self) -> FieldChanges:
        values: dict[str, Any] = self.model_dump()
        converted: dict[str, Any] = {k: int(v) if k in NUMBERS and v is not None else v for k, v in values.items()}
        return FieldChanges(**converted)

    def echoed(self) -> dict[str, Any]:
        """POST/PUT replies echo the request's numbers as numbers (breadth §1.1.2: ``"isrequired":0,"rows":2``)."""
        return {k: int(v) for k in NUMBERS if (v := getattr(self, k)) is not None}


class FieldBody(Body):
    """``{"field": {...}}``."""

    field: FieldIn


class FieldOut(Wire):
    title: str
    descript: str
    type: str
    isrequired: str | int
    perstag: str
    defval: str
    show_in_list: str | int
    rows: str | int
    cols: str | int
    visible: str | int
    service: str
    ordernum: str | int
    cdate: str
    udate: str
    created_timestamp: str
    updated_timestamp: str
    created_by: str | None = None
    updated_by: str | None = None
    options: list[str] = Field(default_factory=list)
    relations: list[str] = Field(default_factory=list)
    links: dict[str, str]
    id: str

    @classmethod
    def of(cls, f: FieldRecord, base_url: str, echo: dict[str, Any] | None = None) -> FieldOut:
        return cls.build(
            title=f.title,
            descript=f.descript,
            type=f.type,
            perstag=f.perstag,
            defval=f.defval,
            service=f.service,
            **{name: str(getattr(f, name)) for name in NUMBERS},
            cdate=iso(f.cdate),
            udate=iso(f.udate),
            created_timestamp=plain(f.cdate),
            updated_timestamp=plain(f.udate),
            options=[str(o.id) for o in f.options],
            relations=[str(r.id) for r in f.relations],
            links=relation_links(base_url, "fields", f.id, ("options", "relations")),
            id=str(f.id),
        ).model_copy(update=echo or {})


class OptionIn(Body):
    field: str | int | None = None
    orderid: SmallInt | None = None
    value: str | None = None
    label: str | None = None
    isdefault: bool | SmallInt | None = None


class OptionsBody(Body):
    """``{"fieldOptions": [{...}, ...]}``; anything else is AC's string-``errors`` 422."""

    fieldOptions: list[OptionIn] | None = None


class OptionOut(Wire):
    field: str
    orderid: str | int
    value: str
    label: str
    isdefault: str | int
    cdate: str
    udate: str
    links: dict[str, str]
    id: str

    @classmethod
    def of(cls, o: OptionRecord, base_url: str, *, as_given: bool = False) -> OptionOut:
        return cls.build(
            field=str(o.field_id),
            orderid=o.orderid if as_given else str(o.orderid),
            value=o.value,
            label=o.label,
            isdefault=o.isdefault if as_given else str(o.isdefault),
            cdate=iso(o.cdate),
            udate=iso(o.udate),
            links={"field": api_url(base_url, f"fields/{o.field_id}")},  # G45: a link that answers
            id=str(o.id),
        )


class RelIn(Body):
    field: str | int | None = None
    relid: str | int | None = None


class RelBody(Body):
    """``{"fieldRel": {"field": 8, "relid": 0}}``."""

    fieldRel: RelIn


class RelOut(Wire):
    field: str | int
    relid: str | int
    dorder: str = "0"
    cdate: str
    links: list[str] = Field(default_factory=list)  # an empty array, not an object (breadth §1.1.6)
    id: str

    @classmethod
    def of(cls, r: RelRecord, echo: RelIn | None = None) -> RelOut:
        field: str | int = str(r.field_id) if echo is None or echo.field is None else echo.field
        relid: str | int = str(r.relid) if echo is None or echo.relid is None else echo.relid
        return cls.build(field=field, relid=relid, cdate=iso(r.cdate), id=str(r.id))


class FieldEnvelope(Wire):
    """GET /fields/{id}: the field with its options and relations side-loaded."""

    fieldOptions: list[OptionOut] = Field(default_factory=list)
    fieldRels: list[RelOut] = Field(default_factory=list)
    field: FieldOut

    @classmethod
    def of(cls, f: FieldRecord, base_url: str, echo: dict[str, Any] | None = None) -> FieldEnvelope:
        return cls(
            fieldOptions=[OptionOut.of(o, base_url) for o in f.options],
            fieldRels=[RelOut.of(r) for r in f.relations],
            field=FieldOut.of(f, base_url, echo),
        )


class FieldsEnvelope(Wire):
    fieldOptions: list[OptionOut] = Field(default_factory=list)
    fieldRels: list[RelOut] = Field(default_factory=list)
    fields: list[FieldOut] = Field(default_factory=list)
    meta: StringTotal

    @classmethod
    def of(cls, found: list[FieldRecord], total: int, base_url: str) -> FieldsEnvelope:
        return cls(
            fieldOptions=[OptionOut.of(o, base_url) for f in found for o in f.options],
            fieldRels=[RelOut.of(r) for f in found for r in f.relations],
            fields=[FieldOut.of(f, base_url) for f in found],
            meta=StringTotal(total=str(total)),
        )


class OptionsEnvelope(Wire):
    fieldOptions: list[OptionOut] = Field(default_factory=list)


class RelEnvelope(Wire):
    fieldRel: RelOut


class RelsEnvelope(Wire):
    fieldRels: list[RelOut] = Field(default_factory=list)


def state_of(records: list[FieldRecord], base_url: str) -> dict[str, list[Any]]:
    body = FieldsEnvelope.of(records, len(records), base_url)
    return {"fields": body.fields, "fieldOptions": body.fieldOptions, "fieldRels": body.fieldRels}
