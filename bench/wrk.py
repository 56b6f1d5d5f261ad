"""The load generator: wrk from Debian's packages, installed on first use, and its output parsed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.options import ACTID, BENCH_EMAIL, EVENT_KEY

INSTALL_TIMEOUT_S = 600
# Five urlencoded fields, shaped like ActiveCampaign's event-tracking call (perf-baseline.md §4).
POST_BODY = (
    f"actid={ACTID}&key={EVENT_KEY}&event=bench&eventdata=plan%3Dpro"
    f"&visit=%7B%22email%22%3A%22{BENCH_EMAIL.replace('@', '%40')}%22%7D"
)
POST_LUA = f"""wrk.method = "POST"
wrk.body = "{POST_BODY}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
"""

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    req_s: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int

    @property
    def clean(self) -> bool:
        return self.non_2xx == 0 and self.socket_errors == 0


def ensure_wrk() -> str:
    """Path to wrk; ``apt-get update && apt-get install -y wrk`` first when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise RuntimeError("wrk is missing and installing it needs root: apt-get install -y wrk")
    print("bench: wrk not found; installing it from Debian's packages (apt-get)", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "wrk"]):
        subprocess.run(cmd, check=True, env=env, timeout=INSTALL_TIMEOUT_S, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("apt-get install wrk finished but wrk is still not on PATH")
    return found


def write_post_script(directory: Path) -> Path:
    path = directory / "post.lua"
    path.write_text(POST_LUA)
    return path


def run(
    url: str,
    *,
    conns: int,
    seconds: int,
    cpu: int | None,
    script: Path | None = None,
    headers: dict[str, str] | None = None,
) -> WrkResult:
    """One bounded closed-loop run: ``wrk -t1 -cN -dS --latency``; raises if wrk fails or reports no requests."""
    argv = ["taskset", "-c", str(cpu)] if cpu is not None else []
    argv += ["wrk", "-t1", f"-c{conns}", f"-d{seconds}s", "--latency", "--timeout=5s"]
    if script is not None:
        argv += ["-s", str(script)]
    for name, value in (headers or {}).items():
        argv += ["-H", f"{name}: {value}"]
    argv.append(url)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 30, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    return parse(done.stdout)


def parse(text: str) -> WrkResult:
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", text)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", text)
    p50 = re.search(r"^\s*50%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)
    if not (total and rate and p50 and p99):
        raise RuntimeError(f"could not read wrk's output:\n{text}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return WrkResult(
        requests=int(total.group(1)),
        seconds=float(total.group(2)) * _UNITS[total.group(3)] / 1000.0,
        req_s=float(rate.group(1)),
        p50_ms=float(p50.group(1)) * _UNITS[p50.group(2)],
        p99_ms=float(p99.group(1)) * _UNITS[p99.group(2)],
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(g) for g in errors.groups()) if errors else 0,
    )
