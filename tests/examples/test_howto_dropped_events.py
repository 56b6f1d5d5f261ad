"""How to check that an event was *not* recorded, and why.

trackcmp.net answers ``{"success": 1, "message": "Event spawned"}`` even when it throws the event away (the
email is not a contact, or event tracking is off), so the reply alone cannot tell you. fakecampaign keeps a
journal of every /event call with its outcome; ``assert_event_dropped`` reads it.
"""

from __future__ import annotations

from fakecampaign.testing import FakecampaignAccount

SPAWNED = {"success": 1, "message": "Event spawned"}


def test_event_for_an_unknown_email_is_dropped(fakecampaign: FakecampaignAccount) -> None:
    reply = fakecampaign.track("stranger@example.com", "signup")

    assert reply == SPAWNED  # looks like success...
    fakecampaign.assert_event_dropped("stranger@example.com", "signup", reason="unknown_contact")  # ...but it is not
    assert fakecampaign.tracking_logs() == []


def test_events_are_dropped_while_tracking_is_off(fakecampaign: FakecampaignAccount) -> None:
    fakecampaign.create_contact("ada@example.com")
    fakecampaign.set_tracking(False)

    fakecampaign.track("ada@example.com", "signup")

    fakecampaign.assert_event_dropped("ada@example.com", "signup", reason="tracking_disabled")


def test_the_journal_shows_every_call_with_its_outcome(fakecampaign: FakecampaignAccount) -> None:
    fakecampaign.create_contact("ada@example.com")
    fakecampaign.track("ada@example.com", "signup")
    fakecampaign.track("bob@example.com", "signup")

    journal = fakecampaign.events(event="signup")
    assert [(e["email"], e["outcome"], e["reason"]) for e in journal] == [
        ("ada@example.com", "written", None),
        ("bob@example.com", "dropped", "unknown_contact"),
    ]
