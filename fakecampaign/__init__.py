"""fakecampaign: a local, offline fake of ActiveCampaign's event-tracking surface."""

from __future__ import annotations

from fakecampaign.app import create_app
from fakecampaign.config import Settings

__all__ = ["Settings", "create_app"]
