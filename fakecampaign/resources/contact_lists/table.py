"""A contact's membership of a list: one row per (contact, list), kept when unsubscribed (breadth §3.3)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel


class ContactList(SQLModel, table=True):
    __tablename__ = "contact_lists"
    __table_args__ = (
        UniqueConstraint("contact_id", "list_id"),
        Index("ix_contact_lists_list_status", "list_id", "status"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(index=True)
    contact_id: int = Field(sa_column=Column(Integer, ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False))
    list_id: int = Field(sa_column=Column(Integer, ForeignKey("lists.id", ondelete="CASCADE"), nullable=False))
    status: int  # 0 unconfirmed, 1 active, 2 unsubscribed, 3 bounced
    sourceid: int = 0
    sdate: int  # when it (last) subscribed, epoch seconds
    cdate: int
    udate: int
