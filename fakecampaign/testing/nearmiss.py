"""Failure messages for the event assertions: what was expected, and the journal entries that came close.

Modelled on pytest-httpserver's ``assert_request_made``, which lists "similar requests" when none matched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

Entry = dict[str, Any]
MAX_LISTED = 20
REASONS = (
    "missing_actid",
    "unknown_account",
    "bad_key",
    "missing_event",
    "event_too_long",
    "bad_visit",
    "malformed_form",
    "tracking_disabled",
    "unknown_contact",
)


@dataclass(frozen=True, slots=True)
class Expected:
    email: str
    event: str
    outcome: str  # "written" or "dropped"
    data: str | None = None  # eventdata, checked when not None (written events)
    reason: str | None = None  # drop reason, checked when not None (dropped events)

    def matches(self, entry: Entry) -> bool:
        return (
            _same_email(entry, self.email)
            and entry["event"] == self.event
            and entry["outcome"] == self.outcome
            and (self.data is None or entry["eventdata"] == self.data)
            and (self.reason is None or entry["reason"] == self.reason)
        )

    def describe(self) -> str:
        text = f"event {self.event!r} for {self.email!r}"
        if self.data is not None:
            text += f" with eventdata {self.data!r}"
        if self.outcome == "written":
            return text + " to be tracked (written)"
        return text + " to be dropped" + (f" with reason {self.reason!r}" if self.reason else "")


def _same_email(entry: Entry, email: str) -> bool:
    found = entry.get("email")
    return isinstance(found, str) and found.strip().casefold() == email.strip().casefold()


def failure_message(expected: Expected, account: str, entries: Sequence[Entry]) -> str:
    """The assertion message: the expectation, then the near misses (most similar first), or why none."""
    lines = [f"Expected {expected.describe()} in fakecampaign account {account!r}, but it was not."]
    similar = near_misses(expected, entries)
    if similar:
        lines.append(f"Found {len(similar)} similar event(s) in the journal:")
        lines.extend(f"  - {_entry(entry)}  [{why}]" for entry, why in similar[:MAX_LISTED])
        if len(similar) > MAX_LISTED:
            lines.append(f"  ... and {len(similar) - MAX_LISTED} more")
    else:
        lines.append(f"No similar events found ({len(entries)} event(s) in this account's journal).")
    if expected.reason is not None and expected.reason not in REASONS:
        lines.append(f"Note: {expected.reason!r} is not a drop reason; they are: {', '.join(REASONS)}.")
    return "\n".join(lines)


def near_misses(expected: Expected, entries: Sequence[Entry]) -> list[tuple[Entry, str]]:
    """Entries that differ from the expectation in one respect, with what differs; closest first."""
    ranked: list[tuple[int, Entry, str]] = []
    for entry in entries:
        for rank, rule in enumerate(RULES):
            why = rule(expected, entry)
            if why is not None:
                ranked.append((rank, entry, why))
                break
    ranked.sort(key=lambda item: (item[0], item[1]["id"]))
    return [(entry, why) for _, entry, why in ranked]


def _same_pair(expected: Expected, entry: Entry) -> str | None:
    if not (_same_email(entry, expected.email) and entry["event"] == expected.event):
        return None
    if entry["outcome"] != expected.outcome:
        return f"same email and event name, but {_outcome(entry)}"
    if expected.data is not None and entry["eventdata"] != expected.data:
        return "same email and event name, other eventdata"
    if expected.reason is not None and entry["reason"] != expected.reason:
        return "same email and event name, dropped for another reason"
    return None


def _same_email_only(expected: Expected, entry: Entry) -> str | None:
    return "same email, other event name" if _same_email(entry, expected.email) else None


def _same_event_only(expected: Expected, entry: Entry) -> str | None:
    return "same event name, other email" if entry["event"] == expected.event else None


RULES: tuple[Callable[[Expected, Entry], str | None], ...] = (_same_pair, _same_email_only, _same_event_only)


def _outcome(entry: Entry) -> str:
    return "written" if entry["outcome"] == "written" else f"dropped ({entry['reason']})"


def _entry(entry: Entry) -> str:
    text = f"#{entry['id']} event {entry['event']!r} for {entry['email']!r}"
    if entry.get("eventdata") is not None:
        text += f" eventdata {entry['eventdata']!r}"
    return f"{text}: {_outcome(entry)}"
