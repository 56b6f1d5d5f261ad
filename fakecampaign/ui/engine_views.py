"""What the UI shows of the engine's work: automations and their runs, the outbox, webhooks and deliveries,
read through their services (fakecampaign/services/automations.py, webhooks.py; engine/outbox.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fakecampaign.engine import outbox
from fakecampaign.services import automations, webhooks
from fakecampaign.services.automations import AutomationRecord, JournalLine, RunRecord
from fakecampaign.services.records import AccountRecord, ContactRecord
from fakecampaign.services.store import Store
from fakecampaign.services.webhooks import DeliveryRecord, WebhookRecord
from fakecampaign.ui.items import Item

SHOWN = 200


@dataclass(frozen=True, slots=True)
class AutomationsPage:
    automations: list[AutomationRecord]
    runs: list[RunRecord]
    journal: list[JournalLine]
    names: dict[int, str]


@dataclass(frozen=True, slots=True)
class WebhooksPage:
    webhooks: list[WebhookRecord]
    deliveries: list[DeliveryRecord]


def automations_page(store: Store, account: AccountRecord) -> AutomationsPage:
    found = automations.list_all(store, account=account)
    runs, total = automations.list_runs(store, account=account, query=automations.RunQuery(limit=SHOWN))
    if total > SHOWN:
        offset = total - SHOWN
        runs, _ = automations.list_runs(store, account=account, query=automations.RunQuery(limit=SHOWN, offset=offset))
    lines = automations.read_journal(store, account=account, limit=100_000)[-SHOWN:]  # oldest first: keep the end
    return AutomationsPage(found, list(reversed(runs)), list(reversed(lines)), {a.id: a.name for a in found})


# Remote images and scripts in an email must not load: the UI never fetches from outside, and Mailpit also
# blocks remote content by default. The sandboxed frame already refuses scripts; this refuses the rest.
EMAIL_CSP = (
    '<meta http-equiv="Content-Security-Policy" '
    "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:\">"
)


@dataclass(frozen=True, slots=True)
class Email:
    record: outbox.EmailRecord
    framed: str | None  # the HTML part for the sandboxed frame's srcdoc, behind the policy above


def emails(store: Store, account: AccountRecord) -> list[Email]:
    found = list(reversed(outbox.read(store, account=account, query=outbox.OutboxQuery())))[:SHOWN]
    return [Email(e, None if e.html is None else EMAIL_CSP + e.html) for e in found]


def webhooks_page(store: Store, account: AccountRecord) -> WebhooksPage:
    hooks, _ = webhooks.search(store, account=account, query=webhooks.WebhookQuery(limit=1000))
    sent = list(reversed(webhooks.deliveries(store, account=account, limit=100_000)))[:SHOWN]
    return WebhooksPage(hooks, sent)


def timeline_items(store: Store, account: AccountRecord, contact: ContactRecord) -> Iterable[Item]:
    """Automation runs, emails sent and webhook deliveries about this contact: a timeline source."""
    names = {a.id: a.name for a in automations.list_all(store, account=account)}
    for run in automations.runs_of_contact(store, account=account, contact_id=contact.id):
        title = f"Automation run: {names.get(run.automation_id, run.automation_id)}"
        progress = f"{run.status}, step {run.step} of {run.total_steps}"
        yield Item(run.started, "automation", title, progress, order=run.id)
    for email in outbox.read(store, account=account, query=outbox.OutboxQuery(to=contact.email)):
        yield Item(email.tstamp, "email", f"Email sent: {email.subject}", f"from {email.from_email}", order=email.id)
    for delivery in webhooks.deliveries(store, account=account, limit=100_000):
        if delivery.email is not None and delivery.email.casefold() == contact.email.casefold():
            http = f" {delivery.http_status}" if delivery.http_status else ""
            detail = f"{delivery.url} · {delivery.status}{http}"
            title = f"Webhook: {delivery.type}"
            yield Item(delivery.created, "webhook", title, detail, note=delivery.error, order=delivery.id)
