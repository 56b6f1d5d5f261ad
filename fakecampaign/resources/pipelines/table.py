"""Pipelines (AC's ``dealGroups``) and their stages (``dealStages``), breadth §7: a stage belongs to one pipeline;
deleting a pipeline deletes its stages (and, through the deals table's keys, their deals; G64).
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from fakecampaign.tables.meta import METADATA

DEAL_GROUPS = Table(
    "deal_groups",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False, index=True),
    Column("title", String, nullable=False),
    Column("title_key", String, nullable=False),  # lower-cased in Python, for filters[title] and orders[title]
    Column("currency", String, nullable=False),
    Column("allgroups", Integer, nullable=False, default=1),
    Column("allusers", Integer, nullable=False, default=1),
    Column("autoassign", Integer, nullable=False, default=1),
    Column("cdate", Integer, nullable=False),  # epoch seconds, UTC
    Column("udate", Integer, nullable=False),
    sqlite_autoincrement=True,
)

DEAL_STAGES = Table(
    "deal_stages",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False, index=True),
    Column("group_id", Integer, ForeignKey("deal_groups.id", ondelete="CASCADE"), nullable=False),
    Column("title", String, nullable=False),
    Column("title_key", String, nullable=False),
    Column("order", Integer, nullable=False),
    Column("color", String, nullable=False, default="32B0FC"),
    Column("width", Integer, nullable=False, default=280),
    Column("cdate", Integer),  # AC prints null for the stages a new pipeline comes with (breadth §7.2)
    Column("udate", Integer),
    Index("ix_deal_stages_group", "group_id", "order"),
    sqlite_autoincrement=True,
)
