"""The engine's tests run on a server of their own: they move its clock forward, which the session's shared
server must not see."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from fakecampaign.config import Settings
from fakecampaign.testing.server import LiveServer
from tests.conftest import Account, new_account

FILE_EVENT = "file download request"
SEND_THE_FILE = {
    "name": "Send the file",
    "trigger": {"event": FILE_EVENT},
    "actions": [
        {
            "send_email": {
                "subject": "Your file",
                "body": "Hello %FIRSTNAME%!\n\nHere is your file link:\n\n%EVENT: file download request%",
            }
        }
    ],
}


@pytest.fixture(scope="module")
def engine_server() -> Iterator[LiveServer]:
    with LiveServer(Settings()) as server:
        yield server


@contextmanager
def made_account(server: LiveServer, **spec: Any) -> Iterator[Account]:
    """An account of its own on ``server``, removed (and its clients closed) when the block ends."""
    account = new_account(server.url, **spec)
    try:
        yield account
    finally:
        account.raw.delete(f"/_fakecampaign/accounts/{account.name}")
        account.api.close()
        account.raw.close()


@pytest.fixture
def acct(engine_server: LiveServer) -> Iterator[Account]:
    with made_account(engine_server) as account:
        yield account


def seed(account: Account, **data: Any) -> None:
    response = account.raw.post("/_fakecampaign/seed", params={"account": account.name}, json=data)
    assert response.status_code == 200, response.text


def outbox(account: Account) -> list[dict[str, Any]]:
    response = account.raw.get("/_fakecampaign/outbox", params={"account": account.name})
    assert response.status_code == 200, response.text
    emails: list[dict[str, Any]] = response.json()["emails"]
    return emails


def journal(account: Account, **params: str) -> list[dict[str, Any]]:
    response = account.raw.get("/_fakecampaign/automations/journal", params={"account": account.name, **params})
    assert response.status_code == 200, response.text
    entries: list[dict[str, Any]] = response.json()["entries"]
    return entries


def advance(account: Account, seconds: float) -> dict[str, Any]:
    response = account.raw.post("/_fakecampaign/clock/advance", json={"seconds": seconds})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def wait_for_webhooks(account: Account) -> list[dict[str, Any]]:
    response = account.raw.post("/_fakecampaign/webhooks/wait", params={"account": account.name, "timeout": 10})
    assert response.status_code == 200, response.text
    assert response.json()["complete"] is True
    deliveries: list[dict[str, Any]] = response.json()["deliveries"]
    return deliveries


@pytest.fixture
def other_account_on_engine(engine_server: LiveServer) -> Iterator[Account]:
    with made_account(engine_server) as account:
        yield account
