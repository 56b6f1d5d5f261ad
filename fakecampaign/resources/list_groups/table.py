"""A list's permission for a user group; it goes with its list (ON DELETE CASCADE)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, Table, UniqueConstraint

from fakecampaign.tables.meta import METADATA

LIST_GROUPS = Table(
    "list_groups",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False, index=True),
    Column("list_id", Integer, ForeignKey("lists.id", ondelete="CASCADE"), nullable=False),
    Column("group_id", Integer, nullable=False),
    UniqueConstraint("list_id", "group_id"),
    sqlite_autoincrement=True,
)
