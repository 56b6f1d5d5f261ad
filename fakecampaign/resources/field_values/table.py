"""A contact's value for a custom field: one per (contact, field) (breadth §4.4.1)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, UniqueConstraint

from fakecampaign.tables.meta import METADATA

FIELD_VALUES = Table(
    "field_values",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False, index=True),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False),
    Column("field_id", Integer, ForeignKey("fields.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("value", String, nullable=False),
    Column("cdate", Integer, nullable=False),  # epoch seconds, UTC
    Column("udate", Integer, nullable=False),
    UniqueConstraint("contact_id", "field_id"),
    sqlite_autoincrement=True,
)
