"""How to test that your code survives ActiveCampaign's 429s and outages, and really waits as told.

``fakecampaign.fault(...)`` makes the next matching calls of the test's account fail (a status with AC's body,
latency, a connection reset or a hang) for the length of a ``with`` block; ``@pytest.mark.fakecampaign(rate_limit=N)``
turns on AC's limit of N v3 requests per second for the account (AC's own is 5). Afterwards the request journal
tells how many times the code called an endpoint and how far apart: ``fakecampaign.assert_called(...)``,
``fakecampaign.call_gaps(...)``, ``fakecampaign.calls(...)``.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

from fakecampaign.testing import FakecampaignAccount

SYNC = "/api/3/contact/sync"


class ActiveCampaign:
    """The code under test: retries 429 after the Retry-After it was given, and 5xx or a dropped connection
    after a short backoff, at most ``attempts`` times."""

    def __init__(self, base_url: str, api_token: str, *, attempts: int = 4, backoff: float = 0.05) -> None:
        self.session = requests.Session()
        self.session.headers["Api-Token"] = api_token
        self.base_url, self.attempts, self.backoff = base_url, attempts, backoff

    def sync_contact(self, email: str) -> dict[str, Any]:
        for attempt in range(1, self.attempts + 1):
            try:
                response = self.session.post(f"{self.base_url}{SYNC}", json={"contact": {"email": email}}, timeout=2)
            except requests.ConnectionError:
                if attempt == self.attempts:
                    raise
                time.sleep(self.backoff)
                continue
            if response.status_code == 429 and attempt < self.attempts:
                time.sleep(int(response.headers.get("Retry-After", "1")))
            elif response.status_code >= 500 and attempt < self.attempts:
                time.sleep(self.backoff * attempt)
            else:
                response.raise_for_status()
                contact: dict[str, Any] = response.json()["contact"]
                return contact
        raise AssertionError("unreachable")


def test_retries_through_a_503(fakecampaign: FakecampaignAccount) -> None:
    app = ActiveCampaign(fakecampaign.base_url, fakecampaign.api_token)

    with fakecampaign.fault(SYNC, method="POST", status=503, times=2) as outage:
        contact = app.sync_contact("ada@example.com")

    assert contact["email"] == "ada@example.com"
    assert outage.hits == 2
    calls = fakecampaign.assert_called("POST", SYNC, times=3)
    assert [call["status"] for call in calls] == [503, 503, 201]


def test_honours_retry_after_on_a_429(fakecampaign: FakecampaignAccount) -> None:
    app = ActiveCampaign(fakecampaign.base_url, fakecampaign.api_token)

    with fakecampaign.fault(SYNC, status=429, times=1, headers={"Retry-After": "1"}):
        app.sync_contact("ada@example.com")

    # Two calls, the retry at least the second the 429 asked for after the first.
    fakecampaign.assert_called("POST", SYNC, times=2, min_gap=1.0)


def test_survives_a_dropped_connection(fakecampaign: FakecampaignAccount) -> None:
    app = ActiveCampaign(fakecampaign.base_url, fakecampaign.api_token)

    with fakecampaign.fault(SYNC, reset=True, times=1):
        app.sync_contact("ada@example.com")

    assert [call["status"] for call in fakecampaign.calls("POST", SYNC)] == [0, 201]  # 0: no answer was sent


@pytest.mark.fakecampaign(rate_limit=2)
def test_a_batch_stays_under_acs_rate_limit(fakecampaign: FakecampaignAccount) -> None:
    app = ActiveCampaign(fakecampaign.base_url, fakecampaign.api_token)

    for n in range(3):  # the third call in the same second gets AC's 429, and is retried a second later
        app.sync_contact(f"user{n}@example.com")

    statuses = [call["status"] for call in fakecampaign.calls("POST", SYNC)]
    assert statuses == [201, 201, 429, 201]
    assert fakecampaign.call_gaps("POST", SYNC)[-1] >= 1.0
