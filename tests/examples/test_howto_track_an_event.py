"""How to check that your code tracked an event.

Ask for the ``fakecampaign`` fixture. Each test gets its own account on a real local server, and the account
is removed after the test. ``fakecampaign.event_url``, ``.actid`` and ``.event_key`` are what your code sends
to trackcmp.net's /event in production.
"""

from __future__ import annotations

import json

import httpx

from fakecampaign.testing import FakecampaignAccount


def record_signup(event_url: str, actid: str, key: str, email: str, plan: str) -> None:
    """The code under test: report a signup to ActiveCampaign the way the Event Tracking guide shows."""
    form = {
        "actid": actid,
        "key": key,
        "event": "signup",
        "eventdata": f"plan={plan}",
        "visit": json.dumps({"email": email}),
    }
    httpx.post(event_url, data=form).raise_for_status()


def test_signup_is_tracked(fakecampaign: FakecampaignAccount) -> None:
    # ActiveCampaign only writes events for people who are already contacts.
    fakecampaign.create_contact("ada@example.com", firstName="Ada")

    record_signup(fakecampaign.event_url, fakecampaign.actid, fakecampaign.event_key, "ada@example.com", "pro")

    # Passes when the event was written; on failure it lists the events that came close.
    fakecampaign.assert_event_tracked("ada@example.com", "signup", data="plan=pro")


def test_the_written_event_is_readable_through_the_v3_api(fakecampaign: FakecampaignAccount) -> None:
    fakecampaign.create_contact("ada@example.com")
    fakecampaign.track("ada@example.com", "signup", "plan=pro")  # the helper sends the same real form post

    [log] = fakecampaign.tracking_logs(email="ada@example.com")
    assert (log["type"], log["value"]) == ("signup", "plan=pro")

    # fakecampaign.client is an httpx.Client already pointed at the account, with its Api-Token.
    response = fakecampaign.client.get("/api/3/trackingLogs", params={"type": "signup"})
    assert response.json()["meta"]["total"] == "1"
