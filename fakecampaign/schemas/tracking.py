"""Event-tracking shapes: the switch, whitelisted names, trackingLogs, activities, and trackcmp's reply."""

from __future__ import annotations

from typing import Any

from pydantic import Field, StrictBool

from fakecampaign.schemas.common import Body, IntTotal, StringTotal, Wire, api_url, iso
from fakecampaign.schemas.contacts import ContactOut
from fakecampaign.services import activities
from fakecampaign.services.activities import ActivityPage
from fakecampaign.services.records import ActivityRecord, TrackingLogRecord


class EventTrackingIn(Body):
    # A JSON boolean only, as documented: "yes", "true" or 1 are AC's 400 {}, not a silent true.
    enabled: StrictBool


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
    value: str  # "" for an event sent without eventdata: AC's trackingLog fields are strings
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
            value=log.value or "",
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
    type: str
    id: str


# G61: AC names the model an activity references only for emails ("contact-email"); the guide's event
# example shows "tracking-log". reference_type -> (referenceModelName, reference.type) for the others:
REFERENCE_MODELS = {
    activities.TRACKING_LOG: "tracking-log",
    activities.SUBSCRIBER_LIST: "list",
    activities.DEAL_ACTIVITY: "deal",
}


def _omitted(value: Any) -> bool:
    return value is None


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
    # Only with include=recipients[...]: the ids of the activity's activityRecipients, as AC's example shows.
    recipients: list[str] | None = Field(default=None, exclude_if=_omitted)
    reference: ActivityReference
    links: dict[str, str]
    id: str
    user: str | None = None

    @classmethod
    def of(cls, activity: ActivityRecord, base_url: str, *, recipients: bool = False) -> ActivityOut:
        prefix = api_url(base_url, f"activities/{activity.id}/")
        model = REFERENCE_MODELS.get(activity.reference_type, "tracking-log")
        return cls.build(
            tstamp=iso(activity.tstamp),
            subscriberid=str(activity.contact_id),
            reference_type=activity.reference_type,
            reference_id=str(activity.reference_id),
            reference_action=activity.reference_action,
            referenceModelName=model,
            recipients=[str(activity.id)] if recipients else None,
            reference=ActivityReference.build(type=model, id=str(activity.reference_id)),
            links={name: prefix + name for name in ACTIVITY_LINKS},
            id=str(activity.id),
        )


ACTIVITY_LINKS = ("user", "recipients", "reference", "notes")


class RecipientRef(Wire):
    type: str = "contact"
    id: str


class ActivityRecipientOut(Wire):
    """One ``activityRecipients`` sideload row [ACT-MD]. G62: one per activity (its contact), with the
    activity's id, which is what the activity's ``recipients`` list names."""

    reltype: str = "Subscriber"
    relid: str
    activityid: str
    recipient: RecipientRef
    id: str

    @classmethod
    def of(cls, activity: ActivityRecord) -> ActivityRecipientOut:
        contact = str(activity.contact_id)
        return cls.build(
            relid=contact, activityid=str(activity.id), recipient=RecipientRef.build(id=contact), id=str(activity.id)
        )


class ActivitiesEnvelope(Wire):
    """GET /activities. G10: always side-loads the trackingLogs it references, as the guide shows; ``contacts``
    and ``activityRecipients`` only when ``include`` asks for them (api/v3/logs.py says which values do)."""

    contacts: list[ContactOut] | None = Field(default=None, exclude_if=_omitted)
    activityRecipients: list[ActivityRecipientOut] | None = Field(default=None, exclude_if=_omitted)
    trackingLogs: list[TrackingLogOut] = Field(default_factory=list)
    activities: list[ActivityOut]
    meta: StringTotal

    @classmethod
    def of(
        cls, page: ActivityPage, base_url: str, *, contacts: bool = False, recipients: bool = False
    ) -> ActivitiesEnvelope:
        return cls(
            contacts=[ContactOut.of(c, base_url) for c in page.contacts] if contacts else None,
            activityRecipients=[ActivityRecipientOut.of(a) for a in page.activities] if recipients else None,
            trackingLogs=[TrackingLogOut.of(log, base_url) for log in page.logs],
            activities=[ActivityOut.of(a, base_url, recipients=recipients) for a in page.activities],
            meta=StringTotal(total=str(page.total)),
        )


class TrackReply(Wire):
    """trackcmp.net/event's JSON reply: ``{"success": 1, "message": "Event spawned"}``."""

    success: int
    message: str


EVENT_SPAWNED = TrackReply(success=1, message="Event spawned")
EVENT_SPAWNED_JSON = EVENT_SPAWNED.model_dump_json().encode()
