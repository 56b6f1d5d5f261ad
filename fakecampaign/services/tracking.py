"""Event tracking settings: the on/off switch and the whitelist of event names.

AC (../shared/reference/ac-api-facts.md §3): the switch is read with GET and set with PUT or POST; names are
created and deleted one by one, deleting a name never deletes logged events, and names need not be
whitelisted for events to be logged. G4: these calls work whether tracking is on or off. G21: AC's
built-in names (__pagevisit, __redir) are not listed.
"""

from __future__ import annotations

from sqlalchemy import bindparam, delete, select

from fakecampaign.db import statement
from fakecampaign.errors import BadRequest, DuplicateEventName, NoResultFound
from fakecampaign.services import accounts
from fakecampaign.services.events import MAX_EVENT_NAME
from fakecampaign.services.records import AccountRecord
from fakecampaign.services.store import Store
from fakecampaign.tables import EVENT_NAMES

T = EVENT_NAMES
MAX_NAME = MAX_EVENT_NAME  # G14: trackcmp's documented limit for event names, applied to the whitelist too

NAMES = statement(select(T.c.name).where(T.c.account_id == bindparam("aid")).order_by(T.c.id))
FIND = statement(select(T.c.id).where(T.c.account_id == bindparam("aid"), T.c.name == bindparam("name")))
DELETE = statement(delete(T).where(T.c.account_id == bindparam("aid"), T.c.name == bindparam("name")))


def get_status(store: Store, *, account: AccountRecord) -> bool:
    """GET /eventTracking."""
    return accounts.tracking_enabled(store, account=account)


def set_status(store: Store, *, account: AccountRecord, enabled: bool) -> bool:
    """PUT or POST /eventTracking."""
    return accounts.set_tracking(store, account=account, enabled=enabled)


def list_names(store: Store, *, account: AccountRecord) -> list[str]:
    """GET /eventTrackingEvents, in the order the names were created."""
    with store.db.transaction() as tx:
        return [row["name"] for row in tx.all(NAMES, aid=account.id)]


def whitelist(store: Store, *, account: AccountRecord, name: str) -> str:
    """POST /eventTrackingEvents: add a name. G2: an existing name is 422 duplicate."""
    name = _valid_name(name)
    with store.db.transaction() as tx:
        if tx.one(FIND, aid=account.id, name=name) is not None:
            raise DuplicateEventName(hint=f"The event name {name!r} is already whitelisted")
        tx.insert(T, account_id=account.id, name=name)
    return name


def remove_name(store: Store, *, account: AccountRecord, name: str) -> None:
    """DELETE /eventTrackingEvents/{name}: removes the name only, never logged events.

    The guide asks for ``my%20event``; clients that form-encode the path send ``my+event``. An exact match
    wins (a name may contain "+"), then "+" is read as a space.
    """
    candidates = [name, name.replace("+", " ")] if "+" in name else [name]
    with store.db.transaction() as tx:
        if not any(tx.execute(DELETE, aid=account.id, name=candidate) for candidate in candidates):  # G3
            raise NoResultFound(resource="EventTrackingEvent", id=name)


def _valid_name(name: str) -> str:
    # AC documents only 400 {} for this call [DOC-OAS]; the header says which rule the name broke.
    if not name.strip():
        raise BadRequest(hint="eventTrackingEvent.name is required")
    if len(name) > MAX_NAME:
        raise BadRequest(hint=f"eventTrackingEvent.name is longer than {MAX_NAME} characters")
    return name
