"""fieldValues: a contact's custom-field values, checked by the field's type (ac-api-facts-breadth.md §4).

One value per (contact, field): ``POST /fieldValues`` on a pair that has one updates it, as clients rely on
([GOSDK]; AC's own answer is unknown). Values are checked by type (G54): dates ``YYYY-MM-DD``, datetimes
ISO-8601, numbers, a dropdown/radio value among the options, multi-value fields ``||A||B||`` with each part
among the options. Publishes FieldValueChanged when a value is new or different.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import bindparam, select

from fakecampaign.bus import FieldValueChanged
from fakecampaign.db import Transaction, statement
from fakecampaign.errors import FieldProblem, MessageError, NoResultFound, NoResultFoundForbidden, UnprocessableEntity
from fakecampaign.query import Listing, ListQuery, paginate
from fakecampaign.registry import fixture_entry
from fakecampaign.resources.field_values.table import FIELD_VALUES
from fakecampaign.resources.fields import service as fields
from fakecampaign.services import contacts
from fakecampaign.services.records import AccountRecord, ContactRecord
from fakecampaign.services.store import Store

T = FIELD_VALUES
MODEL = "FieldValue"
MAX_VALUE = 65535  # a TEXT column's worth in AC's MySQL; refuse more rather than store it

BY_ID = statement(select(T).where(T.c.account_id == bindparam("aid"), T.c.id == bindparam("vid")))
BY_PAIR = statement(select(T).where(T.c.contact_id == bindparam("cid"), T.c.field_id == bindparam("fid")))
OF_CONTACT = statement(select(T).where(T.c.contact_id == bindparam("cid")).order_by(T.c.id))
SET_VALUE = statement(
    sa.update(T).where(T.c.id == bindparam("vid")).values(value=bindparam("new_value"), udate=bindparam("now"))
)
DELETE = statement(sa.delete(T).where(T.c.id == bindparam("vid")))
ALL = statement(select(T).where(T.c.account_id == bindparam("aid")).order_by(T.c.id))
LISTING = Listing(
    T,
    filters={
        "fieldid": ("field_id", "eq"),
        "val": ("value", "eq"),
        "contactid": ("contact_id", "eq"),
        "contact": ("contact_id", "eq"),
    },
    orders={"id": "id", "udate": "udate", "cdate": "cdate"},
)


class FieldForbidden(MessageError):
    # G52: an unknown field on POST /fieldValues is the documented 403 {"message":"Forbidden"}.
    status_code = 403
    template = "Forbidden"


@dataclass(frozen=True, slots=True)
class FieldValueRecord:
    id: int
    account_id: int
    contact_id: int
    field_id: int
    value: str
    cdate: int
    udate: int


@dataclass(frozen=True, slots=True)
class Given:
    """One value as a client sent it (field id, raw value)."""

    field_id: int | None
    value: Any


def create(
    store: Store, *, account: AccountRecord, contact_id: int | None, given: Given
) -> tuple[FieldValueRecord, ContactRecord]:
    """POST /fieldValues: set the contact's value for the field (an existing one is updated)."""
    if contact_id is None:
        raise _missing("contact")
    with store.db.transaction() as tx:
        contact = contacts.require(tx, account_id=account.id, contact_id=contact_id)
        return set_many(tx, store, contact=contact, values=[given], pointer="/data/attributes")[0], contact


def update(
    store: Store, *, account: AccountRecord, value_id: int, value: Any
) -> tuple[FieldValueRecord, ContactRecord]:
    """PUT /fieldValues/{id}: a new value (only ``value`` is needed, as [ACMCP] sends)."""
    with store.db.transaction() as tx:
        old = _require(tx, account.id, value_id)
        contact = contacts.require(tx, account_id=account.id, contact_id=old.contact_id)
        given = Given(old.field_id, value)
        return set_many(tx, store, contact=contact, values=[given], pointer="/data/attributes")[0], contact


def get(store: Store, *, account: AccountRecord, value_id: int) -> FieldValueRecord:
    """GET /fieldValues/{id}; an unknown id is AC's documented 403."""
    with store.db.transaction() as tx:
        return _require(tx, account.id, value_id)


def delete_(store: Store, *, account: AccountRecord, value_id: int) -> None:
    """DELETE /fieldValues/{id}."""
    with store.db.transaction() as tx:
        _require(tx, account.id, value_id)
        tx.execute(DELETE, vid=value_id)


def list_(store: Store, *, account: AccountRecord, query: ListQuery) -> tuple[list[FieldValueRecord], int]:
    """GET /fieldValues: ``filters[fieldid]``, ``filters[val]``, ``filters[contactid]``, paged."""
    with store.db.transaction() as tx:
        rows, total = paginate(tx, LISTING, query, T.c.account_id == account.id)
    return [FieldValueRecord(**row) for row in rows], total


def of_contact(store: Store, *, account: AccountRecord, contact_id: int) -> list[FieldValueRecord]:
    """GET /contacts/{id}/fieldValues: all of them, no ``meta``; 404 for an unknown contact."""
    return contacts.rows_of(store, account=account, contact_id=contact_id, rows=for_contact)


def for_contact(tx: Transaction, account_id: int, contact_id: int) -> list[FieldValueRecord]:
    return [FieldValueRecord(**row) for row in tx.all(OF_CONTACT, cid=contact_id)]


def dump(tx: Transaction, account_id: int) -> list[FieldValueRecord]:
    return [FieldValueRecord(**row) for row in tx.all(ALL, aid=account_id)]


def check(
    tx: Transaction, *, account_id: int, values: Sequence[Given], pointer: str
) -> list[tuple[fields.FieldRecord, str]]:
    """Every value checked against its field, before anything is written: all or nothing."""
    checked = []
    for i, given in enumerate(values):
        at = f"{pointer}/{i}" if len(values) > 1 or pointer.endswith("fieldValues") else pointer
        if given.field_id is None:
            raise _missing("field", at)
        try:
            field = fields.require(tx, account_id=account_id, field_id=given.field_id)
        except NoResultFound:
            raise FieldForbidden(hint=f"{at}: this account has no field with id {given.field_id}") from None
        checked.append((field, _valid(field, given.value, at)))
    return checked


def set_many(
    tx: Transaction, store: Store, *, contact: ContactRecord, values: Sequence[Given], pointer: str
) -> list[FieldValueRecord]:
    """G53: one value per (contact, field): a second write updates the first.

    Check, then upsert, a contact's values inside the caller's transaction (contacts' inline
    ``fieldValues``, POST/PUT /fieldValues, fixtures)."""
    checked = check(tx, account_id=contact.account_id, values=values, pointer=pointer)
    now = store.clock.timestamp()
    written = []
    for field, value in checked:
        row = tx.one(BY_PAIR, cid=contact.id, fid=field.id)
        if row is None:
            values_: dict[str, Any] = {"account_id": contact.account_id, "contact_id": contact.id, "field_id": field.id,
                                       "value": value, "cdate": now, "udate": now}  # fmt: skip
            record = FieldValueRecord(id=tx.insert(T, **values_), **values_)
        else:
            tx.execute(SET_VALUE, vid=row["id"], new_value=value, now=now)
            record = FieldValueRecord(**{**row, "value": value, "udate": now})
        if (row is None or row["value"] != value) and store.bus.wants(FieldValueChanged):
            event = FieldValueChanged(
                account_id=contact.account_id, at=now, contact_id=contact.id, field_id=field.id, value=value
            )
            store.bus.publish(tx, event)
        written.append(record)
    return written


def _require(tx: Transaction, account_id: int, value_id: int) -> FieldValueRecord:
    row = tx.one(BY_ID, aid=account_id, vid=value_id)
    if row is None:
        raise NoResultFoundForbidden(resource=MODEL, id=value_id)
    return FieldValueRecord(**row)


def _missing(name: str, pointer: str = "/data/attributes") -> UnprocessableEntity:
    where = pointer if pointer.endswith(name) else f"{pointer}/{name}"
    return UnprocessableEntity(
        [FieldProblem(f"{name} is required", "field_missing", where)], hint=f"fieldValue.{name} is required"
    )


def _valid(field: fields.FieldRecord, raw: Any, pointer: str) -> str:
    """The value as stored, or a 422 that says what the field's type accepts."""
    if raw is None:
        return ""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | list):
        raise _invalid(field, pointer, "a string")
    if isinstance(raw, list):  # a convenience: ["A", "B"] for "||A||B||"
        raw = "||" + "||".join(str(v) for v in raw) + "||" if raw else ""
    value = str(raw)
    if value == "" or field.type in ("text", "textarea", "hidden", "NULL"):
        if len(value) > MAX_VALUE:
            raise _invalid(field, pointer, f"at most {MAX_VALUE} characters")
        return value
    choices = {o.value for o in field.options}
    rule = _RULES.get(field.type)
    if rule is not None and not rule(value, choices):
        raise _invalid(field, pointer, _EXPECTED[field.type] + _choices(choices, field.type))
    return value


def _is_date(value: str, _: set[str]) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def _is_datetime(value: str, _: set[str]) -> bool:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _is_number(value: str, _: set[str]) -> bool:
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", value.strip()))


def _is_choice(value: str, choices: set[str]) -> bool:
    # The docs' POST example writes a dropdown as "||Option||" (breadth §4.2); both forms are accepted.
    parts = _parts(value) if value.startswith("||") else [value]
    return len(parts) == 1 and (not choices or parts[0] in choices)


def _is_multi(value: str, choices: set[str]) -> bool:
    parts = _parts(value)
    return bool(parts) and (not choices or all(p in choices for p in parts))


def _parts(value: str) -> list[str]:
    if not (value.startswith("||") and value.endswith("||") and len(value) > 4):
        return []
    return value[2:-2].split("||")


_RULES = {
    "date": _is_date, "datetime": _is_datetime, "number": _is_number, "currency": _is_number,
    "dropdown": _is_choice, "radio": _is_choice, "checkbox": _is_multi, "listbox": _is_multi, "multiselect": _is_multi,
}  # fmt: skip
_EXPECTED = {
    "date": "a date like 2026-12-31", "datetime": "a date-time like 2026-05-19T02:45:00-05:00",
    "number": "a number", "currency": "a number", "dropdown": "one option", "radio": "one option",
    "checkbox": 'options written "||A||B||"', "listbox": 'options written "||A||B||"',
    "multiselect": 'options written "||A||B||"',
}  # fmt: skip


def _choices(choices: set[str], kind: str) -> str:
    return f" (options: {', '.join(sorted(choices))})" if choices and kind in (*fields.CHOICE, *fields.MULTI) else ""


def _invalid(field: fields.FieldRecord, pointer: str, expected: str) -> UnprocessableEntity:
    detail = f"The {field.type} field {field.title!r} takes {expected}"
    problem = FieldProblem(
        "Invalid value for field", "invalid", f"{pointer}/value" if not pointer.endswith("value") else pointer, detail
    )
    return UnprocessableEntity([problem], hint=detail)


def seed(store: Store, account: AccountRecord, data: list[dict[str, Any]], source: str, pointer: str) -> None:
    """Fixtures: each contact's ``fields``, by field title or perstag, checked by type like the API."""
    with store.db.transaction() as tx:
        for row in data:
            with fixture_entry(source, pointer + row["at"]):
                contact = contacts.require_email(tx, account_id=account.id, email=row["email"])
                field = fields.require_name(tx, account_id=account.id, name=row["field"])
                set_many(tx, store, contact=contact, values=[Given(field.id, row["value"])], pointer="/value")
