"""Lists and contactLists (ac-api-facts-breadth.md §3): shapes, types, statuses and AC's error bodies."""

from __future__ import annotations

from typing import Any

import pytest

from fakecampaign.bus import ListSubscribed, ListUnsubscribed
from fakecampaign.testing.server import LiveServer
from tests.conftest import Account

LIST_KEYS = {
    "stringid", "userid", "name", "cdate", "p_use_tracking", "p_use_analytics_read", "p_use_analytics_link",
    "p_use_twitter", "p_use_facebook", "p_embed_image", "p_use_captcha", "send_last_broadcast", "private",
    "analytics_domains", "analytics_source", "analytics_ua", "twitter_token", "twitter_token_secret",
    "facebook_session", "carboncopy", "subscription_notify", "unsubscription_notify", "require_name",
    "get_unsubscribe_reason", "to_name", "optinoptout", "sender_name", "sender_addr1", "sender_addr2", "sender_city",
    "sender_state", "sender_zip", "sender_country", "sender_phone", "sender_url", "sender_reminder", "fulladdress",
    "optinmessageid", "optoutconf", "deletestamp", "udate", "channel", "description", "active_subscribers",
    "non_deleted_subscribers", "created_timestamp", "updated_timestamp", "created_by", "updated_by", "links", "id",
    "user",
}  # fmt: skip
MEMBERSHIP_KEYS = {
    "contact", "list", "form", "seriesid", "sdate", "udate", "status", "responder", "sync", "unsubreason", "campaign",
    "message", "first_name", "last_name", "ip4Sub", "sourceid", "autosyncLog", "ip4_last", "ip4Unsub",
    "created_timestamp", "updated_timestamp", "created_by", "updated_by", "unsubscribeAutomation", "channel", "links",
    "id", "automation",
}  # fmt: skip
FULL = {"name": "Newsletter", "stringid": "news", "sender_url": "https://example.com", "sender_reminder": "You asked"}


def make_list(account: Account, **fields: Any) -> dict[str, Any]:
    response = account.api.post("/api/3/lists", json={"list": {**FULL, **fields}})
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()["list"]
    return created


def subscribe(account: Account, contact: str, list_id: str, status: Any = 1, expect: int = 200) -> dict[str, Any]:
    body = {"contactList": {"list": list_id, "contact": contact, "status": status}}
    response = account.api.post("/api/3/contactLists", json=body)
    assert response.status_code == expect, response.text
    reply: dict[str, Any] = response.json()
    return reply


def test_create_list_answers_200_with_acs_keys(account: Account) -> None:
    created = make_list(account)
    assert set(created) == LIST_KEYS
    assert (created["name"], created["stringid"], created["sender_url"]) == (
        "Newsletter",
        "news",
        "https://example.com",
    )
    assert created["id"].isdigit()
    assert created["active_subscribers"] == "0"
    assert created["send_last_broadcast"] == "0"
    assert created["analytics_domains"] is None
    for link in created["links"].values():
        assert account.api.get(link).status_code == 200, link


def test_a_list_needs_only_a_name(account: Account) -> None:
    response = account.api.post("/api/3/lists/", json={"list": {"name": "Just A Name"}})  # [AC3]'s trailing slash
    assert response.status_code == 200
    assert response.json()["list"]["stringid"] == "just-a-name"
    missing = account.api.post("/api/3/lists", json={"list": {"stringid": "x"}})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["source"] == {"pointer": "/data/attributes/name"}


def test_get_update_delete_list(account: Account) -> None:
    created = make_list(account)
    assert account.api.get(f"/api/3/lists/{created['id']}").json() == {"list": created}
    updated = account.api.put(
        f"/api/3/lists/{created['id']}", json={"list": {"name": "Weekly", "send_last_broadcast": True}}
    )
    assert updated.status_code == 200
    assert updated.json()["list"]["name"] == "Weekly"
    assert updated.json()["list"]["send_last_broadcast"] == "1"
    assert updated.json()["list"]["stringid"] == "news"
    assert account.api.delete(f"/api/3/lists/{created['id']}").json() == {}
    missing = account.api.get(f"/api/3/lists/{created['id']}")
    assert missing.status_code == 404
    assert missing.json() == {"message": f"No Result found for _List with id {created['id']}"}
    again = account.api.delete(f"/api/3/lists/{created['id']}")  # documented as 403
    assert again.status_code == 403
    assert again.json() == missing.json()


def test_list_lists_filters_and_orders(account: Account) -> None:
    for name in ("Beta", "alpha", "Alphabet"):
        make_list(account, name=name)
    body = account.api.get("/api/3/lists").json()
    assert body["meta"] == {"total": "3"}
    names = lambda **p: [x["name"] for x in account.api.get("/api/3/lists", params=p).json()["lists"]]  # noqa: E731
    assert names(**{"filters[name]": "alpha"}) == ["alpha", "Alphabet"]
    assert names(**{"orders[name]": "ASC"}) == ["alpha", "Alphabet", "Beta"]
    assert names(limit=1, offset=2) == ["Alphabet"]


def test_subscribe_unsubscribe_keeps_the_row(account: Account) -> None:
    contact = account.create_contact("sub@example.com", firstName="Ada")
    news = make_list(account)
    reply = subscribe(account, contact["id"], news["id"])
    assert set(reply) == {"contacts", "contactList"}
    assert reply["contacts"][0]["id"] == contact["id"]
    membership = reply["contactList"]
    assert set(membership) == MEMBERSHIP_KEYS
    assert membership["status"] == 1  # the POST reply echoes an int
    assert membership["first_name"] == "Ada"
    again = subscribe(account, contact["id"], news["id"], status=2)["contactList"]
    assert again["id"] == membership["id"]
    assert again["status"] == 2
    rows = account.api.get(f"/api/3/contacts/{contact['id']}/contactLists").json()
    assert list(rows) == ["contactLists"]
    assert [(r["id"], r["status"]) for r in rows["contactLists"]] == [(membership["id"], "2")]
    assert account.api.get(f"/api/3/lists/{news['id']}").json()["list"]["active_subscribers"] == "0"
    for link in ("list", "contact"):
        assert account.api.get(rows["contactLists"][0]["links"][link]).status_code == 200


def test_contact_lists_errors(account: Account) -> None:
    contact = account.create_contact("err@example.com")
    news = make_list(account)
    assert subscribe(account, contact["id"], news["id"], status=7, expect=400) == {}
    assert account.api.post("/api/3/contactLists", json={"contactList": {"list": news["id"]}}).json() == {}
    unknown_list = account.api.post(
        "/api/3/contactLists", json={"contactList": {"list": "999999", "contact": contact["id"], "status": 1}}
    )
    assert unknown_list.status_code == 404
    assert unknown_list.json() == {"message": "No Result found for _List with id 999999"}
    unknown_contact = account.api.get("/api/3/contacts/999999/contactLists")
    assert unknown_contact.status_code == 404
    assert unknown_contact.json() == {"message": "No Result found for Subscriber with id 999999"}


def test_contacts_by_list_and_status(account: Account) -> None:
    news = make_list(account)
    a = account.create_contact("a@example.com")
    b = account.create_contact("b@example.com")
    account.create_contact("c@example.com")
    subscribe(account, a["id"], news["id"])
    subscribe(account, b["id"], news["id"], status=2)
    emails = lambda **p: [c["email"] for c in account.api.get("/api/3/contacts", params=p).json()["contacts"]]  # noqa: E731
    assert emails(listid=news["id"]) == ["a@example.com", "b@example.com"]
    assert emails(listid=news["id"], status=1) == ["a@example.com"]
    assert emails(listid=news["id"], status=2) == ["b@example.com"]
    assert emails(status=-1) == ["a@example.com", "b@example.com", "c@example.com"]
    meta = account.api.get("/api/3/contacts", params={"listid": news["id"], "status": 1}).json()["meta"]
    assert (meta["page_input"]["listid"], meta["page_input"]["status"], meta["total"]) == (int(news["id"]), 1, "1")


def test_account_wide_memberships_and_cascades(account: Account) -> None:
    news = make_list(account)
    other = make_list(account, name="Other")
    a = account.create_contact("a@example.com")
    subscribe(account, a["id"], news["id"])
    subscribe(account, a["id"], other["id"])
    assert account.api.get("/api/3/contactLists").json()["meta"] == {"total": "2"}
    assert account.api.get("/api/3/contactLists", params={"filters[list]": other["id"]}).json()["meta"] == {
        "total": "1"
    }
    account.api.delete(f"/api/3/lists/{other['id']}")
    assert account.api.get("/api/3/contactLists").json()["meta"] == {"total": "1"}
    account.api.delete(f"/api/3/contacts/{a['id']}")
    assert account.api.get("/api/3/contactLists").json() == {"contactLists": [], "meta": {"total": "0"}}


def test_contact_detail_sideloads_lists_and_their_ids(account: Account) -> None:
    news = make_list(account)
    a = account.create_contact("side@example.com")
    membership = subscribe(account, a["id"], news["id"])["contactList"]
    body = account.api.get(f"/api/3/contacts/{a['id']}").json()
    assert [m["id"] for m in body["contactLists"]] == [membership["id"]]
    assert body["contactLists"][0]["status"] == "1"
    assert body["contact"]["contactLists"] == [membership["id"]]


def test_list_events_are_published_on_status_changes(live: LiveServer, account: Account) -> None:
    seen: list[Any] = []
    bus = live.app.state.store.bus
    bus.subscribe(ListSubscribed, lambda _tx, e: seen.append(e))
    bus.subscribe(ListUnsubscribed, lambda _tx, e: seen.append(e))
    news = make_list(account)
    a = account.create_contact("events@example.com")
    for status in (1, 1, 2, 2, 1):
        subscribe(account, a["id"], news["id"], status=status)
    mine = [type(e) for e in seen if e.contact_id == int(a["id"])]
    assert mine == [ListSubscribed, ListUnsubscribed, ListSubscribed]


def test_lists_are_isolated_per_account(account: Account, other_account: Account) -> None:
    news = make_list(account)
    assert other_account.api.get(f"/api/3/lists/{news['id']}").status_code == 404
    theirs = other_account.create_contact("x@example.com")
    subscribe(other_account, theirs["id"], news["id"], expect=404)


def test_the_contact_object_carries_its_relation_ids_everywhere(account: Account) -> None:
    news = make_list(account)
    a = account.create_contact("ids@example.com")
    membership = subscribe(account, a["id"], news["id"])["contactList"]
    listed = account.api.get("/api/3/contacts", params={"email": "ids@example.com"}).json()["contacts"][0]
    assert listed["contactLists"] == [membership["id"]]
    assert listed["fieldValues"] == []
    updated = account.api.put(f"/api/3/contacts/{a['id']}", json={"contact": {"firstName": "Ida"}}).json()["contact"]
    assert updated["contactLists"] == [membership["id"]]
    synced = account.api.post("/api/3/contact/sync", json={"contact": {"email": "ids@example.com"}}).json()["contact"]
    assert synced["contactLists"] == [membership["id"]]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/3/lists", {"list": {"name": "Huge", "send_last_broadcast": 36893488147419103232}}),
        ("/api/3/lists", {"list": {"name": "Huge", "user": 2**40}}),
        ("/api/3/fields", {"field": {"title": "Huge", "type": "text", "rows": 2**63}}),
    ],
)
def test_a_huge_number_is_a_422_and_writes_nothing(account: Account, path: str, body: dict[str, Any]) -> None:
    response = account.api.post(path, json=body)
    assert response.status_code == 422
    assert "errors" in response.json()
    assert account.api.get(path).json()["meta"] == {"total": "0"}
