"""Sending the hostile corpus: two live servers (open, and locked with an admin token and a seed directory),
a canary account whose data no case may change, and a raw-socket sender."""

from __future__ import annotations

import contextlib
import json
import socket
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from fakecampaign.config import Settings
from fakecampaign.testing.server import LiveServer
from tests.hostile.corpus import Case, corpus

ADMIN = "secret"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Target:
    open: LiveServer
    locked: LiveServer
    values: dict[str, str]  # the placeholders' values
    client: httpx.Client

    def server(self, case: Case) -> LiveServer:
        return self.locked if case.server == "locked" else self.open

    def canary(self) -> Any:
        """What the canary account holds that no hostile call may change."""
        state = self.client.get("/_fakecampaign/state", params={"account": "canary"}).json()
        return {key: state[key] for key in ("account", "contacts", "eventNames", "trackingLogs")}


@contextmanager
def target() -> Iterator[Target]:
    with (
        tempfile.TemporaryDirectory() as seeds,
        LiveServer(Settings()) as open_,
        LiveServer(Settings(admin_token=ADMIN, seed_dir=Path(seeds))) as locked,
        httpx.Client(base_url=open_.url, timeout=10, verify=False) as client,
    ):
        account = client.post("/_fakecampaign/accounts", json={"name": "canary"}).json()["account"]
        token = {"Api-Token": account["api_token"]}
        contact = client.post("/api/3/contacts", headers=token, json={"contact": {"email": "canary@example.com"}})
        client.post("/api/3/eventTrackingEvents", headers=token, json={"eventTrackingEvent": {"name": "kept"}})
        visit = json.dumps({"email": "canary@example.com"})
        client.post(
            "/event", data={"actid": account["actid"], "key": account["event_key"], "event": "kept", "visit": visit}
        )
        values = {
            "{TOKEN}": account["api_token"],
            "{ACTID}": account["actid"],
            "{KEY}": account["event_key"],
            "{CID}": contact.json()["contact"]["id"],
        }
        yield Target(open_, locked, values, client)


def send(target: Target, case: Case) -> Reply:
    server = target.server(case)
    values = {**target.values, "{HOST}": f"127.0.0.1:{server.port}"}
    if case.raw is not None:
        data = _fill_bytes(case.raw, values)
    else:
        headers = {name: _fill(value, values) for name, value in case.headers}
        headers.setdefault("Host", values["{HOST}"])
        if case.server == "locked" and case.kind not in ("bad-admin", "seed-path"):
            headers.setdefault("Authorization", f"Bearer {ADMIN}")
        body = _fill_bytes(case.body, values)
        if case.body or case.method in ("POST", "PUT"):
            headers.setdefault("Content-Length", str(len(body)))
        headers["Connection"] = "close"
        head = f"{case.method} {_fill(case.target, values)} HTTP/1.1\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        data = head.encode("latin-1", "replace") + b"\r\n" + body
    return _exchange(server.port, data)


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def _fill_bytes(data: bytes, values: dict[str, str]) -> bytes:
    for key, value in values.items():
        data = data.replace(key.encode(), value.encode())
    return data


def _exchange(port: int, data: bytes) -> Reply:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        with contextlib.suppress(OSError):  # the server may answer and close before a huge request is sent
            sock.sendall(data)
        reply = b""
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(65536):
                reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not lines[0].startswith("HTTP/1.1 "):
        raise AssertionError(f"no HTTP answer: {reply[:200]!r}")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
    return Reply(int(lines[0].split()[1]), headers, body)


def histogram() -> Counter[int]:
    """Run the whole corpus once; the status histogram (for the README and the lead's note)."""
    with target() as t:
        return Counter(send(t, case).status for case in corpus())


if __name__ == "__main__":
    counts = histogram()
    print(f"{sum(counts.values())} cases:", dict(sorted(counts.items())))
