"""The plugin's tag, list and field assertions and their near-miss messages (fakecampaign/testing/crm.py)."""

from __future__ import annotations

import pytest

from fakecampaign.testing import crm

STATE = {
    "contacts": [{"id": "1", "email": "ada@example.com"}, {"id": "2", "email": "bob@example.com"}],
    "tags": [{"id": "10", "tag": "VIP"}, {"id": "11", "tag": "Lead"}],
    "contactTags": [{"id": "100", "contact": "2", "tag": "10"}, {"id": "101", "contact": "1", "tag": "11"}],
    "lists": [{"id": "5", "name": "Newsletter", "stringid": "newsletter"}],
    "contactLists": [{"id": "50", "contact": "1", "list": "5", "status": "2"}],
    "fields": [{"id": "7", "title": "Colour", "perstag": "COLOUR"}],
    "fieldValues": [{"id": "70", "contact": "1", "field": "7", "value": "Blue"}],
}


def test_a_match_returns_the_record() -> None:
    assert crm.assert_tagged(STATE, "acct", "BOB@example.com", "vip")["id"] == "100"
    assert crm.assert_subscribed(STATE, "acct", "ada@example.com", "newsletter", "unsubscribed")["id"] == "50"
    assert crm.field_value(STATE, "acct", "ada@example.com", "colour") == "Blue"
    assert crm.field_value(STATE, "acct", "bob@example.com", "COLOUR") is None


def test_tag_near_misses_name_the_contacts_tags_and_the_tags_contacts() -> None:
    with pytest.raises(AssertionError) as failure:
        crm.assert_tagged(STATE, "acct", "ada@example.com", "VIP")
    assert "'ada@example.com' has tags: 'Lead'" in str(failure.value)
    assert "'VIP' is on: 'bob@example.com'" in str(failure.value)


def test_an_unknown_contact_suggests_close_emails() -> None:
    with pytest.raises(AssertionError) as failure:
        crm.assert_tagged(STATE, "acct", "ada@exampel.com", "VIP")
    assert "no contact 'ada@exampel.com'" in str(failure.value)
    assert "Did you mean: 'ada@example.com'" in str(failure.value)


def test_list_near_misses_show_statuses() -> None:
    with pytest.raises(AssertionError) as failure:
        crm.assert_subscribed(STATE, "acct", "ada@example.com", "Newsletter")
    assert "is on: 'Newsletter (unsubscribed)'" in str(failure.value)
    with pytest.raises(AssertionError) as failure:
        crm.assert_subscribed(STATE, "acct", "ada@example.com", "Weekly")
    assert "no list 'Weekly'" in str(failure.value)
    assert "Its lists: 'Newsletter'" in str(failure.value)
