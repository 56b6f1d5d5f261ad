"""A tag on a contact; it goes when either goes (ON DELETE CASCADE)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, Table, UniqueConstraint

from fakecampaign.tables.meta import METADATA

CONTACT_TAGS = Table(
    "contact_tags",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False, index=True),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False),
    Column("tag_id", Integer, ForeignKey("tags.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("cdate", Integer, nullable=False),  # epoch seconds, UTC
    Column("udate", Integer, nullable=False),
    UniqueConstraint("contact_id", "tag_id"),
    sqlite_autoincrement=True,
)
