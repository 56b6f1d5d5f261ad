"""Medians and spreads over rounds."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Spread:
    median: float
    low: float
    high: float
    n: int

    def fmt(self, digits: int = 0, unit: str = "") -> str:
        m, lo, hi = (f"{v:,.{digits}f}" for v in (self.median, self.low, self.high))
        return f"{m}{unit} ({lo}-{hi})" if self.n > 1 else f"{m}{unit}"

    def as_dict(self) -> dict[str, float]:
        return {"median": self.median, "min": self.low, "max": self.high, "n": self.n}


def spread(values: Sequence[float]) -> Spread:
    if not values:
        raise ValueError("no values")
    return Spread(statistics.median(values), min(values), max(values), len(values))
