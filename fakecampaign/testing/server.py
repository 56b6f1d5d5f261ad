"""A real uvicorn server on a free loopback port, in a daemon thread: any HTTP client can reach it."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn
from fastapi import FastAPI

from fakecampaign.app import create_app
from fakecampaign.config import Settings
from fakecampaign.serving import uvicorn_config

START_TIMEOUT = 10.0


class _ThreadServer(uvicorn.Server):
    def install_signal_handlers(self) -> None:
        # Signal handlers can only be installed from the main thread; the test runner owns them.
        pass


class LiveServer:
    """``with LiveServer() as server: server.url`` serves a fresh fakecampaign until the block ends."""

    def __init__(
        self, settings: Settings | None = None, *, app: FastAPI | None = None, host: str = "127.0.0.1"
    ) -> None:
        self.app = app if app is not None else create_app(settings or Settings())
        self.host = host
        self.port = 0
        self._server: _ThreadServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> LiveServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, 0))
        self.port = sock.getsockname()[1]
        settings: Settings = getattr(self.app.state, "settings", None) or Settings.documented_defaults()
        config = uvicorn_config(self.app, settings, log_level="warning", access_log=False, lifespan="on")
        self._server = _ThreadServer(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        self._wait_started()
        return self

    def _wait_started(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while self._server is not None and not self._server.started:
            if time.monotonic() > deadline or not (self._thread and self._thread.is_alive()):
                raise RuntimeError("fakecampaign live server did not start")
            time.sleep(0.002)

    def stop(self, *, wait: bool = True) -> None:
        """Stop serving; ``wait=False`` only asks (uvicorn takes ~0.2 s to exit; the daemon thread ends alone)."""
        if self._server is not None:
            self._server.should_exit = True
        if wait and self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
