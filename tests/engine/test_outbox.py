"""The outbox: rendering, the HTML part, filters, isolation, and the optional SMTP relay to a real server."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from fakecampaign.config import Settings
from fakecampaign.testing.server import LiveServer
from tests.conftest import Account
from tests.engine.conftest import made_account, outbox, seed
from tests.engine.smtp_receiver import SmtpReceiver


def _mail(**email: str) -> dict[str, object]:
    return {"name": "Mail", "trigger": {"event": "go"}, "actions": [{"send_email": email}]}


def test_personalization_tags(acct: Account) -> None:
    body = "%FIRSTNAME%|%LASTNAME%|%FULLNAME%|%EMAIL%|%PHONE%|%SUBSCRIBERID%|%EVENT: go%|%EVENT: earlier%|%UNKNOWN%"
    seed(acct, automations=[_mail(subject="For %firstname%", body=body)])
    contact = acct.create_contact("ann@example.com", firstName="Ann", lastName="Lee", phone="555")
    acct.track("ann@example.com", "earlier", "first")
    acct.track("ann@example.com", "earlier", "latest")
    acct.track("ann@example.com", "go", "now")
    [email] = outbox(acct)
    assert email["subject"] == "For Ann"
    assert email["text"] == f"Ann|Lee|Ann Lee|ann@example.com|555|{contact['id']}|now|latest|%UNKNOWN%"


def test_an_event_tag_for_an_event_never_sent_is_empty(acct: Account) -> None:
    seed(acct, automations=[_mail(subject="s", body="[%EVENT: never%]")])
    acct.create_contact("ann@example.com")
    acct.track("ann@example.com", "go", "x")
    assert outbox(acct)[0]["text"] == "[]"


def test_html_part_and_from(acct: Account) -> None:
    seed(acct, automations=[_mail(subject="s", html="<p>Hi <b>%FIRSTNAME%</b> &amp; co</p>", **{"from": "me@x.test"})])
    acct.create_contact("ann@example.com", firstName="Ann")
    acct.track("ann@example.com", "go", "")
    [email] = outbox(acct)
    assert email["html"] == "<p>Hi <b>Ann</b> &amp; co</p>"
    assert email["text"] == "Hi Ann & co"  # derived from the HTML when no text body is given
    assert email["from"] == "me@x.test"


def test_outbox_filters(acct: Account) -> None:
    seed(acct, automations=[_mail(subject="s", body="b")])
    for email in ("ann@example.com", "bob@example.com"):
        acct.create_contact(email)
        acct.track(email, "go", "")
    response = acct.raw.get("/_fakecampaign/outbox", params={"account": acct.name, "to": "BOB@example.com"})
    assert [e["to"] for e in response.json()["emails"]] == ["bob@example.com"]


def test_outbox_of_an_unknown_account_is_404(acct: Account) -> None:
    response = acct.raw.get("/_fakecampaign/outbox", params={"account": "no-such-account"})
    assert response.status_code == 404


def test_outboxes_are_per_account(acct: Account, other_account_on_engine: Account) -> None:
    seed(acct, automations=[_mail(subject="s", body="b")])
    acct.create_contact("ann@example.com")
    acct.track("ann@example.com", "go", "")
    assert len(outbox(acct)) == 1
    assert outbox(other_account_on_engine) == []


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpReceiver]:
    with SmtpReceiver() as receiver:
        yield receiver


@pytest.fixture(scope="module")
def relaying(smtp: SmtpReceiver) -> Iterator[LiveServer]:
    with LiveServer(Settings(smtp_url=smtp.url)) as server:
        yield server


def test_emails_are_relayed_to_a_real_smtp_server(relaying: LiveServer, smtp: SmtpReceiver) -> None:
    with made_account(relaying) as account:
        seed(account, automations=[_mail(subject="Hello %FIRSTNAME%", body="text part", html="<p>html part</p>")])
        account.create_contact("ann@example.com", firstName="Ann")
        account.track("ann@example.com", "go", "")
        # The relay runs off the request path; the webhook wait also drains pending relays.
        waited = account.raw.post("/_fakecampaign/webhooks/wait", params={"account": account.name})
        assert waited.status_code == 200
        [email] = outbox(account)
    assert (email["relay"], email["relay_error"]) == ("sent", None)
    [message] = smtp.messages
    assert (message["To"], message["Subject"]) == ("ann@example.com", "Hello Ann")
    parts = {part.get_content_type(): part.get_payload(decode=True) for part in message.walk()}
    assert parts["text/plain"].strip() == b"text part"  # type: ignore[union-attr]
    assert parts["text/html"].strip() == b"<p>html part</p>"  # type: ignore[union-attr]


def test_a_relay_failure_is_recorded_on_the_email() -> None:
    with SmtpReceiver() as closed:
        url = closed.url
    with LiveServer(Settings(smtp_url=url)) as server, made_account(server) as account:
        seed(account, automations=[_mail(subject="s", body="b")])
        account.create_contact("ann@example.com")
        account.track("ann@example.com", "go", "")
        httpx.post(f"{server.url}/_fakecampaign/webhooks/wait", params={"account": account.name}, timeout=20)
        [email] = outbox(account)
    assert email["relay"] == "failed"
    assert "Connection refused" in email["relay_error"] or "Errno" in email["relay_error"]
