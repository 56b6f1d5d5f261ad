"""Every link a response prints leads to a route that answers (issue 13 §2).

Relations fakecampaign does not emulate (a contact's bounceLogs, notes, geoIps, ...) answer as an account
without such data would. G42: an empty list for a to-many relation and ``null`` for a to-one, after checking
the parent exists (AC's 404 otherwise). Registered after every resource, so a real route always wins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request

from fakecampaign.api.deps import Caller, caller_of
from fakecampaign.api.docs import documented
from fakecampaign.api.v3 import params
from fakecampaign.errors import UnknownRoute
from fakecampaign.resources.contact_lists import service as contact_lists
from fakecampaign.resources.lists import service as lists
from fakecampaign.resources.tags import service as tags
from fakecampaign.services import contacts
from fakecampaign.services.contacts import SUBSCRIBER

router = APIRouter(tags=["Relations not emulated"])

MANY, ONE = "many", "one"
Check = Callable[[Caller, int], Any]

# parent path -> (model named in its 404, how to check it exists, {relation: many | one})
PARENTS: dict[str, tuple[str, Check, dict[str, str]]] = {
    "contacts": (
        SUBSCRIBER,
        lambda c, i: contacts.get(c.store, account=c.account, contact_id=i),
        {
            "bounceLogs": MANY,
            "contactAutomations": MANY,
            "contactData": ONE,
            "contactGoals": MANY,
            "contactLogs": MANY,
            "contactDeals": MANY,
            "deals": MANY,
            "geoIps": MANY,
            "notes": MANY,
            "organization": ONE,
            "plusAppend": ONE,
            "scoreValues": MANY,
            "accountContacts": MANY,
            "automationEntryCounts": MANY,
            "fieldValues": MANY,
        },
    ),
    "tags": (tags.MODEL, lambda c, i: tags.get(c.store, account=c.account, tag_id=i), {"contactGoalTags": MANY}),
    "lists": (
        lists.MODEL,
        lambda c, i: lists.get(c.store, account=c.account, list_id=i),
        {"contactGoalLists": MANY, "addressLists": MANY},
    ),
    "contactLists": (
        contact_lists.MODEL,
        lambda c, i: contact_lists.get(c.store, account=c.account, contact_list_id=i),
        dict.fromkeys(("automation", "form", "autosyncLog", "campaign", "unsubscribeAutomation", "message"), ONE),
    ),
}


def _route(parent: str) -> None:
    model, check, relations = PARENTS[parent]

    async def relation(record_id: str, name: str, request: Request) -> dict[str, Any]:
        kind = relations.get(name)
        if kind is None:
            raise UnknownRoute(method=request.method, path=request.url.path)
        caller = caller_of(request)
        check(caller, params.path_id(record_id, resource=model))
        return {name: [] if kind == MANY else None}

    relation.__doc__ = f"Relations of a {parent[:-1]} that fakecampaign does not emulate: {', '.join(relations)}."
    first = next(iter(relations))
    shown: dict[str, Any] = {first: [] if relations[first] == MANY else None}
    router.get(f"/{parent}/{{record_id}}/{{name}}", name=f"{parent}.relation", openapi_extra=documented(shown))(
        relation
    )


for _parent in PARENTS:
    _route(_parent)
