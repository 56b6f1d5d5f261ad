"""contactLists: subscribe or unsubscribe a contact, a contact's lists, every membership (breadth §3).

POST /contactLists upserts on (contact, list) and keeps the row when unsubscribing (status 2)
([DOC-OAS] "Update List Status for a Contact", [WAITLIST], [CORSAIR]). Publishes ListSubscribed when a
membership becomes active and ListUnsubscribed when it becomes unsubscribed, inside the write transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy import bindparam, select

from fakecampaign.bus import ListSubscribed, ListUnsubscribed
from fakecampaign.db import Transaction, statement
from fakecampaign.errors import BadRequest, NoResultFound
from fakecampaign.query import Listing, ListQuery, paginate
from fakecampaign.registry import fixture_entry
from fakecampaign.resources.contact_lists.table import CONTACT_LISTS
from fakecampaign.resources.lists import service as lists
from fakecampaign.services import contacts
from fakecampaign.services.records import AccountRecord, ContactRecord
from fakecampaign.services.store import Store

T = CONTACT_LISTS
MODEL = "ContactList"
ACTIVE, UNSUBSCRIBED = 1, 2
# G49: statuses a client may set: 0 unconfirmed (double opt-in), 1 subscribe, 2 unsubscribe. 3 (bounced)
# is AC's own doing; anything else is AC's bare 400 {}.
SETTABLE = (0, ACTIVE, UNSUBSCRIBED)
API_SOURCE = 4  # breadth §3.1: sourceid 4 is documented for (re-)subscribing through the API

BY_ID = statement(select(T).where(T.c.account_id == bindparam("aid"), T.c.id == bindparam("clid")))
BY_PAIR = statement(select(T).where(T.c.contact_id == bindparam("cid"), T.c.list_id == bindparam("lid")))
OF_CONTACT = statement(select(T).where(T.c.contact_id == bindparam("cid")).order_by(T.c.id))
ALL = statement(select(T).where(T.c.account_id == bindparam("aid")).order_by(T.c.id))
SET_STATUS = statement(
    sa.update(T)
    .where(T.c.id == bindparam("clid"))
    .values(
        status=bindparam("new_status"),
        sourceid=bindparam("new_sourceid"),
        sdate=bindparam("new_sdate"),
        udate=bindparam("now"),
    )
)
LISTING = Listing(
    T,
    filters={"list": ("list_id", "eq"), "contact": ("contact_id", "eq"), "status": ("status", "eq")},
    orders={"id": "id", "sdate": "sdate", "udate": "udate"},
)


@dataclass(frozen=True, slots=True)
class ContactListRecord:
    id: int
    account_id: int
    contact_id: int
    list_id: int
    status: int
    sourceid: int
    sdate: int
    cdate: int
    udate: int
    first_name: str = ""
    last_name: str = ""


def create(
    store: Store,
    *,
    account: AccountRecord,
    contact_id: int | None,
    list_id: int | None,
    status: int | None,
    sourceid: int | None,
) -> tuple[ContactListRecord, ContactRecord]:
    """POST /contactLists: set the contact's status on the list, creating the membership if needed."""
    if contact_id is None or list_id is None or status is None:
        raise BadRequest(hint="contactList.list, contactList.contact and contactList.status are required")
    if status not in SETTABLE:
        raise BadRequest(hint=f"contactList.status must be 1 (subscribe), 2 (unsubscribe) or 0, got {status}")
    with store.db.transaction() as tx:
        contact = contacts.require(tx, account_id=account.id, contact_id=contact_id)
        lists.require(tx, account_id=account.id, list_id=list_id)
        return set_status(tx, store, contact=contact, list_id=list_id, status=status, sourceid=sourceid), contact


def set_status(
    tx: Transaction, store: Store, *, contact: ContactRecord, list_id: int, status: int, sourceid: int | None = None
) -> ContactListRecord:
    """Upsert a known contact's membership inside the caller's transaction (also used by fixtures)."""
    now = store.clock.timestamp()
    row = tx.one(BY_PAIR, cid=contact.id, lid=list_id)
    before = None if row is None else row["status"]
    source = sourceid if sourceid is not None else (API_SOURCE if row is not None else 0)
    if row is None:
        values: dict[str, Any] = {
            "account_id": contact.account_id, "contact_id": contact.id, "list_id": list_id, "status": status,
            "sourceid": source, "sdate": now, "cdate": now, "udate": now,
        }  # fmt: skip
        row = {"id": tx.insert(T, **values), **values}
    else:
        sdate = now if status == ACTIVE and before != ACTIVE else row["sdate"]
        tx.execute(SET_STATUS, clid=row["id"], new_status=status, new_sourceid=source, new_sdate=sdate, now=now)
        row = {**row, "status": status, "sourceid": source, "sdate": sdate, "udate": now}
    if before != status:
        _publish(tx, store, contact, list_id, status, now)
    return _named(ContactListRecord(**row), contact)


def _publish(tx: Transaction, store: Store, contact: ContactRecord, list_id: int, status: int, now: int) -> None:
    kind = {ACTIVE: ListSubscribed, UNSUBSCRIBED: ListUnsubscribed}.get(status)
    if kind is not None and store.bus.wants(kind):
        store.bus.publish(tx, kind(account_id=contact.account_id, at=now, contact_id=contact.id, list_id=list_id))


def get(store: Store, *, account: AccountRecord, contact_list_id: int) -> ContactListRecord:
    """GET /contactLists/{id} (the record's own link)."""
    with store.db.transaction() as tx:
        row = tx.one(BY_ID, aid=account.id, clid=contact_list_id)
        if row is None:
            raise NoResultFound(resource=MODEL, id=contact_list_id)
        return _with_names(tx, [row])[0]


def of_contact(store: Store, *, account: AccountRecord, contact_id: int) -> list[ContactListRecord]:
    """GET /contacts/{id}/contactLists: all of them, no ``meta``; 404 for an unknown contact."""
    return contacts.rows_of(store, account=account, contact_id=contact_id, rows=for_contact)


def for_contact(tx: Transaction, account_id: int, contact_id: int) -> list[ContactListRecord]:
    rows = tx.all(OF_CONTACT, cid=contact_id)
    return _with_names(tx, rows) if rows else []


def list_(store: Store, *, account: AccountRecord, query: ListQuery) -> tuple[list[ContactListRecord], int]:
    """GET /contactLists: every membership of the account, paged (undocumented; [TAP], [CORSAIR])."""
    with store.db.transaction() as tx:
        rows, total = paginate(tx, LISTING, query, T.c.account_id == account.id)
        return _with_names(tx, rows), total


def dump(tx: Transaction, account_id: int) -> list[ContactListRecord]:
    return _with_names(tx, tx.all(ALL, aid=account_id))


def _with_names(tx: Transaction, rows: list[dict[str, Any]]) -> list[ContactListRecord]:
    """AC's membership rows repeat the contact's first and last name."""
    c = contacts.T.c
    ids = sorted({row["contact_id"] for row in rows})
    names = {r["id"]: r for r in tx.all(select(c.id, c.first_name, c.last_name).where(c.id.in_(ids)))} if ids else {}
    return [
        ContactListRecord(
            **row, first_name=names[row["contact_id"]]["first_name"], last_name=names[row["contact_id"]]["last_name"]
        )
        for row in rows
    ]


def _named(record: ContactListRecord, contact: ContactRecord) -> ContactListRecord:
    return replace(record, first_name=contact.first_name, last_name=contact.last_name)


def seed(store: Store, account: AccountRecord, data: list[dict[str, Any]], source: str, pointer: str) -> None:
    """Fixtures: each contact's ``lists``, by name, with a status."""
    with store.db.transaction() as tx:
        for row in data:
            with fixture_entry(source, pointer + row["at"]):
                contact = contacts.require_email(tx, account_id=account.id, email=row["email"])
                target = lists.require_name(tx, account_id=account.id, name=row["list"])
                set_status(tx, store, contact=contact, list_id=target.id, status=row["status"])
