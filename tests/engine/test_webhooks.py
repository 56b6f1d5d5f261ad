"""Account webhooks: AC's CRUD shapes and errors, and AC-format form posts to a real local receiver."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest

from tests.conftest import Account
from tests.engine.conftest import wait_for_webhooks
from tests.engine.receiver import Receiver

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")
ALL_SOURCES = ["public", "admin", "api", "system"]


def _hook(account: Account, url: str, events: list[str], **extra: Any) -> dict[str, Any]:
    body = {"webhook": {"name": "My Hook", "url": url, "events": events, "sources": ALL_SOURCES, **extra}}
    response = account.api.post("/api/3/webhooks", json=body)
    assert response.status_code == 201, response.text
    hook: dict[str, Any] = response.json()["webhook"]
    return hook


def test_create_answers_acs_shape(acct: Account) -> None:
    hook = _hook(acct, "http://example.com/my-hook", ["subscribe", "unsubscribe", "sent"])
    assert set(hook) == {
        "cdate",
        "listid",
        "name",
        "url",
        "events",
        "sources",
        "links",
        "id",
        "state",
        "deactivated_date",
    }
    assert ISO.match(hook["cdate"])
    assert hook["listid"] == "0"
    assert (hook["name"], hook["url"]) == ("My Hook", "http://example.com/my-hook")
    assert hook["events"] == ["subscribe", "unsubscribe", "sent"]
    assert hook["sources"] == ALL_SOURCES
    assert hook["links"] == []
    assert isinstance(hook["id"], str)


def test_get_list_update_delete(acct: Account) -> None:
    hook = _hook(acct, "http://example.com/a", ["update"], listid=3)
    assert hook["listid"] == "3"
    assert acct.api.get(f"/api/3/webhooks/{hook['id']}").json() == {"webhook": hook}
    listed = acct.api.get("/api/3/webhooks").json()
    assert listed == {"webhooks": [hook], "meta": {"total": "1"}}
    assert acct.api.get("/api/3/webhooks", params={"filters[name]": "other"}).json()["meta"] == {"total": "0"}
    changed = acct.api.put(f"/api/3/webhooks/{hook['id']}", json={"webhook": {"name": "Renamed"}}).json()["webhook"]
    assert (changed["name"], changed["url"], changed["events"]) == ("Renamed", "http://example.com/a", ["update"])
    assert acct.api.delete(f"/api/3/webhooks/{hook['id']}").json() == {}
    missing = acct.api.get(f"/api/3/webhooks/{hook['id']}")
    assert (missing.status_code, missing.json()) == (
        404,
        {"message": f"No Result found for Webhook with id {hook['id']}"},
    )


@pytest.mark.parametrize(
    ("webhook", "pointer"),
    [
        ({"url": "http://x.test/", "events": ["update"], "sources": ["api"]}, "/data/attributes/name"),
        ({"name": "n", "events": ["update"], "sources": ["api"]}, "/data/attributes/url"),
        ({"name": "n", "url": "ftp://x", "events": ["update"], "sources": ["api"]}, "/data/attributes/url"),
        ({"name": "n", "url": "http://x.test/", "events": ["nope"], "sources": ["api"]}, "/data/attributes/events"),
        ({"name": "n", "url": "http://x.test/", "events": ["update"], "sources": ["web"]}, "/data/attributes/sources"),
    ],
)
def test_invalid_webhooks_are_refused_and_not_stored(acct: Account, webhook: dict[str, Any], pointer: str) -> None:
    response = acct.api.post("/api/3/webhooks", json={"webhook": webhook})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["source"]["pointer"] == pointer
    assert acct.api.get("/api/3/webhooks").json()["meta"] == {"total": "0"}


def test_webhook_events_list(acct: Account) -> None:
    body = acct.api.get("/api/3/webhook/events").json()
    assert body["meta"] == {"total": 25}
    assert {"subscribe", "unsubscribe", "update", "contact_tag_added", "deal_add"} <= set(body["webhookEvents"])
    assert acct.api.get("/api/3/webhooks/events").json() == body


def test_webhooks_are_per_account(acct: Account, other_account_on_engine: Account) -> None:
    hook = _hook(acct, "http://example.com/a", ["update"])
    response = other_account_on_engine.api.get(f"/api/3/webhooks/{hook['id']}")
    assert response.status_code == 404
    assert other_account_on_engine.api.delete(f"/api/3/webhooks/{hook['id']}").status_code == 404


def test_subscribe_and_update_reach_the_receiver_in_acs_form(acct: Account) -> None:
    with Receiver() as receiver:
        _hook(acct, receiver.url + "/hook", ["subscribe", "update"])
        contact = acct.create_contact("ann@example.com", firstName="Ann", lastName="Lee", phone="555")
        response = acct.api.put(f"/api/3/contacts/{contact['id']}", json={"contact": {"firstName": "Anna"}})
        assert response.status_code == 200
        deliveries = wait_for_webhooks(acct)
        assert [(d["type"], d["status"], d["http_status"]) for d in deliveries] == [
            ("subscribe", "delivered", 200),
            ("update", "delivered", 200),
        ]
        assert all(r.content_type == "application/x-www-form-urlencoded" for r in receiver.received)
        subscribe, update = receiver.forms()
    assert subscribe["type"] == "subscribe"
    assert ISO.match(subscribe["date_time"])
    assert (subscribe["initiated_from"], subscribe["initiated_by"], subscribe["list"]) == ("api", "api", "0")
    assert subscribe["contact[id]"] == contact["id"]
    assert subscribe["contact[email]"] == "ann@example.com"
    assert (subscribe["contact[first_name]"], subscribe["contact[last_name]"]) == ("Ann", "Lee")
    assert subscribe["contact[phone]"] == "555"
    assert subscribe["contact[tags]"] == ""
    assert (subscribe["customer_acct_id"], subscribe["orgname"]) == ("0", "")
    assert update["type"] == "update"
    assert update["contact[first_name]"] == "Anna"


def test_only_subscribed_events_and_sources_are_sent(acct: Account) -> None:
    with Receiver() as receiver:
        _hook(acct, receiver.url + "/updates", ["update"])
        admin_only = {"name": "admin", "url": receiver.url + "/admin", "events": ["subscribe"], "sources": ["admin"]}
        assert acct.api.post("/api/3/webhooks", json={"webhook": admin_only}).status_code == 201
        acct.create_contact("ann@example.com")
        assert wait_for_webhooks(acct) == []
        assert receiver.received == []


def test_an_update_that_changes_nothing_sends_nothing(acct: Account) -> None:
    with Receiver() as receiver:
        contact = acct.create_contact("ann@example.com", firstName="Ann")
        _hook(acct, receiver.url, ["update"])
        acct.api.put(f"/api/3/contacts/{contact['id']}", json={"contact": {"firstName": "Ann"}})
        assert wait_for_webhooks(acct) == []


def test_a_410_deactivates_the_webhook(acct: Account) -> None:
    with Receiver(status=410) as receiver:
        hook = _hook(acct, receiver.url, ["subscribe"])
        acct.create_contact("a@example.com")
        [delivery] = wait_for_webhooks(acct)
        assert (delivery["status"], delivery["http_status"], delivery["error"]) == ("failed", 410, "HTTP 410")
        stored = acct.api.get(f"/api/3/webhooks/{hook['id']}").json()["webhook"]
        assert stored["state"] == "0"
        assert ISO.match(stored["deactivated_date"])
        acct.create_contact("b@example.com")
        assert len(wait_for_webhooks(acct)) == 1  # nothing new is queued for a deactivated webhook
        assert len(receiver.received) == 1


def test_a_failed_delivery_is_logged_and_not_retried(acct: Account) -> None:
    with Receiver(status=500) as receiver:
        _hook(acct, receiver.url, ["subscribe"])
        acct.create_contact("a@example.com")
        [delivery] = wait_for_webhooks(acct)
        assert (delivery["status"], delivery["http_status"]) == ("failed", 500)
        assert isinstance(delivery["duration_ms"], int)
        assert len(wait_for_webhooks(acct)) == 1
        assert len(receiver.received) == 1


def test_an_unreachable_url_is_logged_with_its_error(acct: Account) -> None:
    with Receiver() as receiver:
        url = receiver.url
    _hook(acct, url, ["subscribe"])  # the receiver is closed: connection refused
    acct.create_contact("a@example.com")
    [delivery] = wait_for_webhooks(acct)
    assert delivery["status"] == "failed"
    assert delivery["http_status"] is None
    assert "Connect" in delivery["error"]


def test_delivery_happens_off_the_request_path(acct: Account) -> None:
    hang = threading.Event()
    with Receiver(hang=hang) as receiver:
        _hook(acct, receiver.url + "/slow", ["subscribe"])
        response = acct.api.post("/api/3/contacts", json={"contact": {"email": "a@example.com"}}, timeout=5)
        assert response.status_code == 201  # answered while the receiver is still blocked
        hang.set()
        [delivery] = wait_for_webhooks(acct)
        assert delivery["status"] == "delivered"


def test_an_automation_webhook_step_posts_the_contact_and_seriesid(acct: Account) -> None:
    with Receiver() as receiver:
        automation = {"name": "Notify", "trigger": {"event": "e"}, "actions": [{"webhook": {"url": receiver.url}}]}
        response = acct.raw.post(
            "/_fakecampaign/seed", params={"account": acct.name}, json={"automations": [automation]}
        )
        assert response.status_code == 200
        acct.create_contact("ann@example.com", firstName="Ann")
        acct.track("ann@example.com", "e", "x")
        [delivery] = wait_for_webhooks(acct)
        [form] = receiver.forms()
    assert delivery["type"] == "automation"
    assert form["contact[email]"] == "ann@example.com"
    assert form["contact[first_name]"] == "Ann"
    [auto] = acct.api.get("/api/3/automations").json()["automations"]
    assert form["seriesid"] == auto["id"]
    assert "type" not in form


def test_event_names_from_acs_listid_note_are_accepted(acct: Account) -> None:
    hook = _hook(acct, "http://example.com/a", ["account_add", "contact_task_add"])
    assert hook["events"] == ["account_add", "contact_task_add"]
