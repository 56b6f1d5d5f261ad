"""Contact shapes: POST/PUT/sync bodies and the contact envelopes (../shared/reference/ac-api-facts.md §2)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from fakecampaign.schemas.common import Body, StringTotal, Wire, api_url, both
from fakecampaign.services.contacts import CONTACT_ARRAYS
from fakecampaign.services.records import ContactRecord

# The 18 link names of AC's contact object, in AC's order.
LINK_NAMES = (
    "bounceLogs",
    "contactAutomations",
    "contactData",
    "contactGoals",
    "contactLists",
    "contactLogs",
    "contactTags",
    "contactDeals",
    "deals",
    "fieldValues",
    "geoIps",
    "notes",
    "organization",
    "plusAppend",
    "trackingLogs",
    "scoreValues",
    "accountContacts",
    "automationEntryCounts",
)
LINK_SUFFIX = {"contactAutomations": "?limit=1000&orders%5Blastdate%5D=DESC"}
LINK_TAILS = tuple((name, name + LINK_SUFFIX.get(name, "")) for name in LINK_NAMES)  # each link after its prefix


class FieldValueIn(Body):
    field: str | int | None = None
    value: Any = None


class ContactIn(Body):
    """The ``contact`` object of a create, sync or update body."""

    email: str | None = None
    firstName: str | None = None
    lastName: str | None = None
    phone: str | None = None
    fieldValues: list[FieldValueIn] = Field(default_factory=list)

    @field_validator("phone", mode="before")
    @classmethod
    def _phone_may_be_a_number(cls, value: Any) -> Any:
        # Clients send phone numbers as JSON numbers too; AC stores them as text.
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


class ContactBody(Body):
    """``{"contact": {...}}``."""

    contact: ContactIn


class ContactOut(Wire):
    cdate: str
    email: str
    phone: str
    firstName: str
    lastName: str
    orgid: str = "0"
    orgname: str = ""
    segmentio_id: str = ""
    bounced_hard: str = "0"
    bounced_soft: str = "0"
    bounced_date: str | None = None
    ip: str = "0"
    ua: str | None = None
    hash: str
    socialdata_lastcheck: str | None = None
    email_local: str = ""
    email_domain: str = ""
    sentcnt: str = "0"
    rating_tstamp: str | None = None
    gravatar: str = "0"
    deleted: str = "0"
    anonymized: str = "0"
    adate: str | None = None
    udate: str
    edate: str | None = None
    deleted_at: str | None = None
    created_utc_timestamp: str
    updated_utc_timestamp: str
    created_timestamp: str
    updated_timestamp: str
    created_by: str | None = None
    updated_by: str | None = None
    email_empty: bool = False
    mpp_tracking: str = "0"
    scoreValues: list[str] = Field(default_factory=list)
    # The relation-id arrays AC puts in the contact object (ac-api-facts.md §2.4), filled from the sideloads.
    contactAutomations: list[str] = Field(default_factory=list)
    contactLists: list[str] = Field(default_factory=list)
    fieldValues: list[str] = Field(default_factory=list)
    geoIps: list[str] = Field(default_factory=list)
    deals: list[str] = Field(default_factory=list)
    accountContacts: list[str] = Field(default_factory=list)
    links: dict[str, str]
    id: str
    organization: str | None = None

    @classmethod
    def of(
        cls, contact: ContactRecord, base_url: str, related: dict[str, list[str]] | None = None, **documented: Any
    ) -> ContactOut:
        """``documented``: defaults AC's examples show differently on one call (CREATED_DEFAULTS, ...)."""
        cdate, created = both(contact.cdate)
        # A contact never updated has udate == cdate: formatting it again was ~5% of a contact GET.
        udate, updated = (cdate, created) if contact.udate == contact.cdate else both(contact.udate)
        if related is None and contact.related_ids:
            related = {key: [str(i) for i in ids] for key, ids in contact.related_ids}
        return cls.build(
            **(related or {}),
            **documented,
            cdate=cdate,
            email=contact.email,
            phone=contact.phone,
            firstName=contact.first_name,
            lastName=contact.last_name,
            hash=contact.hash,
            udate=udate,
            created_utc_timestamp=created,
            updated_utc_timestamp=updated,
            created_timestamp=created,
            updated_timestamp=updated,
            links=contact_links(contact.id, base_url),
            id=str(contact.id),
        )


# The create and sync replies' own example values [DOC-OAS] (ac-api-facts.md §2.1, §2.6); GET shows "0" / null.
CREATED_DEFAULTS: dict[str, Any] = {"orgid": "", "organization": ""}
# GET /trackingLogs/{id}/contact's example: created_by and updated_by "0" [DOC-OAS] (ac-api-facts.md §6).
TRACKING_LOG_CONTACT_DEFAULTS: dict[str, Any] = {"created_by": "0", "updated_by": "0"}


def contact_links(contact_id: int, base_url: str) -> dict[str, str]:
    # G20: absolute everywhere, though AC's single-contact example shows relative links.
    prefix = api_url(base_url, f"contacts/{contact_id}/")
    return {name: prefix + tail for name, tail in LINK_TAILS}


class ContactEnvelope(Wire):
    """Create, sync and update answer: ``{"fieldValues": [...], "contact": {...}}``."""

    fieldValues: list[Any] = Field(default_factory=list)
    contact: ContactOut

    @classmethod
    def of(cls, contact: ContactRecord, base_url: str, *, created: bool = False) -> ContactEnvelope:
        """``created``: a create or sync reply, with the defaults AC's examples of those show."""
        defaults = CREATED_DEFAULTS if created else {}
        if not contact.field_values:
            return cls.build(contact=ContactOut.of(contact, base_url, **defaults))
        from fakecampaign.resources.field_values.schemas import many  # it imports this module

        values = many(list(contact.field_values), base_url)
        return cls.build(fieldValues=values, contact=ContactOut.of(contact, base_url, **defaults))


class ContactDetailEnvelope(Wire):
    """GET /contacts/{id}: the contact with its side-loaded relations (ac-api-facts.md §2.4)."""

    contactAutomations: list[Any] = Field(default_factory=list)
    contactLists: list[Any] = Field(default_factory=list)
    # G46: AC's example has no contactTags sideload; the clients read one, and an extra key breaks none.
    contactTags: list[Any] = Field(default_factory=list)
    deals: list[Any] = Field(default_factory=list)
    fieldValues: list[Any] = Field(default_factory=list)
    geoAddresses: list[Any] = Field(default_factory=list)
    geoIps: list[Any] = Field(default_factory=list)
    contact: ContactOut

    @classmethod
    def of(
        cls, contact: ContactRecord, base_url: str, sideloads: dict[str, list[Any]] | None = None
    ) -> ContactDetailEnvelope:
        sideloads = sideloads or {}
        ids = {key: [item.id for item in sideloads[key]] for key in RELATION_ARRAYS if key in sideloads}
        return cls.build(contact=ContactOut.of(contact, base_url, ids), **sideloads)


# The sideloads whose ids the contact object repeats (ac-api-facts.md §2.4).
RELATION_ARRAYS = CONTACT_ARRAYS


class ContactOnlyEnvelope(Wire):
    """GET /trackingLogs/{id}/contact: ``{"contact": {...}}``."""

    contact: ContactOut


class PageInput(Wire):
    """``meta.page_input``: AC echoes the list inputs back."""

    segmentid: int = 0
    formid: int = 0
    listid: int = 0
    tagid: int = 0
    limit: int
    offset: int
    search: str | None = None
    sort: str | None = None
    seriesid: int = 0
    waitid: int = 0
    status: int = -1
    forceQuery: int = 0
    cacheid: str = ""


class ContactsMeta(StringTotal):
    page_input: PageInput


class ContactsEnvelope(Wire):
    """GET /contacts."""

    scoreValues: list[dict[str, Any]] = Field(default_factory=list)
    contacts: list[ContactOut]
    meta: ContactsMeta

    @classmethod
    def of(cls, contacts: list[ContactRecord], total: int, page_input: PageInput, base_url: str) -> ContactsEnvelope:
        meta = ContactsMeta(total=str(total), page_input=page_input)
        return cls(contacts=[ContactOut.of(c, base_url) for c in contacts], meta=meta)
