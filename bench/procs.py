"""Server processes: a free loopback port, start in its own process group, wait until ready, always kill."""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

HOST = "127.0.0.1"
POLL_S = 0.01
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Runs in the child before exec: if the benchmark itself is killed, the kernel kills the server too."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def http_status(port: int, path: str, timeout: float = 1.0) -> int | None:
    """Status of one GET, or None when nothing answers yet."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        return resp.status
    except OSError:
        return None
    finally:
        conn.close()


class Server:
    """One server subprocess; ``with Server(...) as s`` starts it and kills its whole process group on exit."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        port: int,
        ready_path: str,
        log: Path,
        env: Mapping[str, str] | None = None,
        cpu: int | None = None,
    ) -> None:
        self.name = name
        self.port = port
        self.ready_path = ready_path
        self.log = log
        self.argv = (["taskset", "-c", str(cpu)] if cpu is not None else []) + list(argv)
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> Server:
        with self.log.open("ab") as out:
            self.started_at = time.perf_counter()
            self.proc = subprocess.Popen(
                self.argv,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=self.env,
                start_new_session=True,
                preexec_fn=_die_with_parent,  # single-threaded parent: safe
            )
        return self

    def wait_ready(self, timeout: float = 30.0) -> float:
        """Poll the ready path every 10 ms; return seconds from Popen to the first 200."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited before it was ready; log:\n{self.log_tail()}")
            status = http_status(self.port, self.ready_path)
            if status == 200:
                return time.perf_counter() - self.started_at
            if status is not None and status >= 500:
                raise RuntimeError(f"{self.name} answered {status} on {self.ready_path}; log:\n{self.log_tail()}")
            time.sleep(POLL_S)
        raise RuntimeError(f"{self.name} not ready after {timeout:.0f} s; log:\n{self.log_tail()}")

    def stop(self, grace: float = 5.0) -> None:
        """SIGTERM the process group (uvicorn shuts down cleanly), SIGKILL it after ``grace`` seconds."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            try:
                proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # stragglers in the group

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants, from /proc/<pid>/status VmRSS."""
    total_kb = 0
    for p in _tree(pid):
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
    return total_kb / 1024


def _tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [root], [root]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found.extend(frontier)
    return found
