"""GET /api/3/activities: the account-wide feed, include= sideloads, and the changes that write activities."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from fakecampaign.app import create_app
from fakecampaign.bus import DealChanged, ListSubscribed, ListUnsubscribed, TagAdded
from fakecampaign.clock import FrozenClock
from fakecampaign.config import Settings
from fakecampaign.services import accounts
from fakecampaign.services.store import Store
from fakecampaign.testing.server import LiveServer
from tests.conftest import Account, new_account

START = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)


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


def _spawn(account: Account, email: str, event: str) -> None:
    assert account.track(email, event).json() == {"success": 1, "message": "Event spawned"}


def _feed(account: Account, **params: str) -> dict[str, Any]:
    response = account.api.get("/api/3/activities", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _two_contacts_interleaved(account: Account, clock: FrozenClock) -> tuple[str, str]:
    """ann: a (t0), bob: b (t0+60), ann: c (t0+120)."""
    ann = account.create_contact("ann@example.com")["id"]
    bob = account.create_contact("bob@example.com")["id"]
    _spawn(account, "ann@example.com", "a")
    clock.advance(60)
    _spawn(account, "bob@example.com", "b")
    clock.advance(60)
    _spawn(account, "ann@example.com", "c")
    return ann, bob


# --- the account-wide feed -------------------------------------------------------------------------------------


def test_without_contact_the_feed_holds_every_contacts_activities_oldest_first(
    timed: tuple[Account, FrozenClock],
) -> None:
    account, clock = timed
    ann, bob = _two_contacts_interleaved(account, clock)
    body = _feed(account)
    assert list(body) == ["trackingLogs", "activities", "meta"]
    assert body["meta"] == {"total": "3"}
    assert [(a["subscriberid"], a["reference_action"]) for a in body["activities"]] == [
        (ann, "a"),
        (bob, "b"),
        (ann, "c"),
    ]
    assert sorted(log["type"] for log in body["trackingLogs"]) == ["a", "b", "c"]


def test_feed_pages_like_the_singer_tap_reads_it(timed: tuple[Account, FrozenClock]) -> None:
    """tap-activecampaign: GET /activities?offset=0&limit=100&after=<bookmark>, no contact ([TAP])."""
    account, clock = timed
    t0 = clock.now()
    _two_contacts_interleaved(account, clock)
    after = (t0 + timedelta(seconds=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = _feed(account, offset="0", limit="100", after=after)
    assert body["meta"] == {"total": "2"}
    assert [a["reference_action"] for a in body["activities"]] == ["b", "c"]
    assert all(isinstance(a["id"], str) and a["id"] for a in body["activities"])

    # singer-python writes bookmarks with microseconds and a Z.
    precise = (t0 + timedelta(seconds=30)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert _feed(account, offset="0", limit="100", after=precise)["meta"] == {"total": "2"}

    page = _feed(account, limit="1", offset="1")
    assert page["meta"] == {"total": "3"}
    assert [a["reference_action"] for a in page["activities"]] == ["b"]
    assert [log["type"] for log in page["trackingLogs"]] == ["b"]


def test_empty_contact_parameter_is_the_whole_feed(timed: tuple[Account, FrozenClock]) -> None:
    account, clock = timed
    _two_contacts_interleaved(account, clock)
    assert _feed(account, contact="")["meta"] == {"total": "3"}


def test_contact_narrows_the_feed(timed: tuple[Account, FrozenClock]) -> None:
    account, clock = timed
    ann, _ = _two_contacts_interleaved(account, clock)
    body = _feed(account, contact=ann)
    assert [a["reference_action"] for a in body["activities"]] == ["a", "c"]
    assert body["meta"] == {"total": "2"}


def test_feed_of_an_empty_account(account: Account) -> None:
    assert _feed(account) == {"trackingLogs": [], "activities": [], "meta": {"total": "0"}}


@pytest.mark.parametrize(
    "params", [{"contact": "abc"}, {"after": "yesterday"}, {"limit": "ten"}], ids=["contact", "after", "limit"]
)
def test_unreadable_parameters_are_400_empty(account: Account, params: dict[str, str]) -> None:
    response = account.api.get("/api/3/activities", params=params)
    assert (response.status_code, response.json()) == (400, {})
    assert response.headers["X-Fakecampaign-Error"]


def test_other_accounts_feed_is_not_visible(account: Account, other_account: Account) -> None:
    account.create_contact("mine@example.com")
    _spawn(account, "mine@example.com", "login")
    assert _feed(other_account) == {"trackingLogs": [], "activities": [], "meta": {"total": "0"}}
    assert _feed(other_account, include="recipients.recipient")["contacts"] == []


# --- include= sideloads ----------------------------------------------------------------------------------------


def test_include_recipients_adds_activity_recipients_and_their_ids(account: Account) -> None:
    cid = account.create_contact("inc@example.com")["id"]
    _spawn(account, "inc@example.com", "login")
    body = _feed(account, include="recipients")
    assert list(body) == ["activityRecipients", "trackingLogs", "activities", "meta"]
    [activity] = body["activities"]
    aid = activity["id"]
    assert body["activityRecipients"] == [
        {
            "reltype": "Subscriber",
            "relid": cid,
            "activityid": aid,
            "recipient": {"type": "contact", "id": cid},
            "id": aid,
        }
    ]
    assert activity["recipients"] == [aid]
    assert list(activity)[8:10] == ["referenceModelName", "recipients"]


def test_include_recipients_recipient_adds_the_contacts_too(account: Account) -> None:
    contact = account.create_contact("who@example.com", firstName="Who")
    account.create_contact("idle@example.com")
    _spawn(account, "who@example.com", "login")
    _spawn(account, "who@example.com", "logout")
    body = _feed(account, include="notes,recipients.recipient")
    assert list(body) == ["contacts", "activityRecipients", "trackingLogs", "activities", "meta"]
    assert body["contacts"] == [account.api.get(f"/api/3/contacts/{contact['id']}").json()["contact"]]
    assert [r["relid"] for r in body["activityRecipients"]] == [contact["id"], contact["id"]]


def test_include_reference_contact_adds_only_contacts(account: Account) -> None:
    account.create_contact("ref@example.com")
    _spawn(account, "ref@example.com", "login")
    body = _feed(account, include="reference.contact")
    assert list(body) == ["contacts", "trackingLogs", "activities", "meta"]
    assert "recipients" not in body["activities"][0]


def test_without_include_there_are_no_sideloads_but_the_logs(account: Account) -> None:
    account.create_contact("plain@example.com")
    _spawn(account, "plain@example.com", "login")
    body = _feed(account, include="user")
    assert list(body) == ["trackingLogs", "activities", "meta"]


# --- which changes write activities (G60) ----------------------------------------------------------------------


@pytest.fixture
def app_store() -> Iterator[tuple[httpx.Client, Store, int]]:
    """A server of its own, whose store the test publishes to between (never during) requests."""
    app = create_app(Settings(), clock=FrozenClock(START))
    store: Store = app.state.store
    account = accounts.get_by_name(store, Settings().account)
    with (
        LiveServer(app=app) as server,
        httpx.Client(base_url=server.url, headers={"Api-Token": account.api_token}) as client,
    ):
        yield client, store, account.id


def test_list_subscriptions_and_deals_write_activities_tags_do_not(app_store: tuple[httpx.Client, Store, int]) -> None:
    client, store, aid = app_store
    cid = client.post("/api/3/contacts", json={"contact": {"email": "bus@example.com"}}).json()["contact"]["id"]
    at = int(START.timestamp())
    with store.db.transaction() as tx:
        for event in (
            ListSubscribed(account_id=aid, at=at, contact_id=int(cid), list_id=4),
            TagAdded(account_id=aid, at=at, contact_id=int(cid), tag_id=2, tag="vip"),
            ListUnsubscribed(account_id=aid, at=at + 1, contact_id=int(cid), list_id=4),
            DealChanged(account_id=aid, at=at + 2, deal_id=9, contact_id=int(cid), kind="deal_add"),
            DealChanged(account_id=aid, at=at + 3, deal_id=9, contact_id=int(cid), kind="deal_update"),
            DealChanged(account_id=aid, at=at + 4, deal_id=9, contact_id=None, kind="deal_update"),
            DealChanged(account_id=aid, at=at + 5, deal_id=9, contact_id=int(cid), kind="deal_delete"),
        ):
            store.bus.publish(tx, event)
    body = client.get("/api/3/activities", params={"contact": cid}).json()
    assert body["trackingLogs"] == []
    assert body["meta"] == {"total": "4"}
    rows = [
        (a["reference_type"], a["reference_action"], a["reference_id"], a["referenceModelName"], a["reference"])
        for a in body["activities"]
    ]
    assert rows == [
        ("SubscriberList", "subscribe", "4", "list", {"type": "list", "id": "4"}),
        ("SubscriberList", "unsubscribe", "4", "list", {"type": "list", "id": "4"}),
        ("DealActivity", "add", "9", "deal", {"type": "deal", "id": "9"}),
        ("DealActivity", "update", "9", "deal", {"type": "deal", "id": "9"}),
    ]


def test_a_rolled_back_change_leaves_no_activity(app_store: tuple[httpx.Client, Store, int]) -> None:
    client, store, aid = app_store
    cid = client.post("/api/3/contacts", json={"contact": {"email": "rb@example.com"}}).json()["contact"]["id"]

    def failing_write() -> None:
        with store.db.transaction() as tx:
            store.bus.publish(tx, ListSubscribed(account_id=aid, at=0, contact_id=int(cid), list_id=1))
            raise RuntimeError("the write failed after publishing")

    with pytest.raises(RuntimeError):
        failing_write()
    assert client.get("/api/3/activities").json()["meta"] == {"total": "0"}


def test_a_real_subscription_and_unsubscription_write_subscriber_list_activities(account: Account) -> None:
    cid = account.create_contact("sub@example.com")["id"]
    made = account.api.post(
        "/api/3/lists",
        json={"list": {"name": "News", "stringid": "news", "sender_url": "https://x.example", "sender_reminder": "x"}},
    )
    lid = made.json()["list"]["id"]
    for status in (1, 2):
        body = {"contactList": {"list": lid, "contact": cid, "status": status}}
        assert account.api.post("/api/3/contactLists", json=body).status_code == 200
    body = _feed(account, contact=cid)
    assert [(a["reference_type"], a["reference_action"], a["reference_id"]) for a in body["activities"]] == [
        ("SubscriberList", "subscribe", lid),
        ("SubscriberList", "unsubscribe", lid),
    ]
    assert body["trackingLogs"] == []


def test_every_link_of_an_activity_answers(account: Account) -> None:
    cid = account.create_contact("linked@example.com")["id"]
    _spawn(account, "linked@example.com", "login")
    body = _feed(account)
    [activity] = body["activities"]
    [log] = body["trackingLogs"]
    answers = {name: account.api.get(url) for name, url in activity["links"].items()}
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(activity["links"], 200)
    assert answers["reference"].json() == {"trackingLog": log}
    assert answers["recipients"].json() == {
        "activityRecipients": [
            {
                "reltype": "Subscriber",
                "relid": cid,
                "activityid": activity["id"],
                "recipient": {"type": "contact", "id": cid},
                "id": activity["id"],
            }
        ]
    }
    assert answers["user"].json() == {"user": None}
    assert answers["notes"].json() == {"notes": []}


@pytest.mark.parametrize("path", ["/api/3/activities/999999/notes", "/api/3/activities/abc/user"])
def test_links_of_an_unknown_activity_are_404(account: Account, path: str) -> None:
    response = account.api.get(path)
    raw = path.split("/")[4]
    assert (response.status_code, response.json()) == (404, {"message": f"No Result found for Activity with id {raw}"})


def test_an_unknown_activity_relation_is_an_unknown_route(account: Account) -> None:
    account.create_contact("rel@example.com")
    _spawn(account, "rel@example.com", "login")
    aid = _feed(account)["activities"][0]["id"]
    assert account.api.get(f"/api/3/activities/{aid}/nonsense").status_code == 404
