"""Deals, their pipelines (AC's ``dealGroups``) and the pipelines' stages (``dealStages``), breadth §7.

A stage belongs to one pipeline and a deal to one stage and one contact; deleting a pipeline takes its stages
and deals with it, and deleting a contact its deals (G64), through foreign keys.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel


class DealGroup(SQLModel, table=True):
    __tablename__ = "deal_groups"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(index=True)
    title: str
    title_key: str  # lower-cased in Python, for filters[title] and orders[title]
    currency: str
    allgroups: int = 1
    allusers: int = 1
    autoassign: int = 1
    cdate: int  # epoch seconds, UTC
    udate: int


class DealStage(SQLModel, table=True):
    __tablename__ = "deal_stages"
    __table_args__ = (Index("ix_deal_stages_group", "group_id", "order"), {"sqlite_autoincrement": True})

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(index=True)
    group_id: int = Field(sa_column=Column(Integer, ForeignKey("deal_groups.id", ondelete="CASCADE"), nullable=False))
    title: str
    title_key: str
    order: int
    color: str = "32B0FC"
    width: int = 280
    cdate: int | None = None  # AC prints null for the stages a new pipeline comes with (breadth §7.2)
    udate: int | None = None


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
