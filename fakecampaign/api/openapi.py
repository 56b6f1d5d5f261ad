"""The OpenAPI document: FastAPI's, plus the Api-Token scheme on every v3 operation (so /docs can authorize).

The scheme is declared here rather than as a security dependency, which would cost a solve per request.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from fastapi.utils import create_model_field

SCHEME = {"ApiToken": {"type": "apiKey", "in": "header", "name": "Api-Token", "description": "Your API key"}}


def install(app: FastAPI, *, v3_prefix: str) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _with_api_token(_generate(app), v3_prefix)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _generate(app: FastAPI) -> dict[str, Any]:
    _document_extra_responses(app)
    return get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)


def _document_extra_responses(app: FastAPI) -> None:
    """Build the fields of the error responses router.py attached without them, as FastAPI would have when
    building the route (same names, so the document is the same)."""
    for route in app.routes:
        if not isinstance(route, APIRoute):
            continue
        for code, response in route.responses.items():
            model = response.get("model")
            if model and code not in route.response_fields:
                name = f"Response_{code}_{route.unique_id}"
                route.response_fields[code] = create_model_field(name=name, type_=model, mode="serialization")


def _with_api_token(schema: dict[str, Any], v3_prefix: str) -> dict[str, Any]:
    schema.setdefault("components", {}).setdefault("securitySchemes", {}).update(SCHEME)
    for path, operations in schema.get("paths", {}).items():
        if path.startswith(v3_prefix):
            for operation in operations.values():
                operation["security"] = [{"ApiToken": []}]
    return schema
