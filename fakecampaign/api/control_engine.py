"""Control plane for what the engine did: the outbox, the automation journal, webhook deliveries, the clock.

Apart from api/control.py so the engine's routes stay in one place (README "Automations", "Outbox",
"Webhooks").
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from fakecampaign.api import engine_examples as ex
from fakecampaign.api.control import PREFIX, TAG
from fakecampaign.api.deps import ControlDep
from fakecampaign.api.docs import documented
from fakecampaign.engine import outbox
from fakecampaign.engine.outbox import OutboxQuery
from fakecampaign.engine.setup import Engine
from fakecampaign.schemas.common import iso
from fakecampaign.schemas.engine import (
    AutomationJournalOut,
    ClockIn,
    ClockOut,
    DeliveriesOut,
    DeliveryOut,
    JournalLineOut,
    OutboxEmailOut,
    OutboxOut,
)
from fakecampaign.services import accounts, automations, webhooks

router = APIRouter(prefix=PREFIX, tags=[TAG])
MAX_WAIT = 60.0


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


@router.get("/outbox", response_model=OutboxOut, response_model_by_alias=True, openapi_extra=documented(ex.OUTBOX))
async def get_outbox(
    ctl: ControlDep,
    account: str | None = None,
    to: str | None = None,
    subject: str | None = None,
    automation: str | None = None,
    limit: int = Query(default=1000, ge=1, le=10_000),
) -> OutboxOut:
    """Every email an automation sent from ?account=NAME (default: the default account), oldest first."""
    target = accounts.get_by_name(ctl.store, account or ctl.settings.account)
    found = outbox.read(ctl.store, account=target, query=OutboxQuery(to, subject, automation, limit))
    return OutboxOut(emails=[OutboxEmailOut.of(e) for e in found])


@router.get("/automations/journal", response_model=AutomationJournalOut, openapi_extra=documented(ex.JOURNAL))
async def get_automation_journal(
    ctl: ControlDep,
    account: str | None = None,
    outcome: str | None = None,
    limit: int = Query(default=1000, ge=1, le=10_000),
) -> AutomationJournalOut:
    """Every trigger considered: runs started (and their steps), and triggers that did not fire, with why."""
    target = accounts.get_by_name(ctl.store, account or ctl.settings.account)
    lines = automations.read_journal(ctl.store, account=target, outcome=outcome, limit=limit)
    return AutomationJournalOut(entries=[JournalLineOut.of(line) for line in lines])


@router.get("/webhooks/deliveries", response_model=DeliveriesOut, openapi_extra=documented(ex.DELIVERIES))
async def get_deliveries(
    ctl: ControlDep,
    account: str | None = None,
    type: str | None = None,
    status: str | None = None,
    limit: int = Query(default=1000, ge=1, le=10_000),
) -> DeliveriesOut:
    """Every webhook delivery, pending or attempted (status, HTTP status, duration, error), oldest first."""
    target = accounts.get_by_name(ctl.store, account or ctl.settings.account)
    found = webhooks.deliveries(ctl.store, account=target, type_=type, status=status, limit=limit)
    return DeliveriesOut(deliveries=[DeliveryOut.of(d) for d in found])


@router.post("/webhooks/wait", response_model=DeliveriesOut, openapi_extra=documented(ex.DELIVERIES))
async def wait_for_deliveries(
    ctl: ControlDep,
    request: Request,
    account: str | None = None,
    timeout: float = Query(default=10.0, gt=0, le=MAX_WAIT),
) -> DeliveriesOut:
    """Deliver everything pending for the account now and answer when none is left (or ``timeout`` seconds
    passed: ``complete`` is then false); the answer is the whole delivery log."""
    target = accounts.get_by_name(ctl.store, account or ctl.settings.account)
    complete = await _engine(request).dispatcher.wait(account_id=target.id, timeout=timeout)
    found = webhooks.deliveries(ctl.store, account=target)
    return DeliveriesOut(deliveries=[DeliveryOut.of(d) for d in found], complete=complete)


@router.get("/clock", response_model=ClockOut, openapi_extra=documented(ClockOut(now=ex.CLOCK.now)))
async def get_clock(ctl: ControlDep) -> ClockOut:
    """The fake's time (what every timestamp, and every automation wait, is measured by)."""
    return ClockOut(now=iso(ctl.store.clock.timestamp()))


@router.post("/clock/advance", response_model=ClockOut, openapi_extra=documented(ex.CLOCK, request={"seconds": 172800}))
async def advance_clock(ctl: ControlDep, body: ClockIn, request: Request) -> ClockOut:
    """Move the fake's clock forward (for the whole server) and run every automation wait now due, before
    answering: a test skips a three-day wait without waiting."""
    ctl.store.clock.advance(body.seconds)
    engine = _engine(request)
    resumed = engine.runner.resume_due()
    engine.dispatcher.wake()
    return ClockOut(now=iso(ctl.store.clock.timestamp()), resumed=resumed)
