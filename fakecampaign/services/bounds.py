"""The /event journal's bounds: at most N entries per account and M overall, the oldest evicted first.

Issue 8: 1,000 refused ``/event`` calls with 500 KB of eventdata each grew an in-memory server by 516 MB, and
nothing ever left the journal. Now each entry is small (``events.py`` clips what a journal row keeps) and the
journal is bounded:

- per account (calls whose actid named no account count as one more "account"), so a flood of bad calls or one
  busy test cannot push another account's calls out;
- overall, so many accounts together stay bounded too.

Counting on every call would cost the hot route a query, so counts are kept in memory. They can only be too
high (a reset or delete removes rows behind their back, a rolled-back call was counted), never too low, so a
real count is taken whenever one crosses its bound, and eviction happens only if the real count is over. When it
is, the oldest entries go, down to the bound less a tenth, so the next eviction is a tenth of the bound away.
How many were evicted is kept (per account and overall, since start) and shown in the journal's ``meta``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, delete, func, select

from fakecampaign.db import Transaction, statement
from fakecampaign.tables import EVENT_JOURNAL

T = EVENT_JOURNAL
DEFAULT_PER_ACCOUNT = 10_000
DEFAULT_OVERALL = 50_000
COUNT_OF = statement(select(func.count()).select_from(T).where(T.c.account_id == bindparam("aid")))
COUNT_UNOWNED = statement(select(func.count()).select_from(T).where(T.c.account_id.is_(None)))
COUNT_ALL = statement(select(func.count()).select_from(T))


@dataclass(slots=True)
class JournalBounds:
    per_account: int = DEFAULT_PER_ACCOUNT
    overall: int = DEFAULT_OVERALL
    _counts: dict[int | None, int] = field(default_factory=dict)
    _total: int | None = None
    _evicted: dict[int | None, int] = field(default_factory=dict)
    evicted_total: int = 0

    def evicted(self, account_id: int | None) -> int:
        return self._evicted.get(account_id, 0)

    def added(self, tx: Transaction, account_id: int | None) -> None:
        """Call after inserting one journal row for ``account_id``, in the same transaction."""
        count = self._counts.get(account_id)
        count = _count(tx, account_id) if count is None else count + 1
        if count > self.per_account:
            count = self._trim(tx, account_id, _count(tx, account_id), self.per_account)
        self._counts[account_id] = count
        total = _count_all(tx) if self._total is None else self._total + 1
        if total > self.overall:
            total = self._trim(tx, _ALL, _count_all(tx), self.overall)
        self._total = total

    def _trim(self, tx: Transaction, scope: Any, count: int, bound: int) -> int:
        if count <= bound:
            return count
        excess = count - (bound - max(1, bound // 10))
        oldest = select(T.c.id).order_by(T.c.id).limit(excess)
        if scope is not _ALL:
            oldest = oldest.where(_owned_by(scope))
        ids = oldest.subquery()
        by_account = select(T.c.account_id, func.count()).where(T.c.id.in_(select(ids.c.id))).group_by(T.c.account_id)
        for row in tx.all(by_account):
            account_id, n = row["account_id"], next(v for k, v in row.items() if k != "account_id")
            self._evicted[account_id] = self._evicted.get(account_id, 0) + n
            self.evicted_total += n
            if scope is _ALL and account_id in self._counts:
                self._counts[account_id] -= n
        tx.execute(delete(T).where(T.c.id.in_(select(ids.c.id))))
        return count - excess


_ALL = object()


def _owned_by(account_id: int | None) -> Any:
    return T.c.account_id.is_(None) if account_id is None else T.c.account_id == account_id


def _count(tx: Transaction, account_id: int | None) -> int:
    found = tx.scalar(COUNT_UNOWNED) if account_id is None else tx.scalar(COUNT_OF, aid=account_id)
    return int(found or 0)


def _count_all(tx: Transaction) -> int:
    return int(tx.scalar(COUNT_ALL) or 0)
