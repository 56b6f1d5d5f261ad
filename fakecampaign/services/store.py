"""What every service works on: the database and the clock, bundled so signatures stay short."""

from __future__ import annotations

from dataclasses import dataclass

from fakecampaign.clock import Clock
from fakecampaign.db import Database


@dataclass(frozen=True, slots=True)
class Store:
    db: Database
    clock: Clock
