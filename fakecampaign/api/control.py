"""The control plane for tests and demos, under /_fakecampaign/, apart from the emulated API.

Open by default (local use); when FAKECAMPAIGN_ADMIN_TOKEN is set every call but /health needs it.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Response, status
from starlette.concurrency import run_in_threadpool

from fakecampaign import fixtures
from fakecampaign.api import examples as ex
from fakecampaign.api.deps import ControlDep
from fakecampaign.api.docs import documented
from fakecampaign.api.resources import state_of
from fakecampaign.schemas.control import (
    AccountBatchIn,
    AccountCreate,
    AccountEnvelope,
    AccountNamesIn,
    AccountOut,
    AccountsOut,
    DeletedOut,
    Health,
    JournalEventOut,
    JournalMeta,
    JournalOut,
    RequestOut,
    RequestsOut,
    ResetOut,
    SeedIn,
    SeedOut,
    StateOut,
)
from fakecampaign.schemas.errors import MessageErrorOut
from fakecampaign.schemas.fixtures import AccountData
from fakecampaign.services import accounts, journal, seeding, state
from fakecampaign.services.journal import JournalQuery
from fakecampaign.services.requests import RequestQuery

PREFIX = "/_fakecampaign"
TAG = "fakecampaign control plane"
health_router = APIRouter(prefix=PREFIX, tags=[TAG])
router = APIRouter(prefix=PREFIX, tags=[TAG])  # every route takes ControlDep: the admin-token check
ACCOUNT = AccountEnvelope(account=AccountOut.of(ex.ACCOUNT, ex.CONTROL_BASE))
ACCOUNTS = AccountsOut(accounts=[ACCOUNT.account])


@health_router.get("/health", response_model=Health, openapi_extra=documented(Health()))
async def health() -> Health:
    """200 once the app is ready to serve."""
    return Health()


@router.post(
    "/accounts",
    status_code=status.HTTP_201_CREATED,
    response_model=AccountEnvelope,
    responses={409: {"model": MessageErrorOut, "description": "The name, Api-Token or actid is taken"}},
    openapi_extra=documented(ACCOUNT, status=201, request={"name": "youraccount", "fixtures": ex.FIXTURES_BODY}),
)
async def create_account(ctl: ControlDep, body: AccountCreate | None = None) -> AccountEnvelope:
    """Create an isolated account (credentials not given are generated), optionally with fixtures."""
    spec = (body or AccountCreate()).to_fixture()
    account = seeding.create_account(ctl.store, spec=spec.to_spec(), source="request body", pointer="/fixtures")
    return AccountEnvelope(account=AccountOut.of(account, ctl.base_url))


@router.post(
    "/accounts/batch",
    status_code=status.HTTP_201_CREATED,
    response_model=AccountsOut,
    openapi_extra=documented(ACCOUNTS, status=201, request={"count": 1, "prefix": "account"}),
)
async def create_accounts(ctl: ControlDep, body: AccountBatchIn) -> AccountsOut:
    """Create many empty accounts at once (the pytest plugin keeps a pool of them)."""
    made = accounts.create_many(ctl.store, count=body.count, prefix=body.prefix)
    return AccountsOut(accounts=[AccountOut.of(a, ctl.base_url) for a in made])


@router.post(
    "/accounts/batch-delete",
    response_model=DeletedOut,
    openapi_extra=documented(DeletedOut(deleted=["youraccount"]), request={"names": ["youraccount"]}),
)
async def delete_accounts(ctl: ControlDep, body: AccountNamesIn) -> DeletedOut:
    """Remove many accounts and all their data at once; names that do not exist are skipped."""
    deleted = accounts.delete_many(ctl.store, names=body.names)
    ctl.requests.clear_accounts({a.id for a in deleted})
    return DeletedOut(deleted=[a.name for a in deleted])


@router.get("/accounts", response_model=AccountsOut, openapi_extra=documented(ACCOUNTS))
async def list_accounts(ctl: ControlDep) -> AccountsOut:
    """Every account with its credentials."""
    return AccountsOut(accounts=[AccountOut.of(a, ctl.base_url) for a in accounts.list_all(ctl.store)])


@router.get("/accounts/{name}", response_model=AccountEnvelope, openapi_extra=documented(ACCOUNT))
async def get_account(name: str, ctl: ControlDep) -> AccountEnvelope:
    """One account's credentials and URLs."""
    return AccountEnvelope(account=AccountOut.of(accounts.get_by_name(ctl.store, name), ctl.base_url))


@router.delete("/accounts/{name}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_account(name: str, ctl: ControlDep) -> Response:
    """Remove an account and all its data."""
    account = accounts.get_by_name(ctl.store, name)
    accounts.delete_account(ctl.store, name=name)
    ctl.requests.clear(account.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/reset", response_model=ResetOut, openapi_extra=documented(ResetOut(reset="all")))
async def reset(ctl: ControlDep, account: str | None = None) -> ResetOut:
    """Back to the state loaded at start: every account, or just ?account=NAME (to what it was created with)."""
    if account is None:
        seeding.reset_all(ctl.store)
        ctl.requests.clear()
    else:
        account_id = accounts.get_by_name(ctl.store, account).id
        seeding.reset_account(ctl.store, name=account)
        ctl.requests.clear(account_id)
    return ResetOut(reset=account or "all")


@router.post(
    "/seed",
    response_model=SeedOut,
    openapi_extra=documented(SeedOut(seeded=["youraccount"]), request=ex.FIXTURES_BODY),
    responses={403: {"model": MessageErrorOut, "description": "The path is outside the seed directory"}},
)
async def seed(ctl: ControlDep, body: AccountData | SeedIn, account: str | None = None) -> SeedOut:
    """Load fixtures: account data into ?account=NAME (default: the default account), or {"path": FILE}."""
    if isinstance(body, SeedIn):
        root, cap = ctl.settings.seed_root(), ctl.settings.seed_max_bytes
        specs = await run_in_threadpool(fixtures.read_specs_within, root, body.path, max_bytes=cap)  # off the loop
        loaded = seeding.load_accounts(ctl.store, specs=specs, source=body.path)
        return SeedOut(seeded=[a.name for a in loaded])
    name = account or ctl.settings.account
    target = accounts.get_by_name(ctl.store, name)
    seeding.fill(ctl.store, account=target, seed=body.to_seed(), source="request body")
    return SeedOut(seeded=[name])


@router.get(
    "/events",
    response_model=JournalOut,
    openapi_extra=documented(JournalOut(events=[JournalEventOut.of(ex.JOURNAL_ENTRY)], meta=JournalMeta(total=1))),
)
async def list_events(
    ctl: ControlDep,
    account: str | None = None,
    email: str | None = None,
    event: str | None = None,
    outcome: str | None = None,
    reason: str | None = None,
    limit: int = Query(default=100, ge=1, le=journal.MAX_LIMIT),
    offset: int = Query(default=0, ge=0, le=journal.MAX_OFFSET),
) -> JournalOut:
    """Every /event call with its outcome (written or dropped) and why it was dropped; filterable."""
    account_id = accounts.get_by_name(ctl.store, account).id if account else None
    query = JournalQuery(account_id, email, event, outcome, reason, limit, offset)
    entries, total = journal.search(ctl.store, query=query)
    bounds = ctl.store.journal_bounds
    evicted = bounds.evicted(account_id) if account_id is not None else bounds.evicted_total
    return JournalOut(events=[JournalEventOut.of(e) for e in entries], meta=JournalMeta(total=total, evicted=evicted))


@router.get(
    "/requests", response_model=RequestsOut, openapi_extra=documented(RequestsOut(requests=[RequestOut.of(ex.REQUEST)]))
)
async def list_requests(
    ctl: ControlDep,
    account: str | None = None,
    method: str | None = None,
    path: str | None = None,
    status_code: int | None = Query(default=None, alias="status"),
    limit: int = Query(default=100, ge=1, le=10_000),
) -> RequestsOut:
    """The latest calls to the emulated API (tokens and keys redacted), oldest first; filterable."""
    account_id = None
    if account is not None:
        named = accounts.find_by_name(ctl.store, account)
        if named is None:
            return RequestsOut(requests=[])
        account_id = named.id
    found = ctl.requests.search(RequestQuery(account_id, method, path, status_code, limit))
    return RequestsOut(requests=[RequestOut.of(r) for r in found])


@router.get("/state", response_model=StateOut, openapi_extra=documented(StateOut.of(ex.STATE, ex.CONTROL_BASE)))
async def get_state(ctl: ControlDep, account: str | None = None) -> StateOut:
    """Everything one account holds (default: the default account), as JSON."""
    dumped = state.dump(ctl.store, name=account or ctl.settings.account)
    return StateOut.of(dumped, ctl.base_url, extra=state_of(dumped.resources, ctl.base_url))
