"""Scenario 4: process start to the first 200 from /_fakecampaign/health (in memory, no fixtures), unpinned.

Starts alternate with the baseline app's (first 200 from its GET) so both see the same host.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench import servers
from bench.options import Options
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
    return [row], {"seconds": times}
