"""Row helpers the resource services share for AC's PUT semantics (fakecampaign/resources/*/service.py).

A resource's ``*Changes`` dataclass holds ``None`` for every field a request body left out; a PUT changes only
the given ones and then writes the whole record back over its row.
"""

from __future__ import annotations

from dataclasses import Field, fields
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import sqlalchemy as sa
from sqlalchemy import bindparam

from fakecampaign.db import Transaction

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


class Record(Protocol):
    """A resource's record: a dataclass with the row's ``id``."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    @property
    def id(self) -> int: ...


def given_fields(changes: DataclassInstance) -> dict[str, Any]:
    """The fields of ``changes`` the caller set (those not ``None``)."""
    return {f.name: value for f in fields(changes) if (value := getattr(changes, f.name)) is not None}


def write_back(tx: Transaction, table: sa.Table, record: Record) -> None:
    """Store every column of ``record`` (a dataclass whose field names are its table's columns) over the row
    with its ``id``; fields that are not columns (counts, options, ...) are skipped."""
    columns = {f.name: getattr(record, f.name) for f in fields(record) if f.name in table.c and f.name != "id"}
    stmt = sa.update(table).where(table.c.id == bindparam("row_id")).values({k: bindparam(f"new_{k}") for k in columns})
    tx.execute(stmt, row_id=record.id, **{f"new_{k}": v for k, v in columns.items()})
