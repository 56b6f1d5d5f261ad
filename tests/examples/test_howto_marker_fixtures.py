"""How to start a test with data already in its account: ``@pytest.mark.fakecampaign``.

``fixtures=`` takes account data (the fixtures format: contacts, eventNames, events, tracking) as a dict, or
the path of a JSON file relative to the test file. A fixtures file with one account works too; its
credentials are ignored, since every test's account gets its own. ``tracking=False`` turns event tracking off.
``fakecampaign.reset()`` brings the account back to exactly this.
"""

from __future__ import annotations

import pytest

from fakecampaign.testing import FakecampaignAccount


@pytest.mark.fakecampaign(fixtures={"contacts": [{"email": "ada@example.com", "firstName": "Ada"}]})
def test_contacts_from_a_dict(fakecampaign: FakecampaignAccount) -> None:
    fakecampaign.track("ada@example.com", "login")

    fakecampaign.assert_event_tracked("ada@example.com", "login")


@pytest.mark.fakecampaign(fixtures="data/shop.json")
def test_contacts_names_and_past_events_from_a_file(fakecampaign: FakecampaignAccount) -> None:
    state = fakecampaign.state()

    assert [c["email"] for c in state["contacts"]] == ["ada@example.com", "grace@example.com"]
    assert state["eventNames"] == ["purchase"]
    assert [log["value"] for log in fakecampaign.tracking_logs(event="purchase")] == ["order=1041"]


@pytest.mark.fakecampaign(fixtures="data/shop.json", tracking=False)
def test_tracking_off_from_the_start(fakecampaign: FakecampaignAccount) -> None:
    fakecampaign.track("grace@example.com", "purchase")

    fakecampaign.assert_event_dropped("grace@example.com", "purchase", reason="tracking_disabled")


@pytest.mark.fakecampaign(fixtures="data/shop.json")
def test_reset_goes_back_to_the_marker_fixtures(fakecampaign: FakecampaignAccount) -> None:
    fakecampaign.create_contact("new@example.com")
    fakecampaign.seed({"contacts": [{"email": "seeded@example.com"}]})

    fakecampaign.reset()

    assert [c["email"] for c in fakecampaign.state()["contacts"]] == ["ada@example.com", "grace@example.com"]
