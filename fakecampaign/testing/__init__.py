"""Using fakecampaign from tests: a live server in a thread, per-test accounts, assertion helpers.

The names load on first use, so that importing the pytest plugin does not load the server.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fakecampaign.testing.account import FakecampaignAccount
    from fakecampaign.testing.control import ControlPlane, FakecampaignError
    from fakecampaign.testing.faults import Fault
    from fakecampaign.testing.server import LiveServer
    from fakecampaign.testing.session import FakecampaignServer

__all__ = ["ControlPlane", "FakecampaignAccount", "FakecampaignError", "FakecampaignServer", "Fault", "LiveServer"]

_MODULES = {
    "ControlPlane": "control",
    "FakecampaignAccount": "account",
    "FakecampaignError": "control",
    "FakecampaignServer": "session",
    "Fault": "faults",
    "LiveServer": "server",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
