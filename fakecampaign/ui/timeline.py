"""One contact's history in one stream, newest first.

Each source is a function (store, account, contact) -> items; adding what another part of the fake records
(automation runs, emails, webhook deliveries, tag and list changes) is one more function in ``SOURCES``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain

from fakecampaign.services import journal, logs
from fakecampaign.services.journal import JournalQuery
from fakecampaign.services.records import AccountRecord, ContactRecord
from fakecampaign.services.store import Store
from fakecampaign.ui import crm, engine_views
from fakecampaign.ui.items import Item

MAX_PER_SOURCE = 500


Source = Callable[[Store, AccountRecord, ContactRecord], Iterable[Item]]


def contact_created(_: Store, __: AccountRecord, contact: ContactRecord) -> Iterable[Item]:
    yield Item(contact.cdate, "contact", "Contact created", contact.email, order=-1)


def written_events(store: Store, account: AccountRecord, contact: ContactRecord) -> Iterable[Item]:
    """Stored events (tracking logs) with their eventdata: from /event calls and from fixtures alike."""
    for log in logs.for_contact(store, account=account, contact_id=contact.id)[-MAX_PER_SOURCE:]:
        yield Item(log.tstamp, "event", f"Event: {log.type}", log.value, order=log.id)


def dropped_calls(store: Store, account: AccountRecord, contact: ContactRecord) -> Iterable[Item]:
    """/event calls naming this contact's email that were dropped, with the reason (AC still said success)."""
    query = JournalQuery(account_id=account.id, email=contact.email, outcome="dropped", limit=MAX_PER_SOURCE)
    entries, _ = journal.newest(store, query=query)
    for entry in entries:
        record = entry.record
        title = f"Dropped /event: {record.event or '(no name)'}"
        yield Item(record.tstamp, "dropped", title, record.eventdata, note=record.reason, order=record.id)


SOURCES: list[Source] = [
    contact_created,
    written_events,
    dropped_calls,
    crm.timeline_items,
    engine_views.timeline_items,
]


def build(store: Store, account: AccountRecord, contact: ContactRecord) -> list[Item]:
    items = chain.from_iterable(source(store, account, contact) for source in SOURCES)
    return sorted(items, key=lambda item: (item.tstamp, item.order), reverse=True)
