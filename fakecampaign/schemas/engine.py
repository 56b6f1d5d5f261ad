"""Wire shapes of automations, contactAutomations and webhooks (ac-api-facts-breadth.md §5.2, §6.1), and of
the control plane's outbox, automation journal and webhook delivery log."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from fakecampaign.engine.outbox import EmailRecord
from fakecampaign.schemas.common import Body, StringTotal, Wire, api_url, iso
from fakecampaign.schemas.contacts import ContactOut
from fakecampaign.services.automations import COMPLETED, AutomationRecord, JournalLine, RunRecord
from fakecampaign.services.records import ContactRecord
from fakecampaign.services.webhooks import DeliveryRecord, WebhookRecord

AUTOMATION_LINKS = (
    "campaigns",
    "contactGoals",
    "contactAutomations",
    "blocks",
    "goals",
    "sms",
    "sitemessages",
    "triggers",
)
ACTIVE, INACTIVE = 1, 2  # G91: AC's status 1 active, 2 inactive; an int as in the newer docs example


class AutomationOut(Wire):
    name: str
    cdate: str
    mdate: str
    userid: str = "1"
    status: int
    entered: str
    exited: str
    hidden: str = "0"
    entitlements_violation: str = "0"
    source: str = "0"
    description: str | None = None
    exit_on_unsubscribe: str = "0"
    exit_on_conversion: str = "0"
    multientry: str
    links: dict[str, str]
    id: str

    @classmethod
    def of(cls, record: AutomationRecord, base_url: str) -> AutomationOut:
        return cls.build(
            name=record.name,
            cdate=iso(record.cdate),
            mdate=iso(record.mdate),
            status=ACTIVE if record.active else INACTIVE,
            entered=str(record.entered),
            exited=str(record.exited),
            multientry="1" if record.spec.runs == "always" else "0",
            links={n: api_url(base_url, f"automations/{record.id}/{n}") for n in AUTOMATION_LINKS},
            id=str(record.id),
        )


class AutomationsMeta(StringTotal):
    starts: list[dict[str, Any]] = Field(default_factory=list)
    filtered: bool = False
    smsLogs: list[dict[str, Any]] = Field(default_factory=list)


class AutomationsEnvelope(Wire):
    automations: list[AutomationOut]
    meta: AutomationsMeta


class AutomationEnvelope(Wire):
    """GET /automations/{id}. G92: the singular envelope every AC resource uses (the docs example is a copy
    of the list's)."""

    automation: AutomationOut


RUN_LINKS = ("automation", "contact", "contactGoals", "automationLogs")


class ContactAutomationOut(Wire):
    contact: str
    seriesid: str
    startid: str = "0"
    status: str
    batchid: str | None = None
    adddate: str
    remdate: str | None
    timespan: str | None
    lastblock: str
    lastlogid: str = "0"
    lastdate: str
    in_als: str = "0"
    completedElements: str
    totalElements: str
    completed: int
    completeValue: int
    links: dict[str, str]
    id: str
    automation: str

    @classmethod
    def of(cls, run: RunRecord, base_url: str) -> ContactAutomationOut:
        done = run.status == COMPLETED
        total = max(run.total_steps, 1)
        taken = min(run.step, run.total_steps)
        return cls.build(
            contact=str(run.contact_id),
            seriesid=str(run.automation_id),
            status="2" if done else "1",  # AC: 1 in progress, 2 finished (§5.2)
            batchid="completed" if done else None,
            adddate=iso(run.started),
            remdate=iso(run.ended) if run.ended else None,
            timespan=str(run.ended - run.started) if run.ended else None,
            lastblock=str(taken),
            lastdate=iso(run.updated),
            completedElements=str(taken),
            totalElements=str(run.total_steps),
            completed=1 if done else 0,
            completeValue=100 if done else int(100 * taken / total),
            links={n: api_url(base_url, f"contactAutomations/{run.id}/{n}") for n in RUN_LINKS},
            id=str(run.id),
            automation=str(run.automation_id),
        )


class ContactAutomationsEnvelope(Wire):
    contactAutomations: list[ContactAutomationOut]


class RunsMeta(Wire):
    total: str
    showcase_stats: list[Any] = Field(default_factory=list)


class ContactAutomationListEnvelope(ContactAutomationsEnvelope):
    meta: RunsMeta


class ContactAutomationEnvelope(Wire):
    contactAutomation: ContactAutomationOut


class ContactAutomationCreated(Wire):
    """POST /contactAutomations 201: the contact side-loaded, then the new contactAutomation [DOC-OAS]."""

    contacts: list[ContactOut]
    contactAutomation: ContactAutomationOut

    @classmethod
    def of(cls, contact: ContactRecord, run: RunRecord, base_url: str) -> ContactAutomationCreated:
        return cls(
            contacts=[ContactOut.of(contact, base_url)], contactAutomation=ContactAutomationOut.of(run, base_url)
        )


class ContactAutomationIn(Body):
    contact: str | int
    automation: str | int


class ContactAutomationBody(Body):
    contactAutomation: ContactAutomationIn


# --- webhooks -----------------------------------------------------------------------------------------


class WebhookIn(Body):
    name: str | None = None
    url: str | None = None
    events: list[str] | None = None
    sources: list[str] | None = None
    listid: str | int | None = None  # clients send an int, a string, or null ([PD], [MCPAC])


class WebhookBody(Body):
    webhook: WebhookIn


class WebhookOut(Wire):
    cdate: str
    listid: str
    name: str
    url: str
    events: list[str]
    sources: list[str]
    links: list[Any] = Field(default_factory=list)
    id: str
    state: str
    deactivated_date: str | None

    @classmethod
    def of(cls, hook: WebhookRecord) -> WebhookOut:
        return cls.build(
            cdate=iso(hook.cdate),
            listid=str(hook.listid),
            name=hook.name,
            url=hook.url,
            events=list(hook.events),
            sources=list(hook.sources),
            id=str(hook.id),
            state="1" if hook.active else "0",  # G90: AC's live rows carry a state of unknown meaning
            deactivated_date=iso(hook.deactivated) if hook.deactivated else None,
        )


class WebhookEnvelope(Wire):
    webhook: WebhookOut


class WebhooksEnvelope(Wire):
    webhooks: list[WebhookOut]
    meta: StringTotal


class IntMeta(Wire):
    total: int


class WebhookEventsEnvelope(Wire):
    webhookEvents: list[str]
    meta: IntMeta


# --- control plane ------------------------------------------------------------------------------------


class OutboxAutomation(BaseModel):
    id: str
    name: str


class OutboxEvent(BaseModel):
    name: str
    data: str | None
    trackingLog: str | None


class OutboxEmailOut(BaseModel):
    id: str
    to: str
    from_: str = Field(serialization_alias="from")
    subject: str
    text: str
    html: str | None
    contact: str
    automation: OutboxAutomation
    event: OutboxEvent | None
    time: str
    relay: str
    relay_error: str | None

    @classmethod
    def of(cls, email: EmailRecord) -> OutboxEmailOut:
        event = None
        if email.event_name is not None:
            log = str(email.tracking_log_id) if email.tracking_log_id else None
            event = OutboxEvent(name=email.event_name, data=email.event_data, trackingLog=log)
        return cls(
            id=str(email.id),
            to=email.to,
            from_=email.from_email,
            subject=email.subject,
            text=email.text,
            html=email.html,
            contact=str(email.contact_id),
            automation=OutboxAutomation(id=str(email.automation_id), name=email.automation_name),
            event=event,
            time=iso(email.tstamp),
            relay=email.relay,
            relay_error=email.relay_error,
        )


class OutboxOut(BaseModel):
    emails: list[OutboxEmailOut]


class JournalLineOut(BaseModel):
    id: int
    automation: str
    automation_id: str
    contact: str | None
    email: str | None
    trigger: str
    outcome: str
    reason: str | None
    run: str | None
    time: str

    @classmethod
    def of(cls, line: JournalLine) -> JournalLineOut:
        return cls(
            id=line.id,
            automation=line.automation,
            automation_id=str(line.automation_id),
            contact=str(line.contact_id) if line.contact_id is not None else None,
            email=line.email,
            trigger=line.trigger,
            outcome=line.outcome,
            reason=line.reason,
            run=str(line.run_id) if line.run_id is not None else None,
            time=iso(line.tstamp),
        )


class AutomationJournalOut(BaseModel):
    entries: list[JournalLineOut]


class DeliveryOut(BaseModel):
    id: int
    webhook: str | None
    automation: str | None
    type: str
    email: str | None
    url: str
    payload: dict[str, str]
    status: str
    http_status: int | None
    duration_ms: int | None
    error: str | None
    created: str
    attempted: str | None

    @classmethod
    def of(cls, d: DeliveryRecord) -> DeliveryOut:
        return cls(
            id=d.id,
            webhook=str(d.webhook_id) if d.webhook_id is not None else None,
            automation=str(d.automation_id) if d.automation_id is not None else None,
            type=d.type,
            email=d.email,
            url=d.url,
            payload=dict(d.pairs()),
            status=d.status,
            http_status=d.http_status,
            duration_ms=d.duration_ms,
            error=d.error,
            created=iso(d.created),
            attempted=iso(d.attempted) if d.attempted else None,
        )


class DeliveriesOut(BaseModel):
    deliveries: list[DeliveryOut]
    complete: bool = True  # False when a wait ran out with deliveries still pending


class ClockIn(BaseModel):
    seconds: float = Field(ge=0, le=10 * 366 * 86400)


class ClockOut(BaseModel):
    now: str
    resumed: int = 0
