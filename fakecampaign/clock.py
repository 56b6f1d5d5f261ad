"""The one source of time and generated identifiers, so tests can freeze or seed them.

Row ids come from the database; everything else that varies between runs (timestamps, hashes, tokens,
account ids) comes from a ``Clock``.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta


class Clock:
    """Wall-clock time and a seedable random source for hashes and credentials."""

    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(seed)
        self._offset = timedelta(0)
        self._offset_us = 0  # the same offset in whole microseconds, for timestamp()

    def now(self) -> datetime:
        """The current time, timezone-aware UTC, truncated to whole seconds as ActiveCampaign reports it."""
        return (datetime.now(UTC) + self._offset).replace(microsecond=0)

    def advance(self, seconds: float) -> None:
        """Move this clock forward (the control plane's /clock/advance, so a test need not wait out a
        ``wait`` step); it keeps running from there."""
        self._offset += timedelta(seconds=seconds)
        self._offset_us = self._offset // timedelta(microseconds=1)

    def timestamp(self) -> int:
        """The current time as whole epoch seconds; what the tables store."""
        # int(self.now().timestamp()) in integer microseconds: building the datetime cost ~3% of an /event call
        # (which takes two), and both floor to the whole second.
        return (time.time_ns() // 1000 + self._offset_us) // 1_000_000

    def time(self) -> float:
        """The current time as fractional epoch seconds: the request journal's ``at`` and the rate limit."""
        return time.time()

    def hex(self, length: int) -> str:
        """``length`` random lowercase hex digits (AC's 40-hex tracking-log hashes, 32-hex contact hashes)."""
        return f"{self._random.getrandbits(length * 4):0{length}x}"

    def digits(self, length: int) -> str:
        """``length`` random decimal digits, never starting with 0 (AC's 9-digit actid)."""
        first = str(self._random.randint(1, 9))
        return first + "".join(str(self._random.randint(0, 9)) for _ in range(length - 1))


class FrozenClock(Clock):
    """A clock that stands still until moved; for tests that assert exact timestamps."""

    def __init__(self, at: datetime, seed: int | None = 0) -> None:
        super().__init__(seed)
        self._at = at.astimezone(UTC).replace(microsecond=0)

    def now(self) -> datetime:
        return self._at

    def timestamp(self) -> int:
        return int(self._at.timestamp())

    def time(self) -> float:
        return self._at.timestamp()

    def advance(self, seconds: float) -> None:
        """Move the frozen time forward."""
        self._at += timedelta(seconds=seconds)
