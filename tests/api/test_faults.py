"""Fault rules through the control plane: status with AC's bodies, latency, connection reset, hang; matching by
method, path glob and account; times and seeded probability; listing and clearing; the journal names the rule.

A real uvicorn in a thread (LiveServer), so resets and hangs reach a real socket.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from fakecampaign.config import Settings
from fakecampaign.testing.server import LiveServer
from tests.conftest import Account, new_account

FAULTS = "/_fakecampaign/faults"
CONTACTS = "/api/3/contacts"


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with LiveServer(Settings()) as live:
        yield live


def _account(server: LiveServer) -> Iterator[Account]:
    account = new_account(server.url)
    yield account
    account.raw.delete(FAULTS)  # rules for every account, too: each test starts with none
    account.raw.delete(f"/_fakecampaign/accounts/{account.name}")
    account.api.close()
    account.raw.close()


@pytest.fixture
def acct(server: LiveServer) -> Iterator[Account]:
    yield from _account(server)


@pytest.fixture
def other(server: LiveServer) -> Iterator[Account]:
    yield from _account(server)


def add(account: Account, expect: int = 201, **rule: Any) -> dict[str, Any]:
    response = account.raw.post(FAULTS, json={"account": account.name, **rule})
    assert response.status_code == expect, response.text
    body: dict[str, Any] = response.json()
    return body["fault"] if expect == 201 else body


def calls(account: Account) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = account.raw.get("/_fakecampaign/requests", params={"account": account.name}).json()[
        "requests"
    ]
    return found


# --- status -------------------------------------------------------------------------------------------------------


def test_status_for_the_next_call_then_the_real_answer(acct: Account) -> None:
    rule = add(acct, path=CONTACTS, status=503, times=1)
    assert rule == {
        "id": rule["id"],
        "account": acct.name,
        "method": None,
        "path": CONTACTS,
        "effect": "status",
        "status": 503,
        "body": None,
        "headers": {},
        "latency_ms": None,
        "hang_seconds": None,
        "times": 1,
        "remaining": 1,
        "probability": 1.0,
        "seed": 0,
        "hits": 0,
    }
    first, second = acct.api.get(CONTACTS), acct.api.get(CONTACTS)
    assert (first.status_code, first.json()) == (503, {"message": "Service Unavailable"})  # G101
    assert first.headers["content-type"] == "application/json"
    assert second.status_code == 200
    assert "contacts" in second.json()
    assert [(c["status"], c["fault"]) for c in calls(acct)] == [(503, rule["id"]), (200, None)]
    listed = acct.raw.get(f"{FAULTS}/{rule['id']}").json()["fault"]
    assert (listed["hits"], listed["remaining"]) == (1, 0)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, {"message": "Internal Server Error"}),
        (502, {"message": "Bad Gateway"}),
        (403, {"message": "Forbidden"}),
        (400, {}),
        (
            422,
            {
                "errors": [
                    {
                        "title": "Unprocessable Entity",
                        "detail": "",
                        "code": "invalid",
                        "source": {"pointer": "/data/attributes"},
                    }
                ]
            },
        ),
        (429, {"message": "Too Many Requests"}),
    ],
)
def test_default_bodies_are_acs_envelopes(acct: Account, status: int, body: dict[str, Any]) -> None:
    add(acct, path=CONTACTS, status=status)
    response = acct.api.get(CONTACTS)
    assert (response.status_code, response.json()) == (status, body)


def test_an_injected_429_says_retry_after_unless_the_rule_does(acct: Account) -> None:
    add(acct, path=CONTACTS, status=429, times=1)
    add(acct, path=CONTACTS, status=429, times=1, headers={"Retry-After": "7"})
    assert acct.api.get(CONTACTS).headers["retry-after"] == "1"
    assert acct.api.get(CONTACTS).headers["retry-after"] == "7"


def test_event_faults_answer_in_trackcmps_envelope(acct: Account) -> None:
    rule = acct.raw.post(FAULTS, json={"path": "/event", "status": 503}).json()["fault"]  # every account's
    response = acct.track("a@example.com", "login")
    assert (response.status_code, response.json()) == (503, {"success": 0, "message": "Service Unavailable"})
    [call] = calls(acct)
    assert (call["path"], call["status"], call["fault"]) == ("/event", 503, rule["id"])


def test_event_faults_for_one_account_read_its_actid_from_body_or_query(acct: Account, other: Account) -> None:
    add(acct, path="/event", status=500)
    assert acct.track("a@example.com", "login").status_code == 500
    assert other.track("a@example.com", "login").status_code == 200
    in_query = acct.raw.post("/event", params={"actid": acct.actid, "key": acct.event_key, "event": "x"})
    assert in_query.status_code == 500
    assert acct.raw.post("/event", data={"actid": "000000000"}).status_code == 200  # no such account


def test_custom_body_and_headers(acct: Account) -> None:
    add(acct, path=CONTACTS, status=500, body={"oops": [1, "two"]}, headers={"X-Upstream": "lb-3"})
    response = acct.api.get(CONTACTS)
    assert (response.status_code, response.json(), response.headers["x-upstream"]) == (
        500,
        {"oops": [1, "two"]},
        "lb-3",
    )


# --- matching -----------------------------------------------------------------------------------------------------


def test_method_and_path_glob_must_both_match(acct: Account) -> None:
    acct.create_contact("a@example.com")
    add(acct, method="put", path="/api/3/contacts/*", status=500)
    assert acct.api.get(f"{CONTACTS}/1").status_code in (200, 404)  # GET: not matched
    assert acct.api.put(CONTACTS, json={}).status_code != 500  # /contacts itself: not matched by /contacts/*
    assert acct.api.put(f"{CONTACTS}/1", json={"contact": {}}).status_code == 500


def test_a_rule_for_one_account_leaves_the_others_alone(acct: Account, other: Account) -> None:
    add(acct, status=500)
    assert acct.api.get(CONTACTS).status_code == 500
    assert other.api.get(CONTACTS).status_code == 200


def test_a_rule_without_account_hits_every_account_but_never_the_control_plane(acct: Account, other: Account) -> None:
    response = acct.raw.post(FAULTS, json={"status": 500})
    assert response.status_code == 201
    assert response.json()["fault"]["account"] is None
    assert acct.api.get(CONTACTS).status_code == 500
    assert other.api.get(CONTACTS).status_code == 500
    assert acct.raw.get("/_fakecampaign/health").status_code == 200
    assert acct.raw.get("/_fakecampaign/state", params={"account": acct.name}).status_code == 200


def test_rules_are_tried_oldest_first(acct: Account) -> None:
    add(acct, status=502, times=1)
    add(acct, status=503, times=1)
    assert [acct.api.get(CONTACTS).status_code for _ in range(3)] == [502, 503, 200]


def test_probability_repeats_under_its_seed(acct: Account) -> None:
    def run() -> list[int]:
        add(acct, path=CONTACTS, status=500, probability=0.5, seed=42)
        statuses = [acct.api.get(CONTACTS).status_code for _ in range(16)]
        acct.raw.delete(FAULTS, params={"account": acct.name})
        return statuses

    first = run()
    assert first == run()
    assert set(first) == {200, 500}


# --- latency, reset, hang -----------------------------------------------------------------------------------------


def test_fixed_latency_delays_the_real_answer(acct: Account) -> None:
    add(acct, path=CONTACTS, latency_ms=200, times=1)
    start = time.monotonic()
    response = acct.api.get(CONTACTS)
    assert time.monotonic() - start >= 0.2
    assert response.status_code == 200
    assert calls(acct)[0]["status"] == 200


def test_latency_range_then_status(acct: Account) -> None:
    rule = add(acct, path=CONTACTS, latency_ms=[100, 150], status=504)
    assert rule["latency_ms"] == [100, 150]
    start = time.monotonic()
    assert acct.api.get(CONTACTS).status_code == 504
    assert time.monotonic() - start >= 0.1


def raw_get(server: LiveServer, account: Account, timeout: float = 5) -> bytes:
    """A GET on a socket of its own: every byte the server sends, up to its close (raises on a reset)."""
    host, port = server.host, server.port
    with socket.create_connection((host, port), timeout=timeout) as sock:
        request = f"GET {CONTACTS} HTTP/1.1\r\nHost: {host}\r\nApi-Token: {account.api_token}\r\n\r\n"
        sock.sendall(request.encode())
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
            if b"\r\n\r\n" in received:
                break
        return received


def test_reset_drops_the_connection_without_an_answer(acct: Account, server: LiveServer) -> None:
    rule = add(acct, path=CONTACTS, reset=True, times=1)
    with pytest.raises(ConnectionResetError):
        raw_get(server, acct)
    assert raw_get(server, acct).startswith(b"HTTP/1.1 200 ")
    assert [(c["status"], c["fault"]) for c in calls(acct)] == [(0, rule["id"]), (200, None)]


def test_reset_is_a_transport_error_for_an_http_client(acct: Account) -> None:
    add(acct, path=CONTACTS, reset=True, times=1)
    with pytest.raises(Exception) as caught:  # noqa: PT011 - httpx.ReadError, httpcore's when pytester reloaded it
        acct.api.get(CONTACTS)
    assert type(caught.value).__name__ in ("ReadError", "RemoteProtocolError")
    assert acct.api.get(CONTACTS).status_code == 200


def test_hang_answers_nothing_then_closes(acct: Account, server: LiveServer) -> None:
    add(acct, path=CONTACTS, hang_seconds=0.2, times=1)
    start = time.monotonic()
    assert raw_get(server, acct) == b""  # closed without a byte
    assert time.monotonic() - start >= 0.2


def test_hang_ends_when_the_client_gives_up(acct: Account, server: LiveServer) -> None:
    add(acct, path=CONTACTS, hang_seconds=300, times=1)
    with pytest.raises(TimeoutError):
        raw_get(server, acct, timeout=0.3)  # the client gives up and closes its socket
    deadline = time.monotonic() + 5  # an explicit wait: the journal entry lands when the hang ends
    while not calls(acct) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [c["status"] for c in calls(acct)] == [0]
    assert acct.api.get(CONTACTS).status_code == 200  # the server was never blocked


# --- listing, clearing, bad rules ---------------------------------------------------------------------------------


def test_list_per_account_or_all_and_clear_per_account_or_all(acct: Account, other: Account) -> None:
    mine = add(acct, status=500)
    theirs = add(other, status=500)
    everyone = acct.raw.post(FAULTS, json={"status": 503}).json()["fault"]

    assert [f["id"] for f in acct.raw.get(FAULTS).json()["faults"]] == [mine["id"], theirs["id"], everyone["id"]]
    assert [f["id"] for f in acct.raw.get(FAULTS, params={"account": acct.name}).json()["faults"]] == [mine["id"]]

    assert acct.raw.delete(FAULTS, params={"account": acct.name}).json() == {"deleted": 1}
    assert acct.raw.delete(f"{FAULTS}/{everyone['id']}").status_code == 204
    assert [f["id"] for f in acct.raw.get(FAULTS).json()["faults"]] == [theirs["id"]]
    assert acct.raw.delete(FAULTS).json() == {"deleted": 1}
    assert acct.raw.get(FAULTS).json() == {"faults": []}


def test_unknown_rule_id_is_a_404(acct: Account) -> None:
    for response in (acct.raw.get(f"{FAULTS}/fault-0"), acct.raw.delete(f"{FAULTS}/fault-0")):
        assert (response.status_code, response.json()) == (
            404,
            {"message": "No Result found for Fault with id fault-0"},
        )


def test_deleting_an_account_removes_its_rules(server: LiveServer) -> None:
    account = new_account(server.url)
    add(account, status=500)
    account.raw.delete(f"/_fakecampaign/accounts/{account.name}")
    assert account.raw.get(FAULTS).json() == {"faults": []}
    account.api.close()
    account.raw.close()


@pytest.mark.parametrize(
    "rule",
    [
        {},
        {"times": 2},
        {"status": 500, "reset": True},
        {"status": 500, "hang_seconds": 1},
        {"status": 99},
        {"status": 600},
        {"latency_ms": [300, 100]},
        {"latency_ms": 60_001},
        {"latency_ms": -1},
        {"hang_seconds": 301},
        {"hang_seconds": 0},
        {"status": 500, "probability": 0},
        {"status": 500, "probability": 1.5},
        {"status": 500, "times": 0},
        {"status": 500, "method": "GET /x"},
        {"status": 500, "headers": {"X-A": "line\nbreak"}},
        {"status": 500, "headers": {"Content-Length": "3"}},
        {"status": 500, "colour": "red"},
    ],
)
def test_bad_rules_are_422_and_add_nothing(acct: Account, rule: dict[str, Any]) -> None:
    response = acct.raw.post(FAULTS, json=rule)
    assert response.status_code == 422, response.text
    assert set(response.json()) == {"errors"}
    assert acct.raw.get(FAULTS).json() == {"faults": []}


def test_a_rule_for_an_unknown_account_is_a_404(acct: Account) -> None:
    response = acct.raw.post(FAULTS, json={"account": "nope", "status": 500})
    assert (response.status_code, response.json()) == (404, {"message": "No Result found for Account with id nope"})


# --- fixtures -------------------------------------------------------------------------------------------------------


def test_fixture_rules_belong_to_the_account_and_come_back_on_reset(server: LiveServer) -> None:
    fixtures = {"faults": [{"path": CONTACTS, "method": "GET", "status": 503, "times": 1}]}
    account = new_account(server.url, fixtures=fixtures)
    try:
        [rule] = account.raw.get(FAULTS, params={"account": account.name}).json()["faults"]
        assert (rule["account"], rule["status"], rule["remaining"]) == (account.name, 503, 1)
        assert [account.api.get(CONTACTS).status_code for _ in range(2)] == [503, 200]
        account.raw.post("/_fakecampaign/reset", params={"account": account.name})
        assert [account.api.get(CONTACTS).status_code for _ in range(2)] == [503, 200]
    finally:
        account.raw.delete(f"/_fakecampaign/accounts/{account.name}")
        account.api.close()
        account.raw.close()


def test_bad_fixture_rule_creates_no_account_and_no_rule(acct: Account) -> None:
    body = {"name": "bad-faults", "fixtures": {"faults": [{"status": 500}, {"path": "/x"}]}}
    response = acct.raw.post("/_fakecampaign/accounts", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"]["pointer"].startswith("/fixtures/faults/1")
    assert acct.raw.get("/_fakecampaign/accounts/bad-faults").status_code == 404
    assert acct.raw.get(FAULTS).json() == {"faults": []}


def test_full_reset_goes_back_to_the_rules_and_limits_loaded_at_start(tmp_path: Path) -> None:
    shop = {"name": "shop", "rate_limit": 2, "faults": [{"path": CONTACTS, "status": 500, "times": 1}]}
    path = tmp_path / "fixtures.json"
    path.write_text(json.dumps({"accounts": [shop]}))
    with LiveServer(Settings(fixtures=path)) as live, httpx.Client(base_url=live.url) as client:
        client.post(FAULTS, json={"status": 503})
        client.put("/_fakecampaign/rate-limit", params={"account": "shop"}, json={"limit": 0})
        client.delete(FAULTS, params={"account": "shop"})

        assert client.post("/_fakecampaign/reset").status_code == 200

        [rule] = client.get(FAULTS).json()["faults"]
        assert (rule["account"], rule["status"], rule["remaining"]) == ("shop", 500, 1)
        assert client.get("/_fakecampaign/rate-limit", params={"account": "shop"}).json()["limit"] == 2


def test_batch_adds_every_rule_or_none(acct: Account, other: Account) -> None:
    batch = {"faults": [{"account": acct.name, "status": 500}, {"account": other.name, "latency_ms": [1, 2]}]}
    added = acct.raw.post(f"{FAULTS}/batch", json=batch)
    assert added.status_code == 201
    assert [(f["account"], f["effect"]) for f in added.json()["faults"]] == [
        (acct.name, "status"),
        (other.name, "latency"),
    ]

    bad = {"faults": [{"status": 503}, {"path": "/x"}]}
    refused = acct.raw.post(f"{FAULTS}/batch", json=bad)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["source"]["pointer"] == "/faults/1"
    unknown = acct.raw.post(f"{FAULTS}/batch", json={"faults": [{"status": 503}, {"account": "nope", "status": 1}]})
    assert unknown.status_code == 422
    assert len(acct.raw.get(FAULTS).json()["faults"]) == 2
