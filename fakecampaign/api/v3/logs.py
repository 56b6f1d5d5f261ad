"""Written events read back: trackingLogs and activities (ac-api-facts.md §5-6)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from fakecampaign.api import examples as ex
from fakecampaign.api.deps import caller_of
from fakecampaign.api.docs import PAGE, Param, documented
from fakecampaign.api.v3 import params
from fakecampaign.errors import UnknownRoute
from fakecampaign.schemas.contacts import TRACKING_LOG_CONTACT_DEFAULTS, ContactOnlyEnvelope, ContactOut
from fakecampaign.schemas.tracking import (
    ACTIVITY_LINKS,
    ActivitiesEnvelope,
    ActivityRecipientOut,
    TrackingLogEnvelope,
    TrackingLogListEnvelope,
    TrackingLogOut,
    TrackingLogsEnvelope,
)
from fakecampaign.services import activities, logs
from fakecampaign.services.activities import ActivityPage, ActivityQuery
from fakecampaign.services.logs import LogQuery

router = APIRouter(tags=["Tracking logs and activities"])


@router.get(
    "/contacts/{contact_id}/trackingLogs",
    response_model=TrackingLogsEnvelope,
    openapi_extra=documented(TrackingLogsEnvelope.of([ex.TRACKING_LOG], ex.BASE_URL)),
)
async def list_contact_tracking_logs(contact_id: str, request: Request) -> TrackingLogsEnvelope:
    """A contact's events, oldest first."""
    caller = caller_of(request)
    found = logs.for_contact(caller.store, account=caller.account, contact_id=params.path_id(contact_id))
    return TrackingLogsEnvelope.of(found, caller.base_url)


@router.get(
    "/trackingLogs",
    response_model=TrackingLogListEnvelope,
    openapi_extra=documented(
        TrackingLogListEnvelope.page([ex.TRACKING_LOG], 1, ex.BASE_URL),
        params=(
            Param("contact", "Only this contact's events", "integer"),
            Param("type", "Only events with this name"),
            Param("filters[contact]", "Same as contact", "integer"),
            Param("filters[type]", "Same as type"),
            *PAGE,
        ),
    ),
)
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


@router.get(
    "/trackingLogs/{log_id}",
    response_model=TrackingLogEnvelope,
    openapi_extra=documented(TrackingLogEnvelope(trackingLog=TrackingLogOut.of(ex.TRACKING_LOG, ex.BASE_URL))),
)
async def get_tracking_log(log_id: str, request: Request) -> TrackingLogEnvelope:
    """One event."""
    caller = caller_of(request)
    log = logs.get(caller.store, account=caller.account, log_id=params.path_id(log_id, resource="TrackingLog"))
    return TrackingLogEnvelope(trackingLog=TrackingLogOut.of(log, caller.base_url))


@router.get(
    "/trackingLogs/{log_id}/contact",
    response_model=ContactOnlyEnvelope,
    openapi_extra=documented(
        ContactOnlyEnvelope(contact=ContactOut.of(ex.CONTACT, ex.BASE_URL, **TRACKING_LOG_CONTACT_DEFAULTS))
    ),
)
async def get_tracking_log_contact(log_id: str, request: Request) -> ContactOnlyEnvelope:
    """The contact an event was logged to."""
    caller = caller_of(request)
    contact = logs.contact_of(
        caller.store, account=caller.account, log_id=params.path_id(log_id, resource="TrackingLog")
    )
    return ContactOnlyEnvelope(contact=ContactOut.of(contact, caller.base_url, **TRACKING_LOG_CONTACT_DEFAULTS))


# include= values that side-load the activities' contacts / their activityRecipients (G62; [ACT-MD] lists the
# values but not what each returns: a recipient of an activity is its contact).
CONTACT_INCLUDES = frozenset({"recipients.recipient", "reference.contact", "reference.log.contact", "contact"})
RECIPIENT_INCLUDES = frozenset({"recipients", "recipients.recipient"})


@router.get(
    "/activities",
    response_model=ActivitiesEnvelope,
    openapi_extra=documented(
        ActivitiesEnvelope.of(
            ActivityPage([ex.ACTIVITY], [ex.TRACKING_LOG], [ex.CONTACT], 1), ex.BASE_URL, contacts=True, recipients=True
        ),
        params=(
            Param("contact", "Only this contact's activities (without it: the whole account's feed)", "integer"),
            Param("after", "Only activities after this date-time", format="date-time"),
            Param("include", "Comma-separated: recipients, recipients.recipient, reference.contact, ..."),
            Param("orders[tstamp]", "ASC (default) or DESC"),
            *PAGE,
        ),
    ),
)
async def list_activities(request: Request) -> ActivitiesEnvelope:
    """The account's activity feed, or one contact's (contact=ID), oldest first, with the trackingLogs they
    reference; after= for the ones since a time (how the Singer tap syncs it); include= for sideloads."""
    caller = caller_of(request)
    q = request.query_params
    limit, offset = params.page(q)
    include = {part.strip() for value in q.getlist("include") for part in value.split(",")}
    query = ActivityQuery(
        contact_id=params.int_param(q, "contact"),
        after=params.date_param(q, "after"),
        newest_first=q.get("orders[tstamp]", "").upper() == "DESC",
        with_contacts=bool(include & CONTACT_INCLUDES),
        limit=limit,
        offset=offset,
    )
    page = activities.search(caller.store, account=caller.account, query=query)
    return ActivitiesEnvelope.of(
        page, caller.base_url, contacts=query.with_contacts, recipients=bool(include & RECIPIENT_INCLUDES)
    )


@router.get(
    "/activities/{activity_id}/{name}",
    name="activities.relation",
    openapi_extra=documented({"notes": []}),
)
async def activity_relation(activity_id: str, name: str, request: Request) -> dict[str, Any]:
    """Where an activity's ``links`` lead: its ``recipients`` (activityRecipients), its ``reference`` (the
    trackingLog of an event's activity; null for the others, G42), its ``user`` (null: the system, userid 0) and
    its ``notes`` (none)."""
    if name not in ACTIVITY_LINKS:
        raise UnknownRoute(method=request.method, path=request.url.path)
    caller = caller_of(request)
    aid = params.path_id(activity_id, resource=activities.MODEL)
    activity, log = activities.get(caller.store, account=caller.account, activity_id=aid)
    if name == "recipients":
        return {"activityRecipients": [ActivityRecipientOut.of(activity).model_dump(mode="json")]}
    if name == "reference":
        if log is None:
            return {"reference": None}
        return {"trackingLog": TrackingLogOut.of(log, caller.base_url).model_dump(mode="json")}
    return {name: None if name == "user" else []}
