"""trackcmp.net/event: the rules that decide whether an event is written, and the journal of every call.

From the Event Tracking guide (../shared/seed/000_ecc3f6c9e3e7914b.txt) and ../shared/reference/ac-api-facts.md §4:
an event for an email that is not a contact of the account is answered but not written and creates no
contact; an event sent while tracking is off is not written; names need not be whitelisted.
Every call, written or dropped, is journalled with the reason it was dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fakecampaign.bus import EventDropped, EventWritten
from fakecampaign.db import Transaction
from fakecampaign.errors import (
    BadEventKey,
    BadVisit,
    EventDataTooLong,
    EventNameTooLong,
    MalformedForm,
    MissingActid,
    MissingEvent,
    NoResultFound,
    TrackError,
    UnknownActid,
)
from fakecampaign.services import accounts, contacts
from fakecampaign.services.contacts import SUBSCRIBER
from fakecampaign.services.records import AccountRecord, ContactRecord
from fakecampaign.services.store import Store
from fakecampaign.tables import ACTIVITIES, EVENT_JOURNAL, TRACKING_LOGS

LOGS = TRACKING_LOGS
JOURNAL = EVENT_JOURNAL

MAX_EVENT_NAME = 32  # "The name of the event you wish to track. (Max of 32 Characters)" [DOC-TRACK]
# G24: AC does not say how long eventdata may be; a MySQL TEXT column holds 65,535 bytes. Longer is refused.
MAX_EVENTDATA = 65_535
# What one journal row keeps of each field (README "Hardening"): a refused call must not store 500 KB. The
# eventdata of a written event is whole in its trackingLog; the journal's copy is for reading at a glance.
JOURNAL_CLIP = {"actid": 64, "event": 64, "email": 320, "eventdata": 1024}

WRITTEN = "written"
DROPPED = "dropped"


@dataclass(frozen=True, slots=True)
class TrackRequest:
    """The fields of one /event call, as strings exactly as sent (None when absent)."""

    actid: str | None
    key: str | None
    event: str | None
    eventdata: str | None
    visit: str | None
    unreadable: bool = False  # the body could not be parsed as form data


@dataclass(frozen=True, slots=True)
class TrackOutcome:
    outcome: str
    reason: str | None = None
    tracking_log_id: int | None = None
    account_name: str | None = None
    account_id: int | None = None


@dataclass(frozen=True, slots=True)
class _Checked:
    account: AccountRecord
    event: str
    email: str


async def track_committed(store: Store, *, request: TrackRequest) -> TrackOutcome:
    """``track``, returning (or raising) only once its writes are committed: they share one COMMIT with the
    other calls of this event-loop turn (db.py's group commit). A refused call is journaled too, so its
    TrackError also waits for that commit."""
    try:
        outcome = track(store, request=request)
    except TrackError:
        await store.db.settle()
        raise
    await store.db.settle()
    return outcome


def track(store: Store, *, request: TrackRequest) -> TrackOutcome:
    """Handle one /event call: write it, or drop it with a reason; raise the TrackError AC would answer.

    Its writes are batched (``db.py``'s group commit): an async caller uses ``track_committed``."""
    with store.db.transaction(batched=True) as tx:
        try:
            checked = _check(store, tx, request)
        except TrackError as error:
            owner = accounts.find_by_actid(store, tx, request.actid) if request.actid else None
            error.account_name = owner.name if owner else None
            error.account_id = owner.id if owner else None
            _journal(tx, store, request, None, TrackOutcome(DROPPED, error.reason), owner)
            failure: TrackError | None = error
        else:
            failure = None
            account = checked.account
            done = _write_or_drop(tx, store, request, checked)
            # Not dataclasses.replace: its field introspection cost ~2% of an /event call.
            outcome = TrackOutcome(done.outcome, done.reason, done.tracking_log_id, account.name, account.id)
            _journal(tx, store, request, checked, outcome, checked.account)
    if failure is not None:
        raise failure
    return outcome


def _check(store: Store, tx: Transaction, request: TrackRequest) -> _Checked:
    if request.unreadable:
        raise MalformedForm()
    if not request.actid:
        raise MissingActid()
    account = accounts.find_by_actid(store, tx, request.actid)
    if account is None:
        raise UnknownActid(actid=request.actid)
    if request.key != account.event_key:
        raise BadEventKey(hint="The key field must be this account's Event Key (not its API token)")
    if not request.event:
        raise MissingEvent()
    if len(request.event) > MAX_EVENT_NAME:
        raise EventNameTooLong(limit=MAX_EVENT_NAME)
    if request.eventdata is not None and len(request.eventdata) > MAX_EVENTDATA:
        raise EventDataTooLong(limit=MAX_EVENTDATA)
    return _Checked(account, request.event, _visit_email(request.visit))


def _visit_email(visit: str | None) -> str:
    try:
        parsed: Any = json.loads(visit or "")
    except (ValueError, RecursionError):  # RecursionError: JSON nested deeper than Python will parse
        raise BadVisit() from None
    email = parsed.get("email") if isinstance(parsed, dict) else None
    if not isinstance(email, str) or not email.strip() or not _is_text(email):
        raise BadVisit()
    return email.strip()


def _is_text(value: str) -> bool:
    """False for a lone UTF-16 surrogate (``"\\udfff"`` in the visit JSON): not text, and SQLite cannot store it."""
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _write_or_drop(tx: Transaction, store: Store, request: TrackRequest, checked: _Checked) -> TrackOutcome:
    # G6: both drops are answered "Event spawned"; AC does not say what it answers.
    account = checked.account
    if not account.tracking_enabled:
        return _dropped(tx, store, checked, "tracking_disabled")
    contact = contacts.find_by_email(tx, account_id=account.id, email=checked.email)
    if contact is None:
        return _dropped(tx, store, checked, "unknown_contact")
    now = store.clock.timestamp()
    log_id = _write(tx, store, contact, checked.event, request.eventdata, now)
    if store.bus.wants(EventWritten):  # only written events trigger automations (issue 9)
        event = EventWritten(
            account_id=account.id,
            at=now,
            source="public",
            contact_id=contact.id,
            name=checked.event,
            data=request.eventdata or "",
            tracking_log_id=log_id,
        )
        store.bus.publish(tx, event)
    return TrackOutcome(WRITTEN, None, log_id)


def _dropped(tx: Transaction, store: Store, checked: _Checked, reason: str) -> TrackOutcome:
    if store.bus.wants(EventDropped):
        event = EventDropped(
            account_id=checked.account.id,
            at=store.clock.timestamp(),
            source="public",
            email=checked.email,
            name=checked.event,
            reason=reason,
        )
        store.bus.publish(tx, event)
    return TrackOutcome(DROPPED, reason)


def _write(
    tx: Transaction, store: Store, contact: ContactRecord, event: str, eventdata: str | None, tstamp: int
) -> int:
    """A written event is a trackingLog plus the activity that references it."""
    log_id = tx.insert(
        LOGS,
        account_id=contact.account_id,
        contact_id=contact.id,
        type=event,
        value=eventdata,
        tstamp=tstamp,
        hash=store.clock.hex(40),
    )
    tx.insert(
        ACTIVITIES,
        account_id=contact.account_id,
        contact_id=contact.id,
        reference_id=log_id,
        reference_type="TrackingLog",
        reference_action=event,
        tstamp=tstamp,
    )
    return log_id


def record(
    store: Store, *, account: AccountRecord, email: str, event: str, eventdata: str | None, tstamp: int | None
) -> int:
    """Write a past event directly (fixtures), bypassing trackcmp's checks; the contact must exist."""
    with store.db.transaction() as tx:
        contact = contacts.find_by_email(tx, account_id=account.id, email=email)
        if contact is None:
            raise NoResultFound(resource=SUBSCRIBER, id=email, hint=f"{email!r} is not a contact of this account")
        return _write(tx, store, contact, event, eventdata, tstamp if tstamp is not None else store.clock.timestamp())


def _journal(
    tx: Transaction,
    store: Store,
    request: TrackRequest,
    checked: _Checked | None,
    outcome: TrackOutcome,
    owner: AccountRecord | None,
) -> None:
    email = _clip(checked.email if checked else _email_or_none(request.visit), "email")
    account_id = owner.id if owner else None
    tx.insert(
        JOURNAL,
        account_id=account_id,
        actid=_clip(request.actid, "actid"),
        email=email,
        email_key=email.lower() if email is not None else None,
        event=_clip(request.event, "event"),
        eventdata=_clip(request.eventdata, "eventdata"),
        outcome=outcome.outcome,
        reason=outcome.reason,
        tracking_log_id=outcome.tracking_log_id,
        tstamp=store.clock.timestamp(),
    )
    store.journal_bounds.added(tx, account_id)


def _clip(value: str | None, field: str) -> str | None:
    limit = JOURNAL_CLIP[field]
    return value if value is None or len(value) <= limit else value[:limit]


def _email_or_none(visit: str | None) -> str | None:
    try:
        return _visit_email(visit)
    except BadVisit:
        return None
