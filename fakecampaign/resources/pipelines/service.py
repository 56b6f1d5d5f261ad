"""Pipelines (AC's ``dealGroups``) and their stages (``dealStages``), ac-api-facts-breadth.md §7.

A new pipeline comes with AC's three stages "To Contact", "In Contact", "Follow Up" (the docs' example); a stage
is added last unless its ``order`` says where. AC documents only ``400 {}`` for its deal calls, so a missing or
invalid field is that 400 here too (G69). Deleting a pipeline deletes its stages and deals (G64).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

import sqlalchemy as sa
from sqlalchemy import bindparam, func, select

from fakecampaign.db import Row, Transaction, statement
from fakecampaign.errors import BadRequest, NoResultFound
from fakecampaign.query import Listing, ListQuery, ordered
from fakecampaign.registry import fixture_entry
from fakecampaign.resources.pipelines.table import DEAL_GROUPS, DEAL_STAGES
from fakecampaign.services.records import AccountRecord
from fakecampaign.services.store import Store

GROUPS, STAGES = DEAL_GROUPS, DEAL_STAGES
GROUP_MODEL, STAGE_MODEL = "DealGroup", "DealStage"  # as AC's 404s would word them (G63)
DEFAULT_STAGES = ("To Contact", "In Contact", "Follow Up")  # breadth §7.2, the docs' POST /dealGroups example
CURRENCY = re.compile(r"[A-Za-z]{3}")
STAGE_COLOR = "32B0FC"  # a new stage's card colour (G68)
STAGE_WIDTH = 280  # and width, the docs' POST /dealStages example

GROUP_BY_ID = statement(select(GROUPS).where(GROUPS.c.account_id == bindparam("aid"), GROUPS.c.id == bindparam("gid")))
STAGE_BY_ID = statement(select(STAGES).where(STAGES.c.account_id == bindparam("aid"), STAGES.c.id == bindparam("sid")))
STAGES_OF = statement(select(STAGES).where(STAGES.c.group_id == bindparam("gid")).order_by(STAGES.c.order, STAGES.c.id))
DELETE_GROUP = statement(sa.delete(GROUPS).where(GROUPS.c.id == bindparam("gid")))
ALL_GROUPS = statement(select(GROUPS).where(GROUPS.c.account_id == bindparam("aid")).order_by(GROUPS.c.id))
ALL_STAGES = statement(select(STAGES).where(STAGES.c.account_id == bindparam("aid")).order_by(STAGES.c.id))

GROUP_LISTING = Listing(GROUPS, orders={"title": "title_key", "id": "id"})
STAGE_LISTING = Listing(STAGES, orders={"title": "title_key", "id": "id", "order": "order"})


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
    title = required_text(changes.title, "dealGroup.title")
    currency = currency_code(changes.currency, "dealGroup.currency")
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
        rows, total = page_of(tx, GROUP_LISTING, query, where)
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
    name = required_text(title, "dealStage.title")
    if group_id is None:
        raise BadRequest(hint="dealStage.group (the pipeline's id) is required")
    with store.db.transaction() as tx:
        group = _group_or_400(tx, account.id, group_id)
        position = order if order is not None else len(group.stage_ids) + 1
        stage_id = _insert_stage(tx, account.id, group.id, name, position, store.clock.timestamp())
        return StageRecord(**one_row(tx, STAGE_BY_ID, aid=account.id, sid=stage_id))


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
    group = int_filter(query, "d_groupid") or int_filter(query, "group")
    if group is not None:
        where.append(STAGES.c.group_id == group)
    with store.db.transaction() as tx:
        rows, total = page_of(tx, STAGE_LISTING, query, where)
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


def stages_of(tx: Transaction, group_id: int) -> list[StageRecord]:
    return _stages_of(tx, group_id)


def group_or_400(tx: Transaction, account_id: int, group_id: int) -> GroupRecord:
    """A pipeline a deal names: unknown is the deal's 400 {}, not a 404."""
    return _group_or_400(tx, account_id, group_id)


def dump(tx: Transaction, account_id: int) -> list[Any]:
    """Pipelines, then stages (the state dump splits them by type)."""
    groups: list[Any] = [_group(tx, row) for row in tx.all(ALL_GROUPS, aid=account_id)]
    return [*groups, *(StageRecord(**row) for row in tx.all(ALL_STAGES, aid=account_id))]


def seed(store: Store, account: AccountRecord, data: list[dict[str, Any]], source: str, pointer: str) -> None:
    """Fixtures: ``pipelines``, each a title (AC's default stages) or title, currency and stage titles."""
    for i, p in enumerate(data):
        with fixture_entry(source, f"{pointer}/pipelines/{i}"):
            titles = DEFAULT_STAGES if p["stages"] is None else tuple(p["stages"])
            if not titles or any(not t.strip() for t in titles):
                raise BadRequest(hint="a pipeline's stages must be non-empty titles")
            create_group(store, account=account, changes=GroupChanges(p["title"], p["currency"]), stages=titles)


def group_named(tx: Transaction, account_id: int, title: str | None) -> GroupRecord:
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


def stage_named(tx: Transaction, group: GroupRecord, title: str | None) -> StageRecord:
    stages = _stages_of(tx, group.id)
    for stage in stages:
        if title is None or stage.title_key == title.strip().lower():
            return stage
    named = ", ".join(repr(s.title) for s in stages)
    raise NoResultFound(
        resource=STAGE_MODEL, id=title, hint=f"Pipeline {group.title!r} has no stage {title!r} ({named})"
    )


# --- rules ---------------------------------------------------------------------------------------------


def page_of(tx: Transaction, listing: Listing, query: ListQuery, where: list[Any]) -> tuple[list[Row], int]:
    total = int(tx.scalar(select(func.count()).select_from(listing.table).where(*where)) or 0)
    page = ordered(select(listing.table).where(*where), listing, query).limit(query.limit).offset(query.offset)
    return tx.all(page), total


def one_row(tx: Transaction, stmt: Any, **params: Any) -> Row:
    row = tx.one(stmt, **params)
    assert row is not None
    return row


def _group_or_400(tx: Transaction, account_id: int, group_id: int) -> GroupRecord:
    row = tx.one(GROUP_BY_ID, aid=account_id, gid=group_id)
    if row is None:
        raise BadRequest(hint=f"pipeline (group) {group_id} does not exist in this account")
    return _group(tx, row)


def required_text(raw: str | None, name: str) -> str:
    if raw is None or not raw.strip():
        raise BadRequest(hint=f"{name} is required")
    return raw.strip()


def currency_code(raw: str | None, name: str) -> str:
    if raw is None or not CURRENCY.fullmatch(raw.strip()):
        raise BadRequest(hint=f"{name} must be a 3-letter currency code like usd")
    return raw.strip().lower()


def _flag(value: int | None, name: str) -> int:
    if value is None:
        return 1
    if value not in (0, 1):
        raise BadRequest(hint=f"dealGroup.{name} must be 0 or 1")
    return value


def int_filter(query: ListQuery, name: str) -> int | None:
    raw = query.filter(name)
    if raw is None:
        return None
    text = raw.strip()
    if not (text.isascii() and text.lstrip("-").isdigit() and len(text) < 19):
        raise BadRequest(hint=f"filters[{name}] must be a number")
    return int(text)
