"""What /docs shows beyond the models: the query parameters a list reads by hand, and one example per operation.

v3 list routes read ``request.query_params`` themselves (AC's ``filters[...]`` / ``orders[...]`` keys are not
Python names, and a FastAPI ``Query`` costs a solve per request), so their parameters are declared here for the
OpenAPI document only. ``documented(...)`` returns a route's ``openapi_extra``; FastAPI deep-merges it into the
generated operation (parameters are appended, the example lands beside the response model's schema).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    description: str
    type: str = "string"
    format: str | None = None

    def openapi(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": self.type}
        if self.format:
            schema["format"] = self.format
        return {"name": self.name, "in": "query", "required": False, "schema": schema, "description": self.description}


PAGE = (
    Param("limit", "How many to return: default 20, at most 100", "integer"),
    Param("offset", "How many to skip (zero-based)", "integer"),
)


def documented(
    example: BaseModel | dict[str, Any],
    *,
    status: int = 200,
    params: Sequence[Param] = (),
    request: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A route's ``openapi_extra``: its query parameters, a response example and, for a body, a request one."""
    shown = example.model_dump(mode="json") if isinstance(example, BaseModel) else example
    extra: dict[str, Any] = {"responses": {str(status): {"content": {"application/json": {"example": shown}}}}}
    if params:
        extra["parameters"] = [p.openapi() for p in params]
    if request is not None:
        extra["requestBody"] = {"content": {"application/json": {"example": request}}}
    return extra
