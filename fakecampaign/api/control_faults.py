"""The control plane's fault rules and rate limits (README "Faults and rate limits"), under /_fakecampaign/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Response, status

from fakecampaign.api.control import PREFIX, TAG
from fakecampaign.api.deps import Control, ControlDep
from fakecampaign.api.docs import documented
from fakecampaign.errors import FieldProblem, UnprocessableEntity
from fakecampaign.schemas.errors import MessageErrorOut
from fakecampaign.schemas.faults import (
    ClearedOut,
    FaultBatchIn,
    FaultEnvelope,
    FaultIn,
    FaultOut,
    FaultsOut,
    RateLimitIn,
    RateLimitOut,
)
from fakecampaign.services import accounts
from fakecampaign.services.faults import FaultRule

# /docs examples, rendered by the same model the routes answer with.
RULE_IN = FaultIn(account="youraccount", method="POST", path="/api/3/contacts", status=503, times=2)
RULE = FaultOut.of(FaultRule("fault-1", RULE_IN.to_spec(RULE_IN.account)))
LIMIT = RateLimitOut(account="youraccount", limit=5)

router = APIRouter(prefix=PREFIX, tags=[TAG])  # every route takes ControlDep: the admin-token check
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": MessageErrorOut, "description": "No such account or rule"}}


@router.post(
    "/faults",
    status_code=status.HTTP_201_CREATED,
    response_model=FaultEnvelope,
    openapi_extra=documented(FaultEnvelope(fault=RULE), status=201, request=RULE_IN.model_dump(exclude_defaults=True)),
    responses={**NOT_FOUND, 409: {"model": MessageErrorOut, "description": "Too many rules on the server"}},
)
async def add_fault(ctl: ControlDep, body: FaultIn) -> FaultEnvelope:
    """Add a fault rule for one account's calls, or (no ``account``) every account's, after the existing ones."""
    [rule] = _add(ctl, [body], pointer=lambda _: "/")
    return FaultEnvelope(fault=rule)


@router.post(
    "/faults/batch",
    status_code=status.HTTP_201_CREATED,
    response_model=FaultsOut,
    openapi_extra=documented(
        FaultsOut(faults=[RULE]), status=201, request={"faults": [RULE_IN.model_dump(exclude_defaults=True)]}
    ),
    responses={**NOT_FOUND, 409: {"model": MessageErrorOut, "description": "Too many rules on the server"}},
)
async def add_faults(ctl: ControlDep, body: FaultBatchIn) -> FaultsOut:
    """Add several rules at once (a list, as LocalStack's chaos API takes them): all of them or none."""
    return FaultsOut(faults=_add(ctl, body.faults, pointer=lambda i: f"/faults/{i}"))


def _add(ctl: Control, rules: list[FaultIn], *, pointer: Callable[[int], str]) -> list[FaultOut]:
    for i, rule in enumerate(rules):
        problem = rule.problem()
        if problem is not None:
            raise UnprocessableEntity([FieldProblem(title=problem, code="invalid", pointer=pointer(i))])
        if rule.account is not None:
            accounts.get_by_name(ctl.store, rule.account)  # a typo must not make a rule that never matches
    with ctl.store.faults.atomic():
        return [FaultOut.of(ctl.store.faults.add(rule.to_spec(rule.account))) for rule in rules]


@router.get("/faults", response_model=FaultsOut, openapi_extra=documented(FaultsOut(faults=[RULE])))
async def list_faults(ctl: ControlDep, account: str | None = None) -> FaultsOut:
    """Every rule, or the rules of ?account=NAME, oldest first, with what is left of them and their hits."""
    return FaultsOut(faults=[FaultOut.of(r) for r in ctl.store.faults.rules(account)])


@router.get(
    "/faults/{fault_id}",
    response_model=FaultEnvelope,
    responses=NOT_FOUND,
    openapi_extra=documented(FaultEnvelope(fault=RULE)),
)
async def get_fault(fault_id: str, ctl: ControlDep) -> FaultEnvelope:
    """One rule."""
    return FaultEnvelope(fault=FaultOut.of(ctl.store.faults.get(fault_id)))


@router.delete("/faults/{fault_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND)
async def delete_fault(fault_id: str, ctl: ControlDep) -> Response:
    """Remove one rule."""
    ctl.store.faults.remove(fault_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/faults", response_model=ClearedOut, openapi_extra=documented(ClearedOut(deleted=1)))
async def clear_faults(ctl: ControlDep, account: str | None = None) -> ClearedOut:
    """Remove every rule, or the rules of ?account=NAME; says how many went."""
    return ClearedOut(deleted=ctl.store.faults.clear(account))


@router.get("/rate-limit", response_model=RateLimitOut, responses=NOT_FOUND, openapi_extra=documented(LIMIT))
async def get_rate_limit(ctl: ControlDep, account: str | None = None) -> RateLimitOut:
    """The limit that applies to ?account=NAME now, or the server's default."""
    if account is None:
        return RateLimitOut(account=None, limit=ctl.store.faults.default_limit)
    accounts.get_by_name(ctl.store, account)
    return RateLimitOut(account=account, limit=ctl.store.faults.limit_of(account))


@router.put(
    "/rate-limit",
    response_model=RateLimitOut,
    responses=NOT_FOUND,
    openapi_extra=documented(LIMIT, request={"limit": 5}),
)
async def set_rate_limit(ctl: ControlDep, body: RateLimitIn, account: str | None = None) -> RateLimitOut:
    """Set ?account=NAME's limit ({"limit": N}; 0: none; null: the server's again), or the server's default."""
    if account is None:
        ctl.store.faults.set_default_limit(body.limit)
        return RateLimitOut(account=None, limit=ctl.store.faults.default_limit)
    accounts.get_by_name(ctl.store, account)
    ctl.store.faults.set_limit(account, body.limit)
    return RateLimitOut(account=account, limit=ctl.store.faults.limit_of(account))
