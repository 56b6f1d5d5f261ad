"""What services hand back: plain immutable records, cheap to build from a row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class AccountRecord:
    id: int
    name: str
    api_token: str
    actid: str
    event_key: str
    tracking_enabled: bool
    created_at: int
    seed: str | None = None
    from_start: bool = False

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> AccountRecord:
        return cls(**{**row, "tracking_enabled": bool(row["tracking_enabled"]), "from_start": bool(row["from_start"])})


@dataclass(frozen=True, slots=True)
class ContactRecord:
    id: int
    account_id: int
    email: str
    email_key: str
    first_name: str
    last_name: str
    first_name_key: str
    last_name_key: str
    phone: str
    hash: str
    cdate: int
    udate: int
    # The custom-field values a create, sync or update wrote (FieldValueRecords), echoed in its reply.
    field_values: tuple[Any, ...] = ()
    # The ids of its contactLists, fieldValues, deals, ... by key, when the caller asked (contacts.with_relation_ids).
    related_ids: tuple[tuple[str, tuple[int, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class TrackingLogRecord:
    id: int
    account_id: int
    contact_id: int
    type: str
    value: str | None
    tstamp: int
    hash: str


@dataclass(frozen=True, slots=True)
class ActivityRecord:
    id: int
    account_id: int
    contact_id: int
    reference_id: int
    reference_type: str
    reference_action: str
    tstamp: int


@dataclass(frozen=True, slots=True)
class JournalRecord:
    id: int
    account_id: int | None
    actid: str | None
    email: str | None
    email_key: str | None
    event: str | None
    eventdata: str | None
    outcome: str
    reason: str | None
    tracking_log_id: int | None
    tstamp: int
