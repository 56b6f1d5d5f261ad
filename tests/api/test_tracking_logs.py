"""Written events read back: /contacts/{id}/trackingLogs, /trackingLogs, /trackingLogs/{id}[/contact], /activities."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from fakecampaign.app import create_app
from fakecampaign.clock import FrozenClock
from fakecampaign.config import Settings
from fakecampaign.testing.server import LiveServer
from tests.conftest import Account, new_account

START = datetime(2023, 3, 1, 21, 36, 3, tzinfo=UTC)
HASH = re.compile(r"[0-9a-f]{40}")
ISO_WITH_OFFSET = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")
LOG_KEYS = {"subscriberid", "type", "value", "tstamp", "hash", "links", "id", "contact"}
ACTIVITY_KEYS = {
    "tstamp",
    "subscriberid",
    "reference_type",
    "reference_id",
    "reference_action",
    "jsonData",
    "userid",
    "permission",
    "referenceModelName",
    "reference",
    "links",
    "id",
    "user",
}


@pytest.fixture(scope="module")
def frozen() -> Iterator[tuple[LiveServer, FrozenClock]]:
    clock = FrozenClock(START)
    with LiveServer(app=create_app(Settings(), clock=clock)) as server:
        yield server, clock


@pytest.fixture
def timed(frozen: tuple[LiveServer, FrozenClock]) -> Iterator[tuple[Account, FrozenClock]]:
    server, clock = frozen
    acct = new_account(server.url)
    yield acct, clock
    acct.raw.delete(f"/_fakecampaign/accounts/{acct.name}")
    acct.api.close()
    acct.raw.close()


def _server(account: Account) -> str:
    return str(account.api.base_url).rstrip("/")


def _spawn(account: Account, email: str, event: str, eventdata: str | None = None) -> None:
    response = account.track(email, event, eventdata)
    assert response.json() == {"success": 1, "message": "Event spawned"}, response.text


def _contact_logs(account: Account, contact_id: str) -> list[dict[str, Any]]:
    response = account.api.get(f"/api/3/contacts/{contact_id}/trackingLogs")
    assert response.status_code == 200, response.text
    logs: list[dict[str, Any]] = response.json()["trackingLogs"]
    return logs


def _activities(account: Account, **params: str) -> dict[str, Any]:
    response = account.api.get("/api/3/activities", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _three_events_a_minute_apart(account: Account, clock: FrozenClock) -> tuple[str, datetime]:
    """Events "first", "second", "third" at t0, t0+60s, t0+120s; returns (contact id, t0)."""
    contact = account.create_contact("timed@example.com")
    t0 = clock.now()
    for i, event in enumerate(("first", "second", "third")):
        if i:
            clock.advance(60)
        _spawn(account, "timed@example.com", event)
    return contact["id"], t0


# --- /contacts/{id}/trackingLogs --------------------------------------------------------------------------------


def test_contact_tracking_logs_have_the_guides_shape(timed: tuple[Account, FrozenClock]) -> None:
    account, clock = timed
    contact = account.create_contact("shape@example.com")
    _spawn(account, "shape@example.com", "file download request", "https://www.yoursite.com/downloads/file.pdf")

    response = account.api.get(f"/api/3/contacts/{contact['id']}/trackingLogs")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"trackingLogs"}
    [log] = body["trackingLogs"]
    assert set(log) == LOG_KEYS
    assert log["id"].isdigit()
    assert HASH.fullmatch(log["hash"])
    assert log == {
        "subscriberid": contact["id"],
        "type": "file download request",
        "value": "https://www.yoursite.com/downloads/file.pdf",
        "tstamp": clock.now().isoformat(),
        "hash": log["hash"],
        "links": {"contact": f"{_server(account)}/api/3/trackingLogs/{log['id']}/contact"},
        "id": log["id"],
        "contact": contact["id"],
    }


def test_contact_tracking_logs_tstamp_is_iso_with_offset(account: Account) -> None:
    contact = account.create_contact("iso@example.com")
    _spawn(account, "iso@example.com", "login", "data")
    [log] = _contact_logs(account, contact["id"])
    assert ISO_WITH_OFFSET.fullmatch(log["tstamp"])
    assert all(isinstance(log[k], str) for k in LOG_KEYS - {"links"})


def test_contact_tracking_logs_are_oldest_first_and_only_that_contacts(timed: tuple[Account, FrozenClock]) -> None:
    account, clock = timed
    contact_id, _ = _three_events_a_minute_apart(account, clock)
    account.create_contact("bystander@example.com")
    _spawn(account, "bystander@example.com", "elsewhere")
    assert [log["type"] for log in _contact_logs(account, contact_id)] == ["first", "second", "third"]


def test_contact_without_events_has_empty_tracking_logs(account: Account) -> None:
    contact = account.create_contact("quiet@example.com")
    response = account.api.get(f"/api/3/contacts/{contact['id']}/trackingLogs")
    assert response.status_code == 200
    assert response.json() == {"trackingLogs": []}


@pytest.mark.parametrize("contact_id", ["999999", "abc"])
def test_contact_tracking_logs_of_unknown_contact_returns_404(account: Account, contact_id: str) -> None:
    response = account.api.get(f"/api/3/contacts/{contact_id}/trackingLogs")
    assert response.status_code == 404
    assert response.json() == {"message": f"No Result found for Subscriber with id {contact_id}"}


# --- /trackingLogs ----------------------------------------------------------------------------------------------


def test_tracking_logs_list_filters_by_contact_and_type(account: Account) -> None:
    ann = account.create_contact("ann@example.com")
    bob = account.create_contact("bob@example.com")
    for email, event in [("ann@example.com", "login"), ("ann@example.com", "buy"), ("bob@example.com", "login")]:
        _spawn(account, email, event)

    everything = account.api.get("/api/3/trackingLogs").json()
    assert everything["meta"] == {"total": "3"}
    assert [(log["contact"], log["type"]) for log in everything["trackingLogs"]] == [
        (ann["id"], "login"),
        (ann["id"], "buy"),
        (bob["id"], "login"),
    ]
    by_contact = account.api.get("/api/3/trackingLogs", params={"contact": ann["id"]}).json()
    assert (by_contact["meta"], [log["type"] for log in by_contact["trackingLogs"]]) == (
        {"total": "2"},
        ["login", "buy"],
    )
    by_type = account.api.get("/api/3/trackingLogs", params={"type": "login"}).json()
    assert by_type["meta"] == {"total": "2"}
    assert [log["contact"] for log in by_type["trackingLogs"]] == [ann["id"], bob["id"]]
    both = account.api.get("/api/3/trackingLogs", params={"contact": bob["id"], "type": "login"}).json()
    assert both["meta"] == {"total": "1"}
    assert [log["contact"] for log in both["trackingLogs"]] == [bob["id"]]


def test_tracking_logs_list_total_is_a_string_counting_past_the_page(account: Account) -> None:
    account.create_contact("paged@example.com")
    for event in ("a", "b", "c"):
        _spawn(account, "paged@example.com", event)
    body = account.api.get("/api/3/trackingLogs", params={"limit": "1", "offset": "1"}).json()
    assert set(body) == {"trackingLogs", "meta"}
    assert body["meta"] == {"total": "3"}
    assert [log["type"] for log in body["trackingLogs"]] == ["b"]


def test_tracking_logs_list_with_non_integer_contact_returns_400_empty(account: Account) -> None:
    response = account.api.get("/api/3/trackingLogs", params={"contact": "abc"})
    assert response.status_code == 400
    assert response.json() == {}


def test_tracking_log_by_id_matches_the_listed_log(account: Account) -> None:
    contact = account.create_contact("one@example.com")
    _spawn(account, "one@example.com", "login", "x")
    [listed] = _contact_logs(account, contact["id"])
    response = account.api.get(f"/api/3/trackingLogs/{listed['id']}")
    assert response.status_code == 200
    assert response.json() == {"trackingLog": listed}


@pytest.mark.parametrize("suffix", ["", "/contact"], ids=["log", "log_contact"])
@pytest.mark.parametrize("log_id", ["999999", "abc"])
def test_tracking_log_unknown_id_returns_404(account: Account, suffix: str, log_id: str) -> None:
    response = account.api.get(f"/api/3/trackingLogs/{log_id}{suffix}")
    assert response.status_code == 404
    assert response.json() == {"message": f"No Result found for TrackingLog with id {log_id}"}


def test_tracking_log_contact_returns_the_full_contact(account: Account) -> None:
    contact = account.create_contact("owner@example.com", firstName="Olga")
    _spawn(account, "owner@example.com", "login")
    [log] = _contact_logs(account, contact["id"])
    response = account.api.get(log["links"]["contact"])
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"contact"}
    read = account.api.get(f"/api/3/contacts/{contact['id']}").json()["contact"]
    # AC's example of this call prints created_by / updated_by as "0" (ac-api-facts.md §6); GET shows null.
    assert (body["contact"]["created_by"], body["contact"]["updated_by"]) == ("0", "0")
    assert body["contact"] == {**read, "created_by": "0", "updated_by": "0"}
    assert (body["contact"]["id"], body["contact"]["email"]) == (contact["id"], "owner@example.com")


# --- /activities ------------------------------------------------------------------------------------------------


def test_activities_have_the_guides_shape(timed: tuple[Account, FrozenClock]) -> None:
    account, clock = timed
    contact = account.create_contact("act@example.com")
    _spawn(account, "act@example.com", "file download request", "https://www.yoursite.com/downloads/file.pdf")

    body = _activities(account, contact=contact["id"])
    assert list(body) == ["trackingLogs", "activities", "meta"]
    assert body["meta"] == {"total": "1"}
    assert body["trackingLogs"] == _contact_logs(account, contact["id"])
    [log] = body["trackingLogs"]
    [activity] = body["activities"]
    assert set(activity) == ACTIVITY_KEYS
    assert activity["id"].isdigit()
    base = f"{_server(account)}/api/3/activities/{activity['id']}"
    assert activity == {
        "tstamp": clock.now().isoformat(),
        "subscriberid": contact["id"],
        "reference_type": "TrackingLog",
        "reference_id": log["id"],
        "reference_action": "file download request",
        "jsonData": None,
        "userid": "0",
        "permission": "",
        "referenceModelName": "tracking-log",
        "reference": {"type": "tracking-log", "id": log["id"]},
        "links": {name: f"{base}/{name}" for name in ("user", "recipients", "reference", "notes")},
        "id": activity["id"],
        "user": None,
    }


def test_activities_of_contact_without_events_are_empty(account: Account) -> None:
    contact = account.create_contact("idle@example.com")
    assert _activities(account, contact=contact["id"]) == {"trackingLogs": [], "activities": [], "meta": {"total": "0"}}


def test_activities_with_a_non_integer_contact_returns_400_empty(account: Account) -> None:
    # Without contact= (or with an empty one) it is the account's feed: tests/api/test_activities.py.
    response = account.api.get("/api/3/activities", params={"contact": "abc"})
    assert response.status_code == 400
    assert response.json() == {}
    assert response.headers["X-Fakecampaign-Error"]


def test_activities_are_oldest_first_by_default(timed: tuple[Account, FrozenClock]) -> None:
    account, clock = timed
    contact_id, t0 = _three_events_a_minute_apart(account, clock)
    body = _activities(account, contact=contact_id)
    assert [a["reference_action"] for a in body["activities"]] == ["first", "second", "third"]
    assert [a["tstamp"] for a in body["activities"]] == [(t0 + timedelta(seconds=s)).isoformat() for s in (0, 60, 120)]


def test_activities_orders_tstamp_desc_returns_newest_first(timed: tuple[Account, FrozenClock]) -> None:
    account, clock = timed
    contact_id, _ = _three_events_a_minute_apart(account, clock)
    body = _activities(account, contact=contact_id, **{"orders[tstamp]": "DESC"})
    assert [a["reference_action"] for a in body["activities"]] == ["third", "second", "first"]
    assert body["meta"] == {"total": "3"}


def test_activities_after_returns_only_later_activities_and_their_logs(timed: tuple[Account, FrozenClock]) -> None:
    account, clock = timed
    contact_id, t0 = _three_events_a_minute_apart(account, clock)
    body = _activities(account, contact=contact_id, after=(t0 + timedelta(seconds=30)).isoformat())
    assert body["meta"] == {"total": "2"}
    assert [a["reference_action"] for a in body["activities"]] == ["second", "third"]
    assert sorted(log["type"] for log in body["trackingLogs"]) == ["second", "third"]
    assert {log["id"] for log in body["trackingLogs"]} == {a["reference_id"] for a in body["activities"]}


def test_activities_after_a_date_without_time_or_zone(timed: tuple[Account, FrozenClock]) -> None:
    account, clock = timed
    contact_id, t0 = _three_events_a_minute_apart(account, clock)
    assert _activities(account, contact=contact_id, after=(t0 - timedelta(days=1)).date().isoformat())["meta"] == {
        "total": "3"
    }
    assert _activities(account, contact=contact_id, after=(t0 + timedelta(days=1)).date().isoformat())["meta"] == {
        "total": "0"
    }


def test_activities_with_unreadable_after_returns_400_empty(account: Account) -> None:
    contact = account.create_contact("baddate@example.com")
    response = account.api.get("/api/3/activities", params={"contact": contact["id"], "after": "yesterday"})
    assert response.status_code == 400
    assert response.json() == {}


def test_activities_limit_and_offset_page_but_total_counts_all(timed: tuple[Account, FrozenClock]) -> None:
    account, clock = timed
    contact_id, _ = _three_events_a_minute_apart(account, clock)
    body = _activities(account, contact=contact_id, limit="1", offset="1")
    assert body["meta"] == {"total": "3"}
    assert [a["reference_action"] for a in body["activities"]] == ["second"]
    assert [log["type"] for log in body["trackingLogs"]] == ["second"]


# --- deleting the contact ---------------------------------------------------------------------------------------


def test_deleting_contact_makes_its_logs_unreachable_through_every_join(account: Account) -> None:
    contact = account.create_contact("gone@example.com")
    account.create_contact("stays@example.com")
    _spawn(account, "gone@example.com", "login")
    _spawn(account, "stays@example.com", "login")
    [log] = _contact_logs(account, contact["id"])
    cid, lid = contact["id"], log["id"]

    deleted = account.api.delete(f"/api/3/contacts/{cid}")
    assert (deleted.status_code, deleted.json()) == (200, {})

    gone_contact = account.api.get(f"/api/3/contacts/{cid}/trackingLogs")
    assert (gone_contact.status_code, gone_contact.json()) == (
        404,
        {"message": f"No Result found for Subscriber with id {cid}"},
    )
    for path in (f"/api/3/trackingLogs/{lid}", f"/api/3/trackingLogs/{lid}/contact"):
        response = account.api.get(path)
        assert (response.status_code, response.json()) == (
            404,
            {"message": f"No Result found for TrackingLog with id {lid}"},
        )
    assert account.api.get("/api/3/trackingLogs", params={"contact": cid}).json() == {
        "trackingLogs": [],
        "meta": {"total": "0"},
    }
    remaining = account.api.get("/api/3/trackingLogs").json()
    assert remaining["meta"] == {"total": "1"}
    assert [entry["id"] for entry in remaining["trackingLogs"]] != [lid]
    assert _activities(account, contact=cid) == {"trackingLogs": [], "activities": [], "meta": {"total": "0"}}
