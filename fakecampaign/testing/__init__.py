"""Using fakecampaign from tests: a live server in a thread, per-test accounts, assertion helpers."""

from __future__ import annotations

from fakecampaign.testing.server import LiveServer

__all__ = ["LiveServer"]
