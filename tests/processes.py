"""Starting ``fakecampaign serve`` as a real process on a port it picks itself (``--port 0``).

Picking a free port first and passing it in races with every other process on the machine; the server
binding port 0 and printing the port in its banner does not.
"""

from __future__ import annotations

import os
import re
import selectors
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

START_TIMEOUT = 20.0
WAIT = 60.0  # bound of an explicit wait_until
BANNER = re.compile(r"serving on (http://\S+)")


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    banner: list[str] = field(default_factory=list)


@contextmanager
def serve(*args: str, env: Mapping[str, str] | None = None, warm: bool = True) -> Iterator[Served]:
    """``fakecampaign serve --port 0 ARGS``, healthy; terminated (if still running) when the block ends.

    ``warm``: also wait until the app is built (health ``?wait=all``; an in-memory server builds it after it
    starts listening, fakecampaign/warmup.py), so a test's first request is answered as fast as any other."""
    environ = {**os.environ, "FAKECAMPAIGN_LOG_LEVEL": "warning", **(env or {})}
    command = [sys.executable, "-m", "fakecampaign", "serve", "--port", "0", *args]
    process = subprocess.Popen(command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        banner = _banner(process)
        served = Served(process, BANNER.search(banner[0])[1], banner)  # type: ignore[index]
        _wait_healthy(served, "?wait=all" if warm else "")
        yield served
    finally:
        if process.poll() is None:
            process.terminate()
        process.communicate(timeout=10)


def _banner(process: subprocess.Popen[str]) -> list[str]:
    """The start-up banner's lines (they end at the docs line), read without blocking past the deadline.

    Reads the pipe's file descriptor directly: a buffered ``readline`` may swallow every banner line at once
    and leave ``select`` waiting for output that will never come."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    data = b""
    deadline = time.monotonic() + START_TIMEOUT
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while b"  docs" not in data:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                raise AssertionError(f"no start-up banner within {START_TIMEOUT} s")
            chunk = os.read(fd, 65536)
            assert chunk, f"fakecampaign serve exited early: {process.communicate()[1]}"
            data += chunk
    return data.decode().splitlines()


def _wait_healthy(served: Served, query: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert served.process.poll() is None, "fakecampaign serve exited during start-up"
        try:
            if httpx.get(f"{served.url}/_fakecampaign/health{query}", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.02)
    raise AssertionError(f"fakecampaign serve was not healthy within {START_TIMEOUT} s")


def refuses(url: str) -> bool:
    """True when nothing accepts a connection at ``url``'s host and port (the server there is gone)."""
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=5).close()
    except OSError:
        return True
    return False


def wait_until(condition: Callable[[], object], what: str, timeout: float = WAIT) -> None:
    """An explicit wait: poll ``condition`` until it is true, failing the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)
