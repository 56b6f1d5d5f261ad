"""Automation runs: which triggers start a run, and the steps a run takes until it waits or ends.

Everything here runs inside the transaction of the write that triggered it (a bus handler) or of the
control call that moved the clock, so a test sees the run, its email and its webhook delivery as soon as
that request returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, select, update

from fakecampaign import bus
from fakecampaign.db import Transaction, statement
from fakecampaign.engine import outbox, payloads
from fakecampaign.engine.lookups import Lookups
from fakecampaign.errors import ACError, CouldNotEnroll
from fakecampaign.services import automations, contacts
from fakecampaign.services.automations import (
    COMPLETED,
    RUNNING,
    WAITING,
    AutomationRecord,
    RunRecord,
    StepSpec,
)
from fakecampaign.services.records import ContactRecord
from fakecampaign.services.store import Store
from fakecampaign.tables import AUTOMATION_RUNS

RUNS = AUTOMATION_RUNS
MAX_DEPTH = 8  # a run whose step triggers a run whose step triggers ... stops here (G86)
DUE_BATCH = 500

SAVE = statement(
    update(RUNS)
    .where(RUNS.c.id == bindparam("rid"))
    .values(
        status=bindparam("new_status"),
        step=bindparam("new_step"),
        resume_at=bindparam("new_resume_at"),
        updated=bindparam("new_updated"),
        ended=bindparam("new_ended"),
    )
)
DUE = statement(
    select(RUNS)
    .where(RUNS.c.status == WAITING, RUNS.c.resume_at <= bindparam("now"))
    .order_by(RUNS.c.resume_at, RUNS.c.id)
    .limit(DUE_BATCH)
)

# Actions that change tags, lists and fields call those resources' own services; they are registered here
# by app.py once those services exist, keyed by step kind: (tx, store, contact, params) -> None.
ActionFn = Callable[[Transaction, Store, ContactRecord, dict[str, Any]], None]


@dataclass(frozen=True, slots=True)
class Trigger:
    """What started (or failed to start) a run, for the run itself and the journal."""

    label: str  # e.g. "event:file download request"
    event_name: str | None = None
    event_data: str | None = None
    tracking_log_id: int | None = None
    note: str | None = None  # journalled with the start


class Runner:
    """Starts and advances runs for one store."""

    def __init__(self, store: Store, *, relay: bool = False) -> None:
        self.store = store
        self.relay = relay  # SMTP relay configured: new emails are queued for it
        self.actions: dict[str, ActionFn] = {}
        self.lookups = Lookups()
        self.on_work: Callable[[], None] = lambda: None  # wakes the dispatcher (webhook steps, relayed emails)
        self._depth = 0
        self.acting = False  # a step is being performed: what it changes comes from "system"
        # Accounts that may have an event automation (None: not read yet). /event's shortcut: an account
        # without one pays no query. Grows as automations are defined; a stale member only costs the query.
        self._event_accounts: set[int] | None = None

    # --- triggers ---------------------------------------------------------------------------------------

    def subscribe(self, events: bus.Bus) -> None:
        events.subscribe(bus.AutomationDefined, self.on_automation_defined)
        events.subscribe(bus.EventWritten, self.on_event_written)
        events.subscribe(bus.EventDropped, self.on_event_dropped)
        events.subscribe(bus.ContactCreated, self.on_contact_created)
        events.subscribe(bus.TagAdded, self.on_tag_added)
        events.subscribe(bus.TagRemoved, self.on_tag_removed)
        events.subscribe(bus.ListSubscribed, self.on_list_subscribed)

    def on_automation_defined(self, tx: Transaction, event: bus.AutomationDefined) -> None:
        if event.trigger == automations.EVENT and self._event_accounts is not None:
            self._event_accounts.add(event.account_id)

    def _may_have_event_automations(self, tx: Transaction, account_id: int) -> bool:
        if self._event_accounts is None:
            self._event_accounts = automations.accounts_with_event_triggers(tx)
        return account_id in self._event_accounts

    def on_event_written(self, tx: Transaction, event: bus.EventWritten) -> None:
        if not self._may_have_event_automations(tx, event.account_id):
            return
        found = automations.triggered_by(tx, account_id=event.account_id, kind=automations.EVENT, value=event.name)
        if not found:  # the hot path: one indexed query when no automation waits for this name
            return
        trigger = Trigger(f"event:{event.name}", event.name, event.data, event.tracking_log_id)
        whitelisted = automations.is_whitelisted(tx, account_id=event.account_id, name=event.name)
        for automation in found:
            # Whitelist gating: services/automations.define says when it applies.
            refusal = "event_not_whitelisted" if automation.gated and not whitelisted else None
            refusal = refusal or _eventdata_refusal(automation, event.data)
            note = None if whitelisted else "event name not whitelisted (README G80)"
            self._consider(tx, automation, event.contact_id, replace(trigger, note=note), refusal)

    def on_event_dropped(self, tx: Transaction, event: bus.EventDropped) -> None:
        """A dropped event starts nothing (only written events trigger); each automation that would have
        started is journalled with why (tracking off, unknown contact)."""
        if not self._may_have_event_automations(tx, event.account_id):
            return
        found = automations.triggered_by(tx, account_id=event.account_id, kind=automations.EVENT, value=event.name)
        for automation in found:
            automations.journal(
                tx,
                self.store,
                automation.id,
                event.account_id,
                None,
                f"event:{event.name}",
                "not_fired",
                reason=f"event_dropped:{event.reason}",
                email=event.email,
            )

    def on_contact_created(self, tx: Transaction, event: bus.ContactCreated) -> None:
        self._simple(tx, event.account_id, event.contact_id, automations.CONTACT_CREATED, "")

    def on_tag_added(self, tx: Transaction, event: bus.TagAdded) -> None:
        self._simple(tx, event.account_id, event.contact_id, automations.TAG_ADDED, event.tag)

    def on_tag_removed(self, tx: Transaction, event: bus.TagRemoved) -> None:
        self._simple(tx, event.account_id, event.contact_id, automations.TAG_REMOVED, event.tag)

    def on_list_subscribed(self, tx: Transaction, event: bus.ListSubscribed) -> None:
        # A list_subscribed trigger names the list by id or by name.
        self._simple(tx, event.account_id, event.contact_id, automations.LIST_SUBSCRIBED, str(event.list_id))
        name = self.lookups.list_name(tx, event.account_id, event.list_id)
        if name is not None and name != str(event.list_id):
            self._simple(tx, event.account_id, event.contact_id, automations.LIST_SUBSCRIBED, name)

    def _simple(self, tx: Transaction, account_id: int, contact_id: int, kind: str, value: str) -> None:
        found = automations.triggered_by(tx, account_id=account_id, kind=kind, value=value)
        label = f"{kind}:{value}" if value else kind
        for automation in found:
            self._consider(tx, automation, contact_id, Trigger(label), None)

    def enroll(self, tx: Transaction, automation: AutomationRecord, contact: ContactRecord) -> RunRecord:
        """POST /contactAutomations: start a run by hand, whatever the trigger says (as AC's "add contact")."""
        return self._start(tx, automation, contact, Trigger(automations.MANUAL))

    def _consider(
        self, tx: Transaction, automation: AutomationRecord, contact_id: int, trigger: Trigger, refusal: str | None
    ) -> None:
        contact = contacts.require(tx, account_id=automation.account_id, contact_id=contact_id)
        if refusal is None and not automation.active:
            refusal = "automation_inactive"
        if (
            refusal is None
            and automation.spec.runs == "once"
            and automations.entered_before(tx, automation_id=automation.id, contact_id=contact_id)
        ):
            refusal = "already_entered"
        if refusal is None and self._depth >= MAX_DEPTH:
            refusal = "loop_limit"
        if refusal is not None:
            automations.journal(
                tx,
                self.store,
                automation.id,
                automation.account_id,
                contact_id,
                trigger.label,
                "not_fired",
                reason=refusal,
                email=contact.email,
            )
            return
        self._start(tx, automation, contact, trigger)

    # --- runs -------------------------------------------------------------------------------------------

    def _start(
        self, tx: Transaction, automation: AutomationRecord, contact: ContactRecord, trigger: Trigger
    ) -> RunRecord:
        now = self.store.clock.timestamp()
        values: dict[str, Any] = {
            "account_id": automation.account_id,
            "automation_id": automation.id,
            "contact_id": contact.id,
            "status": RUNNING,
            "step": 0,
            "resume_at": None,
            "event_name": trigger.event_name,
            "event_data": trigger.event_data,
            "tracking_log_id": trigger.tracking_log_id,
            "started": now,
            "updated": now,
            "ended": None,
        }
        run = RunRecord(id=tx.insert(RUNS, **values), **values, total_steps=len(automation.spec.steps))
        self._journal(tx, automation, run, contact, trigger.label, "started", reason=trigger.note)
        return self._advance(tx, automation, run, contact)

    def _advance(
        self, tx: Transaction, automation: AutomationRecord, run: RunRecord, contact: ContactRecord
    ) -> RunRecord:
        """Take steps until the run waits or ends; each step is journalled."""
        steps = automation.spec.steps
        self._depth += 1
        try:
            while run.step < len(steps):
                step = steps[run.step]
                run = replace(run, step=run.step + 1)
                if step.kind == "end":
                    self._journal(tx, automation, run, contact, "step:end", "done")
                    break
                if step.kind == "wait":
                    due = self.store.clock.timestamp() + int(step.params["seconds"])
                    run = replace(run, status=WAITING, resume_at=due)
                    self._journal(tx, automation, run, contact, "step:wait", "waiting", reason=f"until {_iso(due)}")
                    return self._save(tx, run)
                problem = self._do(tx, automation, run, contact, step)
                outcome = "done" if problem is None else "failed"
                self._journal(tx, automation, run, contact, f"step:{step.kind}", outcome, reason=problem)
        finally:
            self._depth -= 1
        run = replace(run, status=COMPLETED, resume_at=None, ended=self.store.clock.timestamp())
        self._journal(tx, automation, run, contact, "run", "completed")
        return self._save(tx, run)

    def _do(
        self, tx: Transaction, automation: AutomationRecord, run: RunRecord, contact: ContactRecord, step: StepSpec
    ) -> str | None:
        """Perform one action; returns why it could not be done (journalled, the run goes on), or None."""
        if step.kind == "send_email":
            outbox.send(tx, self.store, automation, run, contact, step.params, lookups=self.lookups, relay=self.relay)
            if self.relay:
                self.on_work()
            return None
        if step.kind == "webhook":
            payloads.queue_automation_webhook(
                tx, self.store, automation, contact, str(step.params["url"]), lookups=self.lookups
            )
            self.on_work()
            return None
        action = self.actions.get(step.kind)
        if action is None:
            return f"not_supported:{step.kind}"
        self.acting, was = True, self.acting
        try:
            action(tx, self.store, contact, step.params)
        except ACError as error:  # e.g. an unknown list: the step fails, the run goes on (as in AC)
            return error.hint
        finally:
            self.acting = was
        return None

    def _save(self, tx: Transaction, run: RunRecord) -> RunRecord:
        run = replace(run, updated=self.store.clock.timestamp())
        tx.execute(
            SAVE,
            rid=run.id,
            new_status=run.status,
            new_step=run.step,
            new_resume_at=run.resume_at,
            new_updated=run.updated,
            new_ended=run.ended,
        )
        return run

    def _journal(
        self,
        tx: Transaction,
        automation: AutomationRecord,
        run: RunRecord,
        contact: ContactRecord,
        trigger: str,
        outcome: str,
        *,
        reason: str | None = None,
    ) -> None:
        automations.journal(
            tx,
            self.store,
            automation.id,
            automation.account_id,
            contact.id,
            trigger,
            outcome,
            reason=reason,
            run_id=run.id,
            email=contact.email,
        )

    def resume_due(self) -> int:
        """Continue every run whose wait is over by the store's clock; returns how many resumed."""
        resumed = 0
        with self.store.db.transaction() as tx:
            for row in tx.all(DUE, now=self.store.clock.timestamp()):
                run = RunRecord(**row)
                try:
                    automation = automations.require(tx, account_id=run.account_id, automation_id=run.automation_id)
                    contact = contacts.require(tx, account_id=run.account_id, contact_id=run.contact_id)
                except ACError:  # the automation or contact is gone: the run ends where it stood
                    self._save(tx, replace(run, status=COMPLETED, resume_at=None, ended=self.store.clock.timestamp()))
                    continue
                self._advance(tx, automation, replace(run, status=RUNNING, resume_at=None), contact)
                resumed += 1
        return resumed


def _iso(at: int) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat()


def _eventdata_refusal(automation: AutomationRecord, data: str | None) -> str | None:
    spec = automation.spec
    if spec.eventdata is not None and (data or "") != spec.eventdata:
        return "eventdata_mismatch"
    if spec.eventdata_contains is not None and spec.eventdata_contains not in (data or ""):
        return "eventdata_mismatch"
    return None


def enroll(runner: Runner, *, account_id: int, contact_id: int, automation_id: int) -> RunRecord:
    """POST /contactAutomations: AC's 403 "Could not create SubscriberSeries" when either is unknown."""
    with runner.store.db.transaction() as tx:
        try:
            automation = automations.require(tx, account_id=account_id, automation_id=automation_id)
            contact = contacts.require(tx, account_id=account_id, contact_id=contact_id)
        except ACError:
            raise CouldNotEnroll(
                hint="Both contactAutomation.contact and .automation must be ids of this account"
            ) from None
        return runner.enroll(tx, automation, contact)
