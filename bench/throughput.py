"""Scenarios 1, 2 and 5: POST /event and GET contact against the baseline in paired rounds, then RSS.

Both servers are up at once, pinned to the same CPU; each round runs one burst on each (order alternating),
and the ratio is taken per round, so a change in host speed moves both sides of it.
"""

from __future__ import annotations

import sqlite3
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench import servers, wrk
from bench.cpus import Cpus
from bench.options import API_TOKEN, BENCH_EMAIL, Options
from bench.procs import Server, rss_mb
from bench.report import Row, verdict
from bench.stats import spread

RATIO_TARGET = 0.8  # issue 11: both hot paths at >= 0.8 of the bare FastAPI baseline
RSS_TARGET_MB = 120.0


@dataclass(frozen=True)
class Target:
    server: Server
    path: str
    db: Path
    table: str  # rows counted before and after a POST burst
    headers: dict[str, str]


def _count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db, timeout=10)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def _burst(t: Target, opts: Options, cpus: Cpus, seconds: int, post: Path | None) -> dict[str, Any]:
    before = _count(t.db, t.table) if post else 0
    res = wrk.run(
        t.server.url + t.path, conns=opts.conns, seconds=seconds, cpu=cpus.load, script=post, headers=t.headers
    )
    written = (_count(t.db, t.table) - before) if post else res.requests
    return {**asdict(res), "rate": written / res.seconds, "written": written}


def run(opts: Options, work: Path, cpus: Cpus) -> tuple[list[Row], dict[str, Any]]:
    post_lua = wrk.write_post_script(work)
    fc_db, base_db = work / "fc.sqlite3", work / "baseline.sqlite3"
    with ExitStack() as stack:
        base = stack.enter_context(servers.baseline(work, db=base_db, cpu=cpus.server))
        fc = stack.enter_context(servers.fakecampaign(work, db=fc_db, cpu=cpus.server))
        base.wait_ready()
        fc.wait_ready()
        contact_id = servers.create_contact(fc, BENCH_EMAIL)
        auth = {"Api-Token": API_TOKEN}
        kinds: dict[str, dict[str, Target]] = {
            "post": {
                "fc": Target(fc, "/event", fc_db, "tracking_logs", {}),
                "base": Target(base, "/event", base_db, "events", {}),
            },
            "get": {
                "fc": Target(fc, f"/api/3/contacts/{contact_id}", fc_db, "", auth),
                "base": Target(base, f"/contacts/{servers.BASELINE_CONTACT_ID}", base_db, "", {}),
            },
        }
        sizes = {side: len(servers.api(t.server, "GET", t.path)[1]) for side, t in kinds["get"].items()}
        for kind, sides in kinds.items():  # discarded warm-up
            for t in sides.values():
                _burst(t, opts, cpus, opts.warmup, post_lua if kind == "post" else None)
        rounds: dict[str, list[dict[str, Any]]] = {"post": [], "get": []}
        for r in range(opts.rounds):
            for kind, sides in kinds.items():
                order = ("base", "fc") if r % 2 == 0 else ("fc", "base")
                got = {
                    s: _burst(sides[s], opts, cpus, opts.duration, post_lua if kind == "post" else None) for s in order
                }
                got["ratio"] = got["fc"]["rate"] / max(got["base"]["rate"], 1e-9)
                rounds[kind].append(got)
                print(
                    f"bench:   round {r + 1} {kind}: fc {got['fc']['rate']:,.0f}/s, "
                    f"baseline {got['base']['rate']:,.0f}/s, ratio {got['ratio']:.2f}",
                    flush=True,
                )
        rss = {"fc": rss_mb(fc.pid), "base": rss_mb(base.pid)}
    rows = [
        _rate_row(f"1. POST /event, written events/s (c={opts.conns})", rounds["post"], ">= 0.8 x baseline (b)"),
        _rate_row(f"2. GET /api/3/contacts/{{id}}, req/s (c={opts.conns})", rounds["get"], ">= 0.8 x baseline (a)"),
        Row(
            "5. RSS after the load runs",
            f"{rss['fc']:.1f} MB",
            f"{rss['base']:.1f} MB",
            f"{rss['fc'] / rss['base']:.2f}",
            f"<= {RSS_TARGET_MB:.0f} MB",
            verdict(rss["fc"] <= RSS_TARGET_MB),
        ),
    ]
    raw = {"contact_id": contact_id, "get_body_bytes": sizes, "rounds": rounds, "rss_mb": rss}
    return rows, raw


def _rate_row(name: str, rounds: list[dict[str, Any]], target: str) -> Row:
    fc = spread([r["fc"]["rate"] for r in rounds])
    base = spread([r["base"]["rate"] for r in rounds])
    ratio = spread([r["ratio"] for r in rounds])
    p50 = spread([r["fc"]["p50_ms"] for r in rounds])
    p99 = spread([r["fc"]["p99_ms"] for r in rounds])
    b50 = spread([r["base"]["p50_ms"] for r in rounds])
    b99 = spread([r["base"]["p99_ms"] for r in rounds])
    errors = sum(r[s]["non_2xx"] + r[s]["socket_errors"] for r in rounds for s in ("fc", "base"))
    note = f"; {errors} errors" if errors else ""
    return Row(
        name,
        f"{fc.fmt()}/s; p50 {p50.median:.1f} ms, p99 {p99.median:.1f} ms{note}",
        f"{base.fmt()}/s; p50 {b50.median:.1f} ms, p99 {b99.median:.1f} ms",
        ratio.fmt(2),
        target,
        verdict(ratio.median >= RATIO_TARGET and not errors),
    )
