"""/openapi.json describes the emulated API with AC's shapes, and /docs can authorize with the Api-Token."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from fakecampaign.testing.server import LiveServer


@pytest.fixture(scope="module")
def spec(live: LiveServer) -> dict[str, Any]:
    response = httpx.get(f"{live.url}/openapi.json", timeout=10)
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def test_every_v3_operation_requires_the_api_token_scheme(spec: dict[str, Any]) -> None:
    assert spec["components"]["securitySchemes"]["ApiToken"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Api-Token",
        "description": "Your API key",
    }
    v3 = [op for path, ops in spec["paths"].items() if path.startswith("/api/3") for op in ops.values()]
    assert len(v3) >= 20
    assert all(op["security"] == [{"ApiToken": []}] for op in v3)


def test_trackcmp_and_control_plane_need_no_api_token(spec: dict[str, Any]) -> None:
    others = [op for path, ops in spec["paths"].items() if not path.startswith("/api/3") for op in ops.values()]
    assert others
    assert all("security" not in op for op in others)


def test_no_fastapi_validation_shape_is_advertised(spec: dict[str, Any]) -> None:
    assert "HTTPValidationError" not in json.dumps(spec)
    assert not {"HTTPValidationError", "ValidationError"} & set(spec["components"]["schemas"])


def test_v3_errors_are_documented_with_ac_envelopes(spec: dict[str, Any]) -> None:
    responses = spec["paths"]["/api/3/contacts"]["post"]["responses"]
    assert set(responses) >= {"201", "400", "403", "404", "422"}
    schema = responses["422"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(spec["components"]["schemas"][schema]["properties"]) == {"errors"}


def test_contact_create_documents_the_ac_request_and_response(spec: dict[str, Any]) -> None:
    operation = spec["paths"]["/api/3/contacts"]["post"]
    body_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(spec["components"]["schemas"][body_ref]["properties"]) == {"contact"}
    out_ref = operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(spec["components"]["schemas"][out_ref]["properties"]) == {"fieldValues", "contact"}


def test_event_documents_its_form_fields(spec: dict[str, Any]) -> None:
    form = spec["paths"]["/event"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    assert set(form["properties"]) == {"actid", "key", "event", "eventdata", "visit"}
    assert form["properties"]["event"]["maxLength"] == 32
