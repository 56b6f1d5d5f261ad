"""Lists: create, get, update, delete, list (ac-api-facts-breadth.md §3).

G47: of the four documented required fields only ``name`` is enforced ([ACMCP] never sends ``stringid``,
[AC3] sends only ``name``); ``stringid`` defaults to the name made URL-safe. Deleting a list deletes its
memberships (foreign-key cascade, G43); an unknown list on DELETE is AC's documented 403.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy import bindparam, select

from fakecampaign.db import Row, Transaction, statement
from fakecampaign.errors import FieldProblem, NoResultFound, NoResultFoundForbidden, UnprocessableEntity
from fakecampaign.query import Listing, ListQuery, paginate
from fakecampaign.registry import fixture_entry
from fakecampaign.resources.contact_lists.table import CONTACT_LISTS
from fakecampaign.resources.lists.table import LISTS
from fakecampaign.services.records import AccountRecord
from fakecampaign.services.rows import given_fields, write_back
from fakecampaign.services.store import Store

T = LISTS
MEMBERS = CONTACT_LISTS
MODEL = "_List"  # AC's internal name, as its 404s word it

BY_ID = statement(select(T).where(T.c.account_id == bindparam("aid"), T.c.id == bindparam("lid")))
DELETE = statement(sa.delete(T).where(T.c.account_id == bindparam("aid"), T.c.id == bindparam("lid")))
ALL = statement(select(T).where(T.c.account_id == bindparam("aid")).order_by(T.c.id))
LISTING = Listing(
    T,
    search=("name",),
    filters={"name": ("name", "contains"), "id": ("id", "eq"), "channel": ("channel", "eq"), "userid": ("user", "eq")},
    orders={"name": "name_key", "id": "id", "channel": "channel", "userid": "user", "created_timestamp": "cdate"},
)


@dataclass(frozen=True, slots=True)
class ListRecord:
    id: int
    account_id: int
    name: str
    name_key: str
    stringid: str
    sender_url: str
    sender_reminder: str
    send_last_broadcast: int
    carboncopy: str | None
    subscription_notify: str | None
    unsubscription_notify: str | None
    user: int
    channel: str
    cdate: int
    udate: int
    active_subscribers: int = 0
    subscribers: int = 0


@dataclass(frozen=True, slots=True)
class ListChanges:
    """A create or update body; None leaves a value as it is (or takes the default on create)."""

    name: str | None = None
    stringid: str | None = None
    sender_url: str | None = None
    sender_reminder: str | None = None
    send_last_broadcast: int | None = None
    carboncopy: str | None = None
    subscription_notify: str | None = None
    unsubscription_notify: str | None = None
    user: int | None = None
    channel: str | None = None


def create(store: Store, *, account: AccountRecord, changes: ListChanges) -> ListRecord:
    """POST /lists."""
    name = _name(changes.name)
    now = store.clock.timestamp()
    values: dict[str, Any] = {
        "sender_url": "",
        "sender_reminder": "",
        "send_last_broadcast": 0,
        "user": 1,
        "channel": "email",
        **given_fields(changes),
        "account_id": account.id,
        "name": name,
        "name_key": name.lower(),
        "stringid": changes.stringid or _slug(name),
        "cdate": now,
        "udate": now,
    }
    with store.db.transaction() as tx:
        new_id = tx.insert(T, **values)
        return require(tx, account_id=account.id, list_id=new_id)


def get(store: Store, *, account: AccountRecord, list_id: int) -> ListRecord:
    """GET /lists/{id}."""
    with store.db.transaction() as tx:
        return require(tx, account_id=account.id, list_id=list_id)


def update(store: Store, *, account: AccountRecord, list_id: int, changes: ListChanges) -> ListRecord:
    """PUT /lists/{id} (used by [ACMCP], not in the reference): the given fields change."""
    with store.db.transaction() as tx:
        old = require(tx, account_id=account.id, list_id=list_id)
        given = given_fields(changes)
        if "name" in given:
            given["name"] = _name(given["name"])
            given["name_key"] = given["name"].lower()
        new = replace(old, **given, udate=store.clock.timestamp())
        write_back(tx, T, new)
        return require(tx, account_id=account.id, list_id=list_id)


def delete_(store: Store, *, account: AccountRecord, list_id: int) -> None:
    """DELETE /lists/{id}: its memberships go with it; an unknown id is AC's documented 403."""
    with store.db.transaction() as tx:
        if tx.execute(DELETE, aid=account.id, lid=list_id) == 0:
            raise NoResultFoundForbidden(resource=MODEL, id=list_id)


def list_(store: Store, *, account: AccountRecord, query: ListQuery) -> tuple[list[ListRecord], int]:
    """GET /lists: ``filters[name]`` (contains, or ``filters[name][op]``), ``orders[name]``, paged."""
    with store.db.transaction() as tx:
        rows, total = paginate(tx, LISTING, query, T.c.account_id == account.id)
        return _counted(tx, rows), total


def require(tx: Transaction, *, account_id: int, list_id: int) -> ListRecord:
    row = tx.one(BY_ID, aid=account_id, lid=list_id)
    if row is None:
        raise NoResultFound(resource=MODEL, id=list_id)
    return _counted(tx, [row])[0]


def find_by_name(tx: Transaction, *, account_id: int, name: str) -> ListRecord | None:
    key = name.strip().lower()
    return next((r for r in dump(tx, account_id) if r.name_key == key or r.stringid == name), None)


def dump(tx: Transaction, account_id: int) -> list[ListRecord]:
    return _counted(tx, tx.all(ALL, aid=account_id))


def _counted(tx: Transaction, rows: list[Row]) -> list[ListRecord]:
    """Records with their subscriber counts (all members, and those with status 1), in one query."""
    if not rows:
        return []
    m = MEMBERS.c
    counts = tx.all(
        select(m.list_id, sa.func.count().label("n"), sa.func.sum(sa.case((m.status == 1, 1), else_=0)).label("active"))
        .where(m.list_id.in_([r["id"] for r in rows]))
        .group_by(m.list_id)
    )
    by_list = {c["list_id"]: c for c in counts}
    result = []
    for row in rows:
        c = by_list.get(row["id"])
        result.append(
            ListRecord(**row, active_subscribers=int(c["active"]) if c else 0, subscribers=c["n"] if c else 0)
        )
    return result


def _name(raw: str | None) -> str:
    if raw is None or not raw.strip():
        problem = FieldProblem("List name is required", "field_missing", "/data/attributes/name")
        raise UnprocessableEntity([problem], hint="list.name is required")
    return raw.strip()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "list"


def seed(store: Store, account: AccountRecord, data: list[dict[str, Any]], source: str, pointer: str) -> None:
    """Fixtures: ``lists: ["Newsletter", {"name": ..., "stringid": ..., "sender_url": ...}]``."""
    for i, entry in enumerate(data):
        with fixture_entry(source, f"{pointer}/lists/{i}"):
            create(store, account=account, changes=ListChanges(**entry))


def require_name(tx: Transaction, *, account_id: int, name: str) -> ListRecord:
    found = find_by_name(tx, account_id=account_id, name=name)
    if found is None:
        raise NoResultFound(resource=MODEL, id=name, hint=f"No list named {name!r}: declare it under lists")
    return found
