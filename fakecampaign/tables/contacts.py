"""Contacts, one id space shared by all accounts (AC ids are opaque strings to clients)."""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table, UniqueConstraint

from fakecampaign.tables.meta import METADATA

CONTACTS = Table(
    "contacts",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False, index=True),
    Column("email", String, nullable=False),
    Column("email_key", String, nullable=False),
    Column("first_name", String, nullable=False, default=""),
    Column("last_name", String, nullable=False, default=""),
    # Lower-cased in Python: SQLite's lower() folds ASCII only, and search must match "ZOË" with "zoë".
    Column("first_name_key", String, nullable=False, default=""),
    Column("last_name_key", String, nullable=False, default=""),
    Column("phone", String, nullable=False, default=""),
    Column("hash", String, nullable=False),
    Column("cdate", Integer, nullable=False),  # epoch seconds, UTC
    Column("udate", Integer, nullable=False),  # epoch seconds, UTC
    # AC matches emails case-insensitively, so uniqueness is on the lower-cased key.
    UniqueConstraint("account_id", "email_key"),
    # A deleted contact's id is never handed to a new one, as in AC.
    sqlite_autoincrement=True,
)
