"""Run every scenario in order, print one table, write bench/results/latest.json and latest.md."""

from __future__ import annotations

import signal
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from types import FrameType
from typing import Any

from bench import cpus, fixture, history, machine, options, report, startup, throughput, workers, wrk
from bench.report import Row

Scenario = Callable[[], tuple[list[Row], dict[str, Any]]]


def _on_sigterm(signum: int, _frame: FrameType | None) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second TERM must not interrupt the clean-up
    raise SystemExit(128 + signum)  # unwinds through every ``with Server``: servers are killed


def main(argv: Sequence[str] | None = None) -> int:
    opts = options.parse(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    wrk.ensure_wrk()
    where = cpus.choose(opts.pin)
    info = machine.describe()
    print(f"bench: {info['summary']}", flush=True)
    print(f"bench: {where.describe()}; {opts.rounds} rounds; sizes {', '.join(map(str, opts.sizes))}", flush=True)
    rows: list[Row] = []
    raw: dict[str, Any] = {}
    notes = [
        f"{opts.rounds} paired rounds; throughput bursts wrk -t1 -c{opts.conns} -d{opts.duration}s after a "
        f"{opts.warmup} s warm-up; latency bursts -c{opts.latency_conns} -d{opts.latency_duration}s; "
        f"{where.describe()}.",
        "Cells are median (min-max) over rounds; a ratio is the median of per-round ratios.",
        "Baseline: bench/baseline_app.py (bare FastAPI + stdlib sqlite3, WAL) on the same uvicorn settings.",
    ]
    if opts.quick:
        notes.append("QUICK run (fewer, shorter rounds; no 1M account): a sanity check, not a measurement.")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fakecampaign-bench-") as tmp:
        work = Path(tmp)
        plan: dict[str, Scenario] = {
            "throughput": lambda: throughput.run(opts, work, where),
            "history": lambda: history.run(opts, work, where),
            "startup": lambda: startup.run(opts, work),
            "fixture": lambda: fixture.run(opts, work),
            "workers": lambda: workers.run(opts, work),
        }
        for name, scenario in plan.items():
            if name in opts.skip:
                rows.append(Row(f"({name})", "skipped (--skip)", status=report.SKIP))
                continue
            print(f"bench: {name} ...", flush=True)
            t0 = time.perf_counter()
            got, raw[name] = scenario()
            raw[name]["seconds_taken"] = round(time.perf_counter() - t0, 1)
            rows += got
    raw["total_seconds"] = round(time.perf_counter() - started, 1)
    info["load_avg_end"] = machine.loadavg()
    busy = max(float(info["load_avg_start"].split()[0]), float(info["load_avg_end"].split()[0]))
    if busy > 0.5 * float(info["nproc"]):
        notes.append(
            f"Host busy (1-min load average {info['load_avg_start'].split()[0]} at start, "
            f"{info['load_avg_end'].split()[0]} at end): absolute figures are unreliable; the paired ratios less so."
        )
    rows.sort(key=lambda r: r.scenario[0] if r.scenario[0].isdigit() else "~")  # stable: skipped rows last
    print()
    print(report.text_table(rows))
    json_path, md_path = report.write(options.RESULTS, rows, info, asdict(opts), raw, notes)
    print(f"\nbench: wrote {json_path.relative_to(options.REPO)} and {md_path.relative_to(options.REPO)}")
    return 0
