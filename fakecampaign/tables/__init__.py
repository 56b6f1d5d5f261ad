"""SQLModel tables. Importing this package registers every table on ``SQLModel.metadata``."""

from __future__ import annotations

from sqlalchemy import Table
from sqlmodel import SQLModel

from fakecampaign.tables.accounts import Account
from fakecampaign.tables.contacts import Contact
from fakecampaign.tables.engine import (
    Automation,
    AutomationJournal,
    AutomationRun,
    OutboxEmail,
    Webhook,
    WebhookDelivery,
)
from fakecampaign.tables.tracking import Activity, EventJournal, EventName, TrackingLog

__all__ = [
    "Account",
    "Activity",
    "Automation",
    "AutomationJournal",
    "AutomationRun",
    "Contact",
    "EventJournal",
    "EventName",
    "OutboxEmail",
    "TrackingLog",
    "Webhook",
    "WebhookDelivery",
    "table",
]


def table(model: type[SQLModel]) -> Table:
    """The Core table behind a SQLModel table class, for the Core statements services write."""
    core: Table = model.__table__  # type: ignore[attr-defined]
    return core
