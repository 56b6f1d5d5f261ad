"""Contacts, one id space shared by all accounts (AC ids are opaque strings to clients)."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Contact(SQLModel, table=True):
    __tablename__ = "contacts"
    # AC matches emails case-insensitively, so uniqueness is on the lower-cased key.
    __table_args__ = (UniqueConstraint("account_id", "email_key"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(index=True)
    email: str
    email_key: str
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    hash: str
    cdate: int  # epoch seconds, UTC
    udate: int  # epoch seconds, UTC
