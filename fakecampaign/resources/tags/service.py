"""Tags: create, get, update, delete, list (ac-api-facts-breadth.md §2).

Rules mirrored from AC: names are unique per account and tag type, compared case-insensitively
([FORMIE#1389], [WAITLIST]); G40: the duplicate answer is 422 with the observed body. Deleting a tag takes it
off every contact (G43, foreign-key cascade, as [CORSAIR] assumes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import bindparam, delete, func, select

from fakecampaign.db import Row, Transaction, statement
from fakecampaign.errors import DuplicateEntry, MissingAttribute, NoResultFound
from fakecampaign.query import Listing, ListQuery, paginate
from fakecampaign.registry import fixture_entry
from fakecampaign.resources.contact_tags.table import CONTACT_TAGS
from fakecampaign.resources.tags.table import TAGS
from fakecampaign.services.records import AccountRecord
from fakecampaign.services.store import Store

T = TAGS
LINKS = CONTACT_TAGS
MODEL = "Tag"  # AC's internal name, as its 404s word it

BY_ID = statement(select(T).where(T.c.account_id == bindparam("aid"), T.c.id == bindparam("tid")))
BY_NAME = statement(
    select(T).where(
        T.c.account_id == bindparam("aid"), T.c.tag_type == bindparam("kind"), T.c.tag_key == bindparam("key")
    )
)
DELETE = statement(delete(T).where(T.c.account_id == bindparam("aid"), T.c.id == bindparam("tid")))
ALL = statement(select(T).where(T.c.account_id == bindparam("aid")).order_by(T.c.id))
LISTING = Listing(
    T,
    search=("tag",),
    filters={"search": ("tag", "contains"), "tag": ("tag", "contains"), "tagType": ("tag_type", "eq")},
    orders={"search": "tag_key", "tag": "tag_key", "id": "id", "cdate": "cdate", "tagType": "tag_type"},
)


@dataclass(frozen=True, slots=True)
class TagRecord:
    id: int
    account_id: int
    tag: str
    tag_key: str
    tag_type: str
    description: str
    cdate: int
    udate: int
    subscriber_count: int = 0


@dataclass(frozen=True, slots=True)
class TagChanges:
    """What a create or update sets; None leaves a value as it is."""

    tag: str | None = None
    tag_type: str | None = None
    description: str | None = None


def create(store: Store, *, account: AccountRecord, changes: TagChanges) -> TagRecord:
    """POST /tags."""
    name = _name(changes.tag)
    kind = changes.tag_type or "contact"
    now = store.clock.timestamp()
    with store.db.transaction() as tx:
        _refuse_duplicate(tx, account.id, kind, name, None)
        values: dict[str, Any] = {
            "account_id": account.id,
            "tag": name,
            "tag_key": name.lower(),
            "tag_type": kind,
            "description": changes.description or "",
            "cdate": now,
            "udate": now,
        }
        return TagRecord(id=tx.insert(T, **values), **values)


def get(store: Store, *, account: AccountRecord, tag_id: int) -> TagRecord:
    """GET /tags/{id}."""
    with store.db.transaction() as tx:
        return require(tx, account_id=account.id, tag_id=tag_id)


def update(store: Store, *, account: AccountRecord, tag_id: int, changes: TagChanges) -> TagRecord:
    """PUT /tags/{id}: every field optional. G40: a rename onto another tag's name is the duplicate error."""
    with store.db.transaction() as tx:
        old = require(tx, account_id=account.id, tag_id=tag_id)
        name = old.tag if changes.tag is None else _name(changes.tag)
        kind = changes.tag_type or old.tag_type
        _refuse_duplicate(tx, account.id, kind, name, old.id)
        values = {
            "tag": name,
            "tag_key": name.lower(),
            "tag_type": kind,
            "description": old.description if changes.description is None else changes.description,
            "udate": store.clock.timestamp(),
        }
        tx.execute(_UPDATE, tid=old.id, **{f"new_{k}": v for k, v in values.items()})
        return require(tx, account_id=account.id, tag_id=tag_id)


_UPDATE = statement(
    sa.update(T)
    .where(T.c.id == bindparam("tid"))
    .values(
        tag=bindparam("new_tag"),
        tag_key=bindparam("new_tag_key"),
        tag_type=bindparam("new_tag_type"),
        description=bindparam("new_description"),
        udate=bindparam("new_udate"),
    )
)


def delete_(store: Store, *, account: AccountRecord, tag_id: int) -> None:
    """DELETE /tags/{id}; its contactTags cascade (G43)."""
    with store.db.transaction() as tx:
        if tx.execute(DELETE, aid=account.id, tid=tag_id) == 0:
            raise NoResultFound(resource=MODEL, id=tag_id)


def list_(store: Store, *, account: AccountRecord, query: ListQuery) -> tuple[list[TagRecord], int]:
    """GET /tags: ``search``, ``filters[search][op]``, ``orders[search]=weight|asc|desc``, paged."""
    with store.db.transaction() as tx:
        rows, total = paginate(tx, LISTING, query, T.c.account_id == account.id)
        return _counted(tx, rows), total


def require(tx: Transaction, *, account_id: int, tag_id: int) -> TagRecord:
    row = tx.one(BY_ID, aid=account_id, tid=tag_id)
    if row is None:
        raise NoResultFound(resource=MODEL, id=tag_id)
    return _counted(tx, [row])[0]


def find_by_name(tx: Transaction, *, account_id: int, name: str, kind: str = "contact") -> TagRecord | None:
    row = tx.one(BY_NAME, aid=account_id, kind=kind, key=name.strip().lower())
    return None if row is None else TagRecord(**row)


def dump(tx: Transaction, account_id: int) -> list[TagRecord]:
    return _counted(tx, tx.all(ALL, aid=account_id))


def _counted(tx: Transaction, rows: list[Row]) -> list[TagRecord]:
    """Records with ``subscriber_count``: how many contacts carry each tag, in one grouped query."""
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    counts = tx.all(
        select(LINKS.c.tag_id, func.count().label("n")).where(LINKS.c.tag_id.in_(ids)).group_by(LINKS.c.tag_id)
    )
    by_tag = {c["tag_id"]: c["n"] for c in counts}
    return [TagRecord(**row, subscriber_count=by_tag.get(row["id"], 0)) for row in rows]


def _name(raw: str | None) -> str:
    # G44: AC marks no tag field required; a tag without a name cannot be found or applied, so it is refused.
    if raw is None or not raw.strip():
        raise MissingAttribute(attribute="tag", hint="tag.tag (the tag's name) is required")
    return raw.strip()


def _refuse_duplicate(tx: Transaction, account_id: int, kind: str, name: str, own_id: int | None) -> None:
    found = find_by_name(tx, account_id=account_id, name=name, kind=kind)
    if found is not None and found.id != own_id:
        raise DuplicateEntry(entry=f"{kind}-{name}", key="typetag", hint=f"A {kind} tag named {found.tag!r} exists")


def seed(store: Store, account: AccountRecord, data: list[dict[str, Any]], source: str, pointer: str) -> None:
    """Fixtures: ``tags: ["VIP", {"tag": ..., "tagType": ..., "description": ...}]``."""
    for i, tag in enumerate(data):
        with fixture_entry(source, f"{pointer}/tags/{i}"):
            create(store, account=account, changes=TagChanges(tag["tag"], tag["tagType"], tag["description"]))


def require_name(tx: Transaction, *, account_id: int, name: str) -> TagRecord:
    found = find_by_name(tx, account_id=account_id, name=name)
    if found is None:
        raise NoResultFound(resource=MODEL, id=name, hint=f"No tag named {name!r}: declare it under tags")
    return found
