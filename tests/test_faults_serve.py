"""The rate limit and fault rules against a real `fakecampaign serve` process and its real clock.

The one place fakecampaign's tests wait for wall-clock time on purpose: "the limit recovers after the second" is
a statement about real time, so it is checked against it once (tests/api/test_rate_limit.py drives a frozen
clock for everything else).
"""

from __future__ import annotations

import json
import math
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.processes import Served, serve

CONTACTS = "/api/3/contacts"
TOKEN = {"Api-Token": "fake-api-token"}  # the default account's (README "Default account")


def new_account(served: Served, name: str) -> dict[str, str]:
    response = httpx.post(f"{served.url}/_fakecampaign/accounts", json={"name": name})
    assert response.status_code == 201, response.text
    account: dict[str, str] = response.json()["account"]
    return account


def test_rate_limit_5_burst_of_20_other_account_and_recovery() -> None:
    with serve(env={"FAKECAMPAIGN_RATE_LIMIT": "5"}) as served, httpx.Client(base_url=served.url) as client:
        other = new_account(served, "other")
        start = time.monotonic()
        answers = [client.get(CONTACTS, headers=TOKEN) for _ in range(20)]
        took = time.monotonic() - start

        statuses = [r.status_code for r in answers]
        assert set(statuses) == {200, 429}
        assert statuses[:5] == [200] * 5
        # Exactly 5 in any second: a burst that took longer than a second (a loaded machine) gets more through.
        assert 5 <= statuses.count(200) <= 5 * math.ceil(took + 1e-9)
        refused = answers[statuses.index(429)]
        assert refused.json() == {"message": "Too Many Requests"}
        assert refused.headers["content-type"] == "application/json"
        retry_after = int(refused.headers["retry-after"])
        assert retry_after == 1
        assert (refused.headers["ratelimit-limit"], refused.headers["ratelimit-remaining"]) == ("5", "0")

        assert client.get(CONTACTS, headers={"Api-Token": other["api_token"]}).status_code == 200

        time.sleep(retry_after)  # real time is what this test is about
        assert client.get(CONTACTS, headers=TOKEN).status_code == 200

        journal = client.get("/_fakecampaign/requests", params={"account": "fake", "status": 429}).json()
        assert {call["fault"] for call in journal["requests"]} == {"rate_limit"}


def test_rate_limit_flag_and_off_by_default() -> None:
    with serve("--rate-limit", "2") as served, httpx.Client(base_url=served.url, headers=TOKEN) as client:
        assert [client.get(CONTACTS).status_code for _ in range(3)] == [200, 200, 429]
    with serve() as served, httpx.Client(base_url=served.url, headers=TOKEN) as client:
        assert {client.get(CONTACTS).status_code for _ in range(20)} == {200}


def test_fault_rules_driven_through_the_control_plane() -> None:
    with serve() as served, httpx.Client(base_url=served.url) as client:
        rule = client.post(
            "/_fakecampaign/faults",
            json={"account": "fake", "method": "POST", "path": CONTACTS, "status": 503, "times": 2},
        )
        assert rule.status_code == 201
        rule_id = rule.json()["fault"]["id"]
        body = {"contact": {"email": "ada@example.com"}}
        answers = [client.post(CONTACTS, headers=TOKEN, json=body) for _ in range(3)]
        assert [r.status_code for r in answers] == [503, 503, 201]
        assert answers[0].json() == {"message": "Service Unavailable"}
        journal = client.get("/_fakecampaign/requests", params={"account": "fake", "method": "POST"}).json()
        assert [(c["status"], c["fault"]) for c in journal["requests"]] == [(503, rule_id)] * 2 + [(201, None)]

        client.post("/_fakecampaign/faults", json={"path": "/api/3/*", "latency_ms": 150, "times": 1})
        start = time.monotonic()
        assert client.get(CONTACTS, headers=TOKEN).status_code == 200
        assert time.monotonic() - start >= 0.15

        client.post("/_fakecampaign/faults", json={"path": CONTACTS, "reset": True, "times": 1})
        with pytest.raises(Exception) as caught:  # noqa: PT011 - httpx.ReadError (or httpcore's, see test_faults.py)
            httpx.get(served.url + CONTACTS, headers=TOKEN)
        assert type(caught.value).__name__ == "ReadError"
        assert client.get(CONTACTS, headers=TOKEN).status_code == 200

        listed = client.get("/_fakecampaign/faults").json()["faults"]
        assert [(f["effect"], f["hits"], f["remaining"]) for f in listed] == [
            ("status", 2, 0),
            ("latency", 1, 0),
            ("reset", 1, 0),
        ]
        assert client.delete("/_fakecampaign/faults").json() == {"deleted": 3}
        served.process.terminate()
        _, stderr = served.process.communicate(timeout=10)
        assert "Traceback" not in stderr  # a reset is not an error of the server


def test_fixtures_file_sets_an_accounts_limit_and_rules_at_start(tmp_path: Path) -> None:
    fixtures = {
        "accounts": [
            {"name": "shop", "api_token": "shop-token", "rate_limit": 1},
            {"name": "flaky", "api_token": "flaky-token", "faults": [{"path": CONTACTS, "status": 500, "times": 1}]},
        ]
    }
    path = tmp_path / "fixtures.json"
    path.write_text(json.dumps(fixtures))
    with serve("--fixtures", str(path)) as served, httpx.Client(base_url=served.url) as client:
        shop = [client.get(CONTACTS, headers={"Api-Token": "shop-token"}).status_code for _ in range(2)]
        assert shop == [200, 429]
        flaky = [client.get(CONTACTS, headers={"Api-Token": "flaky-token"}).status_code for _ in range(2)]
        assert flaky == [500, 200]
        assert client.get(CONTACTS, headers=TOKEN).status_code == 200  # the default account: no limit


# A latency as long as a hang is cut short the same way: the call ends without an answer, never with a 500.
@pytest.mark.parametrize("wait", [{"hang_seconds": 60}, {"latency_ms": 60_000}], ids=["hang", "latency"])
def test_a_stopping_server_cancels_a_pending_hang_within_its_grace(wait: dict[str, int]) -> None:
    with serve() as served:
        httpx.post(f"{served.url}/_fakecampaign/faults", json={"path": CONTACTS, **wait})
        outcome: list[str] = []

        def call() -> None:
            try:
                httpx.get(served.url + CONTACTS, headers=TOKEN, timeout=30)
            except Exception as error:  # the connection is closed without an answer
                outcome.append(type(error).__name__)

        caller = threading.Thread(target=call)
        caller.start()
        deadline = time.monotonic() + 5  # an explicit wait: the call is in flight once the rule counts its hit
        while httpx.get(f"{served.url}/_fakecampaign/faults").json()["faults"][0]["hits"] == 0:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        start = time.monotonic()
        served.process.terminate()
        served.process.wait(timeout=15)
        assert time.monotonic() - start < 10  # SHUTDOWN_GRACE_SECONDS (3), not the hang's 60
        caller.join(timeout=30)  # generous: on a loaded machine the client thread may be scheduled late
        assert not caller.is_alive()
        assert outcome == ["RemoteProtocolError"]
        stderr = served.process.stderr.read() if served.process.stderr else ""
        assert "Traceback" not in stderr, stderr
