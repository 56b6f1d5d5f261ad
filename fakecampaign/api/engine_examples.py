"""Examples for /docs of the engine's routes, rendered by the same wire builders the routes use (the guide's
"Using Events" automation, AC's webhook documentation example)."""

from __future__ import annotations

import json

from fakecampaign.api.examples import BASE_URL, CONTACT, T0
from fakecampaign.engine.outbox import EmailRecord
from fakecampaign.schemas.common import StringTotal, iso
from fakecampaign.schemas.engine import (
    AutomationEnvelope,
    AutomationJournalOut,
    AutomationOut,
    AutomationsEnvelope,
    AutomationsMeta,
    ClockOut,
    ContactAutomationCreated,
    ContactAutomationEnvelope,
    ContactAutomationListEnvelope,
    ContactAutomationOut,
    ContactAutomationsEnvelope,
    DeliveriesOut,
    DeliveryOut,
    IntMeta,
    JournalLineOut,
    OutboxEmailOut,
    OutboxOut,
    RunsMeta,
    WebhookEnvelope,
    WebhookEventsEnvelope,
    WebhookOut,
    WebhooksEnvelope,
)
from fakecampaign.services.automations import AutomationRecord, AutomationSpec, JournalLine, RunRecord, StepSpec
from fakecampaign.services.webhooks import EVENTS, DeliveryRecord, WebhookRecord

EVENT = "file download request"
FILE = "https://www.yoursite.com/downloads/file.pdf"
BODY = "Hello %FIRSTNAME%!\n\nHere is your file link:\n\n%EVENT: file download request%"
SPEC = AutomationSpec(
    name="Send the file",
    trigger="event",
    value=EVENT,
    steps=(StepSpec("send_email", {"subject": "Your file", "body": BODY}),),
)
AUTOMATION = AutomationRecord(87, 1, SPEC.name, SPEC, True, T0, T0, entered=2, exited=2)
RUN = RunRecord(6, 1, 87, CONTACT.id, "completed", 1, None, EVENT, FILE, 5, T0, T0, T0, total_steps=1)
AUTOMATION_OUT = AutomationOut.of(AUTOMATION, BASE_URL)
RUN_OUT = ContactAutomationOut.of(RUN, BASE_URL)

AUTOMATIONS = AutomationsEnvelope(automations=[AUTOMATION_OUT], meta=AutomationsMeta(total="1"))
ONE_AUTOMATION = AutomationEnvelope(automation=AUTOMATION_OUT)
RUN_CREATED = ContactAutomationCreated.of(CONTACT, RUN, BASE_URL)
RUNS = ContactAutomationListEnvelope(contactAutomations=[RUN_OUT], meta=RunsMeta(total="1"))
ONE_RUN = ContactAutomationEnvelope(contactAutomation=RUN_OUT)
RUNS_OF_CONTACT = ContactAutomationsEnvelope(contactAutomations=[RUN_OUT])
ENROLL_BODY = {"contactAutomation": {"contact": str(CONTACT.id), "automation": "87"}}

HOOK = WebhookRecord(
    1, 1, "My Hook", "http://example.com/my-hook", ("subscribe", "unsubscribe", "sent"), ("public", "system"), 0, True,
    T0, None,
)  # fmt: skip
WEBHOOK = WebhookEnvelope(webhook=WebhookOut.of(HOOK))
WEBHOOKS = WebhooksEnvelope(webhooks=[WebhookOut.of(HOOK)], meta=StringTotal(total="1"))
WEBHOOK_EVENTS = WebhookEventsEnvelope(webhookEvents=list(EVENTS), meta=IntMeta(total=len(EVENTS)))
WEBHOOK_BODY = {
    "webhook": {
        "name": "My Hook",
        "url": "http://example.com/my-hook",
        "events": ["subscribe", "unsubscribe", "sent"],
        "sources": ["public", "system"],
    }
}

EMAIL = EmailRecord(
    1, 1, 87, SPEC.name, 6, CONTACT.id, CONTACT.email, CONTACT.email, "youraccount@fakecampaign.invalid",
    "Your file", f"Hello John!\n\nHere is your file link:\n\n{FILE}", None, EVENT, FILE, 5, T0, "off", None,
)  # fmt: skip
OUTBOX = OutboxOut(emails=[OutboxEmailOut.of(EMAIL)])
JOURNAL = AutomationJournalOut(
    entries=[
        JournalLineOut.of(
            JournalLine(1, 87, SPEC.name, CONTACT.id, CONTACT.email, f"event:{EVENT}", "started", None, 6, T0)
        )
    ]
)
_PAYLOAD = [
    ("type", "subscribe"), ("date_time", iso(T0)), ("initiated_by", "api"), ("initiated_from", "api"), ("list", "0"),
    ("contact[id]", str(CONTACT.id)), ("contact[email]", CONTACT.email), ("contact[first_name]", "John"),
]  # fmt: skip
DELIVERY = DeliveryRecord(
    1, 1, 1, None, "subscribe", CONTACT.email, HOOK.url, json.dumps(_PAYLOAD), "delivered", 200, 12, None, T0, T0
)
DELIVERIES = DeliveriesOut(deliveries=[DeliveryOut.of(DELIVERY)])
CLOCK = ClockOut(now=iso(T0), resumed=1)
