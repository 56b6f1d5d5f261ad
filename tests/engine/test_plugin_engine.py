"""The plugin's engine helpers: emails(), assert_email_sent(), wait_for_webhooks(), assert_webhook_delivered()."""

from __future__ import annotations

import pytest

from fakecampaign.testing import FakecampaignAccount
from tests.engine.conftest import SEND_THE_FILE
from tests.engine.receiver import Receiver

pytest_plugins = ["pytester"]
ALL_SOURCES = ["public", "admin", "api", "system"]


@pytest.mark.fakecampaign(fixtures={"automations": [SEND_THE_FILE]})
def test_marker_automation_and_email_assertions(fakecampaign: FakecampaignAccount) -> None:
    fakecampaign.create_contact("ann@example.com", firstName="Ann")
    fakecampaign.track("ann@example.com", "file download request", "https://x.test/f.pdf")
    email = fakecampaign.assert_email_sent("ANN@example.com", subject="Your file", contains="https://x.test/f.pdf")
    assert email["text"].startswith("Hello Ann!")
    assert [e["subject"] for e in fakecampaign.emails(to="ann@example.com")] == ["Your file"]
    assert fakecampaign.emails(to="bob@example.com") == []
    assert fakecampaign.automation_journal()[0]["outcome"] == "started"


def test_webhook_helpers_wait_without_sleeping(fakecampaign: FakecampaignAccount) -> None:
    with Receiver() as receiver:
        hook = {"name": "r", "url": receiver.url, "events": ["subscribe"], "sources": ALL_SOURCES}
        fakecampaign.api("POST", "/api/3/webhooks", expect=201, body={"webhook": hook})
        fakecampaign.create_contact("ann@example.com")
        delivery = fakecampaign.assert_webhook_delivered("subscribe", "ann@example.com")
        assert delivery["http_status"] == 200
        assert len(receiver.received) == 1
        assert [d["type"] for d in fakecampaign.webhook_deliveries()] == ["subscribe"]
        with pytest.raises(AssertionError, match="Expected a delivered 'update' webhook"):
            fakecampaign.assert_webhook_delivered("update", "ann@example.com")


def test_assert_email_sent_failure_lists_near_misses(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import pytest

        @pytest.mark.fakecampaign(fixtures={{"automations": [{SEND_THE_FILE!r}]}})
        def test_it(fakecampaign):
            fakecampaign.create_contact("ann@example.com", firstName="Ann")
            fakecampaign.create_contact("bob@example.com")
            fakecampaign.track("ann@example.com", "file download request", "a.pdf")
            fakecampaign.track("bob@example.com", "file download request", "b.pdf")
            fakecampaign.assert_email_sent("ann@example.com", subject="Your file", contains="b.pdf")
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            ">*fakecampaign.assert_email_sent(*",
            "E*Expected an email to 'ann@example.com' with subject 'Your file' containing 'b.pdf'*",
            "E*Found 2 similar email(s):",
            "E*#* to 'ann@example.com' subject 'Your file'*[[]same recipient, but body without 'b.pdf'[]]",
            "E*#* to 'bob@example.com' subject 'Your file'*[[]same subject, sent to 'bob@example.com'[]]",
            "E*text of #*'Hello Ann!*a.pdf'",
        ]
    )
