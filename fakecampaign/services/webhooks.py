"""Account webhooks: /api/3/webhooks CRUD (ac-api-facts-breadth.md §6.1) and the log of their deliveries.

What a webhook receives, and when, is fakecampaign/engine/payloads.py and engine/delivery.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update

from fakecampaign.db import Transaction, statement
from fakecampaign.errors import FieldProblem, NoResultFound, UnprocessableEntity
from fakecampaign.services.records import AccountRecord
from fakecampaign.services.store import Store
from fakecampaign.tables import WEBHOOK_DELIVERIES, WEBHOOKS

T = WEBHOOKS
DELIVERIES = WEBHOOK_DELIVERIES

# GET /webhook/events, as AC's docs list them (§6.1).
EVENTS = (
    "bounce",
    "click",
    "contact_tag_added",
    "contact_tag_removed",
    "deal_add",
    "deal_note_add",
    "deal_pipeline_add",
    "deal_stage_add",
    "deal_task_add",
    "deal_task_complete",
    "deal_tasktype_add",
    "deal_update",
    "forward",
    "list_add",
    "open",
    "reply",
    "sent",
    "share",
    "sms_reply",
    "sms_sent",
    "sms_unsub",
    "subscribe",
    "subscriber_note",
    "unsubscribe",
    "update",
)
# Named by AC's listid note (§6.1) though missing from its /webhook/events example: accepted, never listed.
ALSO_ACCEPTED = ("contact_task_add", "account_add", "account_update", "account_contact_add", "account_contact_update")
SOURCES = ("public", "admin", "api", "system")
MAX_URL = 2048
WEBHOOK = "Webhook"

BY_ID = statement(select(T).where(T.c.account_id == bindparam("aid"), T.c.id == bindparam("id")))
ACTIVE = statement(select(T).where(T.c.account_id == bindparam("aid"), T.c.active.is_(True)).order_by(T.c.id))
DELETE = statement(delete(T).where(T.c.account_id == bindparam("aid"), T.c.id == bindparam("id")))
DEACTIVATE = statement(update(T).where(T.c.id == bindparam("id")).values(active=False, deactivated=bindparam("when")))


@dataclass(frozen=True, slots=True)
class WebhookRecord:
    id: int
    account_id: int
    name: str
    url: str
    events: tuple[str, ...]
    sources: tuple[str, ...]
    listid: int
    active: bool
    cdate: int
    deactivated: int | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> WebhookRecord:
        return cls(
            **{
                **row,
                "events": tuple(json.loads(row["events"])),
                "sources": tuple(json.loads(row["sources"])),
                "active": bool(row["active"]),
            }
        )


@dataclass(frozen=True, slots=True)
class WebhookChanges:
    """A create (everything but listid required) or an update (None: unchanged)."""

    name: str | None = None
    url: str | None = None
    events: tuple[str, ...] | None = None
    sources: tuple[str, ...] | None = None
    listid: int | None = None


def create(store: Store, *, account: AccountRecord, changes: WebhookChanges) -> WebhookRecord:
    """POST /webhooks: name, url, events and sources are required [DOC-OAS]."""
    missing = [k for k in ("name", "url", "events", "sources") if not getattr(changes, k)]
    if missing:
        raise _invalid(missing[0], "is required")
    values = _checked(changes)
    values.update(account_id=account.id, active=True, cdate=store.clock.timestamp(), deactivated=None)
    values.setdefault("listid", 0)
    with store.db.transaction() as tx:
        new_id = tx.insert(T, **values)
        return _require(tx, account.id, new_id)


def update_webhook(store: Store, *, account: AccountRecord, webhook_id: int, changes: WebhookChanges) -> WebhookRecord:
    """PUT /webhooks/{id}: every field optional."""
    values = _checked(changes)
    with store.db.transaction() as tx:
        _require(tx, account.id, webhook_id)
        if values:
            tx.execute(update(T).where(T.c.id == webhook_id).values(**values))
        return _require(tx, account.id, webhook_id)


def get(store: Store, *, account: AccountRecord, webhook_id: int) -> WebhookRecord:
    with store.db.transaction() as tx:
        return _require(tx, account.id, webhook_id)


def delete_webhook(store: Store, *, account: AccountRecord, webhook_id: int) -> None:
    with store.db.transaction() as tx:
        if tx.execute(DELETE, aid=account.id, id=webhook_id) == 0:
            raise NoResultFound(resource=WEBHOOK, id=webhook_id)


@dataclass(frozen=True, slots=True)
class WebhookQuery:
    name: str | None = None
    url: str | None = None
    listid: int | None = None
    limit: int = 20
    offset: int = 0


def search(store: Store, *, account: AccountRecord, query: WebhookQuery) -> tuple[list[WebhookRecord], int]:
    """GET /webhooks with AC's filters[name], filters[url], filters[listid]."""
    where: list[Any] = [T.c.account_id == account.id]
    if query.name is not None:
        where.append(T.c.name == query.name)
    if query.url is not None:
        where.append(T.c.url == query.url)
    if query.listid is not None:
        where.append(T.c.listid == query.listid)
    page = select(T).where(*where).order_by(T.c.id).limit(query.limit).offset(query.offset)
    with store.db.transaction() as tx:
        total = int(tx.scalar(select(func.count()).select_from(T).where(*where)) or 0)
        return [WebhookRecord.from_row(r) for r in tx.all(page)], total


def dump(tx: Transaction, account_id: int) -> list[WebhookRecord]:
    """Every webhook of the account, for GET /_fakecampaign/state."""
    return [WebhookRecord.from_row(r) for r in tx.all(select(T).where(T.c.account_id == account_id).order_by(T.c.id))]


def active(tx: Transaction, *, account_id: int) -> list[WebhookRecord]:
    """The account's webhooks that still send (a 410 deactivates one for good, as in AC)."""
    return [WebhookRecord.from_row(r) for r in tx.all(ACTIVE, aid=account_id)]


def deactivate(tx: Transaction, *, webhook_id: int, when: int) -> None:
    tx.execute(DEACTIVATE, id=webhook_id, when=when)


def _require(tx: Transaction, account_id: int, webhook_id: int) -> WebhookRecord:
    row = tx.one(BY_ID, aid=account_id, id=webhook_id)
    if row is None:
        raise NoResultFound(resource=WEBHOOK, id=webhook_id)
    return WebhookRecord.from_row(row)


def _checked(changes: WebhookChanges) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if changes.name is not None:
        if not changes.name.strip():
            raise _invalid("name", "is required")
        values["name"] = changes.name
    if changes.url is not None:
        url = changes.url.strip()
        if not url.lower().startswith(("http://", "https://")) or len(url) > MAX_URL or " " in url:
            raise _invalid("url", "must be an http:// or https:// URL")
        values["url"] = url
    if changes.events is not None:
        unknown = [e for e in changes.events if e not in EVENTS and e not in ALSO_ACCEPTED]
        if unknown or not changes.events:
            raise _invalid("events", f"unknown event {unknown[0]!r}" if unknown else "is required")
        values["events"] = json.dumps(list(dict.fromkeys(changes.events)))
    if changes.sources is not None:
        unknown = [s for s in changes.sources if s not in SOURCES]
        if unknown or not changes.sources:
            raise _invalid("sources", f"unknown source {unknown[0]!r}" if unknown else "is required")
        values["sources"] = json.dumps(list(dict.fromkeys(changes.sources)))
    if changes.listid is not None:
        values["listid"] = changes.listid
    return values


def _invalid(name: str, detail: str) -> UnprocessableEntity:
    # G88: AC documents only 400 {} for a bad webhook; a 422 naming the field is what its other resources send.
    return UnprocessableEntity([FieldProblem(f"Webhook {name} {detail}", "invalid", f"/data/attributes/{name}")])


# --- the delivery log ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    id: int
    account_id: int
    webhook_id: int | None
    automation_id: int | None
    type: str
    email: str | None
    url: str
    payload: str
    status: str
    http_status: int | None
    duration_ms: int | None
    error: str | None
    created: int
    attempted: int | None

    def pairs(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in json.loads(self.payload)]


def deliveries(
    store: Store, *, account: AccountRecord, type_: str | None = None, status: str | None = None, limit: int = 1000
) -> list[DeliveryRecord]:
    """The account's deliveries, oldest first: pending, and every attempt with its status, duration, error."""
    where: list[Any] = [DELIVERIES.c.account_id == account.id]
    if type_ is not None:
        where.append(DELIVERIES.c.type == type_)
    if status is not None:
        where.append(DELIVERIES.c.status == status)
    stmt = select(DELIVERIES).where(*where).order_by(DELIVERIES.c.id).limit(limit)
    with store.db.transaction() as tx:
        return [DeliveryRecord(**r) for r in tx.all(stmt)]
