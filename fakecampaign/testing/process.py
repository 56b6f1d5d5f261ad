"""The test session's server in a process of its own, started while pytest is still collecting.

The parent binds and listens on a loopback port, then hands the socket to the child: the URL is known at once
(xdist workers get it before the server has finished importing), and a request sent early waits in the
kernel's queue until the server accepts it, instead of being refused. The child serves an in-memory fake on the
documented defaults and exits when its parent goes away: it reads its stdin, which only the parent holds open,
so even a SIGKILLed pytest leaves no server behind. Only the standard library is imported here, so the plugin
stays light (README "Performance").
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import suppress
from typing import IO

from fakecampaign.testing.http11 import Connection

HOST = "127.0.0.1"
BACKLOG = 512  # the connections a whole -n N run may open before the server accepts its first one
READY_TIMEOUT = 60.0  # a first start on a busy 2-core machine can take seconds, never a minute
CHILD_MODULE = "fakecampaign.testing.child"


class ServerProcess:
    """``spawn()`` a fakecampaign process; ``url`` works at once, ``wait_ready()`` before relying on it."""

    def __init__(self, popen: subprocess.Popen[bytes], url: str, log: IO[bytes]) -> None:
        self.popen = popen
        self.url = url
        self._log = log

    @property
    def pid(self) -> int:
        return self.popen.pid

    @classmethod
    def spawn(cls, host: str = HOST) -> ServerProcess:
        sock, port = _listening(host)
        try:
            log = tempfile.TemporaryFile()  # noqa: SIM115  (kept open for the child's life; closed in stop())
            popen = subprocess.Popen(
                [sys.executable, "-m", CHILD_MODULE, str(sock.fileno())],
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=(sock.fileno(),),
                env=_child_env(),
            )
        finally:
            sock.close()  # the child's copy is the only one now: if it dies, connections are refused
        return cls(popen, f"http://{host}:{port}", log)

    @staticmethod
    def spawn_kept(idle: float, env: dict[str, str], log_path: str, host: str = HOST) -> tuple[str, int]:
        """A kept server (``reuse.py``): its own session, no pipe to this process, output to ``log_path``.

        Nothing of this process is left open in it: a CI job or a ``subprocess.run(capture_output=True)`` that
        started pytest is not kept waiting for the server's end. Returns its URL and pid; it is not this
        process's to reap (``posix_spawn``, not ``Popen``, whose object would warn that it is still running).
        """
        sock, port = _listening(host)
        try:
            os.set_inheritable(sock.fileno(), True)
            log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                pid = os.posix_spawn(
                    sys.executable,
                    [sys.executable, "-m", CHILD_MODULE, str(sock.fileno()), repr(idle)],
                    _child_env() | env,
                    file_actions=[
                        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                        (os.POSIX_SPAWN_DUP2, log, 1),
                        (os.POSIX_SPAWN_DUP2, log, 2),
                        *((os.POSIX_SPAWN_CLOSE, fd) for fd in _inherited_fds() if fd != sock.fileno()),
                    ],
                    setsid=True,  # not in the terminal's process group: Ctrl-C on a later run leaves it be
                )
            finally:
                os.close(log)
        finally:
            sock.close()
        return f"http://{host}:{port}", pid

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Block until the server answers /_fakecampaign/health; RuntimeError (with its output) if it died."""
        wait_healthy(self.url, timeout, died=self._died)

    def _died(self) -> str | None:
        if self.popen.poll() is None:
            return None
        self._log.seek(0)
        output = self._log.read().decode(errors="replace").strip()
        return f"exited with status {self.popen.returncode}" + (f":\n{output[-4000:]}" if output else "")

    def stop(self) -> None:
        """Kill it and reap it: the database is in memory, nothing is lost (a few ms, no graceful wait)."""
        if self.popen.poll() is None:
            self.popen.kill()
        self.popen.wait(timeout=10)
        if self.popen.stdin is not None:
            self.popen.stdin.close()
        self._log.close()


def _listening(host: str) -> tuple[socket.socket, int]:
    """A socket listening on a free port of ``host``, for a child to serve on; and that port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((host, 0))
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock, sock.getsockname()[1]


def _child_env() -> dict[str, str]:
    """The child runs on the documented defaults: FAKECAMPAIGN_* exported for `fakecampaign serve` (an admin
    token, a database file) are not for the session's own server."""
    return {k: v for k, v in os.environ.items() if not k.startswith("FAKECAMPAIGN_")}


def _inherited_fds() -> list[int]:
    """This process's descriptors above stderr that a spawned program would inherit (posix_spawn closes none).

    E.g. the write end of a pipe that whoever started pytest reads until EOF: a kept server holding it would
    keep them waiting for its idle exit. Listed from /proc/self/fd (Linux) or /dev/fd (macOS, BSD); descriptors
    opened by other threads in between are not covered (they are opened non-inheritable by Python anyway).
    """
    for listing in ("/proc/self/fd", "/dev/fd"):
        try:
            names = os.listdir(listing)
        except OSError:
            continue
        found = []
        for name in names:
            fd = int(name)
            with suppress(OSError):  # the listing's own descriptor, closed by now
                if fd > 2 and os.get_inheritable(fd):
                    found.append(fd)
        return found
    return []


def wait_healthy(url: str, timeout: float, *, died: Callable[[], str | None] = lambda: None) -> None:
    """Block until ``url`` answers 200 on /_fakecampaign/health, for at most ``timeout`` seconds."""
    host, _, port = url.removeprefix("http://").partition(":")
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise RuntimeError(f"fakecampaign at {url} did not become ready within {timeout:.0f} s")
        conn: Connection | None = None
        try:
            conn = Connection(host, int(port), timeout=left)
            if conn.exchange("GET", "/_fakecampaign/health", None, {}).status == 200:
                return
        except (OSError, ValueError):
            pass  # refused or reset: the process may have died, checked below
        finally:
            if conn is not None:
                conn.close()
        reason = died()
        if reason is not None:
            raise RuntimeError(f"fakecampaign session server {reason}")
        time.sleep(0.01)  # refused without dying: a server that closed its port; rare, retried until the deadline
