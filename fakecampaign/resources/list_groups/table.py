"""A list's permission for a user group; it goes with its list (ON DELETE CASCADE)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel


class ListGroup(SQLModel, table=True):
    __tablename__ = "list_groups"
    __table_args__ = (UniqueConstraint("list_id", "group_id"), {"sqlite_autoincrement": True})

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(index=True)
    list_id: int = Field(sa_column=Column(Integer, ForeignKey("lists.id", ondelete="CASCADE"), nullable=False))
    group_id: int
