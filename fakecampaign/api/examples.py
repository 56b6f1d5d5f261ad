"""Example values for /docs, rendered by the same wire builders the routes use, so they cannot drift from
what the API answers. The data mirrors AC's own documentation examples (ac-api-facts.md §2, §5, §6)."""

from __future__ import annotations

from datetime import UTC, datetime

from fakecampaign.services.journal import JournalEntry
from fakecampaign.services.records import (
    AccountRecord,
    ActivityRecord,
    ContactRecord,
    JournalRecord,
    TrackingLogRecord,
)
from fakecampaign.services.requests import RequestRecord
from fakecampaign.services.state import AccountState

BASE_URL = "https://youraccount.api-us1.com/"
T0 = int(datetime(2026, 1, 15, 16, 18, tzinfo=UTC).timestamp())

ACCOUNT = AccountRecord(
    id=1,
    name="youraccount",
    api_token="fake-api-token",
    actid="123456789",
    event_key="fake-event-key",
    tracking_enabled=True,
    created_at=T0,
)
CONTACT = ContactRecord(
    id=113,
    account_id=1,
    email="johndoe@example.com",
    email_key="johndoe@example.com",
    first_name="John",
    last_name="Doe",
    first_name_key="john",
    last_name_key="doe",
    phone="7223224241",
    hash="75b8bb1a2d7d4b04a0c0ed9f0a1b2c3d",
    cdate=T0,
    udate=T0 + 60,
)
TRACKING_LOG = TrackingLogRecord(
    id=12,
    account_id=1,
    contact_id=113,
    type="file download request",
    value="https://www.yoursite.com/downloads/file.pdf",
    tstamp=T0 + 120,
    hash="358a9a13d85efb7b888014ec57790efb6c13ab3a",
)
ACTIVITY = ActivityRecord(
    id=483,
    account_id=1,
    contact_id=113,
    reference_id=12,
    reference_type="TrackingLog",
    reference_action="file download request",
    tstamp=T0 + 120,
)
CONTACT_BODY = {
    "contact": {"email": "johndoe@example.com", "firstName": "John", "lastName": "Doe", "phone": "7223224241"}
}

CONTROL_BASE = "http://127.0.0.1:8080/"
JOURNAL_ENTRY = JournalEntry(
    JournalRecord(
        id=1,
        account_id=1,
        actid="123456789",
        email="johndoe@example.com",
        email_key="johndoe@example.com",
        event="file download request",
        eventdata="https://www.yoursite.com/downloads/file.pdf",
        outcome="written",
        reason=None,
        tracking_log_id=12,
        tstamp=T0 + 120,
    ),
    "youraccount",
)
REQUEST = RequestRecord(
    id=1, tstamp=T0 + 60, method="GET", path="/api/3/contacts", query="email=johndoe%40example.com", status=200,
    account="youraccount",
)  # fmt: skip
STATE = AccountState(ACCOUNT, [CONTACT], ["file download request"], [TRACKING_LOG], [ACTIVITY], [JOURNAL_ENTRY])
FIXTURES_BODY = {
    "contacts": [{"email": "johndoe@example.com", "firstName": "John", "lastName": "Doe"}],
    "eventNames": ["file download request"],
    "events": [{"email": "johndoe@example.com", "event": "file download request", "tstamp": "2026-01-15T16:20:00Z"}],
}


def _contact_only() -> dict[str, object]:
    from fakecampaign.schemas.contacts import ContactOnlyEnvelope, ContactOut  # schemas import services: keep lazy

    return ContactOnlyEnvelope(contact=ContactOut.of(CONTACT, BASE_URL)).model_dump(mode="json")


CONTACT_ONLY = _contact_only()
