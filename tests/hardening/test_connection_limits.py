"""Issue 8 items 5 and 9 (server side): request heads are size-limited (431/414) and must arrive in time
(408); idle connections are closed; what the HTTP parser refuses gets a JSON body, not uvicorn's plain text."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from fakecampaign.config import Settings
from fakecampaign.testing.server import LiveServer

HEALTH = b"GET /_fakecampaign/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    settings = Settings(header_read_timeout=0.5, keep_alive_timeout=1, max_header_bytes=8192)
    with LiveServer(settings) as live:
        yield live


def exchange(server: LiveServer, data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send ``data`` and read until the server closes: (status, headers, body)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        with contextlib.suppress(OSError):  # the server may close before a huge request is all sent
            sock.sendall(data)
        reply = _until_closed(sock)
    head, _, body = reply.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


def _until_closed(sock: socket.socket) -> bytes:
    data = b""
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            data += chunk
    return data


@pytest.mark.parametrize("size", [9000, 5_000_000])
def test_a_head_over_the_limit_is_431_and_closed(server: LiveServer, size: int) -> None:
    status, headers, body = exchange(server, HEALTH + b"X-Big: " + b"a" * size + b"\r\n\r\n")
    assert status == 431
    assert (headers["content-type"], headers["connection"]) == ("application/json", "close")
    assert json.loads(body) == {"message": "The request line and headers are larger than 8192 bytes (max_header_bytes)"}


def test_many_headers_add_up(server: LiveServer) -> None:
    many = b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 90) for i in range(100))
    assert exchange(server, HEALTH + many + b"\r\n")[0] == 431


def test_a_head_under_the_limit_is_served(server: LiveServer) -> None:
    status, _, body = exchange(server, HEALTH + b"X-Ok: " + b"a" * 7000 + b"\r\nConnection: close\r\n\r\n")
    assert (status, json.loads(body)) == (200, {"status": "ok"})


def test_a_100_kb_url_is_414_as_json(server: LiveServer) -> None:
    status, headers, body = exchange(server, b"GET /api/3/" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert status == 414
    assert json.loads(body) == {"message": "The URL is longer than 8192 bytes (max_header_bytes)"}
    assert headers["x-fakecampaign-error"]


@pytest.mark.parametrize(
    "request_line", [b"FOO /api/3/contacts HTTP/1.1", b"GET /a b c HTTP/1.1", b"\x00\x01 / HTTP/1.1"]
)
def test_what_the_parser_refuses_is_acs_400_as_json(server: LiveServer, request_line: bytes) -> None:
    status, headers, body = exchange(server, request_line + b"\r\nHost: 127.0.0.1\r\n\r\n")
    assert (status, headers["content-type"], json.loads(body)) == (400, "application/json", {})


def test_slowloris_heads_are_answered_408_and_closed_while_others_are_served(server: LiveServer) -> None:
    started = time.monotonic()
    stalled = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(30)]
    try:
        for sock in stalled:
            sock.sendall(HEALTH[:20])  # part of a request line, then nothing
        assert httpx.get(f"{server.url}/_fakecampaign/health", timeout=5).status_code == 200
        replies = [_until_closed(sock) for sock in stalled]  # explicit wait: each ends when the server closes it
    finally:
        for sock in stalled:
            sock.close()
    assert all(reply.startswith(b"HTTP/1.1 408 ") for reply in replies)
    assert time.monotonic() - started < 5  # 0.5 s deadline: all closed long before a client would give up


def test_an_idle_connection_is_closed_after_the_keep_alive_timeout(server: LiveServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as never_speaks:
        assert _until_closed(never_speaks) == b""  # explicit wait: returns when the server hangs up (1 s)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as after_one:
        after_one.sendall(HEALTH + b"\r\n")
        assert _until_closed(after_one).startswith(b"HTTP/1.1 200 ")
