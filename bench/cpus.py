"""Which CPU the servers and the load generator run on (server on CPU 0, wrk on CPU 1, as in perf-baseline.md)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass


@dataclass(frozen=True)
class Cpus:
    server: int | None
    load: int | None

    def describe(self) -> str:
        if self.server is None:
            return "not pinned"
        return f"server on CPU {self.server}, wrk on CPU {self.load}"


def choose(pin: bool) -> Cpus:
    usable = os.sched_getaffinity(0)
    if pin and shutil.which("taskset") and {0, 1} <= usable:
        return Cpus(server=0, load=1)
    return Cpus(server=None, load=None)
