"""A note on a deal; it goes with its deal (ON DELETE CASCADE)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table

from fakecampaign.tables.meta import METADATA

DEAL_NOTES = Table(
    "deal_notes",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False, index=True),
    Column("deal_id", Integer, ForeignKey("deals.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("note", String, nullable=False),
    Column("cdate", Integer, nullable=False),  # epoch seconds, UTC
    Column("mdate", Integer, nullable=False),
    sqlite_autoincrement=True,
)
