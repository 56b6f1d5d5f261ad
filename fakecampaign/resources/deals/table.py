"""Deals, breadth §7: one per contact and stage; deleting the contact or the pipeline deletes it (G64), through
foreign keys.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

import fakecampaign.resources.pipelines.table  # noqa: F401  (the tables its keys point at)
from fakecampaign.tables.meta import METADATA

DEALS = Table(
    "deals",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False, index=True),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False),
    Column("group_id", Integer, ForeignKey("deal_groups.id", ondelete="CASCADE"), nullable=False),
    Column("stage_id", Integer, ForeignKey("deal_stages.id", ondelete="CASCADE"), nullable=False),
    Column("title", String, nullable=False),
    Column("title_key", String, nullable=False),
    Column("description", String, nullable=False, default=""),
    Column("value", Integer, nullable=False),  # cents
    Column("currency", String, nullable=False),  # lower-case, as AC prints it ("usd")
    Column("owner", Integer, nullable=False, default=1),
    Column("percent", Integer, nullable=False, default=0),
    Column("status", Integer, nullable=False, default=0),  # 0 open, 1 won, 2 lost
    Column("hash", String, nullable=False),
    Column("cdate", Integer, nullable=False),
    Column("mdate", Integer, nullable=False),
    Column("edate", Integer),  # when it was won or lost
    Index("ix_deals_contact", "contact_id", "id"),
    sqlite_autoincrement=True,
)
