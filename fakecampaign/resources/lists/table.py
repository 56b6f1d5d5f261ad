"""Mailing lists (ac-api-facts-breadth.md §3)."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class MailingList(SQLModel, table=True):
    __tablename__ = "lists"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(index=True)
    name: str
    name_key: str  # lower-cased in Python, for case-insensitive filters and orders
    stringid: str
    sender_url: str = ""
    sender_reminder: str = ""
    send_last_broadcast: int = 0
    carboncopy: str | None = None
    subscription_notify: str | None = None
    unsubscription_notify: str | None = None
    user: int = 1
    channel: str = "email"
    cdate: int  # epoch seconds, UTC
    udate: int
