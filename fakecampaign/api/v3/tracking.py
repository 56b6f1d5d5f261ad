"""Event tracking settings: /api/3/eventTracking and /api/3/eventTrackingEvents (ac-api-facts.md §3)."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from fakecampaign.api.deps import caller_of
from fakecampaign.api.docs import documented
from fakecampaign.api.errors import answers_bare_400
from fakecampaign.schemas.tracking import (
    EmptyObject,
    EventNameBody,
    EventNameEnvelope,
    EventNameOut,
    EventNamesEnvelope,
    EventTrackingBody,
    EventTrackingEnvelope,
)
from fakecampaign.services import tracking

router = APIRouter(tags=["Event tracking"])
# The reference's own examples [DOC-OAS] (ac-api-facts.md §3).
SWITCH = {"eventTracking": {"enabled": True}}
NAMES = {"eventTrackingEvents": [{"name": "file download request"}], "meta": {"total": 1}}
NEW_NAME = {"eventTrackingEvent": {"name": "file download request"}}


@router.get("/eventTracking", response_model=EventTrackingEnvelope, openapi_extra=documented(SWITCH))
async def get_event_tracking(request: Request) -> EventTrackingEnvelope:
    """Whether event tracking is on."""
    caller = caller_of(request)
    return EventTrackingEnvelope.of(tracking.get_status(caller.store, account=caller.account))


@router.put("/eventTracking", response_model=EventTrackingEnvelope, openapi_extra=documented(SWITCH, request=SWITCH))
@answers_bare_400
async def set_event_tracking(body: EventTrackingBody, request: Request) -> EventTrackingEnvelope:
    """Turn event tracking on or off (the reference page's verb)."""
    caller = caller_of(request)
    return EventTrackingEnvelope.of(
        tracking.set_status(caller.store, account=caller.account, enabled=body.eventTracking.enabled)
    )


# The guide says POST for the same call, so both verbs work ([GUIDE] vs [DOC-OAS]).
router.post(
    "/eventTracking",
    response_model=EventTrackingEnvelope,
    summary="Turn event tracking on or off (the guide's verb)",
    openapi_extra=documented(SWITCH, request=SWITCH),
)(set_event_tracking)


@router.get("/eventTrackingEvents", response_model=EventNamesEnvelope, openapi_extra=documented(NAMES))
async def list_event_names(request: Request) -> EventNamesEnvelope:
    """List whitelisted event names."""
    caller = caller_of(request)
    return EventNamesEnvelope.of(tracking.list_names(caller.store, account=caller.account))


@router.post(
    "/eventTrackingEvents",
    status_code=status.HTTP_201_CREATED,
    response_model=EventNameEnvelope,
    openapi_extra=documented(NEW_NAME, status=201, request=NEW_NAME),
)
@answers_bare_400
async def create_event_name(body: EventNameBody, request: Request) -> EventNameEnvelope:
    """Whitelist an event name."""
    caller = caller_of(request)
    name = tracking.whitelist(caller.store, account=caller.account, name=body.eventTrackingEvent.name)
    return EventNameEnvelope(eventTrackingEvent=EventNameOut(name=name))


@router.delete("/eventTrackingEvents/{name:path}", response_model=EmptyObject, openapi_extra=documented({}))
async def delete_event_name(name: str, request: Request) -> EmptyObject:
    """Remove a whitelisted name (URL-encoded, e.g. my%20event); logged events stay."""
    caller = caller_of(request)
    tracking.remove_name(caller.store, account=caller.account, name=name)
    return EmptyObject()
