"""Failing on demand: AC's rate limit (opt-in) and fault rules, kept in memory (README "Faults and rate limits").

The ASGI layer in api/faults.py asks this registry two questions per call to the emulated API, and only while
``active`` is true (so a server without limits or rules pays one attribute check on its hot paths):

- ``admit(account, now)``: may this v3 call pass AC's per-account limit? (a sliding one-second window);
- ``pick(method, path, account)``: which rule, if any, takes this call over?

Rules and limits live in memory only, like the request journal: they describe a test run, not account data.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from fnmatch import translate
from typing import Any

from fakecampaign.errors import NoResultFound, TooManyFaultRules

MAX_RULES = 1000  # over the whole server: a runaway test loop cannot grow the registry without bound
MAX_LATENCY_MS = 60_000
MAX_HANG_SECONDS = 300.0  # a hang ends at this bound, or earlier when the client gives up
MAX_RATE_LIMIT = 10_000
RATE_WINDOW = 1.0  # AC: "5 requests per second per account" (../shared/reference/ac-api-facts.md §7.1)
RATE_LIMIT_FAULT = "rate_limit"  # what the request journal names when the limiter answered a call


@dataclass(frozen=True, slots=True)
class FaultSpec:
    """A rule as configured: what it matches, what it does, and how often. Checked by schemas/faults.py."""

    account: str | None = None  # None: every account's calls (and calls no account could be told for)
    method: str | None = None  # None: any method
    path: str = "*"  # a glob over the URL path: `*` matches anything, `/` included
    status: int | None = None  # answer with this status and an AC-shaped body (api/faults.py)
    body: Any = None  # the JSON body to answer instead of the AC-shaped one
    headers: tuple[tuple[str, str], ...] = ()
    latency_ms: tuple[int, int] | None = None  # added before answering; (n, n) is a fixed delay
    reset: bool = False  # close the connection without an answer
    hang_seconds: float | None = None  # answer nothing for this long, then close the connection
    times: int | None = None  # only the next N matching calls; None: every one
    probability: float = 1.0
    seed: int = 0  # the rule's own random source, so a run with the same calls fails the same way

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values (an account's remembered seed stores its rules this way)."""
        return {
            "account": self.account,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "body": self.body,
            "headers": [list(pair) for pair in self.headers],
            "latency_ms": None if self.latency_ms is None else list(self.latency_ms),
            "reset": self.reset,
            "hang_seconds": self.hang_seconds,
            "times": self.times,
            "probability": self.probability,
            "seed": self.seed,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> FaultSpec:
        latency = raw.get("latency_ms")
        return cls(
            **{k: v for k, v in raw.items() if k not in ("headers", "latency_ms")},
            headers=tuple((str(k), str(v)) for k, v in raw.get("headers") or ()),
            latency_ms=None if latency is None else (int(latency[0]), int(latency[1])),
        )


class FaultRule:
    """A live rule: its spec, an id, what is left of ``times`` and how often it hit."""

    def __init__(self, rule_id: str, spec: FaultSpec) -> None:
        self.id = rule_id
        self.spec = spec
        self.remaining = spec.times
        self.hits = 0
        self._random = random.Random(spec.seed)
        self._method = spec.method.upper() if spec.method else None
        self._path = re.compile(translate(spec.path))

    @property
    def effect(self) -> str:
        s = self.spec
        if s.reset:
            return "reset"
        if s.hang_seconds is not None:
            return "hang"
        return "status" if s.status is not None else "latency"

    def matches(self, method: str, path: str, account: str | None) -> bool:
        return (
            self.remaining != 0
            and (self.spec.account is None or self.spec.account == account)
            and (self._method is None or self._method == method)
            and self._path.match(path) is not None
        )

    def fire(self) -> bool:
        """Whether this matching call is hit: the probability is drawn (so its sequence repeats with the seed),
        and a hit uses up one of ``times``."""
        if self.spec.probability < 1.0 and self._random.random() >= self.spec.probability:
            return False
        self.hits += 1
        if self.remaining is not None:
            self.remaining -= 1
        return True

    def latency(self) -> float:
        """Seconds to wait before answering (a fresh draw for a range)."""
        if self.spec.latency_ms is None:
            return 0.0
        low, high = self.spec.latency_ms
        return (low if low == high else self._random.uniform(low, high)) / 1000


@dataclass(frozen=True, slots=True)
class Admission:
    """The rate limiter's answer for one v3 call."""

    allowed: bool
    limit: int
    remaining: int  # calls left in the current window (AC's RateLimit-Remaining)
    retry_after: int  # whole seconds until a call would pass again (AC's Retry-After); 0 when allowed


@dataclass
class FaultRegistry:
    """Every rule and rate limit of one server. ``active`` is false when there is nothing to do."""

    default_limit: int | None = None  # FAKECAMPAIGN_RATE_LIMIT; None or 0: no limit
    active: bool = False
    _limits: dict[str, int] = field(default_factory=dict)  # per-account overrides; 0: no limit for it
    _rules: dict[str, FaultRule] = field(default_factory=dict)  # in the order they were added
    _windows: dict[str, deque[float]] = field(default_factory=dict)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    # -- rate limit ---------------------------------------------------------------------------------------

    def set_default_limit(self, limit: int | None) -> None:
        self.default_limit = limit or None
        self._changed()

    def set_limit(self, account: str, limit: int | None) -> None:
        """Override the server's limit for one account (0: no limit); None goes back to the server's."""
        if limit is None:
            self._limits.pop(account, None)
        else:
            self._limits[account] = limit
        self._windows.pop(account, None)
        self._changed()

    def limit_of(self, account: str) -> int | None:
        """The limit that applies to ``account`` now; None when it has none."""
        return self._limits.get(account, self.default_limit) or None

    def admit(self, account: str, now: float) -> Admission | None:
        """Count one v3 call of ``account`` at ``now`` (epoch seconds); None when no limit applies.

        G103 (README "Where we guessed"; AC documents no burst allowance or algorithm): a sliding window, at
        most ``limit`` calls in any second, so a burst gets exactly ``limit`` through wherever it falls against
        the clock. Refused calls are not counted (the client only waits); Retry-After is the whole seconds until
        the oldest counted call leaves the window, at least 1, as in AC's real sample (``Retry-After=1``)."""
        limit = self.limit_of(account)
        if limit is None:
            return None
        window = self._windows.get(account)
        if window is None:
            window = self._windows[account] = deque()
        while window and window[0] <= now - RATE_WINDOW:
            window.popleft()
        if len(window) < limit:
            window.append(now)
            return Admission(True, limit, limit - len(window), 0)
        wait = window[0] + RATE_WINDOW - now
        return Admission(False, limit, 0, max(1, math.ceil(wait)))

    # -- rules --------------------------------------------------------------------------------------------

    def add(self, spec: FaultSpec) -> FaultRule:
        if len(self._rules) >= MAX_RULES:
            raise TooManyFaultRules(limit=MAX_RULES)
        rule = FaultRule(f"fault-{next(self._ids)}", spec)
        self._rules[rule.id] = rule
        self._changed()
        return rule

    def rules(self, account: str | None = None) -> list[FaultRule]:
        """Every rule, or those scoped to ``account``, oldest first (spent ones too, with remaining 0)."""
        return [r for r in self._rules.values() if account is None or r.spec.account == account]

    def get(self, rule_id: str) -> FaultRule:
        rule = self._rules.get(rule_id)
        if rule is None:
            raise NoResultFound(resource="Fault", id=rule_id)
        return rule

    def remove(self, rule_id: str) -> None:
        self.get(rule_id)
        del self._rules[rule_id]
        self._changed()

    def clear(self, account: str | None = None) -> int:
        """Remove every rule, or (``account``) the rules scoped to that account; returns how many went."""
        gone = [r.id for r in self.rules(account)]
        for rule_id in gone:
            del self._rules[rule_id]
        self._changed()
        return len(gone)

    def pick(self, method: str, path: str, account: str | None) -> FaultRule | None:
        """The first rule (oldest first) that matches this call and fires for it."""
        for rule in self._rules.values():
            if rule.matches(method, path, account) and rule.fire():
                return rule
        return None

    def scoped_to_accounts(self) -> bool:
        """Whether any live rule names an account (only then must /event's actid be read to match)."""
        return any(r.spec.account is not None and r.remaining != 0 for r in self._rules.values())

    # -- an account's configuration (fixtures, the marker) and its removal ---------------------------------

    def extend(self, account: str, *, rate_limit: int | None, faults: Iterable[FaultSpec]) -> None:
        """An account's fixtures: its rate limit (None leaves it as it is) and rules scoped to it, added."""
        if rate_limit is not None:
            self.set_limit(account, rate_limit)
        for spec in faults:
            self.add(replace(spec, account=account))

    def forget(self, accounts: Iterable[str]) -> None:
        """Accounts were removed: their rules, limits and windows go with them."""
        names = set(accounts)
        for rule_id in [r.id for r in self._rules.values() if r.spec.account in names]:
            del self._rules[rule_id]
        for name in names:
            self._limits.pop(name, None)
            self._windows.pop(name, None)
        self._changed()

    def reset(self) -> None:
        """Back to the server's start: no rules, no overrides (the start accounts' fixtures add theirs again)."""
        self._rules.clear()
        self._limits.clear()
        self._windows.clear()
        self._changed()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Undo every change made inside the block if it raises (a fixtures file is loaded all or nothing)."""
        rules, limits = dict(self._rules), dict(self._limits)
        try:
            yield
        except BaseException:
            self._rules, self._limits = rules, limits
            self._changed()
            raise

    def _changed(self) -> None:
        self.active = bool(self.default_limit or self._limits or self._rules)
