"""What the engine keeps: automations, their runs, the journal of triggers, the outbox, webhooks and deliveries."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String, Table

from fakecampaign.tables.meta import METADATA

# An automation defined by fixtures (AC has no API to create one); ``definition`` is its checked JSON.
AUTOMATIONS = Table(
    "automations",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False),
    Column("name", String, nullable=False),
    Column("trigger_kind", String, nullable=False),  # event, tag_added, tag_removed, list_subscribed, contact_created
    # The event name, tag name or list (empty for contact_created).
    Column("trigger_value", String, nullable=False, default=""),
    Column("definition", String, nullable=False),  # JSON: the whole normalized definition (trigger and steps)
    Column("active", Boolean, nullable=False, default=True),
    # The event name was whitelisted when the automation was defined (services/automations.define).
    Column("whitelist_gated", Boolean, nullable=False, default=False),
    Column("cdate", Integer, nullable=False),
    Column("mdate", Integer, nullable=False),
    Index("ix_automations_account", "account_id", "id"),
    # Every written event asks "which automations start on this name?": one index probe.
    Index("ix_automations_trigger", "account_id", "trigger_kind", "trigger_value"),
    sqlite_autoincrement=True,
)

# One contact's pass through an automation: AC's contactAutomation ("SubscriberSeries").
AUTOMATION_RUNS = Table(
    "automation_runs",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False),
    Column("automation_id", Integer, nullable=False),
    Column("contact_id", Integer, nullable=False),
    Column("status", String, nullable=False),  # running, waiting, completed, removed
    Column("step", Integer, nullable=False, default=0),  # index of the next step to run
    Column("resume_at", Integer),  # epoch seconds, while waiting
    Column("event_name", String),  # the triggering event, if an event started the run
    Column("event_data", String),
    Column("tracking_log_id", Integer),
    Column("started", Integer, nullable=False),
    Column("updated", Integer, nullable=False),
    Column("ended", Integer),
    Index("ix_automation_runs_contact", "account_id", "contact_id", "id"),
    Index("ix_automation_runs_due", "status", "resume_at"),
    sqlite_autoincrement=True,
)

# Every trigger considered for an automation: a run started, or why none did.
AUTOMATION_JOURNAL = Table(
    "automation_journal",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False),
    Column("automation_id", Integer, nullable=False),
    Column("contact_id", Integer),
    Column("email", String),
    Column("trigger", String, nullable=False),  # e.g. "event:file download request", "tag_added:vip"
    Column("outcome", String, nullable=False),  # started, not_fired, step, ended
    Column("reason", String),
    Column("run_id", Integer),
    Column("tstamp", Integer, nullable=False),
    Index("ix_automation_journal_account", "account_id", "id"),
    sqlite_autoincrement=True,
)

# An email an automation sent, rendered for its contact.
OUTBOX = Table(
    "outbox",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False),
    Column("automation_id", Integer, nullable=False),
    Column("automation_name", String, nullable=False),
    Column("run_id", Integer, nullable=False),
    Column("contact_id", Integer, nullable=False),
    Column("to", String, nullable=False),
    Column("to_key", String, nullable=False),  # lower-cased in Python (SQLite's lower() folds ASCII only), for ?to=
    Column("from_email", String, nullable=False),
    Column("subject", String, nullable=False),
    Column("text", String, nullable=False),
    Column("html", String),
    Column("event_name", String),
    Column("event_data", String),
    Column("tracking_log_id", Integer),
    Column("tstamp", Integer, nullable=False),
    Column("relay", String, nullable=False, default="off"),  # off, pending, sent, failed
    Column("relay_error", String),
    Index("ix_outbox_account", "account_id", "id"),
    sqlite_autoincrement=True,
)

# An account webhook (POST /api/3/webhooks).
WEBHOOKS = Table(
    "webhooks",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False),
    Column("name", String, nullable=False),
    Column("url", String, nullable=False),
    Column("events", String, nullable=False),  # JSON list
    Column("sources", String, nullable=False),  # JSON list
    Column("listid", Integer, nullable=False, default=0),
    Column("active", Boolean, nullable=False, default=True),
    Column("cdate", Integer, nullable=False),
    Column("deactivated", Integer),
    Index("ix_webhooks_account", "account_id", "id"),
    sqlite_autoincrement=True,
)

# One POST to make or made: an account webhook's event, or an automation's webhook step.
WEBHOOK_DELIVERIES = Table(
    "webhook_deliveries",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, nullable=False),
    Column("webhook_id", Integer),  # None: an automation's webhook step
    Column("automation_id", Integer),
    Column("type", String, nullable=False),  # the webhook event (subscribe, update, ...) or "automation"
    Column("email", String),
    Column("url", String, nullable=False),
    Column("payload", String, nullable=False),  # JSON list of [key, value] pairs, form-encoded when sent
    Column("status", String, nullable=False, default="pending"),  # pending, sending, delivered, failed
    Column("http_status", Integer),
    Column("duration_ms", Integer),
    Column("error", String),
    Column("created", Integer, nullable=False),
    Column("attempted", Integer),
    Index("ix_webhook_deliveries_account", "account_id", "id"),
    Index("ix_webhook_deliveries_status", "status", "id"),
    sqlite_autoincrement=True,
)
