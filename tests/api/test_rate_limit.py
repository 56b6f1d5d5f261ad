"""AC's rate limit, opt-in: 429 with Retry-After past N v3 calls per second per account (ac-api-facts.md §7.1).

The server's clock is frozen, so "a second later" is ``clock.advance(1)``, not a sleep
(tests/test_faults_serve.py checks the same against a real clock).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from fakecampaign.app import create_app
from fakecampaign.clock import FrozenClock
from fakecampaign.config import Settings
from fakecampaign.testing.server import LiveServer
from tests.conftest import Account, new_account

CONTACTS = "/api/3/contacts"


@pytest.fixture(scope="module")
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 20, 15, 0, tzinfo=UTC))


@pytest.fixture(scope="module")
def limited(clock: FrozenClock) -> Iterator[LiveServer]:
    with LiveServer(app=create_app(Settings(rate_limit=5), clock=clock)) as server:
        yield server


@contextmanager
def own_account(url: str, **spec: Any) -> Iterator[Account]:
    account = new_account(url, **spec)
    try:
        yield account
    finally:
        account.raw.delete(f"/_fakecampaign/accounts/{account.name}")
        account.api.close()
        account.raw.close()


@pytest.fixture
def acct(limited: LiveServer, clock: FrozenClock) -> Iterator[Account]:
    clock.advance(10)  # every test starts with a fresh window
    with own_account(limited.url) as account:
        yield account


@pytest.fixture
def other(limited: LiveServer) -> Iterator[Account]:
    with own_account(limited.url) as account:
        yield account


def burst(account: Account, count: int, path: str = CONTACTS) -> list[httpx.Response]:
    return [account.api.get(path) for _ in range(count)]


def test_a_burst_past_the_limit_gets_acs_429_with_retry_after(acct: Account) -> None:
    answers = burst(acct, 20)

    assert [r.status_code for r in answers] == [200] * 5 + [429] * 15
    refused = answers[5]
    assert refused.json() == {"message": "Too Many Requests"}  # G100
    assert refused.headers["content-type"] == "application/json"
    assert refused.headers["retry-after"] == "1"
    assert (refused.headers["ratelimit-limit"], refused.headers["ratelimit-remaining"]) == ("5", "0")
    assert "x-fakecampaign-error" in refused.headers


def test_answers_under_the_limit_carry_acs_ratelimit_headers(acct: Account) -> None:
    answers = burst(acct, 5)
    assert [r.headers["ratelimit-remaining"] for r in answers] == ["4", "3", "2", "1", "0"]
    assert {r.headers["ratelimit-limit"] for r in answers} == {"5"}


def test_another_account_is_not_affected(acct: Account, other: Account) -> None:
    assert burst(acct, 6)[-1].status_code == 429
    assert [r.status_code for r in burst(other, 5)] == [200] * 5


def test_the_limit_recovers_a_second_after_the_first_counted_call(acct: Account, clock: FrozenClock) -> None:
    burst(acct, 5)
    clock.advance(0.5)
    halfway = acct.api.get(CONTACTS)
    assert (halfway.status_code, halfway.headers["retry-after"]) == (429, "1")
    clock.advance(0.5)
    assert [r.status_code for r in burst(acct, 6)] == [200] * 5 + [429]


def test_refused_calls_do_not_count(acct: Account, clock: FrozenClock) -> None:
    burst(acct, 30)
    clock.advance(1)
    assert [r.status_code for r in burst(acct, 5)] == [200] * 5


def test_every_v3_route_counts_and_event_does_not(acct: Account) -> None:
    acct.create_contact("ada@example.com")
    for _ in range(10):  # G102: trackcmp's /event is not limited
        assert acct.track("ada@example.com", "login").json() == {"success": 1, "message": "Event spawned"}
    statuses = [acct.api.get("/api/3/eventTrackingEvents").status_code for _ in range(4)]
    assert statuses == [200] * 4
    assert acct.api.get("/api/3/activities", params={"contact": 1}).status_code == 429


def test_the_journal_names_the_limiter_on_each_refused_call(acct: Account) -> None:
    burst(acct, 7)
    calls = acct.raw.get("/_fakecampaign/requests", params={"account": acct.name}).json()["requests"]
    assert [(c["status"], c["fault"]) for c in calls] == [(200, None)] * 5 + [(429, "rate_limit")] * 2
    assert all(isinstance(c["at"], float) for c in calls)


def test_a_bad_token_is_still_acs_403_not_a_429(acct: Account, limited: LiveServer) -> None:
    burst(acct, 5)
    assert httpx.get(limited.url + CONTACTS, headers={"Api-Token": "nope"}).status_code == 403


def test_per_account_limit_from_the_control_plane(acct: Account, clock: FrozenClock) -> None:
    url = "/_fakecampaign/rate-limit"
    set_two = acct.raw.put(url, params={"account": acct.name}, json={"limit": 2})
    assert set_two.json() == {"account": acct.name, "limit": 2}
    assert [r.status_code for r in burst(acct, 3)] == [200, 200, 429]

    assert acct.raw.put(url, params={"account": acct.name}, json={"limit": 0}).json()["limit"] is None
    assert {r.status_code for r in burst(acct, 20)} == {200}

    back = acct.raw.put(url, params={"account": acct.name}, json={"limit": None})
    assert back.json() == {"account": acct.name, "limit": 5}
    assert acct.raw.get(url, params={"account": acct.name}).json() == {"account": acct.name, "limit": 5}
    assert acct.raw.get(url).json() == {"account": None, "limit": 5}


def test_per_account_limit_from_fixtures_comes_back_on_reset(limited: LiveServer, clock: FrozenClock) -> None:
    clock.advance(10)
    with own_account(limited.url, fixtures={"rate_limit": 1}) as account:
        assert [r.status_code for r in burst(account, 2)] == [200, 429]
        account.raw.put("/_fakecampaign/rate-limit", params={"account": account.name}, json={"limit": 0})
        account.raw.post("/_fakecampaign/reset", params={"account": account.name})
        clock.advance(1)
        assert [r.status_code for r in burst(account, 2)] == [200, 429]


@pytest.mark.parametrize("body", [{"limit": -1}, {"limit": "x"}, {}, {"limit": 3, "extra": 1}])
def test_bad_limit_is_a_422_and_changes_nothing(acct: Account, body: dict[str, object]) -> None:
    response = acct.raw.put("/_fakecampaign/rate-limit", params={"account": acct.name}, json=body)
    assert response.status_code == 422
    assert acct.raw.get("/_fakecampaign/rate-limit", params={"account": acct.name}).json()["limit"] == 5


def test_limit_for_an_unknown_account_is_a_404(acct: Account) -> None:
    response = acct.raw.put("/_fakecampaign/rate-limit", params={"account": "nope"}, json={"limit": 1})
    assert (response.status_code, response.json()) == (404, {"message": "No Result found for Account with id nope"})


def test_server_default_can_be_set_at_runtime(clock: FrozenClock) -> None:
    with LiveServer(app=create_app(Settings(), clock=clock)) as server, own_account(server.url) as account:
        assert {r.status_code for r in burst(account, 10)} == {200}  # off by default
        assert "ratelimit-limit" not in account.api.get(CONTACTS).headers
        account.raw.put("/_fakecampaign/rate-limit", json={"limit": 3})
        clock.advance(1)
        assert [r.status_code for r in burst(account, 4)] == [200, 200, 200, 429]


def test_no_limit_no_rules_means_the_layer_is_idle() -> None:
    app = create_app(Settings())
    assert app.state.store.faults.active is False
    assert create_app(Settings(rate_limit=5)).state.store.faults.active is True
