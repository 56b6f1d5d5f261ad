"""Tags: a name per account and tag type; duplicates are refused case-insensitively (breadth §2.3)."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Tag(SQLModel, table=True):
    __tablename__ = "tags"
    # AC's key 'typetag' ([FORMIE#1389]): one name per (account, tagType), matched case-insensitively.
    __table_args__ = (UniqueConstraint("account_id", "tag_type", "tag_key"), {"sqlite_autoincrement": True})

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(index=True)
    tag: str
    tag_key: str  # lower-cased in Python (SQLite's lower() folds ASCII only)
    tag_type: str = "contact"
    description: str = ""
    cdate: int  # epoch seconds, UTC
    udate: int
