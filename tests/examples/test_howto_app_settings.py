"""How to point your own application at fakecampaign.

Most apps read ActiveCampaign's URL and keys from settings. Give your settings the test account's values in a
fixture of your own, and every test that uses it talks to its own fresh account.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import httpx
import pytest

from fakecampaign.testing import FakecampaignAccount


@dataclass(frozen=True)
class Settings:
    """The application's settings, read from the environment as in production."""

    ac_url: str
    ac_token: str
    ac_event_url: str
    ac_actid: str
    ac_event_key: str

    @classmethod
    def from_env(cls) -> Settings:
        return cls(*(os.environ[name] for name in ("AC_URL", "AC_TOKEN", "AC_EVENT_URL", "AC_ACTID", "AC_EVENT_KEY")))


def on_order_paid(settings: Settings, email: str, order_id: int) -> None:
    """Application code: make sure the buyer is a contact, then record the purchase."""
    headers = {"Api-Token": settings.ac_token}
    body = {"contact": {"email": email}}
    httpx.post(f"{settings.ac_url}/api/3/contact/sync", json=body, headers=headers).raise_for_status()
    form = {
        "actid": settings.ac_actid,
        "key": settings.ac_event_key,
        "event": "order paid",
        "eventdata": f"order={order_id}",
        "visit": json.dumps({"email": email}),
    }
    httpx.post(settings.ac_event_url, data=form).raise_for_status()


@pytest.fixture
def settings(fakecampaign: FakecampaignAccount, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("AC_URL", fakecampaign.base_url)
    monkeypatch.setenv("AC_TOKEN", fakecampaign.api_token)
    monkeypatch.setenv("AC_EVENT_URL", fakecampaign.event_url)
    monkeypatch.setenv("AC_ACTID", fakecampaign.actid)
    monkeypatch.setenv("AC_EVENT_KEY", fakecampaign.event_key)
    return Settings.from_env()


def test_order_paid_is_tracked(settings: Settings, fakecampaign: FakecampaignAccount) -> None:
    on_order_paid(settings, "ada@example.com", 1042)

    fakecampaign.assert_event_tracked("ada@example.com", "order paid", data="order=1042")
