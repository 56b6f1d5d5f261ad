"""A test's side of fault rules and rate limits (README "Faults and rate limits"), and the call-journal
assertions that follow: how many times the code under test called an endpoint, and how far apart."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from itertools import pairwise
from typing import Any

from fakecampaign.testing.control import ControlPlane, FakecampaignError

JOURNAL_LIMIT = 10_000  # the request journal's largest page


class Fault:
    """A fault rule on the server: ``id``, and its ``hits`` and ``remaining`` as the server counts them
    (read again on each access while the rule lives; the last values once it is removed)."""

    def __init__(self, rule: Mapping[str, Any], *, control: ControlPlane) -> None:
        self.id: str = rule["id"]
        self._rule = dict(rule)
        self._control = control
        self._removed = False

    def __repr__(self) -> str:
        return f"<Fault {self.id} {self._rule['effect']} {self._rule['method'] or '*'} {self._rule['path']}>"

    @property
    def rule(self) -> dict[str, Any]:
        """The rule as the server reports it now."""
        if not self._removed:
            self._rule = self._control.get_fault(self.id)
        return self._rule

    @property
    def hits(self) -> int:
        """How many calls the rule took over."""
        hits: int = self.rule["hits"]
        return hits

    @property
    def remaining(self) -> int | None:
        remaining: int | None = self.rule["remaining"]
        return remaining

    def remove(self) -> None:
        """Remove the rule from the server (its final counts stay readable here)."""
        if self._removed:
            return
        self._removed = True
        try:
            self._rule = self._control.get_fault(self.id)
        except FakecampaignError as error:  # already gone: the account was reset or removed in the block
            if error.status_code != 404:
                raise
            return
        self._control.delete_fault(self.id, missing_ok=True)


class FaultsMixin:
    """Fault rules, rate limit and call assertions of one test account (mixed into FakecampaignAccount)."""

    name: str
    _control: ControlPlane

    def add_fault(
        self,
        path: str = "*",
        *,
        method: str | None = None,
        status: int | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        latency_ms: int | tuple[int, int] | None = None,
        reset: bool = False,
        hang_seconds: float | None = None,
        times: int | None = None,
        probability: float = 1.0,
        seed: int = 0,
    ) -> Fault:
        """Add a rule for this account's calls matching ``method`` and ``path`` (a glob, ``*`` for anything):
        answer ``status`` (with an AC-shaped body unless ``body`` is given), wait ``latency_ms`` (or a random
        delay in a ``(low, high)`` range) first, ``reset`` the connection, or ``hang_seconds`` without an answer;
        for the next ``times`` matching calls (default all), each with ``probability`` drawn from ``seed``."""
        rule: dict[str, Any] = {"account": self.name, "path": path, "method": method, "status": status}
        rule.update(body=body, headers=dict(headers or {}), reset=reset, hang_seconds=hang_seconds, times=times)
        rule.update(latency_ms=list(latency_ms) if isinstance(latency_ms, tuple) else latency_ms)
        rule.update(probability=probability, seed=seed)
        return Fault(self._control.add_fault(rule), control=self._control)

    @contextmanager
    def fault(self, path: str = "*", **rule: Any) -> Iterator[Fault]:
        """``with fakecampaign.fault("/api/3/contacts", method="POST", status=503, times=1) as rule:`` — the
        rule lives for the block (arguments as ``add_fault``); ``rule.hits`` stays readable after it."""
        added = self.add_fault(path, **rule)
        try:
            yield added
        finally:
            added.remove()

    def faults(self) -> list[dict[str, Any]]:
        """This account's rules, oldest first, with ``hits`` and ``remaining``."""
        return self._control.faults(self.name)

    def clear_faults(self) -> int:
        """Remove this account's rules; how many went."""
        return self._control.clear_faults(self.name)

    def set_rate_limit(self, limit: int | None) -> None:
        """v3 requests per second before AC's 429 for this account (0: none; None: the server's setting)."""
        self._control.set_rate_limit(limit, self.name)

    def calls(self, method: str | None = None, path: str | None = None, status: int | None = None) -> list[Any]:
        """This account's calls to the emulated API, oldest first (``path`` may be a glob); each has ``at``
        (arrival, epoch seconds), ``status`` (0: dropped by a fault) and ``fault`` (the rule that answered)."""
        filters = {"account": self.name, "method": method, "path": path, "status": status, "limit": JOURNAL_LIMIT}
        return self._control.requests(**filters)

    def call_gaps(self, method: str | None = None, path: str | None = None) -> list[float]:
        """Seconds between consecutive matching calls: ``[0.98]`` for a call retried about a second later."""
        times = [call["at"] for call in self.calls(method, path)]
        return [later - earlier for earlier, later in pairwise(times)]

    def assert_called(
        self, method: str, path: str, *, times: int | None = None, min_gap: float | None = None
    ) -> list[dict[str, Any]]:
        """Fail unless ``method path`` was called (exactly ``times`` times, when given) with at least
        ``min_gap`` seconds between consecutive calls (e.g. the ``Retry-After`` it was told); returns the calls."""
        __tracebackhide__ = True
        calls = self.calls(method, path)
        gaps = [later["at"] - earlier["at"] for earlier, later in pairwise(calls)]
        problems = []
        if not calls or (times is not None and len(calls) != times):
            problems.append(f"called {len(calls)} times, expected {times if times is not None else 'at least 1'}")
        if min_gap is not None and any(gap < min_gap for gap in gaps):
            problems.append(f"calls {min_gap:g} s apart at least, but the gaps were {_seconds(gaps)}")
        if problems:
            seen = "\n".join(f"  {c['method']} {c['path']} -> {c['status'] or 'no answer'}" + _by(c) for c in calls)
            raise AssertionError(f"{method.upper()} {path}: {'; '.join(problems)}\n{seen or '  (no calls)'}")
        return calls


def _seconds(gaps: list[float]) -> str:
    return "[" + ", ".join(f"{gap:.3f}" for gap in gaps) + "]"


def _by(call: Mapping[str, Any]) -> str:
    return f"  (fault {call['fault']})" if call.get("fault") else ""
