"""How to check what your code did to a contact's tags, lists and custom fields.

Declare tags, lists and fields (and each contact's memberships and values) in the marker's fixtures, let the
code under test call the v3 API, then assert with ``assert_tagged``, ``assert_subscribed`` and
``field_value``. A failed assertion lists the near misses: the contact's other tags, where the tag is, lists
the contact is on (and with which status), names spelt almost the same.
"""

from __future__ import annotations

import pytest

from fakecampaign.testing import FakecampaignAccount

SHOP = {
    "tags": ["VIP"],
    "lists": ["Newsletter"],
    "fields": [{"title": "Favourite colour", "type": "dropdown", "options": ["Blue", "Red"]}],
    "contacts": [{"email": "ada@example.com", "lists": ["Newsletter"], "fields": {"Favourite colour": "Blue"}}],
}


def upgrade_customer(fakecampaign: FakecampaignAccount, email: str) -> None:
    """Stands in for the code under test: it tags a customer and changes a field, as an app would."""
    contact = fakecampaign.api("GET", "/api/3/contacts", params={"email": email})["contacts"][0]
    tag = fakecampaign.api("GET", "/api/3/tags", params={"search": "VIP"})["tags"][0]
    fakecampaign.api(
        "POST", "/api/3/contactTags", expect=201, body={"contactTag": {"contact": contact["id"], "tag": tag["id"]}}
    )
    field = fakecampaign.api("GET", "/api/3/fields", params={"filters[perstag]": "FAVOURITE_COLOUR"})["fields"][0]
    body = {"fieldValue": {"contact": contact["id"], "field": field["id"], "value": "Red"}}
    fakecampaign.api("POST", "/api/3/fieldValues", body=body)


@pytest.mark.fakecampaign(fixtures=SHOP)
def test_tags_lists_and_fields(fakecampaign: FakecampaignAccount) -> None:
    upgrade_customer(fakecampaign, "ada@example.com")

    fakecampaign.assert_tagged("ada@example.com", "VIP")
    fakecampaign.assert_subscribed("ada@example.com", "Newsletter")
    assert fakecampaign.field_value("ada@example.com", "Favourite colour") == "Red"


@pytest.mark.fakecampaign(fixtures=SHOP)
def test_a_failure_names_the_near_misses(fakecampaign: FakecampaignAccount) -> None:
    with pytest.raises(AssertionError) as failure:
        fakecampaign.assert_tagged("ada@example.com", "vip ")
    assert "Did you mean: 'VIP'" in str(failure.value)

    with pytest.raises(AssertionError) as failure:
        fakecampaign.assert_tagged("ada@example.com", "VIP")
    assert "'ada@example.com' has tags: (none)" in str(failure.value)

    with pytest.raises(AssertionError) as failure:
        fakecampaign.assert_subscribed("ada@example.com", "Newsletter", status="unsubscribed")
    assert "is on: 'Newsletter (active)'" in str(failure.value)

    with pytest.raises(AssertionError) as failure:
        fakecampaign.field_value("ada@example.com", "Favorite colour")
    assert "Did you mean: 'Favourite colour'" in str(failure.value)

    assert fakecampaign.field_value("ada@example.com", "FAVOURITE_COLOUR") == "Blue"
