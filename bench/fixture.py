"""Scenario 6: per-test overhead of the pytest plugin's ``fakecampaign`` fixture.

HOOK: measured only once fakecampaign/testing/plugin.py defines a ``fakecampaign`` fixture; until then the
row says "not measured yet (plugin pending)". Two throwaway files of N tests each (one using the fixture,
one not) plus one-test versions of both run under pytest in a temp dir; per test =
((T_with(N) - T_with(1)) - (T_without(N) - T_without(1))) / (N - 1), session start = T_with(1) - T_without(1).
"""

from __future__ import annotations

import ast
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.options import REPO, VENV_BIN, Options
from bench.report import SKIP, Row, verdict
from bench.stats import spread
from fakecampaign.testing.reuse import REUSE_ENV

PLUGIN = REPO / "fakecampaign" / "testing" / "plugin.py"
FIXTURE = "fakecampaign"
PENDING = "not measured yet (plugin pending)"
SESSION_TARGET_MS = 500.0  # issue 11: a one-test run that uses the fixture costs at most 0.5 s more
XDIST_TESTS = 300  # issue 11: 300 fixture tests with -n 2 take no longer than serially
XDIST_TARGET = 1.0


def plugin_has_fixture(path: Path = PLUGIN) -> bool:
    """True when the plugin defines a fixture named ``fakecampaign`` (by function name or ``name=``)."""
    try:
        tree = ast.parse(path.read_text())
    except (OSError, SyntaxError):
        return False
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for deco in node.decorator_list:
            if "fixture" not in ast.unparse(deco):
                continue
            named = [
                k.value.value
                for k in getattr(deco, "keywords", [])
                if k.arg == "name" and isinstance(k.value, ast.Constant)
            ]
            if (named[0] if named else node.name) == FIXTURE:
                return True
    return False


def _write_tests(directory: Path, name: str, count: int, use_fixture: bool) -> Path:
    arg = FIXTURE if use_fixture else ""
    body = f"    assert {FIXTURE} is not None\n" if use_fixture else "    pass\n"
    text = "".join(f"def test_{i}({arg}):\n{body}\n\n" for i in range(count))
    path = directory / f"test_{name}.py"
    path.write_text(text)
    return path


def _pytest_seconds(directory: Path, test_file: Path, *extra: str, env: dict[str, str] | None = None) -> float:
    argv = [str(VENV_BIN / "python"), "-m", "pytest", "-p", "no:cacheprovider", "-q", *extra, test_file.name]
    environ = None if env is None else {**os.environ, **env}
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=directory, capture_output=True, text=True, timeout=600, check=False, env=environ)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(
            f"pytest {test_file.name} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return elapsed


def measure(opts: Options, work: Path, conftest: str | None = None) -> tuple[list[Row], dict[str, Any]]:
    """Run the four files ``fixture_reps`` times, interleaved; ``conftest`` is for testing this module only."""
    directory = work / "fixture-overhead"
    directory.mkdir(exist_ok=True)
    (directory / "pytest.ini").write_text("[pytest]\naddopts =\n")  # keep the repo's config out
    if conftest is not None:
        (directory / "conftest.py").write_text(conftest)
    n = opts.fixture_tests
    files = {
        ("with", n): _write_tests(directory, f"with_{n}", n, True),
        ("without", n): _write_tests(directory, f"without_{n}", n, False),
        ("with", 1): _write_tests(directory, "with_1", 1, True),
        ("without", 1): _write_tests(directory, "without_1", 1, False),
    }
    xdist_file = _write_tests(directory, f"with_{XDIST_TESTS}", XDIST_TESTS, True)
    bare_file = _write_tests(directory, f"without_{XDIST_TESTS}", XDIST_TESTS, False)
    times: dict[str, list[float]] = {f"{k[0]}_{k[1]}": [] for k in files}
    times |= {"xdist_serial": [], "xdist_n2": [], "bare_serial": [], "bare_n2": [], "fresh_with_1": []}
    # One discarded run first: with a server kept across runs (G160) the first run after a code change starts
    # it, and that cost must not land on whichever file happens to run first. The cold start is measured
    # apart, in the "not kept across runs" row.
    _pytest_seconds(directory, files[("with", 1)])
    for _ in range(opts.fixture_reps):
        for key, path in files.items():
            times[f"{key[0]}_{key[1]}"].append(_pytest_seconds(directory, path))
        # The same one-test run with the session server not kept across runs (what CI gets by default, G160).
        times["fresh_with_1"].append(_pytest_seconds(directory, files[("with", 1)], env={REUSE_ENV: "no"}))
        times["xdist_serial"].append(_pytest_seconds(directory, xdist_file))
        times["xdist_n2"].append(_pytest_seconds(directory, xdist_file, "-n", "2"))
        # Control: the same 300 tests without the fixture, so xdist's own cost is seen apart from the plugin's.
        times["bare_serial"].append(_pytest_seconds(directory, bare_file))
        times["bare_n2"].append(_pytest_seconds(directory, bare_file, "-n", "2"))
    per_test = [
        ((wn - w1) - (on - o1)) / max(n - 1, 1) * 1000
        for wn, w1, on, o1 in zip(
            times[f"with_{n}"], times["with_1"], times[f"without_{n}"], times["without_1"], strict=True
        )
    ]
    session = [(w1 - o1) * 1000 for w1, o1 in zip(times["with_1"], times["without_1"], strict=True)]
    bare = [(on - o1) / max(n - 1, 1) * 1000 for on, o1 in zip(times[f"without_{n}"], times["without_1"], strict=True)]
    xdist = [p / s for p, s in zip(times["xdist_n2"], times["xdist_serial"], strict=True)]
    bare_xdist = [p / s for p, s in zip(times["bare_n2"], times["bare_serial"], strict=True)]
    fresh = [(w1 - o1) * 1000 for w1, o1 in zip(times["fresh_with_1"], times["without_1"], strict=True)]
    simple = [(wn - on) / n * 1000 for wn, on in zip(times[f"with_{n}"], times[f"without_{n}"], strict=True)]
    rows = [
        Row(
            f"6. fixture overhead per test ({n} tests each way)",
            f"{spread(per_test).fmt(2, ' ms')} marginal; {spread(simple).median:.2f} ms as (T_with - T_without)/{n}",
            f"{spread(bare).median:.2f} ms (bare test)",
        ),
        Row(
            "6. session cost: one-test run with the fixture minus one without",
            spread(session).fmt(0, " ms"),
            target=f"<= {SESSION_TARGET_MS:.0f} ms",
            status=verdict(spread(session).median <= SESSION_TARGET_MS),
        ),
        Row(
            f"7. {XDIST_TESTS} fixture tests, -n 2 vs serial (wall time)",
            spread(times["xdist_n2"]).fmt(2, " s"),
            spread(times["xdist_serial"]).fmt(2, " s") + " serial",
            f"{spread(xdist).median:.2f}",
            f"<= {XDIST_TARGET:.1f} x serial",
            verdict(spread(xdist).median <= XDIST_TARGET),
        ),
        Row(
            "6. session cost with the server not kept across runs (FAKECAMPAIGN_REUSE=no, as on CI)",
            spread(fresh).fmt(0, " ms"),
        ),
        Row(
            f"7. control: {XDIST_TESTS} tests without the fixture, -n 2 vs serial (xdist's own cost)",
            spread(times["bare_n2"]).fmt(2, " s"),
            spread(times["bare_serial"]).fmt(2, " s") + " serial",
            f"{spread(bare_xdist).median:.2f}",
        ),
    ]
    raw = {"seconds": times, "per_test_ms": per_test, "simple_per_test_ms": simple, "session_ms": session}
    raw |= {"fresh_session_ms": fresh, "bare_xdist_ratio": bare_xdist}
    return rows, raw


def run(opts: Options, work: Path) -> tuple[list[Row], dict[str, Any]]:
    if not plugin_has_fixture():
        return [Row("6. pytest fixture overhead per test", PENDING, status=SKIP)], {"status": PENDING}
    return measure(opts, work)
