"""Accounts: the tenant every row belongs to; v3 finds one by Api-Token, trackcmp by actid + key."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, String, Table

from fakecampaign.tables.meta import METADATA

ACCOUNTS = Table(
    "accounts",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("name", String, nullable=False, unique=True, index=True),
    Column("api_token", String, nullable=False, unique=True, index=True),
    Column("actid", String, nullable=False, unique=True, index=True),
    Column("event_key", String, nullable=False),
    Column("tracking_enabled", Boolean, nullable=False, default=True),
    Column("created_at", Integer, nullable=False),  # epoch seconds, UTC
    # What a reset restores: the fixtures the account was created with (canonical JSON), and whether it
    # existed at start-up (a full reset removes accounts created later).
    Column("seed", String),
    Column("from_start", Boolean, nullable=False, default=False),
    sqlite_autoincrement=True,  # ids are never reused (see contacts.py)
)
