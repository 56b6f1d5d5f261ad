"""Tags: a name per account and tag type; duplicates are refused case-insensitively (breadth §2.3)."""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table, UniqueConstraint

from fakecampaign.tables.meta import METADATA

TAGS = Table(
    "tags",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False, index=True),
    Column("tag", String, nullable=False),
    Column("tag_key", String, nullable=False),  # lower-cased in Python (SQLite's lower() folds ASCII only)
    Column("tag_type", String, nullable=False, default="contact"),
    Column("description", String, nullable=False, default=""),
    Column("cdate", Integer, nullable=False),  # epoch seconds, UTC
    Column("udate", Integer, nullable=False),
    # AC's key 'typetag' ([FORMIE#1389]): one name per (account, tagType), matched case-insensitively.
    UniqueConstraint("account_id", "tag_type", "tag_key"),
    sqlite_autoincrement=True,
)
