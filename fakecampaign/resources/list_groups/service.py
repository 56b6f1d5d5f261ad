"""listGroups: POST /listGroups gives a user group permission on a list (ac-api-facts-breadth.md §3.1).

fakecampaign has no user groups or permissions (every list is visible to the one user), so a listGroup is only
recorded and echoed. Clients call it right after creating a list ([ACPY], [ACMCP]: a new list "may need to be
associated with a user group" to be visible to non-admins, §3.3). G131: the same (list, group) twice answers
the existing row; an unknown list is the list's 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from fakecampaign.db import statement
from fakecampaign.errors import BadRequest, NoResultFound
from fakecampaign.resources.list_groups.table import LIST_GROUPS
from fakecampaign.resources.lists import service as lists
from fakecampaign.services.records import AccountRecord
from fakecampaign.services.store import Store

T = LIST_GROUPS
BY_PAIR = statement(select(T).where(T.c.list_id == bindparam("lid"), T.c.group_id == bindparam("gid")))


@dataclass(frozen=True, slots=True)
class ListGroupRecord:
    id: int
    account_id: int
    list_id: int
    group_id: int


def create(store: Store, *, account: AccountRecord, list_id: int | None, group_id: int | None) -> ListGroupRecord:
    """POST /listGroups: both ``listid`` and ``groupid`` are required (AC answers 400 ``{}`` otherwise)."""
    if list_id is None:
        raise BadRequest(hint="listGroup.listid (a list id) is required")
    if group_id is None or group_id < 0:
        raise BadRequest(hint="listGroup.groupid (a user group id) is required")
    with store.db.transaction() as tx:
        lists.require(tx, account_id=account.id, list_id=list_id)
        existing = tx.one(BY_PAIR, lid=list_id, gid=group_id)
        if existing is not None:
            return ListGroupRecord(**existing)
        values = {"account_id": account.id, "list_id": list_id, "group_id": group_id}
        return ListGroupRecord(id=tx.insert(T, **values), **values)


BY_ID = statement(select(T).where(T.c.account_id == bindparam("aid"), T.c.id == bindparam("id")))
MODEL = "ListGroup"  # G131: the model a missing listGroup's 404 names


def get(store: Store, *, account: AccountRecord, list_group_id: int) -> ListGroupRecord:
    """GET /listGroups/{id}."""
    with store.db.transaction() as tx:
        row = tx.one(BY_ID, aid=account.id, id=list_group_id)
    if row is None:
        raise NoResultFound(resource=MODEL, id=list_group_id)
    return ListGroupRecord(**row)
