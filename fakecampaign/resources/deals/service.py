"""Deals, ac-api-facts-breadth.md §7: a deal needs a title, a contact of the account, a value in cents, a
currency and a pipeline or a stage (the other is derived); status is 0 open, 1 won, 2 lost. AC documents only
``400 {}`` for a bad deal, so every refusal here is that 400 with a hint. Adding, changing and deleting a deal
publishes DealChanged inside the write transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import bindparam, func, select

from fakecampaign.bus import DealChanged
from fakecampaign.db import Transaction, statement
from fakecampaign.errors import BadRequest, NoResultFound
from fakecampaign.query import Listing, ListQuery
from fakecampaign.registry import fixture_entry
from fakecampaign.resources.deals.table import DEALS as DEALS  # catalog.py reads deals.DEALS
from fakecampaign.resources.pipelines import service as pipelines
from fakecampaign.resources.pipelines.service import STAGE_BY_ID, StageRecord
from fakecampaign.services import contacts
from fakecampaign.services.records import AccountRecord, ContactRecord
from fakecampaign.services.store import Store

MODEL = "Deal"  # as AC's 404s would word it (G63)
OPEN, WON, LOST = 0, 1, 2
STATUSES = (OPEN, WON, LOST)
OWNER = 1  # G65: the account's one user (GET /users/me) owns every deal; no other owner exists
MAX_CENTS = 10**15  # far beyond any real deal, and inside a signed 64-bit column

DEAL_BY_ID = statement(select(DEALS).where(DEALS.c.account_id == bindparam("aid"), DEALS.c.id == bindparam("did")))
DEALS_OF_CONTACT = statement(select(DEALS).where(DEALS.c.contact_id == bindparam("cid")).order_by(DEALS.c.id))
DELETE_DEAL = statement(sa.delete(DEALS).where(DEALS.c.id == bindparam("did")))
ALL_DEALS = statement(select(DEALS).where(DEALS.c.account_id == bindparam("aid")).order_by(DEALS.c.id))
DEAL_LISTING = Listing(DEALS, orders={"title": "title_key", "value": "value", "cdate": "cdate", "id": "id"})


@dataclass(frozen=True, slots=True)
class DealRecord:
    id: int
    account_id: int
    contact_id: int
    group_id: int
    stage_id: int
    title: str
    title_key: str
    description: str
    value: int
    currency: str
    owner: int
    percent: int
    status: int
    hash: str
    cdate: int
    mdate: int
    edate: int | None


@dataclass(frozen=True, slots=True)
class DealChanges:
    """What a create or update sets, already typed by the API layer; None leaves a value as it is.
    An id that was not a number arrives as -1 and is refused like an unknown one."""

    title: str | None = None
    description: str | None = None
    contact: int | None = None
    value: int | None = None
    currency: str | None = None
    group: int | None = None
    stage: int | None = None
    owner: int | None = None
    percent: int | None = None
    status: int | None = None


def create(
    store: Store, *, account: AccountRecord, changes: DealChanges
) -> tuple[DealRecord, ContactRecord, StageRecord]:
    """POST /deals."""
    title = pipelines.required_text(changes.title, "deal.title")
    if changes.value is None:
        raise BadRequest(hint="deal.value (in cents) is required")
    currency = pipelines.currency_code(changes.currency, "deal.currency")
    if changes.contact is None:
        raise BadRequest(hint="deal.contact is required (fakecampaign does not emulate AC's accounts)")
    now = store.clock.timestamp()
    with store.db.transaction() as tx:
        contact = _contact_or_400(tx, account.id, changes.contact)
        stage = _placement(tx, account.id, changes.group, changes.stage, None)
        status = _status(changes.status, OPEN)
        values: dict[str, Any] = {
            "account_id": account.id,
            "contact_id": contact.id,
            "group_id": stage.group_id,
            "stage_id": stage.id,
            "title": title,
            "title_key": title.lower(),
            "description": changes.description or "",
            "value": _cents(changes.value),
            "currency": currency,
            "owner": _owner(changes.owner, OWNER),
            "percent": _percent(changes.percent, 0),
            "status": status,
            "hash": store.clock.hex(32),
            "cdate": now,
            "mdate": now,
            "edate": None if status == OPEN else now,
        }
        deal = DealRecord(id=tx.insert(DEALS, **values), **values)
        store.bus.publish(
            tx, DealChanged(account_id=account.id, at=now, deal_id=deal.id, contact_id=contact.id, kind="deal_add")
        )
        return deal, contact, stage


def get(store: Store, *, account: AccountRecord, deal_id: int) -> DealRecord:
    """GET /deals/{id}."""
    with store.db.transaction() as tx:
        return require(tx, account.id, deal_id)


def update(store: Store, *, account: AccountRecord, deal_id: int, changes: DealChanges) -> DealRecord:
    """PUT /deals/{id}: every field optional; moving to a stage moves to its pipeline, and moving to a pipeline
    alone puts the deal in that pipeline's first stage."""
    now = store.clock.timestamp()
    with store.db.transaction() as tx:
        old = require(tx, account.id, deal_id)
        title = old.title if changes.title is None else pipelines.required_text(changes.title, "deal.title")
        contact = old.contact_id if changes.contact is None else _contact_or_400(tx, account.id, changes.contact).id
        moved = changes.group is not None or changes.stage is not None
        stage_id, group_id = old.stage_id, old.group_id
        if moved:
            stage = _placement(tx, account.id, changes.group, changes.stage, old.group_id)
            stage_id, group_id = stage.id, stage.group_id
        status = _status(changes.status, old.status)
        new = DealRecord(
            id=old.id,
            account_id=old.account_id,
            contact_id=contact,
            group_id=group_id,
            stage_id=stage_id,
            title=title,
            title_key=title.lower(),
            description=old.description if changes.description is None else changes.description,
            value=old.value if changes.value is None else _cents(changes.value),
            currency=old.currency
            if changes.currency is None
            else pipelines.currency_code(changes.currency, "deal.currency"),
            owner=_owner(changes.owner, old.owner),
            percent=_percent(changes.percent, old.percent),
            status=status,
            hash=old.hash,
            cdate=old.cdate,
            mdate=now,
            edate=old.edate if status == old.status else (None if status == OPEN else now),
        )
        changed = tuple(k for k in _UPDATABLE if getattr(new, k) != getattr(old, k))
        tx.execute(
            _UPDATE, did=old.id, **{f"new_{k}": getattr(new, k) for k in (*_UPDATABLE, "title_key", "mdate", "edate")}
        )
        event = DealChanged(
            account_id=account.id, at=now, deal_id=old.id, contact_id=contact, kind="deal_update", changed=changed
        )
        store.bus.publish(tx, event)
        return new


_UPDATABLE = (
    "contact_id", "group_id", "stage_id", "title", "description", "value", "currency", "owner", "percent", "status",
)  # fmt: skip
_UPDATE = statement(
    sa.update(DEALS)
    .where(DEALS.c.id == bindparam("did"))
    .values({k: bindparam(f"new_{k}") for k in (*_UPDATABLE, "title_key", "mdate", "edate")})
)


def delete_(store: Store, *, account: AccountRecord, deal_id: int) -> None:
    """DELETE /deals/{id}."""
    with store.db.transaction() as tx:
        deal = require(tx, account.id, deal_id)
        tx.execute(DELETE_DEAL, did=deal.id)
        at = store.clock.timestamp()
        store.bus.publish(
            tx,
            DealChanged(account_id=account.id, at=at, deal_id=deal.id, contact_id=deal.contact_id, kind="deal_delete"),
        )


@dataclass(frozen=True, slots=True)
class DealPage:
    deals: list[DealRecord]
    total: int
    currencies: dict[str, tuple[int, int]]  # currency -> (how many deals, their value in cents)


# filters[name] on GET /deals that name a column by id or number (breadth §7.1); G66: filters[contact] too.


# filters[name] on GET /deals that name a column by id or number (breadth §7.1); G66: filters[contact] too.
_INT_FILTERS = {"stage": "stage_id", "group": "group_id", "status": "status", "owner": "owner", "contact": "contact_id"}


def list_(store: Store, *, account: AccountRecord, query: ListQuery) -> DealPage:
    """GET /deals: ``filters[search|title]`` (title contains), ``filters[stage|group|status|owner|contact]``,
    ``filters[minimum_value|maximum_value]`` (cents), ``orders[title|value|cdate]``; meta sums per currency."""
    where: list[Any] = [DEALS.c.account_id == account.id]
    text = query.filter("search") or query.filter("title") or query.search
    if text:
        where.append(DEALS.c.title_key.contains(text.lower(), autoescape=True))
    for name, column in _INT_FILTERS.items():
        value = pipelines.int_filter(query, name)
        if value is not None:
            where.append(DEALS.c[column] == value)
    low, high = pipelines.int_filter(query, "minimum_value"), pipelines.int_filter(query, "maximum_value")
    if low is not None:
        where.append(DEALS.c.value >= low)
    if high is not None:
        where.append(DEALS.c.value <= high)
    sums = select(DEALS.c.currency, func.count().label("n"), func.sum(DEALS.c.value).label("v")).where(*where)
    with store.db.transaction() as tx:
        rows, total = pipelines.page_of(tx, DEAL_LISTING, query, where)
        per = {r["currency"]: (int(r["n"]), int(r["v"] or 0)) for r in tx.all(sums.group_by(DEALS.c.currency))}
    return DealPage([DealRecord(**row) for row in rows], total, per)


def require(tx: Transaction, account_id: int, deal_id: int) -> DealRecord:
    row = tx.one(DEAL_BY_ID, aid=account_id, did=deal_id)
    if row is None:
        raise NoResultFound(resource=MODEL, id=deal_id)
    return DealRecord(**row)


def for_contact(tx: Transaction, account_id: int, contact_id: int) -> list[DealRecord]:
    """GET /contacts/{id}'s ``deals`` sideload and GET /contacts/{id}/deals."""
    return [DealRecord(**row) for row in tx.all(DEALS_OF_CONTACT, cid=contact_id)]


def of_contact(store: Store, *, account: AccountRecord, contact_id: int) -> list[DealRecord]:
    return contacts.rows_of(store, account=account, contact_id=contact_id, rows=for_contact)


def dump(tx: Transaction, account_id: int) -> list[DealRecord]:
    return [DealRecord(**row) for row in tx.all(ALL_DEALS, aid=account_id)]


def seed(store: Store, account: AccountRecord, data: list[dict[str, Any]], source: str, pointer: str) -> None:
    """Fixtures: ``deals`` naming their contact by email and their pipeline and stage by title (defaults: the
    first pipeline, its first stage)."""
    with store.db.transaction() as tx:
        for i, d in enumerate(data):
            with fixture_entry(source, f"{pointer}/deals/{i}"):
                contact = contacts.require_email(tx, account_id=account.id, email=d["contact"])
                group = pipelines.group_named(tx, account.id, d["pipeline"])
                stage = pipelines.stage_named(tx, group, d["stage"])
                changes = DealChanges(
                    title=d["title"],
                    description=d["description"],
                    contact=contact.id,
                    value=d["value"],
                    currency=d["currency"] or group.currency,
                    stage=stage.id,
                    status=d["status"],
                )
                create(store, account=account, changes=changes)


# --- rules ---------------------------------------------------------------------------------------------


def _placement(
    tx: Transaction, account_id: int, group_id: int | None, stage_id: int | None, current_group: int | None
) -> StageRecord:
    """The stage a deal goes to: the stage given (which must be in the pipeline, if one is given too), else
    the given pipeline's first stage."""
    if stage_id is not None:
        row = tx.one(STAGE_BY_ID, aid=account_id, sid=stage_id)
        if row is None:
            raise BadRequest(hint=f"deal.stage {stage_id} is not a stage of this account")
        stage = StageRecord(**row)
        if group_id is not None and group_id != stage.group_id:
            raise BadRequest(hint=f"deal.stage {stage_id} is not in pipeline (deal.group) {group_id}")
        return stage
    if group_id is None:
        raise BadRequest(hint="deal.group (a pipeline) or deal.stage is required")
    group = pipelines.group_or_400(tx, account_id, group_id)
    if not group.stage_ids:
        raise BadRequest(hint=f"pipeline {group_id} has no stages; give deal.stage")
    return StageRecord(**pipelines.one_row(tx, STAGE_BY_ID, aid=account_id, sid=group.stage_ids[0]))


def _contact_or_400(tx: Transaction, account_id: int, contact_id: int) -> ContactRecord:
    try:
        return contacts.require(tx, account_id=account_id, contact_id=contact_id)
    except NoResultFound:
        raise BadRequest(hint=f"deal.contact {contact_id} is not a contact of this account") from None


def _currency(raw: str | None) -> str:
    return pipelines.currency_code(raw, "deal.currency")


def _cents(value: int) -> int:
    if not 0 <= value <= MAX_CENTS:
        raise BadRequest(hint="deal.value must be a whole number of cents, at least 0")
    return value


def _status(value: int | None, default: int) -> int:
    if value is None:
        return default
    if value not in STATUSES:
        raise BadRequest(hint="deal.status must be 0 (open), 1 (won) or 2 (lost)")
    return value


def _percent(value: int | None, default: int) -> int:
    if value is None:
        return default
    if not 0 <= value <= 100:
        raise BadRequest(hint="deal.percent must be between 0 and 100")
    return value


def _owner(value: int | None, default: int) -> int:
    if value is None:
        return default
    if value != OWNER:
        raise BadRequest(hint=f"deal.owner must be a user of the account; its one user has id {OWNER}")
    return value
