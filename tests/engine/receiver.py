"""A real HTTP server on a loopback port that records every POST, for webhook tests (no mocks)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qsl


@dataclass
class Received:
    path: str
    content_type: str
    body: bytes

    @property
    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode(), keep_blank_values=True))


@dataclass
class Receiver:
    """``with Receiver() as r: r.url`` -- answers ``status`` (per path: ``statuses``) to every POST."""

    status: int = 200
    statuses: dict[str, int] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    hang: threading.Event | None = None  # set: requests to /slow block until it is set

    def __post_init__(self) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if self.path == "/slow" and outer.hang is not None:
                    outer.hang.wait(10)
                outer.received.append(Received(self.path, self.headers.get("Content-Type", ""), body))
                self.send_response(outer.statuses.get(self.path, outer.status))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def forms(self, type_: str | None = None) -> list[dict[str, str]]:
        return [r.form for r in self.received if type_ is None or r.form.get("type") == type_]

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.hang is not None:
            self.hang.set()
        self._server.shutdown()
        self._server.server_close()
