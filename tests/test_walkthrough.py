"""The Contact Event Tracking API guide, step by step, on a fresh account (../shared/seed/000_ecc3f6c9e3e7914b.txt).

The guide's example bodies are copied below verbatim; the replies must have the same keys and the same JSON types,
and the same values wherever they do not depend on ids, times or the host.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from fakecampaign.testing.server import LiveServer
from tests.conftest import Account, new_account

GUIDE_EVENT = "file download request"
GUIDE_EVENTDATA = "https://www.yoursite.com/downloads/file.pdf"

GUIDE_STATUS = {"eventTracking": {"enabled": True}}
GUIDE_CREATE_NAME = {"eventTrackingEvent": {"name": "file download request"}}
GUIDE_NAMES = {"eventTrackingEvents": [{"name": "file download request"}], "meta": {"total": 1}}
GUIDE_SPAWNED = {"success": 1, "message": "Event spawned"}
GUIDE_TRACKING_LOG = {
    "subscriberid": "157",
    "type": "file download request",
    "value": "https://www.yoursite.com/downloads/file.pdf",
    "tstamp": "2023-03-01T15:36:03-06:00",
    "hash": "1b93f93c256d087df3778b97577232a1772b4d7f",
    "links": {"contact": "https://{{yourAccountName}}.api-us1.com/api/3/trackingLogs/27/contact"},
    "id": "27",
    "contact": "157",
}
GUIDE_ACTIVITIES = {
    "trackingLogs": [GUIDE_TRACKING_LOG],
    "activities": [
        {
            "tstamp": "2023-03-01T15:36:03-06:00",
            "subscriberid": "157",
            "reference_type": "TrackingLog",
            "reference_id": "27",
            "reference_action": "file download request",
            "jsonData": None,
            "userid": "0",
            "permission": "",
            "referenceModelName": "tracking-log",
            "reference": {"type": "tracking-log", "id": "27"},
            "links": {
                "user": "https://{{yourAccountName}}.api-us1.com/api/3/activities/483/user",
                "recipients": "https://{{yourAccountName}}.api-us1.com/api/3/activities/483/recipients",
                "reference": "https://{{yourAccountName}}.api-us1.com/api/3/activities/483/reference",
                "notes": "https://{{yourAccountName}}.api-us1.com/api/3/activities/483/notes",
            },
            "id": "483",
            "user": None,
        }
    ],
    "meta": {"total": "1"},
}
GUIDE_CONTACT_LOGS = {"trackingLogs": [GUIDE_TRACKING_LOG]}
GUIDE_HOST = "https://{{yourAccountName}}.api-us1.com"
ISO_WITH_OFFSET = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


def assert_same_shape(actual: Any, guide: Any, where: str = "$") -> None:
    """Same keys and JSON types as the guide's example, recursively (lists: each item against the first)."""
    assert type(actual) is type(guide), f"{where}: {type(actual).__name__} != guide's {type(guide).__name__}"
    if isinstance(guide, dict):
        assert set(actual) == set(guide), f"{where}: keys {sorted(actual)} != guide's {sorted(guide)}"
        for key, value in guide.items():
            assert_same_shape(actual[key], value, f"{where}.{key}")
    elif isinstance(guide, list):
        assert len(actual) == len(guide), f"{where}: {len(actual)} items, guide shows {len(guide)}"
        for i, item in enumerate(actual):
            assert_same_shape(item, guide[0], f"{where}[{i}]")


def expected_values(guide: Any, ids: dict[str, str], host: str) -> Any:
    """The guide's example with its ids and host replaced by ours; times and hashes are left for the caller."""
    if isinstance(guide, dict):
        return {key: expected_values(value, ids, host) for key, value in guide.items()}
    if isinstance(guide, list):
        return [expected_values(item, ids, host) for item in guide]
    if isinstance(guide, str):
        if guide in ids:
            return ids[guide]
        if guide.startswith(GUIDE_HOST):
            path = re.sub(r"/(\d+)/", lambda m: f"/{ids.get(m.group(1), m.group(1))}/", guide[len(GUIDE_HOST) :])
            return host + path
    return guide


def without_times_and_hashes(body: Any) -> Any:
    if isinstance(body, dict):
        return {k: without_times_and_hashes(v) for k, v in body.items() if k not in {"tstamp", "hash"}}
    if isinstance(body, list):
        return [without_times_and_hashes(item) for item in body]
    return body


@pytest.fixture
def fresh(live: LiveServer) -> Iterator[Account]:
    """A new account with tracking off, so the guide's first step has something to do."""
    acct = new_account(live.url, tracking=False)
    yield acct
    acct.raw.delete(f"/_fakecampaign/accounts/{acct.name}")
    acct.api.close()
    acct.raw.close()


def test_event_tracking_guide_walkthrough(fresh: Account, live: LiveServer) -> None:
    api = fresh.api
    assert api.get("/api/3/eventTracking").json() == {"eventTracking": {"enabled": False}}

    # 1. Turn Event Tracking on with the guide's verb (POST), then read the status back.
    turned_on = api.post("/api/3/eventTracking", json={"eventTracking": {"enabled": True}})
    assert (turned_on.status_code, turned_on.json()) == (200, GUIDE_STATUS)
    status = api.get("/api/3/eventTracking")
    assert (status.status_code, status.json()) == (200, GUIDE_STATUS)

    # 2. Whitelist "file download request" and list the names.
    created = api.post("/api/3/eventTrackingEvents", json=GUIDE_CREATE_NAME)
    assert (created.status_code, created.json()) == (201, GUIDE_CREATE_NAME)
    names = api.get("/api/3/eventTrackingEvents")
    assert names.status_code == 200
    assert_same_shape(names.json(), GUIDE_NAMES)
    assert names.json() == GUIDE_NAMES

    # 3. Events must be connected to an existing contact.
    contact = fresh.create_contact("walkthrough@example.com")
    cid = contact["id"]

    # 4. POST https://trackcmp.net/event with the guide's form data.
    spawned = fresh.raw.post(
        "/event",
        data={
            "actid": fresh.actid,
            "key": fresh.event_key,
            "event": GUIDE_EVENT,
            "eventdata": GUIDE_EVENTDATA,
            "visit": '{"email":"walkthrough@example.com"}',
        },
    )
    assert spawned.status_code == 200
    assert spawned.headers["content-type"] == "application/json"
    assert spawned.json() == GUIDE_SPAWNED

    # 5. GET /activities?contact=ID: the guide's body, with our ids, host, times and hash.
    activities = api.get("/api/3/activities", params={"contact": cid})
    assert activities.status_code == 200
    body = activities.json()
    assert_same_shape(body, GUIDE_ACTIVITIES)
    [log] = body["trackingLogs"]
    [activity] = body["activities"]
    host = live.url
    ids = {"157": cid, "27": log["id"], "483": activity["id"]}
    assert without_times_and_hashes(body) == without_times_and_hashes(expected_values(GUIDE_ACTIVITIES, ids, host))
    assert ISO_WITH_OFFSET.fullmatch(log["tstamp"])
    assert activity["tstamp"] == log["tstamp"]
    assert re.fullmatch(r"[0-9a-f]{40}", log["hash"])

    # 6. GET /contacts/ID/trackingLogs: just the events, no meta, the same log as the activities' sideload.
    contact_logs = api.get(f"/api/3/contacts/{cid}/trackingLogs")
    assert contact_logs.status_code == 200
    assert_same_shape(contact_logs.json(), GUIDE_CONTACT_LOGS)
    assert contact_logs.json() == {"trackingLogs": [log]}
    expected_log = expected_values(GUIDE_TRACKING_LOG, ids, host)
    assert without_times_and_hashes(log) == without_times_and_hashes(expected_log)

    # 7. Delete the event name, URL-encoded as the guide says; the logged event stays.
    deleted = api.delete(api.base_url.copy_with(raw_path=b"/api/3/eventTrackingEvents/file%20download%20request"))
    assert (deleted.status_code, deleted.json()) == (200, {})
    assert api.get("/api/3/eventTrackingEvents").json() == {"eventTrackingEvents": [], "meta": {"total": 0}}
    assert api.get(f"/api/3/contacts/{cid}/trackingLogs").json() == {"trackingLogs": [log]}
    assert api.get("/api/3/activities", params={"contact": cid}).json() == body

    # And the journal saw exactly one written event.
    [entry] = fresh.journal()
    assert (entry["outcome"], entry["reason"], entry["tracking_log_id"]) == ("written", None, log["id"])
