"""Written events read back: trackingLogs and activities (ac-api-facts.md §5-6)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from fakecampaign.api.deps import caller_of
from fakecampaign.api.v3 import params
from fakecampaign.errors import BadRequest
from fakecampaign.schemas.contacts import ContactOnlyEnvelope, ContactOut
from fakecampaign.schemas.tracking import (
    ActivitiesEnvelope,
    TrackingLogEnvelope,
    TrackingLogListEnvelope,
    TrackingLogOut,
    TrackingLogsEnvelope,
)
from fakecampaign.services import logs
from fakecampaign.services.logs import ActivityQuery, LogQuery

router = APIRouter(tags=["Tracking logs and activities"])


@router.get("/contacts/{contact_id}/trackingLogs", response_model=TrackingLogsEnvelope)
async def list_contact_tracking_logs(contact_id: str, request: Request) -> TrackingLogsEnvelope:
    """A contact's events, oldest first."""
    caller = caller_of(request)
    found = logs.for_contact(caller.store, account=caller.account, contact_id=params.path_id(contact_id))
    return TrackingLogsEnvelope.of(found, caller.base_url)


@router.get("/trackingLogs", response_model=TrackingLogListEnvelope)
async def list_tracking_logs(request: Request) -> TrackingLogListEnvelope:
    """The account's events; filter with contact= and type= (also filters[contact], filters[type])."""
    caller = caller_of(request)
    q = request.query_params
    limit, offset = params.page(q)
    contact = params.int_param(q, "contact") or params.int_param(q, "filters[contact]")
    event_type = params.text(q, "type") or params.text(q, "filters[type]")
    query = LogQuery(contact_id=contact, type=event_type, limit=limit, offset=offset)
    found, total = logs.search(caller.store, account=caller.account, query=query)
    return TrackingLogListEnvelope.page(found, total, caller.base_url)


@router.get("/trackingLogs/{log_id}", response_model=TrackingLogEnvelope)
async def get_tracking_log(log_id: str, request: Request) -> TrackingLogEnvelope:
    """One event."""
    caller = caller_of(request)
    log = logs.get(caller.store, account=caller.account, log_id=params.path_id(log_id, resource="TrackingLog"))
    return TrackingLogEnvelope(trackingLog=TrackingLogOut.of(log, caller.base_url))


@router.get("/trackingLogs/{log_id}/contact", response_model=ContactOnlyEnvelope)
async def get_tracking_log_contact(log_id: str, request: Request) -> ContactOnlyEnvelope:
    """The contact an event was logged to."""
    caller = caller_of(request)
    contact = logs.contact_of(
        caller.store, account=caller.account, log_id=params.path_id(log_id, resource="TrackingLog")
    )
    return ContactOnlyEnvelope(contact=ContactOut.of(contact, caller.base_url))


@router.get("/activities", response_model=ActivitiesEnvelope)
async def list_activities(request: Request) -> ActivitiesEnvelope:
    """A contact's activities (contact= is required), with the trackingLogs they reference."""
    caller = caller_of(request)
    q = request.query_params
    contact = params.int_param(q, "contact")
    if contact is None:
        raise BadRequest(hint="The contact query parameter is required: /api/3/activities?contact=ID")
    limit, offset = params.page(q)
    newest_first = q.get("orders[tstamp]", "").upper() == "DESC"
    after = params.date_param(q, "after")
    query = ActivityQuery(contact_id=contact, after=after, newest_first=newest_first, limit=limit, offset=offset)
    return ActivitiesEnvelope.of(logs.activities(caller.store, account=caller.account, query=query), caller.base_url)
