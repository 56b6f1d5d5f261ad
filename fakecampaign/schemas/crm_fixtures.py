"""The CRM part of the fixtures format (README "Fixtures format"): tags, lists and custom fields, and each
contact's tags, list memberships and field values. Loaded by the registry resources' seed hooks, by name."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["active", "unsubscribed", "unconfirmed"]
STATUS_CODES = {"unconfirmed": 0, "active": 1, "unsubscribed": 2}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a typo in a fixtures file must fail loudly


class TagFixture(_Strict):
    tag: str = Field(min_length=1)
    tagType: str = "contact"
    description: str = ""


class ListFixture(_Strict):
    name: str = Field(min_length=1)
    stringid: str | None = None
    sender_url: str = ""
    sender_reminder: str = ""


class FieldFixture(_Strict):
    title: str = Field(min_length=1)
    type: str = "text"
    perstag: str | None = None
    options: list[str] = Field(default_factory=list)


class ContactMemberships(_Strict):
    """A contact's CRM data: tag names, list names (subscribed, or name -> status), field title -> value."""

    tags: list[str] = Field(default_factory=list)
    lists: list[str] | dict[str, Status] = Field(default_factory=list)
    fields: dict[str, str] = Field(default_factory=dict)


class CrmData(_Strict):
    """The account-level CRM entries; a plain name is enough for a tag or a list."""

    # A plain name must be non-empty here: checked later, an empty one would escape request validation (a 500).
    tags: list[Annotated[str, Field(min_length=1)] | TagFixture] = Field(default_factory=list)
    lists: list[Annotated[str, Field(min_length=1)] | ListFixture] = Field(default_factory=list)
    fields: list[FieldFixture] = Field(default_factory=list)

    def crm_resources(self, contacts: list[Any]) -> dict[str, Any]:
        """What each registry resource's seed hook loads, keyed by resource name (only non-empty parts)."""
        tags = [TagFixture(tag=t) if isinstance(t, str) else t for t in self.tags]
        lists = [ListFixture(name=x) if isinstance(x, str) else x for x in self.lists]
        memberships: dict[str, list[dict[str, Any]]] = {"contactTags": [], "contactLists": [], "fieldValues": []}
        for i, contact in enumerate(contacts):
            at = f"/contacts/{i}"
            for j, tag in enumerate(contact.tags):
                memberships["contactTags"].append({"email": contact.email, "tag": tag, "at": f"{at}/tags/{j}"})
            named = contact.lists.items() if isinstance(contact.lists, dict) else ((n, "active") for n in contact.lists)
            for name, status in named:
                row = {"email": contact.email, "list": name, "status": STATUS_CODES[status], "at": f"{at}/lists/{name}"}
                memberships["contactLists"].append(row)
            for field, value in contact.fields.items():
                row = {"email": contact.email, "field": field, "value": value, "at": f"{at}/fields/{field}"}
                memberships["fieldValues"].append(row)
        parts: dict[str, Any] = {
            "tags": [t.model_dump() for t in tags],
            "lists": [x.model_dump() for x in lists],
            "fields": [f.model_dump() for f in self.fields],
            **memberships,
        }
        return {name: part for name, part in parts.items() if part}
