"""Reading the /event journal: every trackcmp call, written or dropped, and why it was dropped."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from fakecampaign.services.records import JournalRecord
from fakecampaign.services.store import Store
from fakecampaign.tables import ACCOUNTS, EVENT_JOURNAL

T = EVENT_JOURNAL
MAX_LIMIT = 1000
MAX_OFFSET = 2**63 - 1  # SQL's 64-bit integer: a larger OFFSET cannot even be bound (it was a 500)


@dataclass(frozen=True, slots=True)
class JournalQuery:
    account_id: int | None = None
    email: str | None = None
    event: str | None = None
    outcome: str | None = None
    reason: str | None = None
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True, slots=True)
class JournalEntry:
    record: JournalRecord
    account_name: str | None


def search(store: Store, *, query: JournalQuery) -> tuple[list[JournalEntry], int]:
    """Matching journal entries, oldest first, with the name of the account each belongs to."""
    where = _conditions(query)
    page = (
        select(T, ACCOUNTS.c.name.label("account_name"))
        .select_from(T.outerjoin(ACCOUNTS, ACCOUNTS.c.id == T.c.account_id))
        .where(*where)
        .order_by(T.c.id)
        .limit(min(query.limit, MAX_LIMIT))
        .offset(query.offset)
    )
    with store.db.transaction() as tx:
        total = int(tx.scalar(select(func.count()).select_from(T).where(*where)) or 0)
        rows = tx.all(page)
    return [_entry(row) for row in rows], total


def _entry(row: dict[str, Any]) -> JournalEntry:
    name = row.pop("account_name")
    return JournalEntry(JournalRecord(**row), name)


def _conditions(q: JournalQuery) -> list[Any]:
    c = T.c
    where: list[Any] = []
    if q.account_id is not None:
        where.append(c.account_id == q.account_id)
    if q.email is not None:
        where.append(c.email_key == q.email.strip().lower())
    for column, value in ((c.event, q.event), (c.outcome, q.outcome), (c.reason, q.reason)):
        if value is not None:
            where.append(column == value)
    return where


def newest(store: Store, *, query: JournalQuery) -> tuple[list[JournalEntry], int]:
    """The ``query.limit`` newest matching entries, newest first, and how many match in all (the UI's view)."""
    where = _conditions(query)
    page = (
        select(T, ACCOUNTS.c.name.label("account_name"))
        .select_from(T.outerjoin(ACCOUNTS, ACCOUNTS.c.id == T.c.account_id))
        .where(*where)
        .order_by(T.c.id.desc())
        .limit(min(query.limit, MAX_LIMIT))
        .offset(query.offset)
    )
    with store.db.transaction() as tx:
        total = int(tx.scalar(select(func.count()).select_from(T).where(*where)) or 0)
        rows = tx.all(page)
    return [_entry(row) for row in rows], total


def latest_id(store: Store) -> int:
    """The id of the newest entry of any account (0 when none): a cheap "anything new?" for live pages."""
    with store.db.transaction() as tx:
        return int(tx.scalar(select(func.max(T.c.id))) or 0)
