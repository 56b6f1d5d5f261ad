"""contactTag shapes (ac-api-facts-breadth.md §2.1-2.2; live keys from [CORSAIR])."""

from __future__ import annotations

from pydantic import Field

from fakecampaign.resources.contact_tags.service import ContactTagRecord
from fakecampaign.schemas.common import Body, StringTotal, Wire, iso, plain, relation_links


class ContactTagIn(Body):
    contact: str | int | None = None
    tag: str | int | None = None


class ContactTagBody(Body):
    """``{"contactTag": {"contact": "1", "tag": "20"}}``."""

    contactTag: ContactTagIn


class ContactTagOut(Wire):
    cdate: str
    contact: str
    tag: str
    created_timestamp: str
    updated_timestamp: str
    created_by: str | None = None
    updated_by: str | None = None
    # G45: absolute links to routes that answer; the docs' POST example prints "/1/contact" and "/1/tag".
    links: dict[str, str]
    id: str

    @classmethod
    def of(cls, ct: ContactTagRecord, base_url: str) -> ContactTagOut:
        return cls.build(
            cdate=iso(ct.cdate),
            contact=str(ct.contact_id),
            tag=str(ct.tag_id),
            created_timestamp=plain(ct.cdate),
            updated_timestamp=plain(ct.udate),
            links=relation_links(base_url, "contactTags", ct.id, ("contact", "tag")),
            id=str(ct.id),
        )


class ContactTagEnvelope(Wire):
    contactTag: ContactTagOut


class ContactTagsOfContact(Wire):
    """GET /contacts/{id}/contactTags: no ``meta`` (breadth §1.2)."""

    contactTags: list[ContactTagOut] = Field(default_factory=list)


class ContactTagsEnvelope(Wire):
    contactTags: list[ContactTagOut] = Field(default_factory=list)
    meta: StringTotal


def many(records: list[ContactTagRecord], base_url: str) -> list[ContactTagOut]:
    return [ContactTagOut.of(ct, base_url) for ct in records]


def sideload_of(records: list[ContactTagRecord], base_url: str) -> list[ContactTagOut]:
    """GET /contacts/{id}'s sideload (here, not in routes.py: that GET must not wait for the routes' imports)."""
    return many(records, base_url)


def state_of(records: list[ContactTagRecord], base_url: str) -> dict[str, list[ContactTagOut]]:
    return {"contactTags": many(records, base_url)}
