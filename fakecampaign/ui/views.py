"""What each page shows, read through services (never SQL here: tests/test_layering.py)."""

from __future__ import annotations

from dataclasses import dataclass

from fakecampaign.services import accounts, contacts, journal, tracking
from fakecampaign.services.contacts import ContactQuery
from fakecampaign.services.journal import JournalEntry, JournalQuery
from fakecampaign.services.records import AccountRecord, ContactRecord
from fakecampaign.services.requests import RequestJournal, RequestQuery, RequestRecord
from fakecampaign.services.store import Store
from fakecampaign.ui import crm, timeline
from fakecampaign.ui.items import Item

PAGE_SIZE = 50
JOURNAL_ROWS = 200
FEED_ROWS = 8


@dataclass(frozen=True, slots=True)
class AccountSummary:
    account: AccountRecord
    tracking: bool
    contacts: int
    events: int
    event_names: list[str]


@dataclass(frozen=True, slots=True)
class ContactsPage:
    contacts: list[ContactRecord]
    total: int
    search: str
    offset: int
    limit: int
    crm: dict[int, crm.ContactCrm]  # each shown contact's tags, lists and field values


@dataclass(frozen=True, slots=True)
class JournalPage:
    entries: list[JournalEntry]
    total: int
    event_names: list[str]
    tracking: bool


def summaries(store: Store) -> list[AccountSummary]:
    return [summary(store, account) for account in accounts.list_all(store)]


def summary(store: Store, account: AccountRecord) -> AccountSummary:
    _, contact_total = contacts.search(store, account=account, query=ContactQuery(limit=0))
    _, event_total = journal.search(store, query=JournalQuery(account_id=account.id, limit=0))
    return AccountSummary(
        account=account,
        tracking=tracking.get_status(store, account=account),
        contacts=contact_total,
        events=event_total,
        event_names=tracking.list_names(store, account=account),
    )


def contacts_page(store: Store, account: AccountRecord, *, search: str, offset: int) -> ContactsPage:
    query = ContactQuery(search=search or None, limit=PAGE_SIZE, offset=offset, orders=(("id", True),))
    found, total = contacts.search(store, account=account, query=query)
    names = crm.catalog(store, account)
    of = {c.id: crm.of_contact(store, account, c.id, names) for c in found}
    return ContactsPage(found, total, search, offset, PAGE_SIZE, of)


def contact_crm(store: Store, account: AccountRecord, contact_id: int) -> crm.ContactCrm:
    return crm.of_contact(store, account, contact_id, crm.catalog(store, account))


def catalog(store: Store, account: AccountRecord) -> crm.Catalog:
    return crm.catalog(store, account)


def contact(store: Store, account: AccountRecord, contact_id: int) -> ContactRecord:
    return contacts.get(store, account=account, contact_id=contact_id)


def contact_timeline(store: Store, account: AccountRecord, record: ContactRecord) -> list[Item]:
    return timeline.build(store, account, record)


def journal_page(store: Store, account: AccountRecord, *, outcome: str | None) -> JournalPage:
    query = JournalQuery(account_id=account.id, outcome=outcome or None, limit=JOURNAL_ROWS)
    entries, total = journal.newest(store, query=query)
    return JournalPage(
        entries,
        total,
        tracking.list_names(store, account=account),
        tracking.get_status(store, account=account),
    )


def requests_page(requests: RequestJournal, account: AccountRecord) -> list[RequestRecord]:
    return list(reversed(requests.search(RequestQuery(account_id=account.id, limit=JOURNAL_ROWS))))


def feed(store: Store) -> list[JournalEntry]:
    """The newest /event calls of every account: shown on every page, so a call shows wherever one looks."""
    entries, _ = journal.newest(store, query=JournalQuery(limit=FEED_ROWS))
    return entries


def live_version(store: Store, requests: RequestJournal) -> str:
    """Changes whenever an /event call or an API call was recorded: pages poll it and refresh when it moves."""
    return f"{journal.latest_id(store)}.{requests.last_id}"
