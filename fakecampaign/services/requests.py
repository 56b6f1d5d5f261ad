"""The journal of calls to the emulated API: bounded, in memory; credentials are redacted when it is read
(redacting on every call would cost the hot routes for a journal most runs never read)."""

from __future__ import annotations

import itertools
import re
from collections import deque
from dataclasses import dataclass, replace
from fnmatch import translate
from urllib.parse import parse_qsl, urlencode

SECRET_PARAMS = frozenset({"api_key", "key", "api_token", "token", "api-token"})
MAX_KEPT = 2048  # characters of a path or query string one entry keeps: 1,000 entries of 100 KB URLs were 100 MB


@dataclass(frozen=True, slots=True)
class RequestRecord:
    id: int
    tstamp: int
    method: str
    path: str
    query: str
    status: int  # 0: a fault rule dropped the call without an answer
    account: str | None
    account_id: int | None = None  # the key: a new account of the same name never sees these calls
    at: float = 0.0  # when the call arrived, in fractional epoch seconds: how far apart retries were
    fault: str | None = None  # the fault rule that answered it, or "rate_limit" (services/faults.py)


@dataclass(frozen=True, slots=True)
class RequestQuery:
    account_id: int | None = None
    method: str | None = None
    path: str | None = None
    status: int | None = None
    limit: int = 100


class RequestJournal:
    """The last ``size`` calls of each account (and of calls no account could be told for), oldest dropped
    first: bounded, unlike WireMock's journal, and one busy account (another pytest worker on a shared server)
    cannot push a test's own calls out."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._by_account: dict[int | None, deque[RequestRecord]] = {}
        self._ids = itertools.count(1)
        self.last_id = 0  # the id of the newest call recorded: a cheap "anything new?" for live pages

    def record(
        self,
        *,
        tstamp: int,
        method: str,
        path: str,
        query: str,
        status: int,
        account: str | None,
        account_id: int | None = None,
        at: float = 0.0,
        fault: str | None = None,
    ) -> None:
        if not self._size:
            return
        entries = self._by_account.get(account_id)
        if entries is None:
            entries = self._by_account[account_id] = deque(maxlen=self._size)
        path, query = path[:MAX_KEPT], query[:MAX_KEPT]
        self.last_id = next(self._ids)
        record = RequestRecord(self.last_id, tstamp, method[:16], path, query, status, account, account_id, at, fault)
        entries.append(record)

    def search(self, query: RequestQuery) -> list[RequestRecord]:
        """Matching calls, oldest first; without an account, every account's, merged in order."""
        if query.account_id is not None:
            candidates: list[RequestRecord] = list(self._by_account.get(query.account_id, ()))
        else:
            candidates = sorted((r for entries in self._by_account.values() for r in entries), key=_id)
        path = _glob(query.path)
        found = [r for r in candidates if _matches(r, query) and (path is None or path.match(r.path))]
        return [replace(r, query=redact(r.query)) for r in found[-query.limit :]] if query.limit > 0 else []

    def clear_accounts(self, account_ids: set[int]) -> None:
        """Forget the calls of these accounts (removed ones)."""
        for account_id in account_ids:
            self._by_account.pop(account_id, None)

    def clear(self, account_id: int | None = None) -> None:
        """Forget one account's calls, or (no account) every call."""
        if account_id is None:
            self._by_account.clear()
        else:
            self._by_account.pop(account_id, None)


def _id(record: RequestRecord) -> int:
    return record.id


def _matches(record: RequestRecord, q: RequestQuery) -> bool:
    return (
        (q.account_id is None or record.account_id == q.account_id)
        and (q.method is None or record.method == q.method.upper())
        and (q.status is None or record.status == q.status)
    )


def _glob(path: str | None) -> re.Pattern[str] | None:
    """A ``path`` filter: exact, or a glob when it holds ``*`` (``/api/3/contacts/*``)."""
    if path is None:
        return None
    return re.compile(translate(path) if "*" in path else re.escape(path) + r"\Z")


def redact(query: str) -> str:
    """The query string with credentials (api_key, key, tokens) replaced."""
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, "REDACTED" if k.lower() in SECRET_PARAMS else v) for k, v in pairs])
