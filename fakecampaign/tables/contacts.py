"""Contacts, one id space shared by all accounts (AC ids are opaque strings to clients)."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Contact(SQLModel, table=True):
    __tablename__ = "contacts"
    # AC matches emails case-insensitively, so uniqueness is on the lower-cased key.
    # sqlite_autoincrement: a deleted contact's id is never handed to a new one, as in AC.
    __table_args__ = (UniqueConstraint("account_id", "email_key"), {"sqlite_autoincrement": True})

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(index=True)
    email: str
    email_key: str
    first_name: str = ""
    last_name: str = ""
    # Lower-cased in Python: SQLite's lower() folds ASCII only, and search must match "ZOË" with "zoë".
    first_name_key: str = ""
    last_name_key: str = ""
    phone: str = ""
    hash: str
    cdate: int  # epoch seconds, UTC
    udate: int  # epoch seconds, UTC
