"""A contact's value for a custom field: one per (contact, field) (breadth §4.4.1)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel


class FieldValue(SQLModel, table=True):
    __tablename__ = "field_values"
    __table_args__ = (UniqueConstraint("contact_id", "field_id"), {"sqlite_autoincrement": True})

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(index=True)
    contact_id: int = Field(sa_column=Column(Integer, ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False))
    field_id: int = Field(
        sa_column=Column(Integer, ForeignKey("fields.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    value: str
    cdate: int  # epoch seconds, UTC
    udate: int
