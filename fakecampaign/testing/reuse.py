"""A session server kept across pytest runs, the way pytest-xprocess keeps its processes (README "Use in pytest").

The first run starts a server that outlives it; the next run finds it again through a state file named after a
fingerprint of the installed code and interpreter, checks that it is alive and is that very server (a secret token
from the state file, proven both ways, never sent), and leases it: the server then swaps in a fresh app (new
in-memory database, clock, faults, journals), so a run sees exactly what a newly started server would show, without
waiting ~1.5 s for the imports. The lease is one HTTP request whose answer never ends: it lasts while this process
holds the connection open, however the run ends. A server without a lease for ``IDLE`` seconds exits by itself.
When the server is leased by a concurrent run, this run starts a server of its own; when it is gone or is not the
server the state file names, a new kept server. Only the standard library is imported here.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import socket
import sys
import sysconfig
import tempfile
import time
import weakref
from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any

from fakecampaign.testing.http11 import Connection
from fakecampaign.testing.process import HOST, READY_TIMEOUT, ServerProcess

IDLE = 900.0  # seconds a kept server waits for the next run before it exits
FOUND_TIMEOUT = 10.0  # a kept server that is alive answers a lease in ~30 ms; beyond this it is treated as gone
REUSE_ENV = "FAKECAMPAIGN_REUSE"
# Set on CI: CI by GitHub Actions, GitLab, CircleCI, Travis, Buildkite and most others; the rest by Jenkins,
# Azure Pipelines and TeamCity, which do not set CI.
CI_ENV = ("CI", "JENKINS_URL", "TF_BUILD", "TEAMCITY_VERSION")
DIR_ENV = "XDG_RUNTIME_DIR"  # per-user runtime directory, when the system provides one
PACKAGE = Path(__file__).resolve().parent.parent  # fakecampaign/
STATE_PREFIX = "server-"
CRLF = b"\r\n"
PROTOCOL = "2"  # bump when the lease protocol changes (2: the token is proven, never sent)
TOKEN_ENV = "FAKECAMPAIGN_SESSION_TOKEN"  # the kept server's secret: in its environment, not on its command line
FINGERPRINT_ENV = "FAKECAMPAIGN_SESSION_FINGERPRINT"
STATE_ENV = "FAKECAMPAIGN_SESSION_STATE"  # the kept server's state file: it removes it when it exits idle
LEASE_PATH = "/_fakecampaign/plugin-session"  # GET: lease (a fresh app; held while the connection is open)
STOP_PATH = "/_fakecampaign/plugin-session/stop"  # POST: exit now


def proof(token: str, purpose: str, nonce: str) -> str:
    """Proof of knowing ``token`` for one request (``purpose``: "lease", "stop", "server") with the asker's
    ``nonce``. The token itself never goes on the wire: whatever listens on a recorded port (another program may
    have taken it since the kept server exited) learns nothing it could reuse, and cannot pass for the server."""
    return hmac.new(token.encode(), f"{purpose}\0{nonce}".encode(), hashlib.sha256).hexdigest()


def proven(token: str, purpose: str, nonce: str, given: object) -> bool:
    return isinstance(given, str) and bool(nonce) and hmac.compare_digest(given, proof(token, purpose, nonce))


class LeaseRefused(Exception):
    """The kept server did not grant the lease (gone, another server, or leased by another run: ``busy``)."""

    def __init__(self, message: str, *, busy: bool = False) -> None:
        super().__init__(message)
        self.busy = busy


def wanted(value: str | None, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether runs keep their server: ``yes``/``no`` as given, ``auto`` (the default): yes, except on CI.

    CI jobs start from nothing and end with the job, so a kept server would buy them nothing and outlive its job
    (Testcontainers' reuse is off in CI for the same reason); on a developer's machine the next run is seconds away.
    """
    choice = (value or "auto").strip().lower()
    if choice in ("1", "yes", "true", "on"):
        return True
    if choice in ("0", "no", "false", "off"):
        return False
    return not any(environ.get(name, "").strip().lower() not in ("", "0", "false", "no") for name in CI_ENV)


def state_dir() -> Path | None:
    """This user's directory for state files (created 0700), or None when it is not safely ours."""
    runtime = os.environ.get(DIR_ENV, "").strip()
    path = Path(runtime) / "fakecampaign" if runtime else Path(tempfile.gettempdir()) / f"fakecampaign-{os.getuid()}"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.stat()
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o077:  # another user's, or writable by others
        return None
    return path


def fingerprint() -> str:
    """What the server would run: this interpreter, fakecampaign's files (path, size, mtime) and the installed
    packages (the site-packages directories' mtimes change on every install or upgrade). ~2 ms."""
    digest = hashlib.sha256()
    digest.update(f"{PROTOCOL}\0{sys.executable}\0{sys.version}\0{os.environ.get('PYTHONPATH', '')}".encode())
    for key in ("purelib", "platlib"):
        with suppress(KeyError, OSError):
            lib = sysconfig.get_paths()[key]
            digest.update(f"\0{lib}\0{os.stat(lib).st_mtime_ns}".encode())
    for root, dirs, files in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(root, name)
            with suppress(OSError):
                info = os.stat(path)
                digest.update(f"\0{path}\0{info.st_size}\0{info.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


class KeptServer:
    """A lease on a kept server; ``url`` and ``wait_ready()``/``stop()`` like ``ServerProcess``.

    ``found()`` sends the lease request and returns at once: the answer is read by ``wait_ready()``, while pytest
    goes on collecting. ``started()`` spawns a new kept server and queues the lease request before it even
    listens, so the answer doubles as its readiness. If a found server is leased by another run, ``wait_ready()``
    falls back to a server of this run's own (``ServerProcess``: it dies with the run); if it refuses for any
    other reason (gone, another program on its port, not the server the state file names), to a new kept
    server, recorded in the state file for the next runs.
    """

    def __init__(
        self,
        url: str,
        token: str,
        key: str,
        *,
        timeout: float,
        log: Path | None = None,
        directory: Path | None = None,
        pid: int | None = None,
        idle: float = IDLE,
    ) -> None:
        self._url = url
        self._key = key
        self._token = token
        self._nonce = secrets.token_urlsafe(16)  # the server's answer proves the token for this very request
        self._directory = directory  # a found server's state directory: where its replacement is recorded
        self._pid = pid  # a found server's pid, as its state file has it
        self._idle = idle
        self._timeout = timeout
        self._log = log  # a server this run started: its output, for the error when it dies
        self._sock: socket.socket | None = None
        self._fallback: ServerProcess | KeptServer | None = None
        self.reused = log is None
        self.info: dict[str, Any] = {}
        self._settled = False
        self._deadline = time.monotonic() + timeout
        self._sock = self._request()
        _HOLDERS.add(self)

    @property
    def url(self) -> str:
        """The server's URL; for a found server, once its lease is settled (it may be a fallback's)."""
        if self.reused:
            self._settle()
        return self._fallback.url if self._fallback is not None else self._url

    @property
    def pid(self) -> int | None:
        pid = self.info.get("pid")
        return pid if isinstance(pid, int) else None

    def _request(self) -> socket.socket:
        host, _, port = self._url.removeprefix("http://").partition(":")
        sock = socket.create_connection((host, int(port)), timeout=self._timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        query = f"nonce={self._nonce}&proof={proof(self._token, 'lease', self._nonce)}"
        sock.sendall(f"GET {LEASE_PATH}?{query} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        return sock

    def wait_ready(self, timeout: float | None = None) -> None:
        """Read the lease's answer: the server is ready, fresh and this run's until ``stop()``."""
        self._settle(timeout)
        if self._fallback is not None:
            self._fallback.wait_ready()

    def _settle(self, timeout: float | None = None) -> None:
        """Read the lease's answer once; a found server that refuses is replaced (spawned, not waited for: its
        URL is known at once): by one of this run's own while another run holds it, else by a new kept server.

        Without the new kept server, a state file naming a port some other program took after the kept server
        exited would turn reuse off for good: every later run would be refused (or wait ``FOUND_TIMEOUT`` for a
        listener that never answers) and start a server of its own.
        """
        if self._settled:
            return
        try:
            self.info = self._read_lease(timeout)
        except (LeaseRefused, OSError) as error:
            self.stop()
            if not self.reused:
                raise RuntimeError(f"fakecampaign session server did not start: {error}{self._output()}") from None
            busy = isinstance(error, LeaseRefused) and error.busy
            if busy or self._directory is None:
                self._fallback = ServerProcess.spawn()  # the kept one is not to be had: one of this run's own
            else:
                self._fallback = KeptServer.started(self._directory, self._key, self._idle)
        self._settled = True

    def _read_lease(self, timeout: float | None) -> dict[str, Any]:
        if self._sock is None:
            raise LeaseRefused("the lease was given up")
        self._sock.settimeout(max(0.01, self._deadline - time.monotonic()) if timeout is None else timeout)
        data = b""
        while True:  # the head, then the first chunk's line: "<size>\r\n{...}\n" (the answer goes on)
            chunk = self._sock.recv(4096)
            if not chunk:
                raise LeaseRefused("the server closed the connection")
            data += chunk
            head, found, rest = data.partition(b"\r\n\r\n")
            if found and not head.startswith(b"HTTP/1.1 200 "):  # refused, or not a kept server at all
                status_line = head.split(CRLF, 1)[0].decode(errors="replace")
                raise LeaseRefused(f"lease answered {status_line!r}", busy=head.startswith(b"HTTP/1.1 409 "))
            if found and b"\n" in rest.partition(b"\r\n")[2]:
                break
        try:
            info: dict[str, Any] = json.loads(rest.partition(b"\r\n")[2].partition(b"\n")[0])
        except ValueError:
            raise LeaseRefused("the lease's answer is not JSON") from None
        if not isinstance(info, dict) or info.get("fingerprint") != self._key:
            raise LeaseRefused(f"the server runs other code ({info!r})")
        if not proven(self._token, "server", self._nonce, info.get("proof")):
            raise LeaseRefused("the server does not prove the state file's token (another program on its port?)")
        if self._pid is not None and info.get("pid") != self._pid:
            raise LeaseRefused(f"the server is not the one the state file names (pid {self._pid}: {info!r})")
        return info

    def _output(self) -> str:
        if self._log is None:
            return ""
        with suppress(OSError):
            text = self._log.read_text(errors="replace").strip()
            return f":\n{text[-4000:]}" if text else ""
        return ""

    def stop(self) -> None:
        """End the lease (the server stays, for the next run); a fallback server of this run's own is killed."""
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self._fallback is not None:
            self._fallback.stop()

    @classmethod
    def found(cls, directory: Path, key: str, idle: float = IDLE) -> KeptServer | None:
        """A lease request to the server the state file names; None without a state file or a live port."""
        try:
            state = json.loads((directory / f"{STATE_PREFIX}{key}.json").read_text())
            pid = state.get("pid")
            return cls(
                state["url"],
                state["token"],
                key,
                timeout=FOUND_TIMEOUT,
                directory=directory,
                pid=pid if isinstance(pid, int) else None,
                idle=idle,
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    @classmethod
    def started(cls, directory: Path, key: str, idle: float = IDLE) -> KeptServer:
        """Spawn a kept server, record it in the state file, and queue this run's lease request.

        Kept servers of this same installation that run older code are stopped first (unless a run holds
        them): no run will lease them again, and each edit of the code would otherwise leave one behind.
        """
        install = install_key()
        for state in directory.glob(f"{STATE_PREFIX}*.json"):
            with suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
                other = json.loads(state.read_text())
                if other.get("install") == install and state.name != f"{STATE_PREFIX}{key}.json":
                    _stop(other["url"], other["token"], state, idle_only=True)
        token = secrets.token_urlsafe(24)
        log = directory / f"{STATE_PREFIX}{key}.log"
        state = directory / f"{STATE_PREFIX}{key}.json"
        env = {TOKEN_ENV: token, FINGERPRINT_ENV: key, STATE_ENV: str(state)}
        url, pid = ServerProcess.spawn_kept(idle, env, str(log))
        partial = state.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump({"url": url, "token": token, "pid": pid, "fingerprint": key, "install": install}, out)
        os.replace(partial, state)  # whole or not at all, for a run that reads it now
        return cls(url, token, key, timeout=READY_TIMEOUT, log=log)


_HOLDERS: weakref.WeakSet[KeptServer] = weakref.WeakSet()  # leases this process holds


def _forget_leases_in_child() -> None:
    """In a forked child (a test that forks, multiprocessing's fork start), close the copies of the leases'
    sockets: the lease lasts while any copy is open, so a child outliving the run would keep the server leased,
    and every later run would be refused it. Only this copy closes; the parent's lease is untouched. The child
    never settles or replaces a lease either: that is the parent's."""
    for kept in list(_HOLDERS):
        if kept._sock is not None:
            kept._sock.close()
            kept._sock = None
        kept._settled = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_leases_in_child)


def acquire(idle: float = IDLE) -> KeptServer | None:
    """The kept server for this code (found, or started now); None when there is no state directory."""
    directory = state_dir()
    if directory is None:
        return None
    key = fingerprint()
    return KeptServer.found(directory, key, idle) or KeptServer.started(directory, key, idle)


def stop_all() -> list[str]:
    """Stop every kept server of this user (any fingerprint) and remove their state files; the URLs stopped."""
    directory = state_dir()
    stopped: list[str] = []
    if directory is None:
        return stopped
    for state in sorted(directory.glob(f"{STATE_PREFIX}*.json")):
        try:
            found = json.loads(state.read_text())
            url, token = str(found["url"]), str(found["token"])
        except (OSError, ValueError, KeyError, TypeError):
            url = token = ""
        if _stop(url, token, state, idle_only=False):
            stopped.append(url)
    return stopped


def install_key() -> str:
    """This interpreter, PYTHONPATH and copy of fakecampaign, whatever their code: kept servers of older code
    share it."""
    setup = f"{sys.executable}\0{os.environ.get('PYTHONPATH', '')}\0{PACKAGE}"
    return hashlib.sha256(setup.encode()).hexdigest()[:16]


def _stop(url: str, token: str, state: Path, *, idle_only: bool) -> bool:
    """Ask the kept server at ``url`` to exit (``idle_only``: unless a run holds it) and forget its state file;
    whether it agreed. A server that is gone already only has its files removed."""
    status = 0
    with suppress(OSError, ValueError):
        host, _, port = url.removeprefix("http://").partition(":")
        conn = Connection(host, int(port), timeout=5)
        try:
            nonce = secrets.token_urlsafe(16)
            query = f"nonce={nonce}&proof={proof(token, 'stop', nonce)}" + ("&idle=1" if idle_only else "")
            status = conn.exchange("POST", f"{STOP_PATH}?{query}", None, {}).status
        finally:
            conn.close()
    if status == 409:  # in use by a run: left alone
        return False
    with suppress(OSError):
        state.unlink()
    with suppress(OSError):
        state.with_suffix(".log").unlink()
    return status == 200


__all__ = [
    "HOST",
    "IDLE",
    "KeptServer",
    "LeaseRefused",
    "acquire",
    "fingerprint",
    "proof",
    "proven",
    "state_dir",
    "stop_all",
    "wanted",
]
