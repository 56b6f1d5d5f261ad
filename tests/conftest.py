"""Shared fixtures for fakecampaign's own tests: one live server per session, one fresh account per test."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from fakecampaign.config import Settings
from fakecampaign.testing.server import LiveServer


def pytest_configure(config: pytest.Config) -> None:
    # fakecampaign's own tests run on the documented defaults, whatever FAKECAMPAIGN_* the shell exports
    # (an exported admin token would otherwise lock every control-plane test out).
    for name in [name for name in os.environ if name.startswith("FAKECAMPAIGN_")]:
        del os.environ[name]
    # The pytest runs these tests start (pytester) keep no server for later runs, unless a test asks for it
    # (tests/test_session_reuse.py, with a state directory of its own).
    os.environ["FAKECAMPAIGN_REUSE"] = "no"


@pytest.fixture(scope="session")
def live() -> Iterator[LiveServer]:
    with LiveServer(Settings()) as server:
        yield server


@dataclass
class Account:
    """A test's own account on the live server, with clients for both of AC's hosts."""

    name: str
    api_token: str
    actid: str
    event_key: str
    api: httpx.Client  # v3 API, Api-Token set
    raw: httpx.Client  # same host, no credentials

    def create_contact(self, email: str, **fields: Any) -> dict[str, Any]:
        response = self.api.post("/api/3/contacts", json={"contact": {"email": email, **fields}})
        assert response.status_code == 201, response.text
        contact: dict[str, Any] = response.json()["contact"]
        return contact

    def track(self, email: str | None, event: str | None, eventdata: str | None = None, **overrides: Any) -> Any:
        form: dict[str, Any] = {"actid": self.actid, "key": self.event_key, "event": event, "eventdata": eventdata}
        if email is not None:
            form["visit"] = json.dumps({"email": email})
        form.update(overrides)
        return self.raw.post("/event", data={k: v for k, v in form.items() if v is not None})

    def journal(self) -> list[dict[str, Any]]:
        response = self.raw.get("/_fakecampaign/events", params={"account": self.name})
        assert response.status_code == 200, response.text
        events: list[dict[str, Any]] = response.json()["events"]
        return events


def new_account(server_url: str, **spec: Any) -> Account:
    raw = httpx.Client(base_url=server_url, timeout=10, verify=False)  # plain http: skip loading CA certs (~0.15 s)
    response = raw.post("/_fakecampaign/accounts", json=spec)
    assert response.status_code == 201, response.text
    creds = response.json()["account"]
    api = httpx.Client(base_url=server_url, headers={"Api-Token": creds["api_token"]}, timeout=10, verify=False)
    return Account(creds["name"], creds["api_token"], creds["actid"], creds["event_key"], api, raw)


@pytest.fixture
def account(live: LiveServer) -> Iterator[Account]:
    acct = new_account(live.url)
    yield acct
    acct.raw.delete(f"/_fakecampaign/accounts/{acct.name}")
    acct.api.close()
    acct.raw.close()


@pytest.fixture
def other_account(live: LiveServer) -> Iterator[Account]:
    acct = new_account(live.url)
    yield acct
    acct.raw.delete(f"/_fakecampaign/accounts/{acct.name}")
    acct.api.close()
    acct.raw.close()
