"""Custom fields: create, get, update, delete, list; their options (bulk) and relations (fieldRels).

Rules mirrored from AC (ac-api-facts-breadth.md §4): ``title`` and ``type`` are required; a title the account
already has is 422 ``duplicate``; ``perstag`` is upper-cased without spaces when given ("Personalized Tag" ->
"PERSONALIZEDTAG") and derived from the title when not ("Another Test Title" -> "ANOTHER_TEST_TITLE").
Deleting a field deletes its options, relations and values (foreign-key cascade, G43).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy import bindparam, select

from fakecampaign.db import Row, Transaction, statement
from fakecampaign.errors import DuplicateField, FieldProblem, NoResultFound, UnprocessableEntity
from fakecampaign.query import Listing, ListQuery, paginate
from fakecampaign.registry import fixture_entry
from fakecampaign.resources.fields.table import FIELD_OPTIONS, FIELD_RELS, FIELDS
from fakecampaign.services.records import AccountRecord
from fakecampaign.services.rows import given_fields, write_back
from fakecampaign.services.store import Store

T = FIELDS
OPTIONS = FIELD_OPTIONS
RELS = FIELD_RELS
MODEL = "Field"  # AC's internal name, as its 404s word it
# breadth §4.2: the documented types plus those clients send (currency, number, multiselect).
TYPES = ("text", "textarea", "hidden", "date", "datetime", "dropdown", "radio", "checkbox", "listbox",
         "multiselect", "number", "currency", "NULL")  # fmt: skip
MULTI = ("checkbox", "listbox", "multiselect")  # values written "||A||B||"
CHOICE = ("dropdown", "radio")

BY_ID = statement(select(T).where(T.c.account_id == bindparam("aid"), T.c.id == bindparam("fid")))
BY_TITLE = statement(select(T).where(T.c.account_id == bindparam("aid"), T.c.title_key == bindparam("key")))
DELETE = statement(sa.delete(T).where(T.c.account_id == bindparam("aid"), T.c.id == bindparam("fid")))
ALL = statement(select(T).where(T.c.account_id == bindparam("aid")).order_by(T.c.id))
REL_BY_ID = statement(select(RELS).where(RELS.c.account_id == bindparam("aid"), RELS.c.id == bindparam("rid")))
DELETE_REL = statement(sa.delete(RELS).where(RELS.c.id == bindparam("rid")))
LISTING = Listing(
    T,
    search=("title",),
    filters={"perstag": ("perstag", "eq"), "title": ("title", "contains"), "type": ("type", "eq")},
    orders={"title": "title_key", "id": "id", "ordernum": "ordernum", "cdate": "cdate"},
)
NEW_FIELD: dict[str, Any] = {
    "descript": "", "defval": "", "isrequired": 0, "show_in_list": 0, "rows": 0, "cols": 0, "visible": 1,
    "service": "", "ordernum": 1,
}  # fmt: skip
DEFAULT_LIMIT = 20  # G50: the docs say 100, a client observed 20 ([FREEFORM#1197]); the observation wins


@dataclass(frozen=True, slots=True)
class OptionRecord:
    id: int
    account_id: int
    field_id: int
    orderid: int
    value: str
    label: str
    isdefault: int
    cdate: int
    udate: int


@dataclass(frozen=True, slots=True)
class RelRecord:
    id: int
    account_id: int
    field_id: int
    relid: int
    dorder: int
    cdate: int


@dataclass(frozen=True, slots=True)
class FieldRecord:
    id: int
    account_id: int
    title: str
    title_key: str
    type: str
    descript: str
    perstag: str
    defval: str
    isrequired: int
    show_in_list: int
    rows: int
    cols: int
    visible: int
    service: str
    ordernum: int
    cdate: int
    udate: int
    options: tuple[OptionRecord, ...] = ()
    relations: tuple[RelRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class FieldChanges:
    title: str | None = None
    type: str | None = None
    descript: str | None = None
    perstag: str | None = None
    defval: str | None = None
    isrequired: int | None = None
    show_in_list: int | None = None
    rows: int | None = None
    cols: int | None = None
    visible: int | None = None
    service: str | None = None
    ordernum: int | None = None


def create(store: Store, *, account: AccountRecord, changes: FieldChanges) -> FieldRecord:
    """POST /fields."""
    title = _required(changes.title, "title")
    kind = _type(_required(changes.type, "type"))
    now = store.clock.timestamp()
    given = given_fields(changes)
    values: dict[str, Any] = {
        **NEW_FIELD,
        **given,
        "account_id": account.id,
        "title": title,
        "title_key": title.lower(),
        "type": kind,
        "perstag": perstag(changes.perstag, title),
        "cdate": now,
        "udate": now,
    }
    with store.db.transaction() as tx:
        _refuse_duplicate(tx, account.id, title, None)
        return require(tx, account_id=account.id, field_id=tx.insert(T, **values))


def get(store: Store, *, account: AccountRecord, field_id: int) -> FieldRecord:
    """GET /fields/{id}."""
    with store.db.transaction() as tx:
        return require(tx, account_id=account.id, field_id=field_id)


def update(store: Store, *, account: AccountRecord, field_id: int, changes: FieldChanges) -> FieldRecord:
    """PUT /fields/{id}: the given attributes change."""
    with store.db.transaction() as tx:
        old = require(tx, account_id=account.id, field_id=field_id)
        given = given_fields(changes)
        if "title" in given:
            given["title"] = _required(given["title"], "title")
            given["title_key"] = given["title"].lower()
            _refuse_duplicate(tx, account.id, given["title"], old.id)
        if "type" in given:
            given["type"] = _type(given["type"])
        if "perstag" in given:
            given["perstag"] = perstag(given["perstag"], old.title)
        new = replace(old, **given, udate=store.clock.timestamp())
        write_back(tx, T, new)
        return require(tx, account_id=account.id, field_id=field_id)


def delete_(store: Store, *, account: AccountRecord, field_id: int) -> None:
    """DELETE /fields/{id}: its options, relations and every contact's value go with it."""
    with store.db.transaction() as tx:
        if tx.execute(DELETE, aid=account.id, fid=field_id) == 0:
            raise NoResultFound(resource=MODEL, id=field_id)


def list_(store: Store, *, account: AccountRecord, query: ListQuery) -> tuple[list[FieldRecord], int]:
    """GET /fields: paged, ``filters[perstag]``, with their options and relations."""
    with store.db.transaction() as tx:
        rows, total = paginate(tx, LISTING, query, T.c.account_id == account.id)
        return _complete(tx, rows), total


def require(tx: Transaction, *, account_id: int, field_id: int) -> FieldRecord:
    # G51: AC prints a bare 400 {} as GET /fields/{id}'s error; an unknown id answers DELETE's documented
    # 404 "No Result found for Field with id N" on every call, which is what clients test for.
    row = tx.one(BY_ID, aid=account_id, fid=field_id)
    if row is None:
        raise NoResultFound(resource=MODEL, id=field_id)
    return _complete(tx, [row])[0]


def find(tx: Transaction, *, account_id: int, name: str) -> FieldRecord | None:
    """A field by title or perstag, case-insensitively (how clients resolve fields, breadth §4.3.3)."""
    key = name.strip().lower()
    return next((f for f in dump(tx, account_id) if key in (f.title_key, f.perstag.lower())), None)


def dump(tx: Transaction, account_id: int) -> list[FieldRecord]:
    return _complete(tx, tx.all(ALL, aid=account_id))


def add_options(store: Store, *, account: AccountRecord, options: Sequence[dict[str, Any]]) -> list[OptionRecord]:
    """POST /fieldOption/bulk (and /fieldOptions/bulk): every option's field must be the account's."""
    now = store.clock.timestamp()
    made = []
    with store.db.transaction() as tx:
        for option in options:
            field = require(tx, account_id=account.id, field_id=option["field"])
            values: dict[str, Any] = {
                "account_id": account.id, "field_id": field.id, "orderid": option.get("orderid") or 0,
                "value": option["value"], "label": option.get("label") or option["value"],
                "isdefault": int(bool(option.get("isdefault"))), "cdate": now, "udate": now,
            }  # fmt: skip
            made.append(OptionRecord(id=tx.insert(OPTIONS, **values), **values))
    return made


def options_of(store: Store, *, account: AccountRecord, field_id: int) -> list[OptionRecord]:
    """GET /fields/{id}/options."""
    with store.db.transaction() as tx:
        return list(require(tx, account_id=account.id, field_id=field_id).options)


def add_rel(store: Store, *, account: AccountRecord, field_id: int, relid: int) -> RelRecord:
    """POST /fieldRels: show a field on a list (relid 0: all lists)."""
    with store.db.transaction() as tx:
        require(tx, account_id=account.id, field_id=field_id)
        values: dict[str, Any] = {"account_id": account.id, "field_id": field_id, "relid": relid, "dorder": 0}
        values["cdate"] = store.clock.timestamp()
        return RelRecord(id=tx.insert(RELS, **values), **values)


def delete_rel(store: Store, *, account: AccountRecord, rel_id: int) -> None:
    """DELETE /fieldRels/{id}."""
    with store.db.transaction() as tx:
        if tx.one(REL_BY_ID, aid=account.id, rid=rel_id) is None:
            raise NoResultFound(resource="FieldRel", id=rel_id)
        tx.execute(DELETE_REL, rid=rel_id)


def perstag(given: str | None, title: str) -> str:
    """AC's personalization tag: the given one upper-cased without spaces, else the title's words joined by _."""
    if given is not None and given.strip():
        return re.sub(r"\s+", "", given).upper()
    return re.sub(r"[^A-Z0-9]+", "_", title.upper()).strip("_") or "FIELD"


def _complete(tx: Transaction, rows: list[Row]) -> list[FieldRecord]:
    """Records with their options and relations, two queries for the whole page."""
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    options = tx.all(select(OPTIONS).where(OPTIONS.c.field_id.in_(ids)).order_by(OPTIONS.c.orderid, OPTIONS.c.id))
    rels = tx.all(select(RELS).where(RELS.c.field_id.in_(ids)).order_by(RELS.c.id))
    return [
        FieldRecord(
            **row,
            options=tuple(OptionRecord(**o) for o in options if o["field_id"] == row["id"]),
            relations=tuple(RelRecord(**r) for r in rels if r["field_id"] == row["id"]),
        )
        for row in rows
    ]


def _required(raw: str | None, name: str) -> str:
    if raw is None or not str(raw).strip():
        problem = FieldProblem(f"field.{name} is required", "field_missing", f"/data/attributes/{name}")
        raise UnprocessableEntity([problem], hint=f"field.{name} is required")
    return str(raw).strip()


def _type(kind: str) -> str:
    if kind not in TYPES:
        problem = FieldProblem("Invalid field type", "invalid", "/data/attributes/type", f"one of {', '.join(TYPES)}")
        raise UnprocessableEntity([problem], hint=f"field.type must be one of {', '.join(TYPES)}, got {kind[:40]!r}")
    return kind


def _refuse_duplicate(tx: Transaction, account_id: int, title: str, own_id: int | None) -> None:
    row = tx.one(BY_TITLE, aid=account_id, key=title.lower())
    if row is not None and row["id"] != own_id:
        raise DuplicateField(title=title)


def seed(store: Store, account: AccountRecord, data: list[dict[str, Any]], source: str, pointer: str) -> None:
    """Fixtures: ``fields: [{"title": ..., "type": ..., "perstag": ..., "options": [...]}]``."""
    for i, entry in enumerate(data):
        with fixture_entry(source, f"{pointer}/fields/{i}"):
            changes = FieldChanges(title=entry["title"], type=entry["type"], perstag=entry["perstag"])
            made = create(store, account=account, changes=changes)
            options = [{"field": made.id, "value": v, "orderid": n} for n, v in enumerate(entry["options"], 1)]
            add_options(store, account=account, options=options)
            add_rel(store, account=account, field_id=made.id, relid=0)


def require_name(tx: Transaction, *, account_id: int, name: str) -> FieldRecord:
    found = find(tx, account_id=account_id, name=name)
    if found is None:
        raise NoResultFound(
            resource=MODEL, id=name, hint=f"No field titled or tagged {name!r}: declare it under fields"
        )
    return found
