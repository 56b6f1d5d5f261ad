"""A dump of everything one account holds, for GET /_fakecampaign/state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select

from fakecampaign.db import statement
from fakecampaign.resources.catalog import RESOURCES
from fakecampaign.services import accounts, contacts, journal, tracking
from fakecampaign.services.journal import JournalEntry, JournalQuery
from fakecampaign.services.records import AccountRecord, ActivityRecord, ContactRecord, TrackingLogRecord
from fakecampaign.services.store import Store
from fakecampaign.tables import ACTIVITIES, CONTACTS, TRACKING_LOGS

LOGS = TRACKING_LOGS

ALL_CONTACTS = statement(select(CONTACTS).where(CONTACTS.c.account_id == bindparam("aid")).order_by(CONTACTS.c.id))
ALL_LOGS = statement(select(LOGS).where(LOGS.c.account_id == bindparam("aid")).order_by(LOGS.c.id))
ALL_ACTIVITIES = statement(
    select(ACTIVITIES).where(ACTIVITIES.c.account_id == bindparam("aid")).order_by(ACTIVITIES.c.id)
)


@dataclass(frozen=True, slots=True)
class AccountState:
    account: AccountRecord
    contacts: list[ContactRecord]
    event_names: list[str]
    tracking_logs: list[TrackingLogRecord]
    activities: list[ActivityRecord]
    events: list[JournalEntry]
    resources: dict[str, list[Any]] = field(default_factory=dict)  # registry dumps, by resource name


def dump(store: Store, *, name: str) -> AccountState:
    account = accounts.get_by_name(store, name)
    with store.db.transaction() as tx:
        found = contacts.with_relation_ids(tx, [ContactRecord(**r) for r in tx.all(ALL_CONTACTS, aid=account.id)])
        logs = [TrackingLogRecord(**r) for r in tx.all(ALL_LOGS, aid=account.id)]
        acts = [ActivityRecord(**r) for r in tx.all(ALL_ACTIVITIES, aid=account.id)]
        dumps = {r.name: r.dump(tx, account.id) for r in RESOURCES if r.dump is not None}
    names = tracking.list_names(store, account=account)
    entries, _ = journal.search(store, query=JournalQuery(account_id=account.id, limit=journal.MAX_LIMIT))
    return AccountState(account, found, names, logs, acts, entries, dumps)
