"""One kept-alive connection for the plugin's own calls (control plane and helpers), safe to share.

Each test pays for two control calls (create and delete its account) to a server in a thread of the same
process. Measured in-process on a loaded 2-core box, create + delete cost 6.0 ms through httpx, 3.0 ms through
``http.client`` and 2.4 ms through ``http11.Connection``, which is what keeps the fixture within its 2 ms budget.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from fakecampaign.testing.http11 import Connection, Response, ServerClosed

ERROR_HEADER = "x-fakecampaign-error"
# A kept-alive connection the server has closed fails on first use; the request is then sent again, once.
# (http.client's RemoteDisconnected, for https, is a ConnectionResetError: http.client is only imported for https,
# as it costs 10-30 ms through the email package, paid by every pytest process and xdist worker.)
STALE = (ServerClosed, ConnectionResetError, BrokenPipeError)


class _Secure:
    """https (an external server behind TLS) through http.client, with ``Connection``'s interface."""

    def __init__(self, host: str, port: int | None, timeout: float) -> None:
        import http.client

        self._conn = http.client.HTTPSConnection(host, port, timeout=timeout)

    def exchange(self, method: str, target: str, body: bytes | None, headers: Mapping[str, str]) -> Response:
        self._conn.request(method, target, body=body, headers=dict(headers))
        response = self._conn.getresponse()
        data = response.read()
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, data, response.will_close)

    def close(self) -> None:
        self._conn.close()


@dataclass(frozen=True, slots=True)
class Reply:
    method: str
    url: str
    status: int
    body: bytes
    hint: str | None  # the server's X-Fakecampaign-Error header

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class Wire:
    """``request(method, path, ...)`` against one server over one connection, safe to share between threads."""

    def __init__(self, url: str, *, headers: Mapping[str, str] | None = None, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.url = url.rstrip("/")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._prefix = parts.path.rstrip("/")
        self._headers = dict(headers or {})
        self._timeout = timeout
        self._conn: Connection | _Secure | None = None
        self._lock = threading.Lock()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """Send one request (``path`` from the server's root); ``params`` are encoded into the query string."""
        target = self._prefix + path + (f"?{urlencode(params)}" if params else "")
        headers = {**self._headers, **(headers or {})}
        body = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        with self._lock:
            status, data, hint = self._send(method, target, body, headers)
        return Reply(method, self.url + path, status, data, hint)

    def _send(
        self, method: str, target: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes, str | None]:
        reused = self._conn is not None
        try:
            return self._exchange(method, target, body, headers)
        except STALE:
            if not reused:
                raise
            return self._exchange(method, target, body, headers)  # on a new connection

    def _exchange(
        self, method: str, target: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes, str | None]:
        conn = self._conn or self._connect()
        try:
            response = conn.exchange(method, target, body, headers)
        except BaseException:
            self.close()
            raise
        if response.will_close:
            self.close()
        return response.status, response.body, response.headers.get(ERROR_HEADER)

    def _connect(self) -> Connection | _Secure:
        if self._https:
            self._conn = _Secure(self._host, self._port, self._timeout)
        else:
            self._conn = Connection(self._host, self._port or 80, self._timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
