"""Pipelines (AC's ``dealGroups``) and their stages (``dealStages``), breadth §7: a stage belongs to one pipeline;
deleting a pipeline deletes its stages (and, through the deals table's keys, their deals; G64).
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
