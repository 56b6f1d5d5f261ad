"""The public surface is exactly what is listed, and every listed name resolves (lazily)."""

from __future__ import annotations

import fakecampaign
import fakecampaign.testing
from fakecampaign.app import create_app
from fakecampaign.config import Settings


def test_package_exports() -> None:
    assert fakecampaign.__all__ == ["Settings", "create_app"]
    assert fakecampaign.create_app is create_app
    assert fakecampaign.Settings is Settings


def test_testing_exports() -> None:
    expected = ["ControlPlane", "FakecampaignAccount", "FakecampaignError", "FakecampaignServer", "Fault", "LiveServer"]
    assert fakecampaign.testing.__all__ == expected
    for name in expected:
        assert getattr(fakecampaign.testing, name).__name__ == name
