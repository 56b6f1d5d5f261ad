"""Reading fixtures files: JSON in the documented format, checked whole before anything is loaded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from fakecampaign.errors import InvalidFixture
from fakecampaign.schemas.fixtures import AccountData, AccountFixture, FixtureFile
from fakecampaign.services import accounts, seeding
from fakecampaign.services.records import AccountRecord
from fakecampaign.services.store import Store

__all__ = ["InvalidFixture", "load_account_data", "load_file", "parse_file", "read_file"]


def read_file(path: Path) -> FixtureFile:
    """Read and check a fixtures file; every problem names the file and the entry."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidFixture(str(path), "", f"cannot read the file: {error}") from None
    return parse_file(text, source=str(path))


def parse_file(text: str, *, source: str) -> FixtureFile:
    return _validated(FixtureFile, _json(text, source), source)


def parse_account_data(raw: Any, *, source: str) -> AccountData:
    return _validated(AccountData, raw, source)


def _json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        raise InvalidFixture(source, "", f"not valid JSON: {error}") from None


M = TypeVar("M", FixtureFile, AccountData)


def _validated(model: type[M], raw: Any, source: str) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        pointer = "/" + "/".join(str(part) for part in first["loc"])
        raise InvalidFixture(source, pointer, first["msg"]) from None


def load_file(
    store: Store, fixtures: FixtureFile, *, source: str, at_start: bool = False, keep: frozenset[str] = frozenset()
) -> list[AccountRecord]:
    """Create or fill every account of a fixtures file, all in one transaction: all or nothing.

    What a reset restores changes only at start-up and for accounts this call creates: seeding a file into
    an existing account later adds data without moving its baseline. Accounts named in ``keep`` (at start-up,
    those a file database already had from an earlier run) keep their data and only get the new baseline.
    """
    loaded = []
    with store.db.transaction():
        for i, entry in enumerate(fixtures.accounts):
            existing = accounts.find_by_name(store, entry.name) if entry.name else None
            account = existing or _create(store, entry, at_start)
            seed = entry.to_seed()
            if existing is None or existing.name not in keep:
                seeding.apply(store, account=account, seed=seed, source=source, pointer=f"/accounts/{i}")
            if at_start or existing is None:
                seeding.remember(store, account=account, seed=seed)
            loaded.append(account)
    return loaded


def _create(store: Store, entry: AccountFixture, from_start: bool) -> AccountRecord:
    return accounts.create(
        store,
        name=entry.name,
        api_token=entry.api_token,
        actid=entry.actid,
        event_key=entry.event_key,
        tracking_enabled=True if entry.tracking is None else entry.tracking,
        from_start=from_start,
    )


def create_account(store: Store, *, spec: AccountFixture, source: str, pointer: str = "") -> AccountRecord:
    """A new account with its fixtures, which become what a reset of it restores; all or nothing.
    ``pointer`` is where the fixtures sit in ``source``, for error messages."""
    seed = spec.to_seed()
    with store.db.transaction():
        account = _create(store, spec, from_start=False)
        seeding.apply(store, account=account, seed=seed, source=source, pointer=pointer)
        seeding.remember(store, account=account, seed=seed)
        return accounts.get_by_name(store, account.name)


def load_account_data(store: Store, *, account: AccountRecord, data: AccountData, source: str) -> None:
    """Add data to one existing account (POST /_fakecampaign/seed), all or nothing."""
    with store.db.transaction():
        seeding.apply(store, account=account, seed=data.to_seed(), source=source)
