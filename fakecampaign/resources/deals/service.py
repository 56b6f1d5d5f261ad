"""Deals, pipelines (dealGroups) and stages (dealStages): AC's rules from ac-api-facts-breadth.md §7.

A new pipeline comes with AC's three stages "To Contact", "In Contact", "Follow Up" (the docs' example). A deal
needs a title, a contact of the account, a value in cents, a currency and a pipeline or a stage (the other is
derived); status is 0 open, 1 won, 2 lost. AC documents only ``400 {}`` for a bad deal, so every refusal here
is that 400 with a hint. Adding, changing and deleting a deal publishes DealChanged in the write transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

import sqlalchemy as sa
from sqlalchemy import bindparam, func, select

from fakecampaign.bus import DealChanged
from fakecampaign.db import Row, Transaction, statement
from fakecampaign.errors import BadRequest, NoResultFound
from fakecampaign.query import Listing, ListQuery, ordered
from fakecampaign.registry import fixture_entry
from fakecampaign.resources.deals.table import Deal, DealGroup, DealStage
from fakecampaign.services import contacts
from fakecampaign.services.records import AccountRecord, ContactRecord
from fakecampaign.services.store import Store
from fakecampaign.tables import table

GROUPS, STAGES, DEALS = table(DealGroup), table(DealStage), table(Deal)
MODEL, GROUP_MODEL, STAGE_MODEL = "Deal", "DealGroup", "DealStage"  # as AC's 404s would word them (G63)
DEFAULT_STAGES = ("To Contact", "In Contact", "Follow Up")  # breadth §7.2, the docs' POST /dealGroups example
OPEN, WON, LOST = 0, 1, 2
STATUSES = (OPEN, WON, LOST)
OWNER = 1  # G65: the account's one user (GET /users/me) owns every deal; no other owner exists
CURRENCY = re.compile(r"[A-Za-z]{3}")
MAX_CENTS = 10**15  # far beyond any real deal, and inside a signed 64-bit column
STAGE_COLOR = "32B0FC"  # a new stage's card colour (G68)
STAGE_WIDTH = 280  # and width, the docs' POST /dealStages example

GROUP_BY_ID = statement(select(GROUPS).where(GROUPS.c.account_id == bindparam("aid"), GROUPS.c.id == bindparam("gid")))
STAGE_BY_ID = statement(select(STAGES).where(STAGES.c.account_id == bindparam("aid"), STAGES.c.id == bindparam("sid")))
DEAL_BY_ID = statement(select(DEALS).where(DEALS.c.account_id == bindparam("aid"), DEALS.c.id == bindparam("did")))
STAGES_OF = statement(select(STAGES).where(STAGES.c.group_id == bindparam("gid")).order_by(STAGES.c.order, STAGES.c.id))
DEALS_OF_CONTACT = statement(select(DEALS).where(DEALS.c.contact_id == bindparam("cid")).order_by(DEALS.c.id))
DELETE_GROUP = statement(sa.delete(GROUPS).where(GROUPS.c.id == bindparam("gid")))
DELETE_DEAL = statement(sa.delete(DEALS).where(DEALS.c.id == bindparam("did")))
ALL_GROUPS = statement(select(GROUPS).where(GROUPS.c.account_id == bindparam("aid")).order_by(GROUPS.c.id))
ALL_STAGES = statement(select(STAGES).where(STAGES.c.account_id == bindparam("aid")).order_by(STAGES.c.id))
ALL_DEALS = statement(select(DEALS).where(DEALS.c.account_id == bindparam("aid")).order_by(DEALS.c.id))

GROUP_LISTING = Listing(GROUPS, orders={"title": "title_key", "id": "id"})
STAGE_LISTING = Listing(STAGES, orders={"title": "title_key", "id": "id", "order": "order"})
DEAL_LISTING = Listing(DEALS, orders={"title": "title_key", "value": "value", "cdate": "cdate", "id": "id"})


@dataclass(frozen=True, slots=True)
class GroupRecord:
    id: int
    account_id: int
    title: str
    title_key: str
    currency: str
    allgroups: int
    allusers: int
    autoassign: int
    cdate: int
    udate: int
    stage_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class StageRecord:
    id: int
    account_id: int
    group_id: int
    title: str
    title_key: str
    order: int
    color: str
    width: int
    cdate: int | None
    udate: int | None


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


# --- pipelines and stages ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupChanges:
    title: str | None = None
    currency: str | None = None
    allgroups: int | None = None
    allusers: int | None = None
    autoassign: int | None = None


def create_group(
    store: Store, *, account: AccountRecord, changes: GroupChanges, stages: tuple[str, ...] = DEFAULT_STAGES
) -> tuple[GroupRecord, list[StageRecord]]:
    """POST /dealGroups: a pipeline with AC's three default stages (fixtures may name others)."""
    title = _required_text(changes.title, "dealGroup.title")
    currency = _currency(changes.currency, "dealGroup.currency")
    now = store.clock.timestamp()
    values: dict[str, Any] = {
        "account_id": account.id,
        "title": title,
        "title_key": title.lower(),
        "currency": currency,
        "allgroups": _flag(changes.allgroups, "allgroups"),
        "allusers": _flag(changes.allusers, "allusers"),
        "autoassign": _flag(changes.autoassign, "autoassign"),
        "cdate": now,
        "udate": now,
    }
    with store.db.transaction() as tx:
        group_id = tx.insert(GROUPS, **values)
        for order, name in enumerate(stages, start=1):
            _insert_stage(tx, account.id, group_id, name, order, None)
        return _group(tx, {"id": group_id, **values}), _stages_of(tx, group_id)


def get_group(store: Store, *, account: AccountRecord, group_id: int) -> tuple[GroupRecord, list[StageRecord]]:
    """GET /dealGroups/{id}, with its stages."""
    with store.db.transaction() as tx:
        group = require_group(tx, account.id, group_id)
        return group, _stages_of(tx, group_id)


def list_groups(store: Store, *, account: AccountRecord, query: ListQuery) -> tuple[list[GroupRecord], int]:
    """GET /dealGroups: ``filters[title]`` (contains), ``orders[title]``."""
    where: list[Any] = [GROUPS.c.account_id == account.id]
    title = query.filter("title")
    if title:
        where.append(GROUPS.c.title_key.contains(title.lower(), autoescape=True))
    with store.db.transaction() as tx:
        rows, total = _page(tx, GROUP_LISTING, query, where)
        return [_group(tx, row) for row in rows], total


def delete_group(store: Store, *, account: AccountRecord, group_id: int) -> None:
    """DELETE /dealGroups/{id}: G64, its stages and deals go with it."""
    with store.db.transaction() as tx:
        require_group(tx, account.id, group_id)
        tx.execute(DELETE_GROUP, gid=group_id)


def create_stage(
    store: Store, *, account: AccountRecord, title: str | None, group_id: int | None, order: int | None
) -> StageRecord:
    """POST /dealStages: a stage at the end of its pipeline unless ``order`` says where."""
    name = _required_text(title, "dealStage.title")
    if group_id is None:
        raise BadRequest(hint="dealStage.group (the pipeline's id) is required")
    with store.db.transaction() as tx:
        group = _group_or_400(tx, account.id, group_id)
        position = order if order is not None else len(group.stage_ids) + 1
        stage_id = _insert_stage(tx, account.id, group.id, name, position, store.clock.timestamp())
        return StageRecord(**_one(tx, STAGE_BY_ID, aid=account.id, sid=stage_id))


def get_stage(store: Store, *, account: AccountRecord, stage_id: int) -> StageRecord:
    """GET /dealStages/{id}."""
    with store.db.transaction() as tx:
        row = tx.one(STAGE_BY_ID, aid=account.id, sid=stage_id)
    if row is None:
        raise NoResultFound(resource=STAGE_MODEL, id=stage_id)
    return StageRecord(**row)


def list_stages(store: Store, *, account: AccountRecord, query: ListQuery) -> tuple[list[StageRecord], int]:
    """GET /dealStages: ``filters[title]`` (contains), ``filters[d_groupid]`` (the pipeline), ``orders[title]``."""
    where: list[Any] = [STAGES.c.account_id == account.id]
    title = query.filter("title")
    if title:
        where.append(STAGES.c.title_key.contains(title.lower(), autoescape=True))
    group = _int_filter(query, "d_groupid") or _int_filter(query, "group")
    if group is not None:
        where.append(STAGES.c.group_id == group)
    with store.db.transaction() as tx:
        rows, total = _page(tx, STAGE_LISTING, query, where)
    return [StageRecord(**row) for row in rows], total


def _insert_stage(tx: Transaction, account_id: int, group_id: int, title: str, order: int, now: int | None) -> int:
    return tx.insert(
        STAGES,
        account_id=account_id,
        group_id=group_id,
        title=title,
        title_key=title.lower(),
        order=order,
        color=STAGE_COLOR,
        width=STAGE_WIDTH,
        cdate=now,
        udate=now,
    )


def require_group(tx: Transaction, account_id: int, group_id: int) -> GroupRecord:
    row = tx.one(GROUP_BY_ID, aid=account_id, gid=group_id)
    if row is None:
        raise NoResultFound(resource=GROUP_MODEL, id=group_id)
    return _group(tx, row)


def _group(tx: Transaction, row: Row) -> GroupRecord:
    ids = tuple(s["id"] for s in tx.all(STAGES_OF, gid=row["id"]))
    return GroupRecord(**{k: row[k] for k in _GROUP_COLUMNS}, stage_ids=ids)


_GROUP_COLUMNS = tuple(f.name for f in fields(GroupRecord) if f.name != "stage_ids")


def _stages_of(tx: Transaction, group_id: int) -> list[StageRecord]:
    return [StageRecord(**row) for row in tx.all(STAGES_OF, gid=group_id)]


# --- deals ---------------------------------------------------------------------------------------------


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
    title = _required_text(changes.title, "deal.title")
    if changes.value is None:
        raise BadRequest(hint="deal.value (in cents) is required")
    currency = _currency(changes.currency, "deal.currency")
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
        title = old.title if changes.title is None else _required_text(changes.title, "deal.title")
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
            currency=old.currency if changes.currency is None else _currency(changes.currency, "deal.currency"),
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
_INT_FILTERS = {"stage": "stage_id", "group": "group_id", "status": "status", "owner": "owner", "contact": "contact_id"}


def list_(store: Store, *, account: AccountRecord, query: ListQuery) -> DealPage:
    """GET /deals: ``filters[search|title]`` (title contains), ``filters[stage|group|status|owner|contact]``,
    ``filters[minimum_value|maximum_value]`` (cents), ``orders[title|value|cdate]``; meta sums per currency."""
    where: list[Any] = [DEALS.c.account_id == account.id]
    text = query.filter("search") or query.filter("title") or query.search
    if text:
        where.append(DEALS.c.title_key.contains(text.lower(), autoescape=True))
    for name, column in _INT_FILTERS.items():
        value = _int_filter(query, name)
        if value is not None:
            where.append(DEALS.c[column] == value)
    low, high = _int_filter(query, "minimum_value"), _int_filter(query, "maximum_value")
    if low is not None:
        where.append(DEALS.c.value >= low)
    if high is not None:
        where.append(DEALS.c.value <= high)
    sums = select(DEALS.c.currency, func.count().label("n"), func.sum(DEALS.c.value).label("v")).where(*where)
    with store.db.transaction() as tx:
        rows, total = _page(tx, DEAL_LISTING, query, where)
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
    with store.db.transaction() as tx:
        contacts.require(tx, account_id=account.id, contact_id=contact_id)
        return for_contact(tx, account.id, contact_id)


# --- the state dump ------------------------------------------------------------------------------------


def dump(tx: Transaction, account_id: int) -> list[Any]:
    """Pipelines, then stages, then deals (the state dump splits them by type)."""
    groups: list[Any] = [_group(tx, row) for row in tx.all(ALL_GROUPS, aid=account_id)]
    stages = [StageRecord(**row) for row in tx.all(ALL_STAGES, aid=account_id)]
    found = [DealRecord(**row) for row in tx.all(ALL_DEALS, aid=account_id)]
    return [*groups, *stages, *found]


# --- fixtures -----------------------------------------------------------------------------------------


def seed(store: Store, account: AccountRecord, data: dict[str, Any], source: str, pointer: str) -> None:
    """Fixtures: ``pipelines`` (a title, or title, currency, stages) and ``deals`` naming their contact by email
    and their pipeline and stage by title (defaults: the first pipeline, its first stage)."""
    with store.db.transaction() as tx:
        for i, p in enumerate(data.get("pipelines", [])):
            with fixture_entry(source, f"{pointer}/pipelines/{i}"):
                titles = DEFAULT_STAGES if p["stages"] is None else tuple(p["stages"])
                if not titles or any(not t.strip() for t in titles):
                    raise BadRequest(hint="a pipeline's stages must be non-empty titles")
                create_group(store, account=account, changes=GroupChanges(p["title"], p["currency"]), stages=titles)
        for i, d in enumerate(data.get("deals", [])):
            with fixture_entry(source, f"{pointer}/deals/{i}"):
                contact = contacts.require_email(tx, account_id=account.id, email=d["contact"])
                group = _group_named(tx, account.id, d["pipeline"])
                stage = _stage_named(tx, group, d["stage"])
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


def _group_named(tx: Transaction, account_id: int, title: str | None) -> GroupRecord:
    rows = tx.all(ALL_GROUPS, aid=account_id)
    if title is None and rows:
        return _group(tx, rows[0])
    for row in rows:
        if title is not None and row["title_key"] == title.strip().lower():
            return _group(tx, row)
    named = ", ".join(repr(r["title"]) for r in rows) or "none"
    raise NoResultFound(
        resource=GROUP_MODEL, id=title, hint=f"No pipeline {title!r}: declare it under pipelines ({named})"
    )


def _stage_named(tx: Transaction, group: GroupRecord, title: str | None) -> StageRecord:
    stages = _stages_of(tx, group.id)
    for stage in stages:
        if title is None or stage.title_key == title.strip().lower():
            return stage
    named = ", ".join(repr(s.title) for s in stages)
    raise NoResultFound(
        resource=STAGE_MODEL, id=title, hint=f"Pipeline {group.title!r} has no stage {title!r} ({named})"
    )


# --- rules ---------------------------------------------------------------------------------------------


def _page(tx: Transaction, listing: Listing, query: ListQuery, where: list[Any]) -> tuple[list[Row], int]:
    total = int(tx.scalar(select(func.count()).select_from(listing.table).where(*where)) or 0)
    page = ordered(select(listing.table).where(*where), listing, query).limit(query.limit).offset(query.offset)
    return tx.all(page), total


def _one(tx: Transaction, stmt: Any, **params: Any) -> Row:
    row = tx.one(stmt, **params)
    assert row is not None
    return row


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
    group = _group_or_400(tx, account_id, group_id)
    if not group.stage_ids:
        raise BadRequest(hint=f"pipeline {group_id} has no stages; give deal.stage")
    return StageRecord(**_one(tx, STAGE_BY_ID, aid=account_id, sid=group.stage_ids[0]))


def _group_or_400(tx: Transaction, account_id: int, group_id: int) -> GroupRecord:
    row = tx.one(GROUP_BY_ID, aid=account_id, gid=group_id)
    if row is None:
        raise BadRequest(hint=f"pipeline (group) {group_id} does not exist in this account")
    return _group(tx, row)


def _contact_or_400(tx: Transaction, account_id: int, contact_id: int) -> ContactRecord:
    try:
        return contacts.require(tx, account_id=account_id, contact_id=contact_id)
    except NoResultFound:
        raise BadRequest(hint=f"deal.contact {contact_id} is not a contact of this account") from None


def _required_text(raw: str | None, name: str) -> str:
    if raw is None or not raw.strip():
        raise BadRequest(hint=f"{name} is required")
    return raw.strip()


def _currency(raw: str | None, name: str) -> str:
    if raw is None or not CURRENCY.fullmatch(raw.strip()):
        raise BadRequest(hint=f"{name} must be a 3-letter currency code like usd")
    return raw.strip().lower()


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


def _flag(value: int | None, name: str) -> int:
    if value is None:
        return 1
    if value not in (0, 1):
        raise BadRequest(hint=f"dealGroup.{name} must be 0 or 1")
    return value


def _int_filter(query: ListQuery, name: str) -> int | None:
    raw = query.filter(name)
    if raw is None:
        return None
    text = raw.strip()
    if not (text.isascii() and text.lstrip("-").isdigit() and len(text) < 19):
        raise BadRequest(hint=f"filters[{name}] must be a number")
    return int(text)
