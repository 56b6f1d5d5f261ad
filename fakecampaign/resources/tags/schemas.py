"""Tag shapes (ac-api-facts-breadth.md §2.2: the docs' example plus [CORSAIR]'s live keys)."""

from __future__ import annotations

from pydantic import Field

from fakecampaign.resources.tags.service import TagChanges, TagRecord
from fakecampaign.schemas.common import Body, StringTotal, Wire, iso, plain, relation_links


class TagIn(Body):
    tag: str | None = None
    tagType: str | None = None
    description: str | None = None

    def changes(self) -> TagChanges:
        return TagChanges(tag=self.tag, tag_type=self.tagType, description=self.description)


class TagBody(Body):
    """``{"tag": {...}}``."""

    tag: TagIn


class TagOut(Wire):
    tagType: str
    tag: str
    description: str
    cdate: str
    created_timestamp: str
    updated_timestamp: str
    created_by: str | None = None
    updated_by: str | None = None
    deleted: str = "0"
    subscriber_count: str
    links: dict[str, str]
    id: str

    @classmethod
    def of(cls, t: TagRecord, base_url: str) -> TagOut:
        return cls.build(
            tagType=t.tag_type,
            tag=t.tag,
            description=t.description,
            cdate=iso(t.cdate),
            created_timestamp=plain(t.cdate),
            updated_timestamp=plain(t.udate),
            subscriber_count=str(t.subscriber_count),
            links=relation_links(base_url, "tags", t.id, LINKS),
            id=str(t.id),
        )


LINKS = ("contactGoalTags",)


class TagEnvelope(Wire):
    tag: TagOut


class TagsEnvelope(Wire):
    tags: list[TagOut] = Field(default_factory=list)
    meta: StringTotal


def state_of(records: list[TagRecord], base_url: str) -> dict[str, list[TagOut]]:
    return {"tags": [TagOut.of(t, base_url) for t in records]}
