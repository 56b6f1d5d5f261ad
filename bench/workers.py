"""Scenario 8: ``serve --workers 1`` against ``--workers 2`` on a SQLite file, the same requests, paired rounds.

Nothing is pinned here: two workers need both cores, which wrk shares with them, so on a 2-core machine this
says what a second worker buys when the load generator competes for the same CPUs (as a test run would).
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench import servers, wrk
from bench.cpus import Cpus
from bench.options import API_TOKEN, BENCH_EMAIL, Options
from bench.report import Row
from bench.stats import spread
from bench.throughput import Target, _burst

UNPINNED = Cpus(server=None, load=None)


def run(opts: Options, work: Path) -> tuple[list[Row], dict[str, Any]]:
    post_lua = wrk.write_post_script(work)
    with ExitStack() as stack:
        targets: dict[str, dict[str, Target]] = {"post": {}, "get": {}}
        for n in (1, 2):
            db = work / f"workers-{n}.sqlite3"
            server = stack.enter_context(servers.fakecampaign(work, db=db, cpu=None, name=f"fc-{n}w", workers=n))
            server.wait_ready(timeout=60)
            contact_id = servers.create_contact(server, BENCH_EMAIL)
            targets["post"][f"{n}w"] = Target(server, "/event", db, "tracking_logs", {})
            targets["get"][f"{n}w"] = Target(server, f"/api/3/contacts/{contact_id}", db, "", {"Api-Token": API_TOKEN})
        for kind, sides in targets.items():  # discarded warm-up
            for t in sides.values():
                _burst(t, opts, UNPINNED, opts.warmup, post_lua if kind == "post" else None)
        rounds: dict[str, list[dict[str, Any]]] = {"post": [], "get": []}
        for r in range(opts.rounds):
            for kind, sides in targets.items():
                order = ("1w", "2w") if r % 2 == 0 else ("2w", "1w")
                script = post_lua if kind == "post" else None
                got = {s: _burst(sides[s], opts, UNPINNED, opts.duration, script) for s in order}
                got["ratio"] = got["2w"]["rate"] / max(got["1w"]["rate"], 1e-9)
                rounds[kind].append(got)
                print(
                    f"bench:   round {r + 1} {kind}: 1 worker {got['1w']['rate']:,.0f}/s, "
                    f"2 workers {got['2w']['rate']:,.0f}/s, ratio {got['ratio']:.2f}",
                    flush=True,
                )
    rows = [
        _row(f"8. POST /event, --workers 2 vs 1, written/s (c={opts.conns}, unpinned)", rounds["post"]),
        _row(f"8. GET /api/3/contacts/{{id}}, --workers 2 vs 1, req/s (c={opts.conns}, unpinned)", rounds["get"]),
    ]
    return rows, {"rounds": rounds}


def _row(name: str, rounds: list[dict[str, Any]]) -> Row:
    one = spread([r["1w"]["rate"] for r in rounds])
    two = spread([r["2w"]["rate"] for r in rounds])
    errors = sum(r[s]["non_2xx"] + r[s]["socket_errors"] for r in rounds for s in ("1w", "2w"))
    note = f"; {errors} errors" if errors else ""
    return Row(
        name,
        f"{two.fmt()}/s with 2 workers{note}",
        f"{one.fmt()}/s with 1",
        spread([r["ratio"] for r in rounds]).fmt(2),
    )
