"""What the engine keeps: automations, their runs, the journal of triggers, the outbox, webhooks and deliveries."""

from __future__ import annotations

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class Automation(SQLModel, table=True):
    """An automation defined by fixtures (AC has no API to create one); ``definition`` is its checked JSON."""

    __tablename__ = "automations"
    __table_args__ = (
        Index("ix_automations_account", "account_id", "id"),
        # Every written event asks "which automations start on this name?": one index probe.
        Index("ix_automations_trigger", "account_id", "trigger_kind", "trigger_value"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int
    name: str
    trigger_kind: str  # event, tag_added, tag_removed, list_subscribed, contact_created
    trigger_value: str = ""  # the event name, tag name or list (empty for contact_created)
    definition: str  # JSON: the whole normalized definition (trigger and steps)
    active: bool = True
    # The event name was whitelisted when the automation was defined (services/automations.define).
    whitelist_gated: bool = False
    cdate: int
    mdate: int


class AutomationRun(SQLModel, table=True):
    """One contact's pass through an automation: AC's contactAutomation ("SubscriberSeries")."""

    __tablename__ = "automation_runs"
    __table_args__ = (
        Index("ix_automation_runs_contact", "account_id", "contact_id", "id"),
        Index("ix_automation_runs_due", "status", "resume_at"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int
    automation_id: int
    contact_id: int
    status: str  # running, waiting, completed, removed
    step: int = 0  # index of the next step to run
    resume_at: int | None = None  # epoch seconds, while waiting
    event_name: str | None = None  # the triggering event, if an event started the run
    event_data: str | None = None
    tracking_log_id: int | None = None
    started: int
    updated: int
    ended: int | None = None


class AutomationJournal(SQLModel, table=True):
    """Every trigger considered for an automation: a run started, or why none did."""

    __tablename__ = "automation_journal"
    __table_args__ = (Index("ix_automation_journal_account", "account_id", "id"), {"sqlite_autoincrement": True})

    id: int | None = Field(default=None, primary_key=True)
    account_id: int
    automation_id: int
    contact_id: int | None = None
    email: str | None = None
    trigger: str  # e.g. "event:file download request", "tag_added:vip"
    outcome: str  # started, not_fired, step, ended
    reason: str | None = None
    run_id: int | None = None
    tstamp: int


class OutboxEmail(SQLModel, table=True):
    """An email an automation sent, rendered for its contact."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_account", "account_id", "id"), {"sqlite_autoincrement": True})

    id: int | None = Field(default=None, primary_key=True)
    account_id: int
    automation_id: int
    automation_name: str
    run_id: int
    contact_id: int
    to: str
    to_key: str  # lower-cased in Python (SQLite's lower() folds ASCII only), for ?to=
    from_email: str
    subject: str
    text: str
    html: str | None = None
    event_name: str | None = None
    event_data: str | None = None
    tracking_log_id: int | None = None
    tstamp: int
    relay: str = "off"  # off, pending, sent, failed
    relay_error: str | None = None


class Webhook(SQLModel, table=True):
    """An account webhook (POST /api/3/webhooks)."""

    __tablename__ = "webhooks"
    __table_args__ = (Index("ix_webhooks_account", "account_id", "id"), {"sqlite_autoincrement": True})

    id: int | None = Field(default=None, primary_key=True)
    account_id: int
    name: str
    url: str
    events: str  # JSON list
    sources: str  # JSON list
    listid: int = 0
    active: bool = True
    cdate: int
    deactivated: int | None = None


class WebhookDelivery(SQLModel, table=True):
    """One POST to make or made: an account webhook's event, or an automation's webhook step."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_account", "account_id", "id"),
        Index("ix_webhook_deliveries_status", "status", "id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int
    webhook_id: int | None = None  # None: an automation's webhook step
    automation_id: int | None = None
    type: str  # the webhook event (subscribe, update, ...) or "automation"
    email: str | None = None
    url: str
    payload: str  # JSON list of [key, value] pairs, form-encoded when sent
    status: str = "pending"  # pending, sending, delivered, failed
    http_status: int | None = None
    duration_ms: int | None = None
    error: str | None = None
    created: int
    attempted: int | None = None
