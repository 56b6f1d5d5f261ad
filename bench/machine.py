"""The machine line that goes with the numbers: CPUs, CPU model, Python, SQLite, versions, date."""

from __future__ import annotations

import contextlib
import datetime
import os
import platform
import sqlite3
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bench.options import REPO


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "-"


def _git_head() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return "-"
    return out.stdout.strip() or "-"


def _wrk_version() -> str:
    try:
        out = subprocess.run(["wrk", "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "-"
    text = (out.stdout + out.stderr).split()
    return text[1] if len(text) > 1 else "-"


def describe() -> dict[str, str]:
    info = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count() or 0),
        "cpu": _cpu_model(),
        "mem_gib": _mem_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "fastapi": _version("fastapi"),
        "uvicorn": _version("uvicorn"),
        "uvloop": _version("uvloop"),
        "httptools": _version("httptools"),
        "wrk": _wrk_version(),
        "fakecampaign": f"{_version('fakecampaign')} ({_git_head()})",
        "load_avg_start": loadavg(),
    }
    info["summary"] = (
        f"nproc {info['nproc']} x {info['cpu']}, {info['mem_gib']} GiB, Python {info['python']}, "
        f"SQLite {info['sqlite']}, FastAPI {info['fastapi']}, uvicorn {info['uvicorn']} "
        f"(uvloop {info['uvloop']}, httptools {info['httptools']}), wrk {info['wrk']}, "
        f"fakecampaign {info['fakecampaign']}"
    )
    return info


def loadavg() -> str:
    with contextlib.suppress(OSError):
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return "0 0 0"


def _mem_gib() -> str:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f}"
    return "?"
