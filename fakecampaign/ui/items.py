"""One entry of a contact's timeline (ui/timeline.py merges them from every source)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Item:
    tstamp: int
    kind: str  # a CSS class and a label: "event", "dropped", "contact", ...
    title: str
    detail: str | None = None
    note: str | None = None  # e.g. why an /event call was dropped
    order: int = 0  # breaks ties between items of the same second (higher = later)
