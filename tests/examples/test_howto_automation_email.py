"""How to test that an event sends an email: an "Event is recorded" automation and the outbox.

AC has no API to create automations, so the test's account gets one from the marker's fixtures. When the app
posts the event, the automation's email lands in the outbox before the /event call is answered:
``assert_email_sent`` needs no wait. A failure lists the emails that came close.
"""

from __future__ import annotations

import json

import pytest
import requests

from fakecampaign.testing import FakecampaignAccount

SEND_THE_FILE = {
    "name": "Send the file",
    "trigger": {"event": "file download request"},
    "actions": [
        {
            "send_email": {
                "subject": "Your file",
                "body": "Hello %FIRSTNAME%!\n\nHere is your file link:\n\n%EVENT: file download request%",
            }
        }
    ],
}


def request_download(event_url: str, actid: str, key: str, email: str, link: str) -> None:
    """The app's code, as it talks to trackcmp.net."""
    form = {"actid": actid, "key": key, "event": "file download request", "eventdata": link}
    requests.post(event_url, data={**form, "visit": json.dumps({"email": email})}, timeout=5)


@pytest.mark.fakecampaign(fixtures={"automations": [SEND_THE_FILE]})
def test_the_download_link_is_emailed(fakecampaign: FakecampaignAccount) -> None:
    fakecampaign.create_contact("ada@example.com", firstName="Ada")

    link = "https://www.yoursite.com/downloads/file.pdf"
    request_download(fakecampaign.event_url, fakecampaign.actid, fakecampaign.event_key, "ada@example.com", link)

    email = fakecampaign.assert_email_sent("ada@example.com", subject="Your file", contains=link)
    assert email["text"] == f"Hello Ada!\n\nHere is your file link:\n\n{link}"


@pytest.mark.fakecampaign(fixtures={"automations": [SEND_THE_FILE]}, tracking=False)
def test_no_email_while_tracking_is_off(fakecampaign: FakecampaignAccount) -> None:
    fakecampaign.create_contact("ada@example.com")
    request_download(fakecampaign.event_url, fakecampaign.actid, fakecampaign.event_key, "ada@example.com", "x")

    assert fakecampaign.emails() == []
    [entry] = fakecampaign.automation_journal(outcome="not_fired")
    assert entry["reason"] == "event_dropped:tracking_disabled"
