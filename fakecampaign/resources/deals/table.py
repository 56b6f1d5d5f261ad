"""Deals, breadth §7: one per contact and stage; deleting the contact or the pipeline deletes it (G64), through
foreign keys.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

import fakecampaign.resources.pipelines.table  # noqa: F401  (the tables its keys point at)


class Deal(SQLModel, table=True):
    __tablename__ = "deals"
    __table_args__ = (Index("ix_deals_contact", "contact_id", "id"), {"sqlite_autoincrement": True})

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(index=True)
    contact_id: int = Field(sa_column=Column(Integer, ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False))
    group_id: int = Field(sa_column=Column(Integer, ForeignKey("deal_groups.id", ondelete="CASCADE"), nullable=False))
    stage_id: int = Field(sa_column=Column(Integer, ForeignKey("deal_stages.id", ondelete="CASCADE"), nullable=False))
    title: str
    title_key: str
    description: str = ""
    value: int  # cents
    currency: str  # lower-case, as AC prints it ("usd")
    owner: int = 1
    percent: int = 0
    status: int = 0  # 0 open, 1 won, 2 lost
    hash: str
    cdate: int
    mdate: int
    edate: int | None = None  # when it was won or lost
