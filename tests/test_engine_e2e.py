"""End to end against a real ``fakecampaign serve``: the guide's "Using Events" section (an "Event is recorded"
automation emails the eventdata), and webhook deliveries in AC's form to a real local receiver."""

from __future__ import annotations

import json

import httpx

from tests.engine.receiver import Receiver
from tests.processes import serve

TOKEN = {"Api-Token": "fake-api-token"}
EVENT = "file download request"
FILE_URL = "https://www.yoursite.com/downloads/file.pdf"
AUTOMATIONS = {
    "automations": [
        {
            "name": "Send the file",
            "trigger": {"event": EVENT},
            "actions": [
                {
                    "send_email": {
                        "subject": "Your file",
                        "body": "Hello %FIRSTNAME%!\n\nHere is your file link:\n\n%EVENT: file download request%",
                    }
                }
            ],
        }
    ]
}


def test_using_events_against_fakecampaign_serve() -> None:
    with serve() as served, httpx.Client(base_url=served.url, timeout=10) as client:
        # The guide's earlier steps: tracking on, the event name whitelisted, a contact.
        assert client.post("/api/3/eventTracking", headers=TOKEN, json={"eventTracking": {"enabled": True}}).is_success
        whitelisted = client.post(
            "/api/3/eventTrackingEvents", headers=TOKEN, json={"eventTrackingEvent": {"name": EVENT}}
        )
        assert whitelisted.status_code == 201
        contact = {"contact": {"email": "johndoe@example.com", "firstName": "John", "lastName": "Doe"}}
        assert client.post("/api/3/contacts", headers=TOKEN, json=contact).status_code == 201
        # "Using Events": the automation (AC has no API for it: the seed defines it) ...
        assert client.post("/_fakecampaign/seed", params={"account": "fake"}, json=AUTOMATIONS).status_code == 200
        # ... and the event, posted as the guide posts it.
        form = {
            "actid": "123456789",
            "key": "fake-event-key",
            "event": EVENT,
            "eventdata": FILE_URL,
            "visit": json.dumps({"email": "johndoe@example.com"}),
        }
        assert client.post("/event", data=form).json() == {"success": 1, "message": "Event spawned"}
        emails = client.get("/_fakecampaign/outbox", params={"account": "fake"}).json()["emails"]
    assert [(e["to"], e["subject"], e["text"]) for e in emails] == [
        ("johndoe@example.com", "Your file", f"Hello John!\n\nHere is your file link:\n\n{FILE_URL}")
    ]


def test_webhooks_reach_a_local_receiver_in_acs_form() -> None:
    with Receiver() as receiver, serve() as served, httpx.Client(base_url=served.url, timeout=10) as client:
        hook = {
            "webhook": {
                "name": "receiver",
                "url": receiver.url + "/ac",
                "events": ["subscribe", "update", "contact_tag_added"],
                "sources": ["public", "admin", "api", "system"],
            }
        }
        assert client.post("/api/3/webhooks", headers=TOKEN, json=hook).status_code == 201
        created = client.post("/api/3/contacts", headers=TOKEN, json={"contact": {"email": "jane@example.com"}})
        cid = created.json()["contact"]["id"]
        changed = client.put(f"/api/3/contacts/{cid}", headers=TOKEN, json={"contact": {"firstName": "Jane"}})
        assert changed.status_code == 200
        tag = client.post("/api/3/tags", headers=TOKEN, json={"tag": {"tag": "customer", "tagType": "contact"}})
        link = {"contactTag": {"contact": cid, "tag": tag.json()["tag"]["id"]}}
        assert client.post("/api/3/contactTags", headers=TOKEN, json=link).status_code == 201
        waited = client.post("/_fakecampaign/webhooks/wait", params={"account": "fake"}).json()
        assert waited["complete"] is True
        forms = receiver.forms()
    assert [f["type"] for f in forms] == ["subscribe", "update", "contact_tag_added"]
    assert all(f["contact[email]"] == "jane@example.com" and f["contact[id]"] == cid for f in forms)
    assert forms[1]["contact[first_name]"] == "Jane"
    assert (forms[2]["tag"], forms[2]["contact[tags]"]) == ("customer", "customer")
    assert {"date_time", "initiated_by", "initiated_from", "list"} <= set(forms[0])
