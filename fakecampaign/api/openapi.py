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
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    return _with_exact_examples(schema, app)


def _with_exact_examples(schema: dict[str, Any], app: FastAPI) -> dict[str, Any]:
    """Put each route's examples (api/docs.py) back as given: FastAPI encodes the document with
    ``exclude_none``, which drops AC's explicit nulls (``"adate": null``) from them."""
    for route in app.routes:
        if not isinstance(route, APIRoute):
            continue
        responses = {str(code): value for code, value in (route.responses or {}).items()}
        extra = {**(route.openapi_extra or {})}
        extra["responses"] = {**responses, **extra.get("responses", {})}
        for method in route.methods or ():
            operation = schema.get("paths", {}).get(route.path_format, {}).get(method.lower())
            if operation is None:
                continue
            for code, response in extra.get("responses", {}).items():
                for media, content in response.get("content", {}).items():
                    if "example" in content:
                        operation["responses"][code]["content"][media]["example"] = content["example"]
            for media, content in extra.get("requestBody", {}).get("content", {}).items():
                if "example" in content:
                    operation["requestBody"]["content"][media]["example"] = content["example"]
    return schema


def _document_extra_responses(app: FastAPI) -> None:
    """Build the fields of the error responses router.py attached without them, and rename the response field
    of a route it moved under a prefix, as FastAPI would have when building the route (same names: the document
    is the one FastAPI would make)."""
    for route in app.routes:
        if not isinstance(route, APIRoute):
            continue
        named = f"Response_{route.unique_id}"
        if route.response_field is not None and route.response_field.name != named:
            route.response_field = create_model_field(name=named, type_=route.response_model, mode="serialization")
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
