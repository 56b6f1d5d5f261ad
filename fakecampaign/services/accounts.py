"""Accounts: create, find by credentials, toggle event tracking, delete with all their data."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import bindparam, delete, select, update

from fakecampaign.db import Transaction, statement
from fakecampaign.errors import AuthenticationFailed, Conflict, NoResultFound
from fakecampaign.registry import owned_tables
from fakecampaign.resources.catalog import RESOURCES
from fakecampaign.services.records import AccountRecord
from fakecampaign.services.store import Store
from fakecampaign.tables import ACCOUNTS

T = ACCOUNTS
OWNED = owned_tables(RESOURCES)  # children first

BY_TOKEN = statement(select(T).where(T.c.api_token == bindparam("token")))
BY_ACTID = statement(select(T).where(T.c.actid == bindparam("actid")))
BY_NAME = statement(select(T).where(T.c.name == bindparam("name")))
TRACKING_OF = statement(select(T.c.tracking_enabled).where(T.c.id == bindparam("aid")))
ALL = statement(select(T).order_by(T.c.id))
SET_TRACKING = statement(update(T).where(T.c.id == bindparam("aid")).values(tracking_enabled=bindparam("enabled")))
DELETE_OWNED = tuple(statement(delete(t).where(t.c.account_id == bindparam("aid"))) for t in OWNED)
DELETE = statement(delete(T).where(T.c.id == bindparam("aid")))
SET_CREDENTIALS = statement(
    update(T)
    .where(T.c.id == bindparam("aid"))
    .values(api_token=bindparam("token"), actid=bindparam("new_actid"), event_key=bindparam("key"))
)


def create(
    store: Store,
    *,
    name: str | None = None,
    api_token: str | None = None,
    actid: str | None = None,
    event_key: str | None = None,
    tracking_enabled: bool = True,
    from_start: bool = False,
) -> AccountRecord:
    """Create an account; credentials not given are generated from the clock's random source."""
    clock = store.clock
    values: dict[str, Any] = {
        "name": name or f"account-{clock.hex(8)}",
        "api_token": api_token or clock.hex(72),  # AC API keys are 72 hex characters
        "actid": actid or clock.digits(9),
        "event_key": event_key or clock.hex(40),
        "tracking_enabled": tracking_enabled,
        "created_at": clock.timestamp(),
        "from_start": from_start,
    }
    forget(store)
    with store.db.transaction() as tx:
        _refuse_taken(tx, values)
        new_id = tx.insert(T, **values)
    return AccountRecord(id=new_id, **values)


def _refuse_taken(tx: Transaction, values: dict[str, Any]) -> None:
    for stmt, key, label in (
        (BY_NAME, "name", "account"),
        (BY_TOKEN, "token", "api token"),
        (BY_ACTID, "actid", "actid"),
    ):
        value = values["api_token" if key == "token" else key]
        if tx.one(stmt, **{key: value}) is not None:
            raise Conflict(what=f"An {label} {value!r}")


def ensure(
    store: Store, *, name: str, api_token: str, actid: str, event_key: str, tracking_enabled: bool, from_start: bool
) -> AccountRecord:
    """The account ``name`` with these credentials: created if missing; an existing one (a file database from
    an earlier run) keeps its data and tracking switch but takes the credentials it is configured with now."""
    existing = find_by_name(store, name)
    if existing is None:
        return create(
            store,
            name=name,
            api_token=api_token,
            actid=actid,
            event_key=event_key,
            tracking_enabled=tracking_enabled,
            from_start=from_start,
        )
    if (existing.api_token, existing.actid, existing.event_key) == (api_token, actid, event_key):
        return existing
    forget(store)
    with store.db.transaction() as tx:
        _refuse_taken_by_others(tx, existing.id, {"api_token": api_token, "actid": actid})
        tx.execute(SET_CREDENTIALS, aid=existing.id, token=api_token, new_actid=actid, key=event_key)
    return replace(existing, api_token=api_token, actid=actid, event_key=event_key)


def _refuse_taken_by_others(tx: Transaction, account_id: int, values: dict[str, Any]) -> None:
    for stmt, key, label in ((BY_TOKEN, "token", "api token"), (BY_ACTID, "actid", "actid")):
        value = values["api_token" if key == "token" else key]
        row = tx.one(stmt, **{key: value})
        if row is not None and row["id"] != account_id:
            raise Conflict(what=f"An {label} {value!r}", hint=f"Another account already has the {label} {value!r}")


def find_by_name(store: Store, name: str) -> AccountRecord | None:
    with store.db.transaction() as tx:
        row = tx.one(BY_NAME, name=name)
    return None if row is None else AccountRecord.from_row(row)


def get_by_name(store: Store, name: str) -> AccountRecord:
    account = find_by_name(store, name)
    if account is None:
        raise NoResultFound(resource="Account", id=name)
    return account


def authenticate(store: Store, api_token: str | None) -> AccountRecord:
    """The account an ``Api-Token`` belongs to; a missing or unknown token is AC's 403."""
    if not api_token:
        raise AuthenticationFailed(hint="No Api-Token header was sent")
    if store.db.changed_elsewhere():  # another worker process wrote: its account changes void the caches
        forget(store)
    known = store.tokens.get(api_token)
    if known is not None:
        return known
    with store.db.transaction() as tx:
        row = tx.one(BY_TOKEN, token=api_token)
    if row is None:
        raise AuthenticationFailed(hint="The Api-Token header does not match any account")
    account = store.tokens[api_token] = AccountRecord.from_row(row)
    return account


def current(store: Store, account: AccountRecord) -> AccountRecord:
    """``account`` as it is now, or AC's 403 if it is gone. A record the Api-Token cache still holds is
    current: the cache is emptied before every write to the accounts table (``forget``)."""
    if store.db.changed_elsewhere():
        forget(store)
    if store.tokens.get(account.api_token) is account:
        return account
    return authenticate(store, account.api_token)


def forget(store: Store) -> None:
    """Empty the credential caches: called before any write to the accounts table."""
    store.tokens.clear()
    store.actids.clear()


def find_by_actid(store: Store, tx: Transaction, actid: str) -> AccountRecord | None:
    """The account trackcmp's ``actid`` names, from the cache when it can."""
    if store.db.changed_elsewhere():
        forget(store)
    known = store.actids.get(actid)
    if known is not None:
        return known
    row = tx.one(BY_ACTID, actid=actid)
    if row is None:
        return None
    account = store.actids[actid] = AccountRecord.from_row(row)
    return account


def list_all(store: Store) -> list[AccountRecord]:
    with store.db.transaction() as tx:
        return [AccountRecord.from_row(row) for row in tx.all(ALL)]


def set_tracking(store: Store, *, account: AccountRecord, enabled: bool) -> bool:
    """Switch event tracking on or off; returns the new state."""
    forget(store)
    with store.db.transaction() as tx:
        tx.execute(SET_TRACKING, aid=account.id, enabled=enabled)
    return enabled


def tracking_enabled(store: Store, *, account: AccountRecord) -> bool:
    """The switch as stored now (the record in hand may predate a change)."""
    with store.db.transaction() as tx:
        return bool(tx.scalar(TRACKING_OF, aid=account.id))


def clear(tx: Transaction, *, account_id: int) -> None:
    """Delete everything an account owns, keeping the account itself."""
    for stmt in DELETE_OWNED:
        tx.execute(stmt, aid=account_id)


def create_many(store: Store, *, count: int, prefix: str) -> list[AccountRecord]:
    """``count`` empty accounts named ``<prefix>-<random>``, tracking on, in one transaction (a reset puts
    such an account back to empty with tracking on, so it needs no remembered seed)."""
    with store.db.transaction():
        return [create(store, name=f"{prefix}-{store.clock.hex(16)}") for _ in range(count)]


def delete_many(store: Store, *, names: list[str]) -> list[AccountRecord]:
    """Remove the named accounts that exist, with all their data, in one transaction; returns them."""
    deleted = []
    with store.db.transaction():
        for name in names:
            account = find_by_name(store, name)
            if account is not None:
                delete_account(store, name=name)
                deleted.append(account)
    return deleted


def delete_account(store: Store, *, name: str) -> None:
    """Remove an account and all its data."""
    account = get_by_name(store, name)
    forget(store)
    with store.db.transaction() as tx:
        clear(tx, account_id=account.id)
        tx.execute(DELETE, aid=account.id)
    store.faults.forget([name])  # its fault rules and rate limit
