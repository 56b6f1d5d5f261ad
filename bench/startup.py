"""Scenario 4: process start to the first 200 from /_fakecampaign/health (in memory, no fixtures), unpinned.

Starts alternate with the baseline app's (first 200 from its GET) so both see the same host.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

from bench import servers
from bench.options import VENV_BIN, Options
from bench.report import Row, verdict
from bench.stats import spread

READY_TARGET_RATIO = 1.5  # issue 11: at most 1.5x the bare FastAPI app on the same uvicorn, same run


def run(opts: Options, work: Path) -> tuple[list[Row], dict[str, Any]]:
    times: dict[str, list[float]] = {"fc": [], "base": []}
    for i in range(opts.startup_reps):
        db = work / f"startup-baseline-{i}.sqlite3"
        for side in ("fc", "base") if i % 2 == 0 else ("base", "fc"):
            if side == "fc":
                server = servers.fakecampaign(work, db=None, cpu=None, name="fc-startup")
            else:
                server = servers.baseline(work, db=db, cpu=None, name="baseline-startup")
            with server:
                times[side].append(server.wait_ready(timeout=30))
    fc, base = spread(times["fc"]), spread(times["base"])
    ms = {k: [t * 1000 for t in v] for k, v in times.items()}
    row = Row(
        f"4. start -> first 200 from /_fakecampaign/health (median of {opts.startup_reps})",
        spread(ms["fc"]).fmt(0, " ms"),
        spread(ms["base"]).fmt(0, " ms"),
        f"{fc.median / base.median:.2f}",
        f"<= {READY_TARGET_RATIO} x baseline",
        verdict(fc.median / base.median <= READY_TARGET_RATIO),
    )
    floor, floor_raw = _import_floor(opts.startup_reps)
    return [row, floor], {"seconds": times, "import_floor_seconds": floor_raw}


# What the target leaves room for: the stack's DB layer (SQLAlchemy, which the hot paths run on) imported on top
# of what the bare app imports, each in a fresh interpreter, alternating.
BARE_IMPORTS = "import fastapi, uvicorn, uvloop, httptools"
WITH_SQLALCHEMY = BARE_IMPORTS + ", sqlalchemy"


def _import_floor(reps: int) -> tuple[Row, dict[str, list[float]]]:
    times: dict[str, list[float]] = {"bare": [], "sqlalchemy": []}
    for i in range(reps):
        for side in ("bare", "sqlalchemy") if i % 2 == 0 else ("sqlalchemy", "bare"):
            code = BARE_IMPORTS if side == "bare" else WITH_SQLALCHEMY
            started = time.perf_counter()
            subprocess.run([str(VENV_BIN / "python"), "-c", code], check=True, timeout=60)
            times[side].append(time.perf_counter() - started)
    ms = {k: [t * 1000 for t in v] for k, v in times.items()}
    ratio = spread(times["sqlalchemy"]).median / spread(times["bare"]).median
    row = Row(
        "4. floor: a fresh interpreter importing FastAPI + uvicorn + SQLAlchemy vs FastAPI + uvicorn",
        spread(ms["sqlalchemy"]).fmt(0, " ms"),
        spread(ms["bare"]).fmt(0, " ms"),
        f"{ratio:.2f}",
    )
    return row, times
