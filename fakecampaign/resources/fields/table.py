"""Custom contact fields with their options and relations (ac-api-facts-breadth.md §4)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel


def _field_fk() -> Column[int]:
    return Column(Integer, ForeignKey("fields.id", ondelete="CASCADE"), nullable=False, index=True)


class CustomField(SQLModel, table=True):
    __tablename__ = "fields"
    __table_args__ = (UniqueConstraint("account_id", "title_key"), {"sqlite_autoincrement": True})

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(index=True)
    title: str
    title_key: str  # lower-cased in Python: titles are unique per account, in any case
    type: str
    descript: str = ""
    perstag: str
    defval: str = ""
    isrequired: int = 0
    show_in_list: int = 0
    rows: int = 0
    cols: int = 0
    visible: int = 1
    service: str = ""
    ordernum: int = 1
    cdate: int  # epoch seconds, UTC
    udate: int


class FieldOption(SQLModel, table=True):
    __tablename__ = "field_options"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(index=True)
    field_id: int = Field(sa_column=_field_fk())
    orderid: int = 0
    value: str
    label: str
    isdefault: int = 0
    cdate: int
    udate: int


class FieldRel(SQLModel, table=True):
    """Which lists a field shows on (relid 0: all of them)."""

    __tablename__ = "field_rels"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(index=True)
    field_id: int = Field(sa_column=_field_fk())
    relid: int = 0
    dorder: int = 0
    cdate: int
