"""List shapes (ac-api-facts-breadth.md §3.2: the docs' example plus [CORSAIR]'s live keys)."""

from __future__ import annotations

from pydantic import Field

from fakecampaign.resources.lists.service import ListChanges, ListRecord
from fakecampaign.schemas.common import Body, SmallInt, StringTotal, Wire, iso, plain, relation_links

LINKS = ("contactGoalLists", "user", "addressLists")


class ListIn(Body):
    name: str | None = None
    stringid: str | None = None
    sender_url: str | None = None
    sender_reminder: str | None = None
    send_last_broadcast: bool | SmallInt | None = None
    carboncopy: str | None = None
    subscription_notify: str | None = None
    unsubscription_notify: str | None = None
    user: SmallInt | None = None
    channel: str | None = None

    def changes(self) -> ListChanges:
        slb = None if self.send_last_broadcast is None else int(bool(self.send_last_broadcast))
        values = self.model_dump(exclude={"send_last_broadcast"})
        return ListChanges(**values, send_last_broadcast=slb)


class ListBody(Body):
    """``{"list": {...}}``."""

    list: ListIn


class ListOut(Wire):
    stringid: str
    userid: str
    name: str
    cdate: str
    p_use_tracking: str = "1"
    p_use_analytics_read: str = "0"
    p_use_analytics_link: str = "0"
    p_use_twitter: str = "0"
    p_use_facebook: str = "0"
    p_embed_image: str = "1"
    p_use_captcha: str = "1"
    send_last_broadcast: str
    private: str = "0"
    analytics_domains: str | None = None
    analytics_source: str = ""
    analytics_ua: str = ""
    twitter_token: str = ""
    twitter_token_secret: str = ""
    facebook_session: str | None = None
    carboncopy: str | None = None
    subscription_notify: str | None = None
    unsubscription_notify: str | None = None
    require_name: str = "0"
    get_unsubscribe_reason: str = "0"
    to_name: str = "Subscriber"
    optinoptout: str = "1"
    sender_name: str = ""
    sender_addr1: str = ""
    sender_addr2: str = ""
    sender_city: str = ""
    sender_state: str = ""
    sender_zip: str = ""
    sender_country: str = ""
    sender_phone: str = ""
    sender_url: str
    sender_reminder: str
    fulladdress: str = ""
    optinmessageid: str = "0"
    optoutconf: str = "0"
    deletestamp: str | None = None
    udate: str | None
    channel: str
    description: str = ""
    active_subscribers: str
    non_deleted_subscribers: str
    created_timestamp: str
    updated_timestamp: str
    created_by: str | None = None
    updated_by: str | None = None
    links: dict[str, str]
    id: str
    user: str

    @classmethod
    def of(cls, r: ListRecord, base_url: str) -> ListOut:
        return cls.build(
            stringid=r.stringid,
            userid=str(r.user),
            name=r.name,
            cdate=iso(r.cdate),
            send_last_broadcast=str(r.send_last_broadcast),
            carboncopy=r.carboncopy,
            subscription_notify=r.subscription_notify,
            unsubscription_notify=r.unsubscription_notify,
            sender_url=r.sender_url,
            sender_reminder=r.sender_reminder,
            udate=iso(r.udate),
            channel=r.channel,
            active_subscribers=str(r.active_subscribers),
            non_deleted_subscribers=str(r.subscribers),
            created_timestamp=plain(r.cdate),
            updated_timestamp=plain(r.udate),
            links=relation_links(base_url, "lists", r.id, LINKS),
            id=str(r.id),
            user=str(r.user),
        )


class ListEnvelope(Wire):
    list: ListOut


class ListsEnvelope(Wire):
    lists: list[ListOut] = Field(default_factory=list)
    meta: StringTotal


def state_of(records: list[ListRecord], base_url: str) -> dict[str, list[ListOut]]:
    return {"lists": [ListOut.of(r, base_url) for r in records]}
