"""Event tracking: whitelisted names, written events (trackingLogs + activities) and the /event journal."""

from __future__ import annotations

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class EventName(SQLModel, table=True):
    __tablename__ = "event_names"
    __table_args__ = (UniqueConstraint("account_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int
    name: str


class TrackingLog(SQLModel, table=True):
    __tablename__ = "tracking_logs"
    __table_args__ = (
        # Both lead with account_id: with an index on a lone column, SQLite may pick it and scan the account.
        Index("ix_tracking_logs_contact", "account_id", "contact_id", "id"),
        Index("ix_tracking_logs_account_type", "account_id", "type", "id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int
    contact_id: int
    type: str
    value: str | None = None
    tstamp: int  # epoch seconds, UTC
    hash: str


class Activity(SQLModel, table=True):
    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_contact", "account_id", "contact_id", "tstamp", "id"),
        Index("ix_activities_account", "account_id", "tstamp", "id"),  # the account-wide feed (ac-api-facts §5)
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int
    contact_id: int
    reference_id: int  # the trackingLog, list or deal the activity is about (services/activities.py)
    reference_type: str = "TrackingLog"
    reference_action: str
    tstamp: int  # epoch seconds, UTC


class EventJournal(SQLModel, table=True):
    """Every /event call, written or dropped, with why it was dropped; read by the control plane."""

    __tablename__ = "event_journal"
    __table_args__ = (Index("ix_event_journal_account", "account_id", "id"), {"sqlite_autoincrement": True})

    id: int | None = Field(default=None, primary_key=True)
    account_id: int | None = None
    actid: str | None = None
    email: str | None = None
    email_key: str | None = None  # lower-cased in Python: SQLite's lower() folds ASCII only
    event: str | None = None
    eventdata: str | None = None
    outcome: str
    reason: str | None = None
    tracking_log_id: int | None = None
    tstamp: int  # epoch seconds, UTC
