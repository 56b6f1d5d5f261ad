"""Event tracking: whitelisted names, written events (trackingLogs + activities) and the /event journal."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, UniqueConstraint

from fakecampaign.tables.meta import METADATA

EVENT_NAMES = Table(
    "event_names",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False),
    Column("name", String, nullable=False),
    UniqueConstraint("account_id", "name"),
)

TRACKING_LOGS = Table(
    "tracking_logs",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False),
    Column("contact_id", Integer, nullable=False),
    Column("type", String, nullable=False),
    Column("value", String),
    Column("tstamp", Integer, nullable=False),  # epoch seconds, UTC
    Column("hash", String, nullable=False),
    # Both lead with account_id: with an index on a lone column, SQLite may pick it and scan the account.
    Index("ix_tracking_logs_contact", "account_id", "contact_id", "id"),
    Index("ix_tracking_logs_account_type", "account_id", "type", "id"),
    sqlite_autoincrement=True,
)

ACTIVITIES = Table(
    "activities",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False),
    Column("contact_id", Integer, nullable=False),
    # The trackingLog, list or deal the activity is about (services/activities.py).
    Column("reference_id", Integer, nullable=False),
    Column("reference_type", String, nullable=False, default="TrackingLog"),
    Column("reference_action", String, nullable=False),
    Column("tstamp", Integer, nullable=False),  # epoch seconds, UTC
    Index("ix_activities_contact", "account_id", "contact_id", "tstamp", "id"),
    Index("ix_activities_account", "account_id", "tstamp", "id"),  # the account-wide feed (ac-api-facts §5)
    sqlite_autoincrement=True,
)

# Every /event call, written or dropped, with why it was dropped; read by the control plane.
EVENT_JOURNAL = Table(
    "event_journal",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer),
    Column("actid", String),
    Column("email", String),
    Column("email_key", String),  # lower-cased in Python: SQLite's lower() folds ASCII only
    Column("event", String),
    Column("eventdata", String),
    Column("outcome", String, nullable=False),
    Column("reason", String),
    Column("tracking_log_id", Integer),
    Column("tstamp", Integer, nullable=False),  # epoch seconds, UTC
    Index("ix_event_journal_account", "account_id", "id"),
    sqlite_autoincrement=True,
)
