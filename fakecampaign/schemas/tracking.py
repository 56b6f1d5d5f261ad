"""Event-tracking shapes: the switch, whitelisted names, trackingLogs, activities, and trackcmp's reply."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from fakecampaign.schemas.common import Body, IntTotal, StringTotal, Wire, api_url, iso
from fakecampaign.services.logs import ActivityPage
from fakecampaign.services.records import ActivityRecord, TrackingLogRecord


class EventTrackingIn(Body):
    enabled: bool


class EventTrackingBody(Body):
    """``{"eventTracking": {"enabled": true}}`` for PUT or POST /eventTracking."""

    eventTracking: EventTrackingIn


class EventTrackingOut(Wire):
    enabled: bool


class EventTrackingEnvelope(Wire):
    eventTracking: EventTrackingOut

    @classmethod
    def of(cls, enabled: bool) -> EventTrackingEnvelope:
        return cls(eventTracking=EventTrackingOut(enabled=enabled))


class EventNameIn(Body):
    name: str


class EventNameBody(Body):
    """``{"eventTrackingEvent": {"name": "..."}}``."""

    eventTrackingEvent: EventNameIn


class EventNameOut(Wire):
    name: str


class EventNameEnvelope(Wire):
    """201 answer to a new name: only the name, no id [DOC-OAS]."""

    eventTrackingEvent: EventNameOut


class EventNamesEnvelope(Wire):
    """GET /eventTrackingEvents; ``meta.total`` is an integer here, unlike most lists [DOC-OAS]."""

    eventTrackingEvents: list[EventNameOut]
    meta: IntTotal

    @classmethod
    def of(cls, names: list[str]) -> EventNamesEnvelope:
        return cls(eventTrackingEvents=[EventNameOut(name=n) for n in names], meta=IntTotal(total=len(names)))


class EmptyObject(Wire):
    """AC's ``200 {}`` (DELETE answers)."""


class TrackingLogOut(Wire):
    subscriberid: str
    type: str
    value: str | None
    tstamp: str
    hash: str
    links: dict[str, str]
    id: str
    contact: str

    @classmethod
    def of(cls, log: TrackingLogRecord, base_url: str) -> TrackingLogOut:
        return cls.build(
            subscriberid=str(log.contact_id),
            type=log.type,
            value=log.value,
            tstamp=iso(log.tstamp),
            hash=log.hash,
            links={"contact": api_url(base_url, f"trackingLogs/{log.id}/contact")},
            id=str(log.id),
            contact=str(log.contact_id),
        )


class TrackingLogsEnvelope(Wire):
    """GET /contacts/{id}/trackingLogs: no ``meta`` in AC's example."""

    trackingLogs: list[TrackingLogOut]

    @classmethod
    def of(cls, logs: list[TrackingLogRecord], base_url: str) -> TrackingLogsEnvelope:
        return cls(trackingLogs=[TrackingLogOut.of(log, base_url) for log in logs])


class TrackingLogListEnvelope(TrackingLogsEnvelope):
    """GET /trackingLogs. G8: undocumented in AC; shaped like its other lists."""

    meta: StringTotal

    @classmethod
    def page(cls, logs: list[TrackingLogRecord], total: int, base_url: str) -> TrackingLogListEnvelope:
        items = [TrackingLogOut.of(log, base_url) for log in logs]
        return cls(trackingLogs=items, meta=StringTotal(total=str(total)))


class TrackingLogEnvelope(Wire):
    """GET /trackingLogs/{id}. G8: undocumented in AC; the singular-key envelope every AC resource uses."""

    trackingLog: TrackingLogOut


class ActivityReference(Wire):
    type: str = "tracking-log"
    id: str


class ActivityOut(Wire):
    tstamp: str
    subscriberid: str
    reference_type: str
    reference_id: str
    reference_action: str
    jsonData: Any = None
    userid: str = "0"
    permission: str = ""
    referenceModelName: str = "tracking-log"
    reference: ActivityReference
    links: dict[str, str]
    id: str
    user: str | None = None

    @classmethod
    def of(cls, activity: ActivityRecord, base_url: str) -> ActivityOut:
        prefix = api_url(base_url, f"activities/{activity.id}/")
        return cls.build(
            tstamp=iso(activity.tstamp),
            subscriberid=str(activity.contact_id),
            reference_type=activity.reference_type,
            reference_id=str(activity.tracking_log_id),
            reference_action=activity.reference_action,
            reference=ActivityReference.build(id=str(activity.tracking_log_id)),
            links={name: prefix + name for name in ACTIVITY_LINKS},
            id=str(activity.id),
        )


ACTIVITY_LINKS = ("user", "recipients", "reference", "notes")


class ActivitiesEnvelope(Wire):
    """GET /activities?contact=ID. G10: always side-loads the trackingLogs it references, as the guide shows."""

    trackingLogs: list[TrackingLogOut] = Field(default_factory=list)
    activities: list[ActivityOut]
    meta: StringTotal

    @classmethod
    def of(cls, page: ActivityPage, base_url: str) -> ActivitiesEnvelope:
        return cls(
            trackingLogs=[TrackingLogOut.of(log, base_url) for log in page.logs],
            activities=[ActivityOut.of(a, base_url) for a in page.activities],
            meta=StringTotal(total=str(page.total)),
        )


class TrackReply(Wire):
    """trackcmp.net/event's JSON reply: ``{"success": 1, "message": "Event spawned"}``."""

    success: int
    message: str


EVENT_SPAWNED = TrackReply(success=1, message="Event spawned")
EVENT_SPAWNED_JSON = EVENT_SPAWNED.model_dump_json().encode()
