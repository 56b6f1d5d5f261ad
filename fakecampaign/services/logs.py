"""Reading written events back: trackingLogs and the activities that reference them.

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
from fakecampaign.services.records import AccountRecord, ActivityRecord, ContactRecord, TrackingLogRecord
from fakecampaign.services.store import Store
from fakecampaign.tables import Activity, TrackingLog, table

LOGS = table(TrackingLog)
ACTIVITIES = table(Activity)

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


@dataclass(frozen=True, slots=True)
class ActivityQuery:
    contact_id: int
    after: int | None = None
    newest_first: bool = False
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


@dataclass(frozen=True, slots=True)
class ActivityPage:
    activities: list[ActivityRecord]
    logs: list[TrackingLogRecord]
    total: int


def activities(store: Store, *, account: AccountRecord, query: ActivityQuery) -> ActivityPage:
    """GET /activities?contact=ID with the logs they reference. G11: an unknown contact has none (no 404)."""
    a = ACTIVITIES.c
    where: list[Any] = [a.account_id == account.id, a.contact_id == query.contact_id]
    if query.after is not None:
        where.append(a.tstamp > query.after)
    order = (a.tstamp.desc(), a.id.desc()) if query.newest_first else (a.tstamp.asc(), a.id.asc())
    page = select(ACTIVITIES).where(*where).order_by(*order).limit(query.limit).offset(query.offset)
    with store.db.transaction() as tx:
        total = int(tx.scalar(select(func.count()).select_from(ACTIVITIES).where(*where)) or 0)
        rows = [ActivityRecord(**row) for row in tx.all(page)]
        log_ids = sorted({row.tracking_log_id for row in rows})
        # By id alone: these ids come from the account's own activities. With account_id in the WHERE too,
        # SQLite chose the (account_id, ...) index over the primary key and scanned the account (245 ms at 1M).
        logs = tx.all(select(LOGS).where(LOGS.c.id.in_(log_ids))) if log_ids else []
    return ActivityPage(rows, [TrackingLogRecord(**row) for row in logs], total)
