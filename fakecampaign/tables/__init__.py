"""SQLAlchemy Core tables. Importing this package registers every table here on ``METADATA``.

Plain ``Table`` objects rather than SQLModel classes: services write Core statements only, and building a
pydantic model and an ORM mapper per table (and importing ``sqlalchemy.orm``) cost ~0.18 s at every start
(README, Performance).
"""

from __future__ import annotations

from fakecampaign.tables.accounts import ACCOUNTS
from fakecampaign.tables.contacts import CONTACTS
from fakecampaign.tables.engine import (
    AUTOMATION_JOURNAL,
    AUTOMATION_RUNS,
    AUTOMATIONS,
    OUTBOX,
    WEBHOOK_DELIVERIES,
    WEBHOOKS,
)
from fakecampaign.tables.meta import METADATA
from fakecampaign.tables.tracking import ACTIVITIES, EVENT_JOURNAL, EVENT_NAMES, TRACKING_LOGS

__all__ = [
    "ACCOUNTS",
    "ACTIVITIES",
    "AUTOMATIONS",
    "AUTOMATION_JOURNAL",
    "AUTOMATION_RUNS",
    "CONTACTS",
    "EVENT_JOURNAL",
    "EVENT_NAMES",
    "METADATA",
    "OUTBOX",
    "TRACKING_LOGS",
    "WEBHOOKS",
    "WEBHOOK_DELIVERIES",
]
