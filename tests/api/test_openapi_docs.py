"""/docs shows, for every operation, one realistic example (rendered by the wire builders, and valid for the
route's response model) and, for every list, the query parameters it reads."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel

from fakecampaign.app import create_app

# Lists whose answer carries a meta.total but that AC documents without parameters: every row comes back.
UNPAGED = {"/api/3/eventTrackingEvents"}
EXPECTED_PARAMS = {
    "/api/3/contacts": {"email", "email_like", "search", "ids", "id_greater", "filters[created_after]", "orders[id]"},
    "/api/3/trackingLogs": {"contact", "type", "filters[contact]", "filters[type]"},
    "/api/3/activities": {"contact", "after", "include", "orders[tstamp]"},
}


# Operations whose example is rendered by the route's own wire builder (fakecampaign/api/examples.py).
BUILT = [
    ("/api/3/contacts", "post"),
    ("/api/3/contacts", "get"),
    ("/api/3/contacts/{contact_id}", "get"),
    ("/api/3/activities", "get"),
    ("/api/3/trackingLogs/{log_id}/contact", "get"),
    ("/api/3/users/me", "get"),
    ("/_fakecampaign/state", "get"),
]


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app()


@pytest.fixture(scope="module")
def spec(app: FastAPI) -> dict[str, Any]:
    document: dict[str, Any] = app.openapi()
    return document


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in spec["paths"].items() for method, op in ops.items()]


def _success(op: dict[str, Any]) -> str:
    return min(code for code in op["responses"] if code.startswith("2"))


def _route(app: FastAPI, path: str, method: str) -> APIRoute:
    for route in app.routes:
        if isinstance(route, APIRoute) and route.path_format == path and method.upper() in route.methods:
            return route
    raise AssertionError(f"no route for {method} {path}")


def _ref(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    name = schema["$ref"].rsplit("/", 1)[-1]
    found: dict[str, Any] = spec["components"]["schemas"][name]
    return found


def test_every_operation_has_one_example_shaped_like_its_response_model(app: FastAPI, spec: dict[str, Any]) -> None:
    missing = []
    for path, method, op in _operations(spec):
        code = _success(op)
        if code == "204":  # no content, nothing to show
            continue
        example = op["responses"][code].get("content", {}).get("application/json", {}).get("example")
        if example is None:
            missing.append(f"{method.upper()} {path}")
            continue
        model = _route(app, path, method).response_model
        if isinstance(model, type) and issubclass(model, BaseModel):  # relation routes answer a plain dict
            # Hand-written examples may leave keys out; none may name a key the answer does not have.
            assert set(example) <= set(model.model_fields), f"{method.upper()} {path}"
    assert missing == []


def test_examples_built_by_the_wire_builders_are_complete(app: FastAPI, spec: dict[str, Any]) -> None:
    for path, method in BUILT:
        op = spec["paths"][path][method]
        example = op["responses"][_success(op)]["content"]["application/json"]["example"]
        model = _route(app, path, method).response_model
        assert isinstance(model, type)
        assert issubclass(model, BaseModel)
        assert model.model_validate(example).model_dump(mode="json") == example, path


def test_examples_look_like_ac_data(spec: dict[str, Any]) -> None:
    contact = spec["paths"]["/api/3/contacts/{contact_id}"]["get"]["responses"]["200"]["content"]["application/json"]
    assert contact["example"]["contact"]["email"] == "johndoe@example.com"
    assert contact["example"]["contact"]["id"] == "113"
    feed = spec["paths"]["/api/3/activities"]["get"]["responses"]["200"]["content"]["application/json"]["example"]
    assert list(feed) == ["contacts", "activityRecipients", "trackingLogs", "activities", "meta"]
    create = spec["paths"]["/api/3/contacts"]["post"]
    assert create["requestBody"]["content"]["application/json"]["example"]["contact"]["email"] == "johndoe@example.com"


def test_every_v3_list_declares_limit_and_offset(spec: dict[str, Any]) -> None:
    for path, method, op in _operations(spec):
        if method != "get" or not path.startswith("/api/3/") or "{" in path or path in UNPAGED:
            continue
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        if "meta" not in _ref(spec, schema).get("properties", {}):
            continue
        names = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
        assert {"limit", "offset"} <= names, path
        assert names >= EXPECTED_PARAMS.get(path, set()), path


def test_declared_query_parameters_are_optional_and_typed(spec: dict[str, Any]) -> None:
    params = spec["paths"]["/api/3/activities"]["get"]["parameters"]
    by_name = {p["name"]: p for p in params}
    assert by_name["limit"]["schema"] == {"type": "integer"}
    assert by_name["after"]["schema"] == {"type": "string", "format": "date-time"}
    assert not any(p["required"] for p in params)
