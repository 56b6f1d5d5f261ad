"""Scenario 3: reading one contact's 100 events back must not get slower as the account grows.

One server per account size (10k, 100k, 1M tracking logs), all up at once on the same CPU; each round runs
one latency burst per size and endpoint, and p99(largest)/p99(smallest) is taken per round. Bursts use one
connection by default (sequential calls, as a test makes them): with several, p99 measures queueing, and a
slow endpoint completes too few calls within the burst for a p99 at all.
"""

from __future__ import annotations

import json
import shutil
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench import datagen, servers, wrk
from bench.cpus import Cpus
from bench.options import API_TOKEN, Options
from bench.procs import Server, rss_mb
from bench.report import FAIL, Row, verdict
from bench.stats import spread

GROWTH_TARGET = 2.0
ENDPOINTS = {
    "activities": "/api/3/activities?contact={cid}",
    "trackingLogs": "/api/3/contacts/{cid}/trackingLogs",
}


def _label(size: int) -> str:
    return f"{size // 1_000_000}M" if size % 1_000_000 == 0 else f"{size // 1000}k" if size % 1000 == 0 else str(size)


def _check(server: Server, path: str, endpoint: str) -> dict[str, Any]:
    """One call: the answer is a 200 holding the contact's logs (100 trackingLogs; activities total 100)."""
    status, body = servers.api(server, "GET", path)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
    doc = json.loads(body)
    seen = {"bytes": len(body), "trackingLogs": len(doc.get("trackingLogs", []))}
    if endpoint == "activities":
        seen["activities"] = len(doc.get("activities", []))
        seen["total"] = int((doc.get("meta") or {}).get("total", -1))
    return seen


def run(opts: Options, work: Path, cpus: Cpus) -> tuple[list[Row], dict[str, Any]]:
    dbs = [datagen.ensure(size, work) for size in opts.sizes]
    auth = {"Api-Token": API_TOKEN}
    results: dict[str, dict[int, list[dict[str, Any]]]] = {e: {db.size: [] for db in dbs} for e in ENDPOINTS}
    checks: dict[str, dict[int, Any]] = {e: {} for e in ENDPOINTS}
    with ExitStack() as stack:
        live: dict[int, tuple[Server, int]] = {}
        for db in dbs:
            copy = work / f"logs-{db.size}.sqlite3"
            shutil.copyfile(db.path, copy)  # the cached file stays pristine
            server = stack.enter_context(
                servers.fakecampaign(work, db=copy, cpu=cpus.server, name=f"fc-{_label(db.size)}")
            )
            live[db.size] = (server, db.target_contact_id)
        for server, _ in live.values():
            server.wait_ready(timeout=120)
        for endpoint, template in ENDPOINTS.items():
            for size, (server, cid) in live.items():
                path = template.format(cid=cid)
                checks[endpoint][size] = _check(server, path, endpoint)
                wrk.run(server.url + path, conns=opts.latency_conns, seconds=opts.warmup, cpu=cpus.load, headers=auth)
        for r in range(opts.rounds):
            for endpoint, template in ENDPOINTS.items():
                order = list(live) if r % 2 == 0 else list(reversed(live))
                for size in order:
                    server, cid = live[size]
                    url = server.url + template.format(cid=cid)
                    res = wrk.run(
                        url, conns=opts.latency_conns, seconds=opts.latency_duration, cpu=cpus.load, headers=auth
                    )
                    results[endpoint][size].append(asdict(res))
                line = ", ".join(f"{_label(s)} p99 {results[endpoint][s][-1]['p99_ms']:.1f} ms" for s in live)
                print(f"bench:   round {r + 1} {endpoint}: {line}", flush=True)
        rss = {size: rss_mb(server.pid) for size, (server, _) in live.items()}
    rows = [row for endpoint in ENDPOINTS for row in _rows(endpoint, results[endpoint], opts)]
    raw = {"dbs": [asdict(db) for db in dbs], "checks": checks, "bursts": results, "rss_mb": rss}
    return rows, raw


def _rows(endpoint: str, by_size: dict[int, list[dict[str, Any]]], opts: Options) -> list[Row]:
    """One row per size, then the growth row; bursts in which no request completed count as errors."""
    name = ENDPOINTS[endpoint].replace("{cid}", "ID")
    rows = []
    for size, bursts in by_size.items():
        done = [b for b in bursts if b["requests"] > 0]
        empty = len(bursts) - len(done)
        errors = sum(b["non_2xx"] + b["socket_errors"] for b in bursts)
        problems = "".join(
            [f"; {errors} errors" if errors else "", f"; {empty} bursts finished nothing" if empty else ""]
        )
        label = f"3. GET {name} @ {_label(size)} logs (c={opts.latency_conns})"
        if not done:
            rows.append(Row(label, "no request completed" + problems, status=FAIL))
            continue
        p50, p99 = spread([b["p50_ms"] for b in done]), spread([b["p99_ms"] for b in done])
        rate = spread([b["req_s"] for b in done])
        n = sum(b["requests"] for b in done)
        rows.append(Row(label, f"p50 {p50.fmt(1)} ms, p99 {p99.fmt(1)} ms; {rate.median:,.0f} req/s, n={n}" + problems))
    small, large = min(by_size), max(by_size)
    pairs = zip(by_size[small], by_size[large], strict=True)
    per_round = [b["p99_ms"] / a["p99_ms"] for a, b in pairs if a["requests"] and b["requests"]]
    label = f"3. {endpoint} p99 growth {_label(large)}/{_label(small)}"
    target = f"<= {GROWTH_TARGET:.0f}x (1M vs 10k)"
    if not per_round:
        rows.append(Row(label, "not measurable (no completed requests)", target=target, status=FAIL))
        return rows
    ratios = spread(per_round)
    status = verdict(ratios.median <= GROWTH_TARGET)
    full = large >= 1_000_000 and small <= 10_000
    partial = f"{status} (partial: {_label(large)} vs {_label(small)})"
    rows.append(
        Row(label, f"{ratios.fmt(2)}x", ratio=f"{ratios.median:.2f}", target=target, status=status if full else partial)
    )
    return rows
