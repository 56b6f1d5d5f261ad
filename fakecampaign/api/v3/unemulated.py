"""Top-level collections fakecampaign does not emulate answer as an account without such records (G130).

tap-activecampaign's catalog lists 59 streams; a user who selects one of these collections (forms, segments,
dealTasks, ...) had its whole sync abort on fakecampaign's 404, where real AC serves the (here: empty) list.
The envelope is AC's list shape, ``{"<collection>": [], "meta": {"total": "0"}}`` with a string total
(ac-api-facts-breadth.md §9.1; the tap pages while ``offset <= int(meta.total)``, §8 [TAP]). ``/users`` lists the
token's one user (the same record as ``/users/me``). Registered after every resource, so an emulated route wins.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from fakecampaign.api import examples as ex
from fakecampaign.api.deps import caller_of
from fakecampaign.api.docs import PAGE, documented
from fakecampaign.schemas.common import StringTotal
from fakecampaign.schemas.misc import UserEnvelope
from fakecampaign.schemas.unemulated import UsersEnvelope, empty_envelope

router = APIRouter(tags=["Collections not emulated"])

# G130: the collections (path == response key) that answer empty: tap-activecampaign's streams (its
# streams.py, 1.3.1) that fakecampaign does not emulate.
EMPTY_COLLECTIONS: tuple[str, ...] = (
    "accountContacts", "accountCustomFieldMeta", "accountCustomFieldData", "addresses", "brandings", "calendars",
    "links", "contactDeals", "dealCustomFieldMeta", "dealCustomFieldData", "connections", "ecomCustomers",
    "ecomOrders", "forms", "groups", "messages", "savedResponses", "scores", "segments", "dealTasktypes",
    "dealTasks", "templates", "automationBlocks", "bounceLogs", "campaignLists", "campaignMessages", "configs",
    "contactData", "contactEmails", "contactConversions", "conversions", "conversionTriggers", "dealActivities",
    "dealGroupUsers", "ecomOrderActivities", "emailActivities", "goals", "siteMessages", "sms",
)  # fmt: skip


def _empty_route(name: str) -> None:
    envelope = empty_envelope(name)

    async def empty_collection() -> BaseModel:
        return envelope()

    empty_collection.__doc__ = f"{name}: not emulated by fakecampaign, so always empty (G130)."
    router.get(
        f"/{name}",
        name=f"unemulated.{name}",
        response_model=envelope,
        openapi_extra=documented(envelope(), params=PAGE),
    )(empty_collection)


for _name in EMPTY_COLLECTIONS:
    _empty_route(_name)

_USERS_EXAMPLE = UsersEnvelope(users=[UserEnvelope.of(ex.ACCOUNT, ex.BASE_URL).user], meta=StringTotal(total="1"))


@router.get(
    "/users",
    name="unemulated.users",
    response_model=UsersEnvelope,
    openapi_extra=documented(_USERS_EXAMPLE, params=PAGE),
)
async def list_users(request: Request) -> UsersEnvelope:
    """The account's users: its one user, the token's (as ``/users/me``)."""
    caller = caller_of(request)
    return UsersEnvelope(users=[UserEnvelope.of(caller.account, caller.base_url).user], meta=StringTotal(total="1"))
