"""Reading written events back: trackingLogs (activities are in services/activities.py).

Every query is bounded by an index on (contact, ...) or (account, type, ...), so its cost does not grow with
the account's size; a contact's deletion removes its logs, so the joins never reach an orphan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select

from fakecampaign.db import statement
from fakecampaign.errors import NoResultFound
from fakecampaign.services import contacts
from fakecampaign.services.records import AccountRecord, ContactRecord, TrackingLogRecord
from fakecampaign.services.store import Store
from fakecampaign.tables import TRACKING_LOGS

LOGS = TRACKING_LOGS

LOG_BY_ID = statement(select(LOGS).where(LOGS.c.account_id == bindparam("aid"), LOGS.c.id == bindparam("lid")))
LOGS_OF_CONTACT = statement(
    select(LOGS).where(LOGS.c.account_id == bindparam("aid"), LOGS.c.contact_id == bindparam("cid")).order_by(LOGS.c.id)
)


@dataclass(frozen=True, slots=True)
class LogQuery:
    contact_id: int | None = None
    type: str | None = None
    limit: int = 20
    offset: int = 0


def for_contact(store: Store, *, account: AccountRecord, contact_id: int) -> list[TrackingLogRecord]:
    """GET /contacts/{id}/trackingLogs. G9: every log of the contact, oldest first; 404 for an unknown contact."""
    with store.db.transaction() as tx:
        contacts.require(tx, account_id=account.id, contact_id=contact_id)
        return [TrackingLogRecord(**row) for row in tx.all(LOGS_OF_CONTACT, aid=account.id, cid=contact_id)]


def search(store: Store, *, account: AccountRecord, query: LogQuery) -> tuple[list[TrackingLogRecord], int]:
    """GET /trackingLogs: the account's logs, optionally for one contact and one event name."""
    where: list[Any] = [LOGS.c.account_id == account.id]
    if query.contact_id is not None:
        where.append(LOGS.c.contact_id == query.contact_id)
    if query.type is not None:
        where.append(LOGS.c.type == query.type)
    page = select(LOGS).where(*where).order_by(LOGS.c.id).limit(query.limit).offset(query.offset)
    with store.db.transaction() as tx:
        total = int(tx.scalar(select(func.count()).select_from(LOGS).where(*where)) or 0)
        return [TrackingLogRecord(**row) for row in tx.all(page)], total


def get(store: Store, *, account: AccountRecord, log_id: int) -> TrackingLogRecord:
    """GET /trackingLogs/{id}."""
    with store.db.transaction() as tx:
        row = tx.one(LOG_BY_ID, aid=account.id, lid=log_id)
    if row is None:
        raise NoResultFound(resource="TrackingLog", id=log_id)
    return TrackingLogRecord(**row)


def contact_of(store: Store, *, account: AccountRecord, log_id: int) -> ContactRecord:
    """GET /trackingLogs/{id}/contact."""
    log = get(store, account=account, log_id=log_id)
    with store.db.transaction() as tx:
        return contacts.require(tx, account_id=account.id, contact_id=log.contact_id)
