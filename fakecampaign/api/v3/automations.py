"""Automations and contactAutomations (ac-api-facts-breadth.md §5.1): read what fixtures defined, enroll,
list and remove runs. AC has no API to create an automation."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from fakecampaign.api import engine_examples as ex
from fakecampaign.api.deps import caller_of
from fakecampaign.api.docs import PAGE, Param, documented
from fakecampaign.api.v3 import params
from fakecampaign.engine import runner as runs
from fakecampaign.engine.setup import Engine
from fakecampaign.errors import CouldNotEnroll
from fakecampaign.schemas.engine import (
    AutomationEnvelope,
    AutomationOut,
    AutomationsEnvelope,
    AutomationsMeta,
    ContactAutomationBody,
    ContactAutomationCreated,
    ContactAutomationEnvelope,
    ContactAutomationListEnvelope,
    ContactAutomationOut,
    ContactAutomationsEnvelope,
    RunsMeta,
)
from fakecampaign.schemas.tracking import EmptyObject
from fakecampaign.services import automations, contacts
from fakecampaign.services.automations import SERIES, SUBSCRIBER_SERIES, AutomationRecord, RunQuery

router = APIRouter(tags=["Automations"])


def state_of(records: list[AutomationRecord], base_url: str) -> dict[str, list[AutomationOut]]:
    """GET /_fakecampaign/state's ``automations``, in AC's shape."""
    return {"automations": [AutomationOut.of(r, base_url) for r in records]}


RUN_FILTERS = (
    Param("filters[contact]", "Runs of this contact (also filters[subscriberid])", "integer"),
    Param("filters[seriesid]", "Runs of this automation", "integer"),
    Param("filters[status]", "1: in progress, 2: finished"),
)


@router.get("/automations", response_model=AutomationsEnvelope, openapi_extra=documented(ex.AUTOMATIONS, params=PAGE))
async def list_automations(request: Request) -> AutomationsEnvelope:
    """The automations fixtures defined for this account (README "Automations")."""
    caller = caller_of(request)
    limit, offset = params.page(request.query_params)
    found = automations.list_all(caller.store, account=caller.account)  # a handful: paged here
    items = [AutomationOut.of(a, caller.base_url) for a in found[offset : offset + limit]]
    return AutomationsEnvelope(automations=items, meta=AutomationsMeta(total=str(len(found))))


@router.get(
    "/automations/{automation_id}", response_model=AutomationEnvelope, openapi_extra=documented(ex.ONE_AUTOMATION)
)
async def get_automation(automation_id: str, request: Request) -> AutomationEnvelope:
    """One automation."""
    caller = caller_of(request)
    aid = params.path_id(automation_id, resource=SERIES)
    found = automations.get(caller.store, account=caller.account, automation_id=aid)
    return AutomationEnvelope(automation=AutomationOut.of(found, caller.base_url))


@router.post(
    "/contactAutomations",
    status_code=status.HTTP_201_CREATED,
    response_model=ContactAutomationCreated,
    openapi_extra=documented(ex.RUN_CREATED, status=201, request=ex.ENROLL_BODY),
)
async def create_contact_automation(body: ContactAutomationBody, request: Request) -> ContactAutomationCreated:
    """Add a contact to an automation: the run starts now, whatever the automation's trigger."""
    caller = caller_of(request)
    engine: Engine = request.app.state.engine
    contact_id = _int_or_refuse(body.contactAutomation.contact)
    automation_id = _int_or_refuse(body.contactAutomation.automation)
    run = runs.enroll(engine.runner, account_id=caller.account.id, contact_id=contact_id, automation_id=automation_id)
    contact = contacts.get(caller.store, account=caller.account, contact_id=contact_id)
    return ContactAutomationCreated.of(contact, run, caller.base_url)


def _int_or_refuse(raw: str | int) -> int:
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit() and len(text) < 19):
        raise CouldNotEnroll(hint=f"{raw!r} is not an id")
    return int(text)


@router.get(
    "/contactAutomations",
    response_model=ContactAutomationListEnvelope,
    openapi_extra=documented(ex.RUNS, params=(*PAGE, *RUN_FILTERS)),
)
async def list_contact_automations(request: Request) -> ContactAutomationListEnvelope:
    """Runs, filtered by filters[contact] (or filters[subscriberid]), filters[seriesid], filters[status]."""
    caller = caller_of(request)
    q = request.query_params
    limit, offset = params.page(q)
    contact = params.int_param(q, "filters[contact]")
    query = RunQuery(
        contact_id=contact if contact is not None else params.int_param(q, "filters[subscriberid]"),
        automation_id=params.int_param(q, "filters[seriesid]"),
        status=params.text(q, "filters[status]"),
        limit=limit,
        offset=offset,
    )
    found, total = automations.list_runs(caller.store, account=caller.account, query=query)
    items = [ContactAutomationOut.of(r, caller.base_url) for r in found]
    return ContactAutomationListEnvelope(contactAutomations=items, meta=RunsMeta(total=str(total)))


@router.get(
    "/contactAutomations/{run_id}", response_model=ContactAutomationEnvelope, openapi_extra=documented(ex.ONE_RUN)
)
async def get_contact_automation(run_id: str, request: Request) -> ContactAutomationEnvelope:
    """One run."""
    caller = caller_of(request)
    rid = params.path_id(run_id, resource=SUBSCRIBER_SERIES)
    run = automations.get_run(caller.store, account=caller.account, run_id=rid)
    return ContactAutomationEnvelope(contactAutomation=ContactAutomationOut.of(run, caller.base_url))


@router.delete("/contactAutomations/{run_id}", response_model=EmptyObject, openapi_extra=documented(EmptyObject()))
async def delete_contact_automation(run_id: str, request: Request) -> EmptyObject:
    """Remove a contact from an automation: its remaining steps never run."""
    caller = caller_of(request)
    rid = params.path_id(run_id, resource=SUBSCRIBER_SERIES)
    automations.remove_run(caller.store, account=caller.account, run_id=rid)
    return EmptyObject()


@router.get(
    "/contacts/{contact_id}/contactAutomations",
    response_model=ContactAutomationsEnvelope,
    openapi_extra=documented(ex.RUNS_OF_CONTACT),
)
async def list_runs_of_contact(contact_id: str, request: Request) -> ContactAutomationsEnvelope:
    """A contact's runs."""
    caller = caller_of(request)
    found = automations.runs_of_contact(caller.store, account=caller.account, contact_id=params.path_id(contact_id))
    return ContactAutomationsEnvelope(contactAutomations=[ContactAutomationOut.of(r, caller.base_url) for r in found])
