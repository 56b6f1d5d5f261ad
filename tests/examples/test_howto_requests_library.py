"""How to test code that uses ``requests`` (or any other HTTP client).

fakecampaign is a real HTTP server on a loopback port, so nothing is patched: whatever library your code
uses, point it at ``fakecampaign.base_url`` (the v3 API, with the ``Api-Token`` header) and
``fakecampaign.event_url`` (trackcmp.net's /event).
"""

from __future__ import annotations

import json
from typing import Any

import requests

from fakecampaign.testing import FakecampaignAccount


class ActiveCampaign:
    """The code under test: a tiny requests-based ActiveCampaign client."""

    def __init__(self, base_url: str, api_token: str, event_url: str, actid: str, event_key: str) -> None:
        self.session = requests.Session()
        self.session.headers["Api-Token"] = api_token
        self.base_url, self.event_url, self.actid, self.event_key = base_url, event_url, actid, event_key

    def sync_contact(self, email: str, first_name: str) -> dict[str, Any]:
        body = {"contact": {"email": email, "firstName": first_name}}
        response = self.session.post(f"{self.base_url}/api/3/contact/sync", json=body, timeout=5)
        response.raise_for_status()
        contact: dict[str, Any] = response.json()["contact"]
        return contact

    def track(self, email: str, event: str) -> None:
        form = {"actid": self.actid, "key": self.event_key, "event": event, "visit": json.dumps({"email": email})}
        requests.post(self.event_url, data=form, timeout=5).raise_for_status()


def client_for(fc: FakecampaignAccount) -> ActiveCampaign:
    return ActiveCampaign(fc.base_url, fc.api_token, fc.event_url, fc.actid, fc.event_key)


def test_sync_then_track_with_requests(fakecampaign: FakecampaignAccount) -> None:
    ac = client_for(fakecampaign)

    contact = ac.sync_contact("ada@example.com", "Ada")
    ac.track("ada@example.com", "checkout")

    assert contact["email"] == "ada@example.com"
    fakecampaign.assert_event_tracked("ada@example.com", "checkout")


def test_the_request_journal_shows_what_your_code_sent(fakecampaign: FakecampaignAccount) -> None:
    client_for(fakecampaign).sync_contact("ada@example.com", "Ada")

    [call] = fakecampaign.requests(path="/api/3/contact/sync")
    assert (call["method"], call["status"]) == ("POST", 201)
