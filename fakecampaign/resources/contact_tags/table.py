"""A tag on a contact; it goes when either goes (ON DELETE CASCADE)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel


class ContactTag(SQLModel, table=True):
    __tablename__ = "contact_tags"
    __table_args__ = (UniqueConstraint("contact_id", "tag_id"), {"sqlite_autoincrement": True})

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(index=True)
    contact_id: int = Field(sa_column=Column(Integer, ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False))
    tag_id: int = Field(
        sa_column=Column(Integer, ForeignKey("tags.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    cdate: int  # epoch seconds, UTC
    udate: int
