"""Mailing lists (ac-api-facts-breadth.md §3)."""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table

from fakecampaign.tables.meta import METADATA

LISTS = Table(
    "lists",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False, index=True),
    Column("name", String, nullable=False),
    Column("name_key", String, nullable=False),  # lower-cased in Python, for case-insensitive filters and orders
    Column("stringid", String, nullable=False),
    Column("sender_url", String, nullable=False, default=""),
    Column("sender_reminder", String, nullable=False, default=""),
    Column("send_last_broadcast", Integer, nullable=False, default=0),
    Column("carboncopy", String),
    Column("subscription_notify", String),
    Column("unsubscription_notify", String),
    Column("user", Integer, nullable=False, default=1),
    Column("channel", String, nullable=False, default="email"),
    Column("cdate", Integer, nullable=False),  # epoch seconds, UTC
    Column("udate", Integer, nullable=False),
    sqlite_autoincrement=True,
)
