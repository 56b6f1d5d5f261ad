"""What every service works on: the database and the clock, bundled so signatures stay short."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fakecampaign.bus import Bus
from fakecampaign.clock import Clock
from fakecampaign.db import Database
from fakecampaign.services.bounds import JournalBounds
from fakecampaign.services.faults import FaultRegistry

if TYPE_CHECKING:
    from fakecampaign.services.records import AccountRecord


@dataclass(frozen=True, slots=True)
class Store:
    db: Database
    clock: Clock
    bus: Bus = field(default_factory=Bus)  # domain events; app.py subscribes the engine
    # Api-Token -> account, so a v3 call costs no lookup; services/accounts.py empties it on every account
    # write. Valid because one process owns the database (README "Durability").
    tokens: dict[str, AccountRecord] = field(default_factory=dict)
    actids: dict[str, AccountRecord] = field(default_factory=dict)  # the same for trackcmp's actid
    journal_bounds: JournalBounds = field(default_factory=JournalBounds)  # /event journal caps (bounds.py)
    faults: FaultRegistry = field(default_factory=FaultRegistry)  # rate limits and fault rules, in memory
