"""Contacts: create, upsert by email (sync), read, update, delete and search, per account.

Rules mirrored from AC (../shared/reference/ac-api-facts.md §2): an email is unique per account and matched
case-insensitively; a duplicate on create is 422 ``duplicate``; sync updates the contact with that email or
creates one; unknown ids are 404 with the wording of the operation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, delete, exists, func, or_, select, update

from fakecampaign.bus import ContactCreated, ContactDeleted, ContactUpdated
from fakecampaign.db import Transaction, statement
from fakecampaign.errors import ContactDeleteNotFound, DuplicateEmail, InvalidEmail, NoResultFound
from fakecampaign.registry import Sideload
from fakecampaign.resources.contact_lists.table import CONTACT_LISTS
from fakecampaign.resources.contact_tags.table import CONTACT_TAGS
from fakecampaign.services.records import AccountRecord, ContactRecord
from fakecampaign.services.store import Store
from fakecampaign.tables import ACTIVITIES, CONTACTS, TRACKING_LOGS

T = CONTACTS
TAGGED = CONTACT_TAGS
LISTED = CONTACT_LISTS
LOGS = TRACKING_LOGS

# G13: AC's exact rule is unknown; something@domain.tld with no spaces, at most 255 characters.
EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s.\x00-\x1f\x7f]+$")
MAX_EMAIL = 255
SUBSCRIBER = "Subscriber"  # AC's internal name for a contact, as its 404s word it

BY_ID = statement(select(T).where(T.c.account_id == bindparam("aid"), T.c.id == bindparam("cid")))
BY_EMAIL = statement(select(T).where(T.c.account_id == bindparam("aid"), T.c.email_key == bindparam("key")))
DELETE = statement(delete(T).where(T.c.account_id == bindparam("aid"), T.c.id == bindparam("cid")))
DELETE_LOGS = statement(
    delete(LOGS).where(LOGS.c.account_id == bindparam("aid"), LOGS.c.contact_id == bindparam("cid"))
)
DELETE_ACTIVITIES = statement(
    delete(ACTIVITIES).where(ACTIVITIES.c.account_id == bindparam("aid"), ACTIVITIES.c.contact_id == bindparam("cid"))
)
UPDATE = statement(
    update(T)
    .where(T.c.id == bindparam("cid"))
    .values(
        email=bindparam("new_email"),
        email_key=bindparam("new_email_key"),
        first_name=bindparam("new_first_name"),
        last_name=bindparam("new_last_name"),
        first_name_key=bindparam("new_first_name_key"),
        last_name_key=bindparam("new_last_name_key"),
        phone=bindparam("new_phone"),
        udate=bindparam("new_udate"),
    )
)


@dataclass(frozen=True, slots=True)
class ContactChanges:
    """Fields a create, sync or update sets; None means "leave as it is"."""

    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    # (field id or None when missing, value as sent) of an inline ``fieldValues`` array
    field_values: tuple[tuple[int | None, Any], ...] = ()


def create(store: Store, *, account: AccountRecord, changes: ContactChanges) -> ContactRecord:
    """POST /contacts: a new contact; an email the account already has is 422 duplicate."""
    email = _valid_email(changes.email)
    with store.db.transaction() as tx:
        if _find_by_email(tx, account.id, email) is not None:
            raise DuplicateEmail(hint=f"A contact with email {email!r} already exists in this account")
        return _related(tx, _with_values(tx, store, _insert(tx, store, account, email, changes), changes))


def sync(store: Store, *, account: AccountRecord, changes: ContactChanges) -> tuple[ContactRecord, bool]:
    """POST /contact/sync: update the contact with this email, or create it. Returns (contact, created)."""
    email = _valid_email(changes.email)
    with store.db.transaction() as tx:
        existing = _find_by_email(tx, account.id, email)
        if existing is None:
            return _related(tx, _with_values(tx, store, _insert(tx, store, account, email, changes), changes)), True
        return _related(tx, _with_values(tx, store, _apply(tx, store, existing, changes), changes)), False


def get(store: Store, *, account: AccountRecord, contact_id: int) -> ContactRecord:
    """The contact alone (for links that lead to a contact)."""
    with store.db.transaction() as tx:
        return require(tx, account_id=account.id, contact_id=contact_id)


# resource name -> {sideload key -> records}: what GET /contacts/{id} puts beside the contact.
Related = dict[str, dict[str, list[Any]]]


def get_with_relations(store: Store, *, account: AccountRecord, contact_id: int) -> tuple[ContactRecord, Related]:
    """GET /contacts/{id}: the contact and every registry resource's sideload, in one transaction.

    A hot path: the contact's own SELECT also says, with one EXISTS per sideload table, which resources have
    rows for it, so a contact without tags, lists or values costs no extra query."""
    statement_, sideloads = _detail()
    with store.db.transaction() as tx:
        row = tx.one(statement_, aid=account.id, cid=contact_id)
        if row is None:
            raise NoResultFound(resource=SUBSCRIBER, id=contact_id)
        loads: Related = {}
        for name, load, probe in sideloads:
            if probe is None or row.pop(probe):  # every probe column is popped: the rest is the contact's row
                loads[name] = load(tx, account.id, contact_id)
        return ContactRecord(**row), loads


PROBED = "_has_"  # prefix of the EXISTS columns the detail SELECT adds
_DETAIL: list[tuple[Any, tuple[tuple[str, Sideload, str | None], ...]]] = []


def _detail() -> tuple[Any, tuple[tuple[str, Sideload, str | None], ...]]:
    """``SELECT contacts.*, EXISTS(SELECT ... FROM t WHERE contact_id = :cid) AS _has_<name>, ...`` and each
    sideload's (name, loader, probe column or None: always loaded), built once: the registry imports this
    module, so they cannot be built at import."""
    if not _DETAIL:
        from fakecampaign.resources.catalog import SIDELOADS

        probes = [
            exists().where(table.c.contact_id == bindparam("cid")).label(PROBED + name)
            for name, _, table in SIDELOADS
            if table is not None
        ]
        stmt = statement(select(T, *probes).where(T.c.account_id == bindparam("aid"), T.c.id == bindparam("cid")))
        loads = tuple((name, load, None if table is None else PROBED + name) for name, load, table in SIDELOADS)
        _DETAIL.append((stmt, loads))
    return _DETAIL[0]


def update_contact(store: Store, *, account: AccountRecord, contact_id: int, changes: ContactChanges) -> ContactRecord:
    """PUT /contacts/{id}: change the given fields; a new email must be valid and not taken."""
    with store.db.transaction() as tx:
        contact = require(tx, account_id=account.id, contact_id=contact_id)
        if changes.email is not None:
            email = _valid_email(changes.email)
            other = _find_by_email(tx, account.id, email)
            if other is not None and other.id != contact.id:
                raise DuplicateEmail(hint=f"Another contact already has email {email!r}")
            changes = replace(changes, email=email)
        return _related(tx, _with_values(tx, store, _apply(tx, store, contact, changes), changes))


def delete_contact(store: Store, *, account: AccountRecord, contact_id: int) -> None:
    """DELETE /contacts/{id}. G17: its tracking logs and activities go with it; rows that point at the
    contact through a foreign key (tags, lists, field values, ...) cascade."""
    from fakecampaign.resources.catalog import RESOURCES  # the registry imports this module

    with store.db.transaction() as tx:
        row = tx.one(BY_ID, aid=account.id, cid=contact_id)
        if row is None or tx.execute(DELETE, aid=account.id, cid=contact_id) == 0:
            raise ContactDeleteNotFound(id=contact_id)
        for resource in RESOURCES:
            if resource.contact_cascade is not None:
                resource.contact_cascade(tx, account.id, contact_id)
        if store.bus.wants(ContactDeleted):
            deleted = ContactDeleted(
                account_id=account.id, at=store.clock.timestamp(), contact_id=contact_id, email=row["email"]
            )
            store.bus.publish(tx, deleted)


def _with_values(tx: Transaction, store: Store, contact: ContactRecord, changes: ContactChanges) -> ContactRecord:
    """Write an inline ``fieldValues`` array in the contact's transaction: a bad value undoes the whole call."""
    if not changes.field_values:
        return contact
    from fakecampaign.resources.field_values import service as field_values  # it imports this module

    given = [field_values.Given(field_id, value) for field_id, value in changes.field_values]
    written = field_values.set_many(tx, store, contact=contact, values=given, pointer="/data/attributes/fieldValues")
    return replace(contact, field_values=tuple(written))


# The relation-id arrays AC puts in the contact object (ac-api-facts.md §2.4); a registry resource whose name is
# one of these and that declares a sideload table fills its array.
CONTACT_ARRAYS = ("contactAutomations", "contactLists", "fieldValues", "geoIps", "deals")


def with_relation_ids(tx: Transaction, found: list[ContactRecord]) -> list[ContactRecord]:
    """The contacts with their relation-id arrays filled: one query per related table for the whole page."""
    from fakecampaign.resources.catalog import SIDELOADS  # the registry imports this module

    tables = [(name, probed) for name, _, probed in SIDELOADS if probed is not None and name in CONTACT_ARRAYS]
    if not found or not tables:
        return found
    ids: dict[int, dict[str, list[int]]] = {c.id: {} for c in found}
    for name, related in tables:
        rows = tx.all(
            select(related.c.contact_id, related.c.id).where(related.c.contact_id.in_(list(ids))).order_by(related.c.id)
        )
        for row in rows:
            ids[row["contact_id"]].setdefault(name, []).append(row["id"])
    return [replace(c, related_ids=tuple((k, tuple(v)) for k, v in ids[c.id].items())) for c in found]


def _related(tx: Transaction, contact: ContactRecord) -> ContactRecord:
    return with_relation_ids(tx, [contact])[0]


def require(tx: Transaction, *, account_id: int, contact_id: int) -> ContactRecord:
    """The account's contact with this id, or AC's "No Result found for Subscriber" 404."""
    row = tx.one(BY_ID, aid=account_id, cid=contact_id)
    if row is None:
        raise NoResultFound(resource=SUBSCRIBER, id=contact_id)
    return ContactRecord(**row)


Row_ = TypeVar("Row_")


def rows_of(
    store: Store, *, account: AccountRecord, contact_id: int, rows: Callable[[Transaction, int, int], list[Row_]]
) -> list[Row_]:
    """A contact's sub-collection (GET /contacts/{id}/contactTags, /contactLists, /fieldValues, /deals): the
    resource's ``rows(tx, account_id, contact_id)``, or AC's Subscriber 404 for an unknown contact."""
    with store.db.transaction() as tx:
        require(tx, account_id=account.id, contact_id=contact_id)
        return rows(tx, account.id, contact_id)


def find_by_email(tx: Transaction, *, account_id: int, email: str) -> ContactRecord | None:
    return _find_by_email(tx, account_id, email.strip())


def require_email(tx: Transaction, *, account_id: int, email: str) -> ContactRecord:
    """The account's contact with this email (fixtures name contacts by email), or a 404 that says so."""
    found = find_by_email(tx, account_id=account_id, email=email)
    if found is None:
        raise NoResultFound(resource=SUBSCRIBER, id=email, hint=f"{email!r} is not a contact of this account")
    return found


def _find_by_email(tx: Transaction, account_id: int, email: str) -> ContactRecord | None:
    row = tx.one(BY_EMAIL, aid=account_id, key=email.lower())
    return None if row is None else ContactRecord(**row)


def _valid_email(email: str | None) -> str:
    if email is None or not email.strip():
        raise InvalidEmail(detail="", hint="contact.email is required")
    email = email.strip()
    if len(email) > MAX_EMAIL or not EMAIL.match(email):
        raise InvalidEmail(hint=f"{email[:80]!r} is not a valid email address")
    return email


def _insert(
    tx: Transaction, store: Store, account: AccountRecord, email: str, changes: ContactChanges
) -> ContactRecord:
    now = store.clock.timestamp()
    values: dict[str, Any] = {
        "account_id": account.id,
        "email": email,
        "email_key": email.lower(),
        "first_name": changes.first_name or "",
        "last_name": changes.last_name or "",
        "first_name_key": (changes.first_name or "").lower(),
        "last_name_key": (changes.last_name or "").lower(),
        "phone": changes.phone or "",
        "hash": store.clock.hex(32),
        "cdate": now,
        "udate": now,
    }
    contact = ContactRecord(id=tx.insert(T, **values), **values)
    if store.bus.wants(ContactCreated):
        store.bus.publish(tx, ContactCreated(account_id=account.id, at=now, contact_id=contact.id))
    return contact


def _apply(tx: Transaction, store: Store, contact: ContactRecord, changes: ContactChanges) -> ContactRecord:
    email = changes.email if changes.email is not None else contact.email
    first_name = _pick(changes.first_name, contact.first_name)
    last_name = _pick(changes.last_name, contact.last_name)
    updated = replace(
        contact,
        email=email,
        email_key=email.lower(),
        first_name=first_name,
        last_name=last_name,
        first_name_key=first_name.lower(),
        last_name_key=last_name.lower(),
        phone=_pick(changes.phone, contact.phone),
        udate=store.clock.timestamp(),
    )
    tx.execute(UPDATE, cid=contact.id, **{f"new_{k}": getattr(updated, k) for k in _UPDATED})
    changed = tuple(k for k in _COMPARED if getattr(updated, k) != getattr(contact, k))
    if changed and store.bus.wants(ContactUpdated):  # G89: a write that changes nothing is no "update"
        event = ContactUpdated(account_id=contact.account_id, at=updated.udate, contact_id=contact.id, changed=changed)
        store.bus.publish(tx, event)
    return updated


_COMPARED = ("email", "first_name", "last_name", "phone")
_UPDATED = ("email", "email_key", "first_name", "last_name", "first_name_key", "last_name_key", "phone", "udate")


def _pick(new: str | None, old: str) -> str:
    return old if new is None else new


# --- search -------------------------------------------------------------------------------------------

ORDER_COLUMNS = {
    "id": "id",
    "email": "email_key",
    "cdate": "cdate",
    "first_name": "first_name_key",
    "firstName": "first_name_key",
    "last_name": "last_name_key",
    "lastName": "last_name_key",
    "udate": "udate",
}


@dataclass(frozen=True, slots=True)
class ContactQuery:
    """GET /contacts filters, already parsed into typed values by the API layer."""

    email: str | None = None
    email_like: str | None = None
    search: str | None = None
    phone: str | None = None
    id_greater: int | None = None
    id_less: int | None = None
    exclude: int | None = None
    ids: tuple[int, ...] | None = None
    created_after: int | None = None
    created_before: int | None = None
    updated_after: int | None = None
    updated_before: int | None = None
    tag_id: int | None = None  # tagid: contacts carrying this tag
    list_id: int | None = None  # listid: members of this list ...
    status: int | None = None  # ... with this membership status (any list when listid is absent)
    orders: tuple[tuple[str, bool], ...] = field(default_factory=tuple)  # (column key, descending)
    limit: int = 20
    offset: int = 0


def search(store: Store, *, account: AccountRecord, query: ContactQuery) -> tuple[list[ContactRecord], int]:
    """GET /contacts: one page of matching contacts and how many match in all."""
    where = _conditions(account.id, query)
    count = select(func.count()).select_from(T).where(*where)
    page = _ordered(select(T).where(*where), query.orders).limit(query.limit).offset(query.offset)
    with store.db.transaction() as tx:
        total = int(tx.scalar(count) or 0)
        return with_relation_ids(tx, [ContactRecord(**row) for row in tx.all(page)]), total


def _conditions(account_id: int, q: ContactQuery) -> list[Any]:
    c = T.c
    where: list[Any] = [c.account_id == account_id]
    optional: list[tuple[Any, Callable[[Any], Any]]] = [
        (q.email, lambda v: c.email_key == v.strip().lower()),
        (q.email_like, lambda v: c.email_key.contains(v.lower(), autoescape=True)),
        (q.search, _matches_search),
        (q.phone, lambda v: c.phone.startswith(v, autoescape=True)),
        (q.id_greater, lambda v: c.id > v),
        (q.id_less, lambda v: c.id < v),
        (q.exclude, lambda v: c.id != v),
        (q.ids, lambda v: c.id.in_(v)),
        (q.created_after, lambda v: c.cdate >= v),
        (q.created_before, lambda v: c.cdate < v),
        (q.updated_after, lambda v: c.udate >= v),
        (q.updated_before, lambda v: c.udate < v),
        (q.tag_id, lambda v: c.id.in_(select(TAGGED.c.contact_id).where(TAGGED.c.tag_id == v))),
    ]
    where.extend(build(value) for value, build in optional if value is not None)
    if q.list_id is not None or q.status is not None:
        members = [LISTED.c.account_id == account_id]
        members += [] if q.list_id is None else [LISTED.c.list_id == q.list_id]
        members += [] if q.status is None else [LISTED.c.status == q.status]
        where.append(c.id.in_(select(LISTED.c.contact_id).where(*members)))
    return where


def _matches_search(term: str) -> Any:
    """AC's ``search``: contained in the email, first or last name, or phone; case-insensitive."""
    needle = term.lower()
    columns = (T.c.email_key, T.c.first_name_key, T.c.last_name_key, T.c.phone)
    return or_(*(col.contains(needle, autoescape=True) for col in columns))


def _ordered(stmt: Select[Any], orders: tuple[tuple[str, bool], ...]) -> Select[Any]:
    # AC applies several orders in the order they appear in the query string ([PAGINATION]).
    for key, descending in orders:
        column = T.c[ORDER_COLUMNS[key]]
        stmt = stmt.order_by(column.desc() if descending else column.asc())
    return stmt.order_by(T.c.id.asc())
