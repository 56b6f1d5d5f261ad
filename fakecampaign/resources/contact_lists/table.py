"""A contact's membership of a list: one row per (contact, list), kept when unsubscribed (breadth §3.3)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, Table, UniqueConstraint

from fakecampaign.tables.meta import METADATA

CONTACT_LISTS = Table(
    "contact_lists",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False, index=True),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False),
    Column("list_id", Integer, ForeignKey("lists.id", ondelete="CASCADE"), nullable=False),
    Column("status", Integer, nullable=False),  # 0 unconfirmed, 1 active, 2 unsubscribed, 3 bounced
    Column("sourceid", Integer, nullable=False, default=0),
    Column("sdate", Integer, nullable=False),  # when it (last) subscribed, epoch seconds
    Column("cdate", Integer, nullable=False),
    Column("udate", Integer, nullable=False),
    UniqueConstraint("contact_id", "list_id"),
    Index("ix_contact_lists_list_status", "list_id", "status"),
    sqlite_autoincrement=True,
)
