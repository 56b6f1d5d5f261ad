"""A note on a deal; it goes with its deal (ON DELETE CASCADE)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel


class DealNote(SQLModel, table=True):
    __tablename__ = "deal_notes"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(index=True)
    deal_id: int = Field(
        sa_column=Column(Integer, ForeignKey("deals.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    note: str
    cdate: int  # epoch seconds, UTC
    mdate: int
