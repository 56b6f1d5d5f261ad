"""Activities: the account's feed of what happened to its contacts (ac-api-facts.md §5).

Which changes AC records as activities (G60): AC lists its ``reference_type`` values [ACT-MD] but not which
action writes which. fakecampaign records the three whose type names the change:

    a tracked event              TrackingLog     action = the event name (the guide's example)
    a list subscribe/unsubscribe SubscriberList  action = "subscribe" / "unsubscribe"
    a deal added or updated      DealActivity    action = "add" / "update"

Tags, field values and contact edits write none (no ``reference_type`` names them). Tracked events write
their activity in ``services/events.py`` (the hot path, no bus); the others arrive here as domain events,
inside the transaction that made the change, so an activity never outlives a rolled-back write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from fakecampaign.bus import Bus, DealChanged, ListSubscribed, ListUnsubscribed
from fakecampaign.db import Transaction
from fakecampaign.errors import NoResultFound
from fakecampaign.services.records import AccountRecord, ActivityRecord, ContactRecord, TrackingLogRecord
from fakecampaign.services.store import Store
from fakecampaign.tables import ACTIVITIES, CONTACTS, TRACKING_LOGS

LOGS = TRACKING_LOGS

TRACKING_LOG = "TrackingLog"
SUBSCRIBER_LIST = "SubscriberList"
DEAL_ACTIVITY = "DealActivity"
DEAL_ACTIONS = {"deal_add": "add", "deal_update": "update"}  # DealChanged.kind -> reference_action


def subscribe(bus: Bus) -> None:
    """Record activities for the changes AC shows in its feed (called once, by app.py)."""
    bus.subscribe(ListSubscribed, _on_subscribed)
    bus.subscribe(ListUnsubscribed, _on_unsubscribed)
    bus.subscribe(DealChanged, _on_deal)


def _on_subscribed(tx: Transaction, event: ListSubscribed) -> None:
    _record(tx, event.account_id, event.contact_id, SUBSCRIBER_LIST, event.list_id, "subscribe", event.at)


def _on_unsubscribed(tx: Transaction, event: ListUnsubscribed) -> None:
    _record(tx, event.account_id, event.contact_id, SUBSCRIBER_LIST, event.list_id, "unsubscribe", event.at)


def _on_deal(tx: Transaction, event: DealChanged) -> None:
    action = DEAL_ACTIONS.get(event.kind)
    if action is not None and event.contact_id is not None:  # a deleted deal, or one without a contact: none
        _record(tx, event.account_id, event.contact_id, DEAL_ACTIVITY, event.deal_id, action, event.at)


def _record(
    tx: Transaction, account_id: int, contact_id: int, reference_type: str, reference_id: int, action: str, at: int
) -> None:
    tx.insert(
        ACTIVITIES,
        account_id=account_id,
        contact_id=contact_id,
        reference_id=reference_id,
        reference_type=reference_type,
        reference_action=action,
        tstamp=at,
    )


# --- reading the feed ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActivityQuery:
    """GET /activities. Without ``contact_id`` it is the whole account's feed, as [TAP] syncs it."""

    contact_id: int | None = None
    after: int | None = None
    newest_first: bool = False
    with_contacts: bool = False
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True, slots=True)
class ActivityPage:
    activities: list[ActivityRecord]
    logs: list[TrackingLogRecord]  # the trackingLogs the page's TrackingLog activities reference
    contacts: list[ContactRecord]  # the page's contacts, when asked for (include=recipients.recipient, ...)
    total: int


def search(store: Store, *, account: AccountRecord, query: ActivityQuery) -> ActivityPage:
    """One page of activities, oldest first unless asked otherwise. G11: an unknown contact has none (no 404)."""
    a = ACTIVITIES.c
    where: list[Any] = [a.account_id == account.id]
    if query.contact_id is not None:
        where.append(a.contact_id == query.contact_id)
    if query.after is not None:
        where.append(a.tstamp > query.after)
    order = (a.tstamp.desc(), a.id.desc()) if query.newest_first else (a.tstamp.asc(), a.id.asc())
    page = select(ACTIVITIES).where(*where).order_by(*order).limit(query.limit).offset(query.offset)
    with store.db.transaction() as tx:
        total = int(tx.scalar(select(func.count()).select_from(ACTIVITIES).where(*where)) or 0)
        rows = [ActivityRecord(**row) for row in tx.all(page)]
        log_ids = sorted({r.reference_id for r in rows if r.reference_type == TRACKING_LOG})
        # By id alone: these ids come from the account's own activities. With account_id in the WHERE too,
        # SQLite chose the (account_id, ...) index over the primary key and scanned the account (245 ms at 1M).
        logs = tx.all(select(LOGS).where(LOGS.c.id.in_(log_ids))) if log_ids else []
        contact_ids = sorted({r.contact_id for r in rows}) if query.with_contacts else []
        people = tx.all(select(CONTACTS).where(CONTACTS.c.id.in_(contact_ids))) if contact_ids else []
    return ActivityPage(
        rows, [TrackingLogRecord(**row) for row in logs], [ContactRecord(**row) for row in people], total
    )


MODEL = "Activity"  # as the 404 of an unknown activity words it (G19's "No Result found" form)


def get(store: Store, *, account: AccountRecord, activity_id: int) -> tuple[ActivityRecord, TrackingLogRecord | None]:
    """One activity (the target of its ``links``) and, for a TrackingLog activity, the log it references."""
    a = ACTIVITIES.c
    with store.db.transaction() as tx:
        row = tx.one(select(ACTIVITIES).where(a.account_id == account.id, a.id == activity_id))
        if row is None:
            raise NoResultFound(resource=MODEL, id=activity_id)
        activity = ActivityRecord(**row)
        log = None
        if activity.reference_type == TRACKING_LOG:
            found = tx.one(select(LOGS).where(LOGS.c.id == activity.reference_id))
            log = None if found is None else TrackingLogRecord(**found)
    return activity, log
