"""OpenAPI for list and CRUD routes: AC's list parameters declared without FastAPI validating them (a bad
``limit`` must stay AC's 400 {}, which ``fakecampaign/query.py`` answers), and one realistic example each."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import QueryParams

from fakecampaign.query import ListQuery, parse
from fakecampaign.schemas.errors import ShapedErrorOut

PAGING = {
    "limit": "How many to return: default 20, at most 100",
    "offset": "How many to skip (zero-based)",
}


def list_params(*extra: tuple[str, str]) -> dict[str, Any]:
    """``openapi_extra`` declaring ``limit``, ``offset`` and the given (name, description) parameters."""
    params = [*PAGING.items(), *extra]
    return {"parameters": [_param(name, text) for name, text in params]}


def _param(name: str, description: str) -> dict[str, Any]:
    integer = name in PAGING
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "integer" if integer else "string"},
    }


def example(
    body: dict[str, Any], status: int = 200, *, shaped: tuple[int, ...] = ()
) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entry carrying one realistic example of the success body; ``shaped`` lists the statuses
    whose body is one AC prints for this call only (errors.ShapedError), documented as a free-form object."""
    responses: dict[int | str, dict[str, Any]] = {status: {"content": {"application/json": {"example": body}}}}
    for code in shaped:
        responses[code] = {"model": ShapedErrorOut, "description": "AC's body for this call (see the README)"}
    return responses


def list_query(params: QueryParams, *, default_limit: int = 20) -> ListQuery:
    return parse(params.multi_items(), default_limit=default_limit)
