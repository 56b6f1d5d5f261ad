"""How to check the deals your code creates or moves.

Declare pipelines (a title gives AC's default stages; or name the stages) and existing deals in the marker's
fixtures, let the code under test call the v3 API, then assert with ``assert_deal`` (optionally its status,
stage and value in cents). A failure lists the contact's deals and where a deal with that title is.
"""

from __future__ import annotations

import pytest

from fakecampaign.testing import FakecampaignAccount

PIPELINE = {
    "contacts": [{"email": "ada@example.com"}],
    "pipelines": [{"title": "Sales", "stages": ["Lead", "Proposal", "Closed"]}],
    "deals": [{"title": "Website rebuild", "contact": "ada@example.com", "stage": "Lead", "value": 250000}],
}


def close_won(fakecampaign: FakecampaignAccount, email: str, title: str) -> None:
    """The code under test: find the contact's deal and mark it won at the last stage."""
    contact = fakecampaign.api("GET", "/api/3/contacts", params={"email": email})["contacts"][0]
    deal = next(
        d for d in fakecampaign.api("GET", f"/api/3/contacts/{contact['id']}/deals")["deals"] if d["title"] == title
    )
    stages = fakecampaign.api("GET", f"/api/3/dealGroups/{deal['group']}")["dealStages"]
    fakecampaign.api("PUT", f"/api/3/deals/{deal['id']}", body={"deal": {"stage": stages[-1]["id"], "status": 1}})


@pytest.mark.fakecampaign(fixtures=PIPELINE)
def test_closing_a_deal(fakecampaign: FakecampaignAccount) -> None:
    close_won(fakecampaign, "ada@example.com", "Website rebuild")
    fakecampaign.assert_deal("ada@example.com", "Website rebuild", status="won", stage="Closed", value=250000)


@pytest.mark.fakecampaign(fixtures=PIPELINE)
def test_a_failure_lists_the_contacts_deals(fakecampaign: FakecampaignAccount) -> None:
    with pytest.raises(AssertionError, match=r"has deals: 'Website rebuild \(open, Lead, 250000 usd\)'"):
        fakecampaign.assert_deal("ada@example.com", "Website rebuild", status="won")
