"""Command-line options and the fixed facts the benchmark relies on (paths, default credentials)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
VENV_BIN = REPO / ".venv" / "bin"

# The default account of a fakecampaign server (fakecampaign/config.py).
API_TOKEN = "fake-api-token"
ACTID = "123456789"
EVENT_KEY = "fake-event-key"
ACCOUNT = "fake"
BENCH_EMAIL = "bench@example.com"


@dataclass(frozen=True)
class Options:
    rounds: int
    duration: int  # seconds per throughput burst
    warmup: int  # seconds of discarded warm-up per server and request
    conns: int  # wrk connections for throughput
    latency_duration: int  # seconds per latency burst (scenario 3)
    latency_conns: int
    sizes: tuple[int, ...]  # tracking logs in the account (scenario 3)
    startup_reps: int
    fixture_tests: int
    fixture_reps: int
    quick: bool
    pin: bool
    skip: frozenset[str]


def _sizes(text: str) -> tuple[int, ...]:
    out: list[int] = []
    for part in text.split(","):
        part = part.strip().lower()
        mult = 1_000_000 if part.endswith("m") else 1000 if part.endswith("k") else 1
        value = int(float(part.rstrip("mk")) * mult)
        if value < 100 or value % 100:
            raise argparse.ArgumentTypeError(f"size {part!r}: must be a multiple of 100, at least 100")
        out.append(value)
    if not out:
        raise argparse.ArgumentTypeError("no sizes")
    return tuple(sorted(set(out)))


def parse(argv: Sequence[str] | None = None) -> Options:
    p = argparse.ArgumentParser(prog="python -m bench", description="Benchmark fakecampaign against a bare baseline.")
    p.add_argument("--quick", action="store_true", help="fast sanity run: 2 short rounds, sizes 10k,100k")
    p.add_argument("--rounds", type=int, help="paired rounds per scenario (default 3; quick 2)")
    p.add_argument("--duration", type=int, help="seconds per throughput burst (default 10; quick 3)")
    p.add_argument("--warmup", type=int, help="seconds of discarded warm-up (default 2; quick 1)")
    p.add_argument("--conns", type=int, default=32, help="wrk connections for throughput (default 32)")
    p.add_argument("--latency-duration", type=int, help="seconds per latency burst (default 5; quick 2)")
    p.add_argument(
        "--latency-conns", type=int, default=1, help="wrk connections for latency (default 1: per-call latency)"
    )
    p.add_argument("--sizes", type=_sizes, help="tracking logs per account, (default 10k,100k,1m; quick 10k,100k)")
    p.add_argument("--startup-reps", type=int, help="process starts measured (default 10; quick 5)")
    p.add_argument("--fixture-tests", type=int, help="tests per pytest file for scenario 6 (default 500; quick 100)")
    p.add_argument("--no-pin", action="store_true", help="do not pin server and wrk to CPUs 0 and 1")
    p.add_argument(
        "--skip",
        default="",
        help="comma-separated scenarios to skip: throughput,history,startup,fixture,workers",
    )
    a = p.parse_args(argv)
    q = bool(a.quick)

    def pick(value: int | None, full: int, quick: int) -> int:
        chosen = value if value is not None else (quick if q else full)
        if chosen < 1:
            p.error("counts and durations must be at least 1")
        return chosen

    return Options(
        rounds=pick(a.rounds, 3, 2),
        duration=pick(a.duration, 10, 3),
        warmup=pick(a.warmup, 2, 1),
        conns=pick(a.conns, 32, 32),
        latency_duration=pick(a.latency_duration, 5, 2),
        latency_conns=pick(a.latency_conns, 1, 1),
        sizes=a.sizes or ((10_000, 100_000) if q else (10_000, 100_000, 1_000_000)),
        startup_reps=pick(a.startup_reps, 10, 5),
        fixture_tests=pick(a.fixture_tests, 500, 100),
        fixture_reps=1 if q else 3,
        quick=q,
        pin=not a.no_pin,
        skip=frozenset(s.strip() for s in a.skip.split(",") if s.strip()),
    )
