"""fakecampaign: a local, offline fake of ActiveCampaign's event-tracking surface.

Names are imported on first use: the pytest plugin imports this package in every pytest run of every project
that installs it, and must not pay for FastAPI and SQLAlchemy until a test asks for the fake.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fakecampaign.app import create_app
    from fakecampaign.config import Settings

__all__ = ["Settings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from fakecampaign.app import create_app

        return create_app
    if name == "Settings":
        from fakecampaign.config import Settings

        return Settings
    raise AttributeError(f"module 'fakecampaign' has no attribute {name!r}")
