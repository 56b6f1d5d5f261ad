"""Automations: defined by fixtures (AC has no API to create one, ac-api-facts-breadth.md §5.3), read by v3.

This module keeps the definitions, the runs (AC's contactAutomations) and the journal of triggers; what a
run *does* lives in fakecampaign/engine/, which reacts to the bus.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, select

from fakecampaign.bus import AutomationDefined
from fakecampaign.db import Transaction, statement
from fakecampaign.errors import NoResultFound
from fakecampaign.services import contacts
from fakecampaign.services.records import AccountRecord
from fakecampaign.services.store import Store
from fakecampaign.tables import AUTOMATION_JOURNAL, AUTOMATION_RUNS, AUTOMATIONS, EVENT_NAMES

T = AUTOMATIONS
RUNS = AUTOMATION_RUNS
JOURNAL = AUTOMATION_JOURNAL
NAMES = EVENT_NAMES

EVENT = "event"
TAG_ADDED = "tag_added"
TAG_REMOVED = "tag_removed"
LIST_SUBSCRIBED = "list_subscribed"
CONTACT_CREATED = "contact_created"
MANUAL = "manual"  # POST /contactAutomations
TRIGGER_KINDS = (EVENT, TAG_ADDED, TAG_REMOVED, LIST_SUBSCRIBED, CONTACT_CREATED)
STEP_KINDS = (
    "send_email",
    "wait",
    "webhook",
    "add_tag",
    "remove_tag",
    "subscribe",
    "unsubscribe",
    "update_field",
    "end",
)

RUNNING, WAITING, COMPLETED = "running", "waiting", "completed"
SERIES = "Series"  # AC's internal name for an automation (G81)
SUBSCRIBER_SERIES = "SubscriberSeries"  # AC's internal name for a contactAutomation, as its errors word it

BY_ID = statement(select(T).where(T.c.account_id == bindparam("aid"), T.c.id == bindparam("id")))
ALL = statement(select(T).where(T.c.account_id == bindparam("aid")).order_by(T.c.id))
BY_TRIGGER = statement(
    select(T).where(
        T.c.account_id == bindparam("aid"), T.c.trigger_kind == bindparam("kind"), T.c.trigger_value == bindparam("v")
    )
)
WHITELISTED = statement(
    select(NAMES.c.id).where(NAMES.c.account_id == bindparam("aid"), NAMES.c.name == bindparam("n"))
)
EVENT_ACCOUNTS = statement(select(T.c.account_id).where(T.c.trigger_kind == EVENT).distinct())
RUN_BY_ID = statement(select(RUNS).where(RUNS.c.account_id == bindparam("aid"), RUNS.c.id == bindparam("id")))
RUNS_OF_CONTACT = statement(
    select(RUNS).where(RUNS.c.account_id == bindparam("aid"), RUNS.c.contact_id == bindparam("cid")).order_by(RUNS.c.id)
)
ENTERED = statement(
    select(func.count())
    .select_from(RUNS)
    .where(RUNS.c.automation_id == bindparam("auto"), RUNS.c.contact_id == bindparam("cid"))
)
DELETE_RUN = statement(delete(RUNS).where(RUNS.c.account_id == bindparam("aid"), RUNS.c.id == bindparam("id")))
DELETE_CONTACT_RUNS = statement(
    delete(RUNS).where(RUNS.c.account_id == bindparam("aid"), RUNS.c.contact_id == bindparam("cid"))
)


@dataclass(frozen=True, slots=True)
class StepSpec:
    """One action: its kind (STEP_KINDS) and its parameters, already checked by the fixtures schema."""

    kind: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AutomationSpec:
    """An automation as fixtures define it (README "Automations")."""

    name: str
    trigger: str  # TRIGGER_KINDS
    value: str = ""  # event name, tag name, list (id or name); "" for contact_created
    eventdata: str | None = None  # event trigger: fire only for this exact eventdata
    eventdata_contains: str | None = None  # event trigger: fire only when eventdata contains this
    steps: tuple[StepSpec, ...] = ()
    runs: str = "always"  # "always" or "once" per contact (the default: schemas/automations.py)
    active: bool = True

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> AutomationSpec:
        steps = tuple(StepSpec(s["kind"], dict(s["params"])) for s in raw["steps"])
        return cls(**{**raw, "steps": steps})

    @classmethod
    def from_json(cls, text: str) -> AutomationSpec:
        return cls.from_dict(json.loads(text))


@dataclass(frozen=True, slots=True)
class AutomationRecord:
    id: int
    account_id: int
    name: str
    spec: AutomationSpec
    active: bool
    cdate: int
    mdate: int
    entered: int = 0
    exited: int = 0
    gated: bool = False  # see define()

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> AutomationRecord:
        spec = AutomationSpec.from_json(row["definition"])
        active, gated = bool(row["active"]), bool(row["whitelist_gated"])
        return cls(row["id"], row["account_id"], row["name"], spec, active, row["cdate"], row["mdate"], gated=gated)


@dataclass(frozen=True, slots=True)
class RunRecord:
    id: int
    account_id: int
    automation_id: int
    contact_id: int
    status: str
    step: int
    resume_at: int | None
    event_name: str | None
    event_data: str | None
    tracking_log_id: int | None
    started: int
    updated: int
    ended: int | None
    total_steps: int = 0


def define(store: Store, *, account: AccountRecord, spec: AutomationSpec) -> AutomationRecord:
    """Add an automation.

    G80, whitelisting: AC's builder offers only whitelisted names ("Select the Event Name we created earlier
    (make sure it is whitelisted!)"). So an event automation defined while its name is whitelisted is gated
    by the whitelist from then on: remove the name and the trigger stops firing (journalled
    ``event_not_whitelisted``). One defined for a name that is not whitelisted is taken as the builder would
    have made it, with the name chosen there, and fires; its runs are journalled with that note. Defining an
    automation never changes the whitelist (a later POST /eventTrackingEvents still answers 201).
    """
    now = store.clock.timestamp()
    with store.db.transaction() as tx:
        gated = spec.trigger == EVENT and tx.one(WHITELISTED, aid=account.id, n=spec.value) is not None
        values = {
            "account_id": account.id,
            "name": spec.name,
            "trigger_kind": spec.trigger,
            "trigger_value": spec.value,
            "definition": spec.to_json(),
            "active": spec.active,
            "whitelist_gated": gated,
            "cdate": now,
            "mdate": now,
        }
        new_id = tx.insert(T, **values)
        if store.bus.wants(AutomationDefined):
            store.bus.publish(
                tx, AutomationDefined(account_id=account.id, at=now, automation_id=new_id, trigger=spec.trigger)
            )
    return AutomationRecord(new_id, account.id, spec.name, spec, spec.active, now, now, gated=gated)


def list_all(store: Store, *, account: AccountRecord) -> list[AutomationRecord]:
    """GET /automations, oldest first, with how many runs entered and finished each."""
    with store.db.transaction() as tx:
        return dump(tx, account.id)


def dump(tx: Transaction, account_id: int) -> list[AutomationRecord]:
    """The account's automations with their counts (also GET /_fakecampaign/state)."""
    counts = (
        select(
            RUNS.c.automation_id,
            func.count().label("entered"),
            func.sum(func.coalesce(RUNS.c.ended, 0) > 0).label("exited"),
        )
        .where(RUNS.c.account_id == account_id)
        .group_by(RUNS.c.automation_id)
    )
    rows = tx.all(ALL, aid=account_id)
    tally = {r["automation_id"]: (int(r["entered"]), int(r["exited"] or 0)) for r in tx.all(counts)}
    out = []
    for row in rows:
        record = AutomationRecord.from_row(row)
        entered, exited = tally.get(record.id, (0, 0))
        out.append(_with_counts(record, entered, exited))
    return out


def get(store: Store, *, account: AccountRecord, automation_id: int) -> AutomationRecord:
    """GET /automations/{id}."""
    with store.db.transaction() as tx:
        record = require(tx, account_id=account.id, automation_id=automation_id)
        runs = tx.all(select(RUNS.c.ended).where(RUNS.c.automation_id == record.id))
    return _with_counts(record, len(runs), sum(1 for r in runs if r["ended"]))


def _with_counts(record: AutomationRecord, entered: int, exited: int) -> AutomationRecord:
    return replace(record, entered=entered, exited=exited)


def require(tx: Transaction, *, account_id: int, automation_id: int) -> AutomationRecord:
    row = tx.one(BY_ID, aid=account_id, id=automation_id)
    if row is None:
        raise NoResultFound(resource=SERIES, id=automation_id)
    return AutomationRecord.from_row(row)


def triggered_by(tx: Transaction, *, account_id: int, kind: str, value: str) -> list[AutomationRecord]:
    """The account's automations that start on this trigger (one indexed query; the /event hot path)."""
    return [AutomationRecord.from_row(r) for r in tx.all(BY_TRIGGER, aid=account_id, kind=kind, v=value)]


def accounts_with_event_triggers(tx: Transaction) -> set[int]:
    return {row["account_id"] for row in tx.all(EVENT_ACCOUNTS)}


def is_whitelisted(tx: Transaction, *, account_id: int, name: str) -> bool:
    return tx.one(WHITELISTED, aid=account_id, n=name) is not None


def entered_before(tx: Transaction, *, automation_id: int, contact_id: int) -> bool:
    return bool(tx.scalar(ENTERED, auto=automation_id, cid=contact_id))


# --- runs (contactAutomations) ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunQuery:
    contact_id: int | None = None
    automation_id: int | None = None
    status: str | None = None  # AC's "1" (in progress) or "2" (finished)
    limit: int = 20
    offset: int = 0


def list_runs(store: Store, *, account: AccountRecord, query: RunQuery) -> tuple[list[RunRecord], int]:
    """GET /contactAutomations: a page of runs, oldest first, and how many match."""
    where: list[Any] = [RUNS.c.account_id == account.id]
    if query.contact_id is not None:
        where.append(RUNS.c.contact_id == query.contact_id)
    if query.automation_id is not None:
        where.append(RUNS.c.automation_id == query.automation_id)
    if query.status == "1":
        where.append(RUNS.c.status.in_((RUNNING, WAITING)))
    elif query.status == "2":
        where.append(RUNS.c.status == COMPLETED)
    page = select(RUNS).where(and_(*where)).order_by(RUNS.c.id).limit(query.limit).offset(query.offset)
    with store.db.transaction() as tx:
        total = int(tx.scalar(select(func.count()).select_from(RUNS).where(and_(*where))) or 0)
        return _with_totals(tx, tx.all(page)), total


def runs_of_contact(store: Store, *, account: AccountRecord, contact_id: int) -> list[RunRecord]:
    """GET /contacts/{id}/contactAutomations; an unknown contact is AC's Subscriber 404."""
    with store.db.transaction() as tx:
        contacts.require(tx, account_id=account.id, contact_id=contact_id)
        return _with_totals(tx, tx.all(RUNS_OF_CONTACT, aid=account.id, cid=contact_id))


def get_run(store: Store, *, account: AccountRecord, run_id: int) -> RunRecord:
    """GET /contactAutomations/{id}."""
    with store.db.transaction() as tx:
        return require_run(tx, account_id=account.id, run_id=run_id)


def require_run(tx: Transaction, *, account_id: int, run_id: int) -> RunRecord:
    row = tx.one(RUN_BY_ID, aid=account_id, id=run_id)
    if row is None:
        raise NoResultFound(resource=SUBSCRIBER_SERIES, id=run_id)
    return _with_totals(tx, [row])[0]


def remove_run(store: Store, *, account: AccountRecord, run_id: int) -> RunRecord:
    """DELETE /contactAutomations/{id}: the contact leaves the automation (its pending steps never run).
    G94: an unknown id is the same 404 as GET's (AC documents a 403 whose body it does not show)."""
    with store.db.transaction() as tx:
        run = require_run(tx, account_id=account.id, run_id=run_id)
        tx.execute(DELETE_RUN, aid=account.id, id=run_id)
        journal(tx, store, run.automation_id, account.id, run.contact_id, MANUAL, "removed", run_id=run.id)
    return run


def forget_contact(tx: Transaction, *, account_id: int, contact_id: int) -> None:
    """A deleted contact leaves every automation."""
    tx.execute(DELETE_CONTACT_RUNS, aid=account_id, cid=contact_id)


def _with_totals(tx: Transaction, rows: list[dict[str, Any]]) -> list[RunRecord]:
    steps: dict[int, int] = {}
    out = []
    for row in rows:
        auto = row["automation_id"]
        if auto not in steps:
            found = tx.one(select(T.c.definition).where(T.c.id == auto))
            steps[auto] = len(AutomationSpec.from_json(found["definition"]).steps) if found else 0
        out.append(RunRecord(**row, total_steps=steps[auto]))
    return out


# --- the journal of triggers ------------------------------------------------------------------------


def journal(
    tx: Transaction,
    store: Store,
    automation_id: int,
    account_id: int,
    contact_id: int | None,
    trigger: str,
    outcome: str,
    *,
    reason: str | None = None,
    run_id: int | None = None,
    email: str | None = None,
) -> None:
    tx.insert(
        JOURNAL,
        account_id=account_id,
        automation_id=automation_id,
        contact_id=contact_id,
        email=email,
        trigger=trigger,
        outcome=outcome,
        reason=reason,
        run_id=run_id,
        tstamp=store.clock.timestamp(),
    )


@dataclass(frozen=True, slots=True)
class JournalLine:
    id: int
    automation_id: int
    automation: str
    contact_id: int | None
    email: str | None
    trigger: str
    outcome: str
    reason: str | None
    run_id: int | None
    tstamp: int


def read_journal(
    store: Store, *, account: AccountRecord, outcome: str | None = None, limit: int = 1000
) -> list[JournalLine]:
    """The account's trigger journal, oldest first: runs started, steps taken, triggers that did not fire."""
    where: list[Any] = [JOURNAL.c.account_id == account.id]
    if outcome is not None:
        where.append(JOURNAL.c.outcome == outcome)
    stmt = (
        select(JOURNAL, T.c.name.label("automation"))
        .select_from(JOURNAL.outerjoin(T, T.c.id == JOURNAL.c.automation_id))
        .where(*where)
        .order_by(JOURNAL.c.id)
        .limit(limit)
    )
    with store.db.transaction() as tx:
        rows = tx.all(stmt)
    return [
        JournalLine(
            r["id"],
            r["automation_id"],
            r["automation"] or "",
            r["contact_id"],
            r["email"],
            r["trigger"],
            r["outcome"],
            r["reason"],
            r["run_id"],
            r["tstamp"],
        )
        for r in rows
    ]
