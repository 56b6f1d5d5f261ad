"""listGroup shapes: POST /listGroups echoes the request's ids with their JSON types (breadth §1.2, §3.1)."""

from __future__ import annotations

from fakecampaign.resources.list_groups.service import ListGroupRecord
from fakecampaign.schemas.common import Body, Wire, relation_links


class ListGroupIn(Body):
    listid: str | int | None = None
    groupid: str | int | None = None


class ListGroupBody(Body):
    """``{"listGroup": {"listid": 19, "groupid": 1}}``."""

    listGroup: ListGroupIn


class ListGroupOut(Wire):
    list: str | int
    group: str | int
    links: dict[str, str]
    id: str

    @classmethod
    def of(cls, record: ListGroupRecord, base_url: str, given: ListGroupIn | None = None) -> ListGroupOut:
        # AC's POST example echoes ints ("list":19,"group":1); a GET prints strings, as AC's GETs do.
        list_id: str | int = str(record.list_id)
        group_id: str | int = str(record.group_id)
        if given is not None:
            list_id = given.listid if given.listid is not None else list_id
            group_id = given.groupid if given.groupid is not None else group_id
        links = relation_links(base_url, "listGroups", record.id, ("list", "group"))
        return cls(list=list_id, group=group_id, links=links, id=str(record.id))


class ListGroupEnvelope(Wire):
    listGroup: ListGroupOut
