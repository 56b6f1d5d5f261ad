"""Accounts: the tenant every row belongs to; v3 finds one by Api-Token, trackcmp by actid + key."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class Account(SQLModel, table=True):
    __tablename__ = "accounts"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused (see contacts.py)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    api_token: str = Field(unique=True, index=True)
    actid: str = Field(unique=True, index=True)
    event_key: str
    tracking_enabled: bool = True
    created_at: int  # epoch seconds, UTC
    # What a reset restores: the fixtures the account was created with (canonical JSON), and whether it
    # existed at start-up (a full reset removes accounts created later).
    seed: str | None = None
    from_start: bool = False
