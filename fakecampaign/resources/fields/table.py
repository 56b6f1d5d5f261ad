"""Custom contact fields with their options and relations (ac-api-facts-breadth.md §4)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, UniqueConstraint

from fakecampaign.tables.meta import METADATA


def _field_fk() -> Column[int]:
    return Column("field_id", Integer, ForeignKey("fields.id", ondelete="CASCADE"), nullable=False, index=True)


FIELDS = Table(
    "fields",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False, index=True),
    Column("title", String, nullable=False),
    Column("title_key", String, nullable=False),  # lower-cased in Python: titles are unique per account, in any case
    Column("type", String, nullable=False),
    Column("descript", String, nullable=False, default=""),
    Column("perstag", String, nullable=False),
    Column("defval", String, nullable=False, default=""),
    Column("isrequired", Integer, nullable=False, default=0),
    Column("show_in_list", Integer, nullable=False, default=0),
    Column("rows", Integer, nullable=False, default=0),
    Column("cols", Integer, nullable=False, default=0),
    Column("visible", Integer, nullable=False, default=1),
    Column("service", String, nullable=False, default=""),
    Column("ordernum", Integer, nullable=False, default=1),
    Column("cdate", Integer, nullable=False),  # epoch seconds, UTC
    Column("udate", Integer, nullable=False),
    UniqueConstraint("account_id", "title_key"),
    sqlite_autoincrement=True,
)

FIELD_OPTIONS = Table(
    "field_options",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False, index=True),
    _field_fk(),
    Column("orderid", Integer, nullable=False, default=0),
    Column("value", String, nullable=False),
    Column("label", String, nullable=False),
    Column("isdefault", Integer, nullable=False, default=0),
    Column("cdate", Integer, nullable=False),
    Column("udate", Integer, nullable=False),
    sqlite_autoincrement=True,
)

# Which lists a field shows on (relid 0: all of them).
FIELD_RELS = Table(
    "field_rels",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False, index=True),
    _field_fk(),
    Column("relid", Integer, nullable=False, default=0),
    Column("dorder", Integer, nullable=False, default=0),
    Column("cdate", Integer, nullable=False),
    sqlite_autoincrement=True,
)
