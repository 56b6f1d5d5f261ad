"""contactTags: tag a contact, untag it, a contact's tags, every tag of the account (breadth §2).

G41: tagging a contact with a tag it already has answers 201 with the existing association, so form
integrations that tag on every submission keep working ([FORMIE], [WAITLIST]; AC's answer is unknown).
Publishes TagAdded / TagRemoved inside the write transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, select

from fakecampaign.bus import TagAdded, TagRemoved
from fakecampaign.db import Transaction, statement
from fakecampaign.errors import ContactNotFoundForTag, MissingAttribute, NoResultFound
from fakecampaign.query import Listing, ListQuery, paginate
from fakecampaign.registry import fixture_entry
from fakecampaign.resources.contact_tags.table import CONTACT_TAGS
from fakecampaign.resources.tags import service as tags
from fakecampaign.services import contacts
from fakecampaign.services.records import AccountRecord
from fakecampaign.services.store import Store

T = CONTACT_TAGS
MODEL = "SubscriberTag"  # AC's internal name, as its 404s word it

BY_ID = statement(select(T).where(T.c.account_id == bindparam("aid"), T.c.id == bindparam("ctid")))
BY_PAIR = statement(select(T).where(T.c.contact_id == bindparam("cid"), T.c.tag_id == bindparam("tid")))
OF_CONTACT = statement(select(T).where(T.c.contact_id == bindparam("cid")).order_by(T.c.id))
DELETE = statement(delete(T).where(T.c.id == bindparam("ctid")))
ALL = statement(select(T).where(T.c.account_id == bindparam("aid")).order_by(T.c.id))
# G55: the undocumented account-wide GET /contactTags (and /contactLists) page with limit/offset like every
# collection, filter by filters[contact|tag], and carry a string meta.total.
LISTING = Listing(
    T,
    filters={"contact": ("contact_id", "eq"), "tag": ("tag_id", "eq")},
    orders={"id": "id", "cdate": "cdate", "udate": "udate"},
)


@dataclass(frozen=True, slots=True)
class ContactTagRecord:
    id: int
    account_id: int
    contact_id: int
    tag_id: int
    cdate: int
    udate: int


def create(store: Store, *, account: AccountRecord, contact_id: int | None, tag_id: int | None) -> ContactTagRecord:
    """POST /contactTags: idempotent (G41)."""
    if contact_id is None:
        raise MissingAttribute(attribute="contact", hint="contactTag.contact (a contact id) is required")
    if tag_id is None:
        raise MissingAttribute(attribute="tag", hint="contactTag.tag (a tag id) is required")
    with store.db.transaction() as tx:
        if tx.one(contacts.BY_ID, aid=account.id, cid=contact_id) is None:
            raise ContactNotFoundForTag(hint=f"This account has no contact with id {contact_id}")
        tag = tags.require(tx, account_id=account.id, tag_id=tag_id)
        return add(tx, store, account_id=account.id, contact_id=contact_id, tag=tag)


def add(tx: Transaction, store: Store, *, account_id: int, contact_id: int, tag: tags.TagRecord) -> ContactTagRecord:
    """Tag a known contact inside the caller's transaction (also used by fixtures). G41: a tag the contact
    already has answers the existing association and publishes nothing."""
    existing = tx.one(BY_PAIR, cid=contact_id, tid=tag.id)
    if existing is not None:
        return ContactTagRecord(**existing)
    now = store.clock.timestamp()
    values: dict[str, Any] = {
        "account_id": account_id,
        "contact_id": contact_id,
        "tag_id": tag.id,
        "cdate": now,
        "udate": now,
    }
    record = ContactTagRecord(id=tx.insert(T, **values), **values)
    if store.bus.wants(TagAdded):
        store.bus.publish(
            tx, TagAdded(account_id=account_id, at=now, contact_id=contact_id, tag_id=tag.id, tag=tag.tag)
        )
    return record


def delete_(store: Store, *, account: AccountRecord, contact_tag_id: int) -> None:
    """DELETE /contactTags/{id}: the association id, not the tag id."""
    with store.db.transaction() as tx:
        row = tx.one(BY_ID, aid=account.id, ctid=contact_tag_id)
        if row is None:
            raise NoResultFound(resource=MODEL, id=contact_tag_id)
        tx.execute(DELETE, ctid=contact_tag_id)
        if store.bus.wants(TagRemoved):
            tag = tags.require(tx, account_id=account.id, tag_id=row["tag_id"])
            event = TagRemoved(
                account_id=account.id,
                at=store.clock.timestamp(),
                contact_id=row["contact_id"],
                tag_id=tag.id,
                tag=tag.tag,
            )
            store.bus.publish(tx, event)


def get(store: Store, *, account: AccountRecord, contact_tag_id: int) -> ContactTagRecord:
    """GET /contactTags/{id} (the record's own link)."""
    with store.db.transaction() as tx:
        row = tx.one(BY_ID, aid=account.id, ctid=contact_tag_id)
    if row is None:
        raise NoResultFound(resource=MODEL, id=contact_tag_id)
    return ContactTagRecord(**row)


def of_contact(store: Store, *, account: AccountRecord, contact_id: int) -> list[ContactTagRecord]:
    """GET /contacts/{id}/contactTags: all of them, no ``meta`` (breadth §1.2)."""
    return contacts.rows_of(store, account=account, contact_id=contact_id, rows=for_contact)


def for_contact(tx: Transaction, account_id: int, contact_id: int) -> list[ContactTagRecord]:
    """G56: a contact's sub-collections (/contacts/{id}/contactTags, /contactLists, /fieldValues) list every row,
    oldest first, unpaged, as AC's examples print them without ``meta``. (``account_id``: the registry hook's
    signature; the caller has checked the contact is the account's.)"""
    return [ContactTagRecord(**row) for row in tx.all(OF_CONTACT, cid=contact_id)]


def list_(store: Store, *, account: AccountRecord, query: ListQuery) -> tuple[list[ContactTagRecord], int]:
    """GET /contactTags: the account's associations, paged (undocumented; [TAP], [CORSAIR])."""
    with store.db.transaction() as tx:
        rows, total = paginate(tx, LISTING, query, T.c.account_id == account.id)
    return [ContactTagRecord(**row) for row in rows], total


def dump(tx: Transaction, account_id: int) -> list[ContactTagRecord]:
    return [ContactTagRecord(**row) for row in tx.all(ALL, aid=account_id)]


def seed(store: Store, account: AccountRecord, data: list[dict[str, Any]], source: str, pointer: str) -> None:
    """Fixtures: each contact's ``tags``, by name."""
    with store.db.transaction() as tx:
        for row in data:
            with fixture_entry(source, pointer + row["at"]):
                contact = contacts.require_email(tx, account_id=account.id, email=row["email"])
                tag = tags.require_name(tx, account_id=account.id, name=row["tag"])
                add(tx, store, account_id=account.id, contact_id=contact.id, tag=tag)
