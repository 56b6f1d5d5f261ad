"""Loading fixtures into an account, all or nothing, and resetting accounts to what they were loaded with."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlalchemy import bindparam, delete, update

from fakecampaign.db import statement
from fakecampaign.errors import ACError, InvalidFixture
from fakecampaign.resources.catalog import RESOURCES
from fakecampaign.services import accounts, automations, contacts, events, tracking
from fakecampaign.services.automations import AutomationSpec
from fakecampaign.services.contacts import ContactChanges
from fakecampaign.services.faults import FaultSpec
from fakecampaign.services.records import AccountRecord
from fakecampaign.services.store import Store
from fakecampaign.tables import ACCOUNTS, EVENT_JOURNAL

T = ACCOUNTS
JOURNAL = EVENT_JOURNAL
DELETE_UNOWNED_JOURNAL = statement(delete(JOURNAL).where(JOURNAL.c.account_id.is_(None)))
SET_SEED = statement(update(T).where(T.c.id == bindparam("aid")).values(seed=bindparam("new_seed")))


@dataclass(frozen=True, slots=True)
class SeedContact:
    email: str
    first_name: str = ""
    last_name: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class SeedEvent:
    email: str
    event: str
    eventdata: str | None = None
    tstamp: int | None = None  # epoch seconds; None means "now"


@dataclass(frozen=True, slots=True)
class AccountSeed:
    tracking: bool | None = None
    contacts: tuple[SeedContact, ...] = field(default_factory=tuple)
    event_names: tuple[str, ...] = field(default_factory=tuple)
    events: tuple[SeedEvent, ...] = field(default_factory=tuple)
    # Registry resources' fixtures (tags, lists, fields, ...), as JSON data by resource name.
    resources: dict[str, Any] = field(default_factory=dict)
    automations: tuple[AutomationSpec, ...] = field(default_factory=tuple)
    rate_limit: int | None = None  # v3 requests per second for this account (0: none); None: the server's
    faults: tuple[FaultSpec, ...] = field(default_factory=tuple)  # rules scoped to this account

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> AccountSeed:
        raw = json.loads(text)
        return cls(
            tracking=raw["tracking"],
            contacts=tuple(SeedContact(**c) for c in raw["contacts"]),
            event_names=tuple(raw["event_names"]),
            events=tuple(SeedEvent(**e) for e in raw["events"]),
            resources=raw.get("resources", {}),
            automations=tuple(AutomationSpec.from_dict(a) for a in raw.get("automations", ())),
            rate_limit=raw.get("rate_limit"),  # .get: seeds remembered before faults existed lack both
            faults=tuple(FaultSpec.from_json(f) for f in raw.get("faults") or ()),
        )


@dataclass(frozen=True, slots=True)
class AccountSpec:
    """An account to create (credentials left None are generated) and what it holds."""

    name: str | None = None
    api_token: str | None = None
    actid: str | None = None
    event_key: str | None = None
    seed: AccountSeed = field(default_factory=AccountSeed)


def create_account(store: Store, *, spec: AccountSpec, source: str, pointer: str = "") -> AccountRecord:
    """A new account with its seed, which becomes what a reset of it restores; all or nothing.
    ``pointer`` is where the seed sits in ``source``, for error messages."""
    with store.faults.atomic(), store.db.transaction():
        account = _create(store, spec, from_start=False)
        apply(store, account=account, seed=spec.seed, source=source, pointer=pointer)
        remember(store, account=account, seed=spec.seed)
        return accounts.get_by_name(store, account.name)


def load_accounts(
    store: Store, *, specs: list[AccountSpec], source: str, at_start: bool = False, keep: frozenset[str] = frozenset()
) -> list[AccountRecord]:
    """Create or fill every account of a fixtures file, all in one transaction: all or nothing.

    What a reset restores changes only at start-up and for accounts this call creates: seeding a file into
    an existing account later adds data without moving its baseline. Accounts named in ``keep`` (at start-up,
    those a file database already had from an earlier run) keep their data and only get the new baseline.
    """
    loaded = []
    problems = Problems(source)
    with store.faults.atomic(), store.db.transaction():
        for i, spec in enumerate(specs):
            existing = accounts.find_by_name(store, spec.name) if spec.name else None
            account = existing or _create(store, spec, from_start=at_start)
            if existing is None or existing.name not in keep:
                pointer = f"/accounts/{i}"
                apply(store, account=account, seed=spec.seed, source=source, pointer=pointer, problems=problems)
            else:  # its data is kept from the earlier run, but rules and limits live in memory only
                store.faults.extend(account.name, rate_limit=spec.seed.rate_limit, faults=spec.seed.faults)
            if at_start or existing is None:
                remember(store, account=account, seed=spec.seed)
            loaded.append(account)
        problems.raise_any()
    return loaded


def load_start_state(
    store: Store, *, default: AccountSpec, tracking: bool, fixtures: list[AccountSpec], source: str
) -> None:
    """The default account (with the credentials configured now), then the fixtures: what exists at start is
    what a full reset goes back to. A file database from an earlier run keeps its accounts' data."""
    with store.db.transaction():
        earlier_run = frozenset(a.name for a in accounts.list_all(store))
        account = accounts.ensure(
            store,
            name=default.name or "",
            api_token=default.api_token or "",
            actid=default.actid or "",
            event_key=default.event_key or "",
            tracking_enabled=tracking,
            from_start=True,
        )
        if account.seed is None:
            remember(store, account=account, seed=AccountSeed())
        load_accounts(store, specs=fixtures, source=source, at_start=True, keep=earlier_run)


def fill(store: Store, *, account: AccountRecord, seed: AccountSeed, source: str) -> None:
    """Add data to an existing account (POST /_fakecampaign/seed), all or nothing; its baseline stays."""
    with store.db.transaction():
        apply(store, account=account, seed=seed, source=source)


def _create(store: Store, spec: AccountSpec, *, from_start: bool) -> AccountRecord:
    return accounts.create(
        store,
        name=spec.name,
        api_token=spec.api_token,
        actid=spec.actid,
        event_key=spec.event_key,
        tracking_enabled=True if spec.seed.tracking is None else spec.seed.tracking,
        from_start=from_start,
    )


def apply(
    store: Store,
    *,
    account: AccountRecord,
    seed: AccountSeed,
    source: str,
    pointer: str = "",
    problems: Problems | None = None,
) -> None:
    """Add a seed's data to an account, inside the caller's transaction. Bad entries raise InvalidFixture,
    all of them at once (into ``problems`` when the caller collects across accounts); the caller's
    transaction then rolls everything back."""
    found = problems if problems is not None else Problems(source)
    if seed.tracking is not None:
        accounts.set_tracking(store, account=account, enabled=seed.tracking)
    for i, person in enumerate(seed.contacts):
        with found.entry(f"{pointer}/contacts/{i}"):
            changes = ContactChanges(person.email, person.first_name, person.last_name, person.phone)
            contacts.create(store, account=account, changes=changes)
    for resource in RESOURCES:
        data = seed.resources.get(resource.name)
        if resource.seed is not None and data is not None:
            with found.entry(pointer):
                resource.seed(store, account, data, source, pointer)
    for i, name in enumerate(seed.event_names):
        with found.entry(f"{pointer}/eventNames/{i}"):
            tracking.whitelist(store, account=account, name=name)
    for i, past in enumerate(seed.events):
        with found.entry(f"{pointer}/events/{i}"):
            events.record(
                store, account=account, email=past.email, event=past.event, eventdata=past.eventdata, tstamp=past.tstamp
            )
    for i, automation in enumerate(seed.automations):
        with found.entry(f"{pointer}/automations/{i}"):
            automations.define(store, account=account, spec=automation)
    if problems is None:
        found.raise_any()
    # Last, once the data entries were accepted: the registry is memory, not part of the transaction (a caller
    # collecting problems across accounts undoes this with ``store.faults.atomic()`` when it reports them).
    store.faults.extend(account.name, rate_limit=seed.rate_limit, faults=seed.faults)


@dataclass
class Problems:
    """The bad entries of one fixtures source. Every check fails before its write, so going on past a bad
    entry is safe, and the transaction is rolled back when they are reported."""

    source: str
    found: list[tuple[str, str]] = field(default_factory=list)

    @contextmanager
    def entry(self, pointer: str) -> Iterator[None]:
        try:
            yield
        except InvalidFixture as error:  # a resource's own loader names its entries
            self.found.extend(error.entries)
        except ACError as error:
            self.found.append((pointer, error.hint))

    def raise_any(self) -> None:
        if self.found:
            raise InvalidFixture.of(self.source, self.found)


def remember(store: Store, *, account: AccountRecord, seed: AccountSeed) -> None:
    """Make ``seed`` (and the account's tracking switch now, unless the seed sets it) what a reset restores."""
    if seed.tracking is None:
        seed = replace(seed, tracking=account.tracking_enabled)
    accounts.forget(store)
    with store.db.transaction() as tx:
        tx.execute(SET_SEED, aid=account.id, new_seed=seed.to_json())


def reset_account(store: Store, *, name: str) -> None:
    """Empty an account and load its remembered seed again (its state at start, or at creation)."""
    account = accounts.get_by_name(store, name)
    seed = AccountSeed.from_json(account.seed) if account.seed else AccountSeed()
    store.faults.forget([name])  # its rules and limit go back to what it was loaded/created with, too
    with store.db.transaction() as tx:
        accounts.clear(tx, account_id=account.id)
        accounts.set_tracking(store, account=account, enabled=True if seed.tracking is None else seed.tracking)
        apply(store, account=account, seed=seed, source=f"account {name!r}")


def reset_all(store: Store) -> None:
    """Back to the state loaded at start: accounts created since are removed, the others reloaded, and the
    journal of /event calls that named no account is emptied."""
    store.faults.reset()
    with store.db.transaction() as tx:
        tx.execute(DELETE_UNOWNED_JOURNAL)
        for account in accounts.list_all(store):
            if account.from_start:
                reset_account(store, name=account.name)
            else:
                accounts.delete_account(store, name=account.name)
