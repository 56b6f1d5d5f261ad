"""A minimal HTTP/1.1 client connection on a plain socket, for the fixture's two calls per test.

``http.client`` spends about as long parsing a reply's headers (through the ``email`` package) as fakecampaign
spends answering a control call. This writes a request in one ``sendall`` and reads back the status line, the
headers and a Content-Length, chunked or read-to-close body: nothing else.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from dataclasses import dataclass

CRLF = b"\r\n"
READ = 65536
NO_BODY = frozenset({204, 304})


class ServerClosed(ConnectionError):
    """The server closed the connection before answering (a kept-alive connection it had timed out)."""


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    will_close: bool


class Connection:
    """One HTTP/1.1 connection; ``exchange`` sends a request and returns the whole response."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self._host = f"{host}:{port}"
        self._sock = socket.create_connection((host, port), timeout=timeout)
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._buf = bytearray()

    def exchange(self, method: str, target: str, body: bytes | None, headers: Mapping[str, str]) -> Response:
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self._host}", *(f"{k}: {v}" for k, v in headers.items())]
        if body is not None or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body or b'')}")
        if any("\r" in line or "\n" in line for line in lines):
            raise ValueError(f"line break in a request header or target: {lines!r}")
        self._sock.sendall("\r\n".join(lines).encode("latin-1") + CRLF + CRLF + (body or b""))
        status, fields = self._head()
        data = b"" if method == "HEAD" or status in NO_BODY or status < 200 else self._body(fields)
        return Response(status, fields, data, fields.get("connection", "").lower() == "close")

    def _head(self) -> tuple[int, dict[str, str]]:
        end = self._buf.find(CRLF + CRLF)
        while end < 0:
            self._fill(first=not self._buf)
            end = self._buf.find(CRLF + CRLF)
        status_line, *rest = bytes(self._buf[:end]).decode("latin-1").split("\r\n")
        del self._buf[: end + 4]
        fields = {}
        for line in rest:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
        return int(status_line.split(" ", 2)[1]), fields

    def _body(self, fields: dict[str, str]) -> bytes:
        if "chunked" in fields.get("transfer-encoding", "").lower():
            return self._chunked()
        if "content-length" in fields:
            return self._take(int(fields["content-length"]))
        while True:  # no length given: the body runs until the server closes
            chunk = self._sock.recv(READ)
            if not chunk:
                return self._take(len(self._buf))
            self._buf += chunk

    def _chunked(self) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int(self._line().split(b";")[0], 16)
            if size == 0:
                while self._line():  # trailers, up to the empty line
                    pass
                return b"".join(parts)
            parts.append(self._take(size))
            self._take(2)

    def _line(self) -> bytes:
        end = self._buf.find(CRLF)
        while end < 0:
            self._fill()
            end = self._buf.find(CRLF)
        line = bytes(self._buf[:end])
        del self._buf[: end + 2]
        return line

    def _take(self, size: int) -> bytes:
        while len(self._buf) < size:
            self._fill()
        data = bytes(self._buf[:size])
        del self._buf[:size]
        return data

    def _fill(self, *, first: bool = False) -> None:
        chunk = self._sock.recv(READ)
        if not chunk and first:
            raise ServerClosed("the server closed the connection before answering")
        if not chunk:
            raise ConnectionAbortedError("the server closed the connection in the middle of its answer")
        self._buf += chunk

    def close(self) -> None:
        self._sock.close()
