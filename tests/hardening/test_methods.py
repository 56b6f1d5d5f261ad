"""Issue 8 item 9: HEAD works wherever GET does, and the CORS preflight of /event advertises only what /event
serves. (A 100 KB URL and a method the parser refuses: tests/hardening/test_connection_limits.py.)"""

from __future__ import annotations

import pytest

from tests.conftest import Account


@pytest.mark.parametrize(
    "path", ["/api/3/contacts", "/api/3/contacts/{id}", "/api/3/eventTrackingEvents", "/api/3/users/me"]
)
def test_head_is_get_without_a_body(account: Account, path: str) -> None:
    contact = account.create_contact("head@example.com")
    url = path.format(id=contact["id"])
    got, head = account.api.get(url), account.api.head(url)
    assert head.status_code == got.status_code
    assert head.content == b""
    assert head.headers["content-length"] == str(len(got.content))
    assert head.headers["content-type"] == got.headers["content-type"]


def test_head_on_the_control_plane_and_unknown_routes(account: Account) -> None:
    assert account.raw.head("/_fakecampaign/health").status_code == 200
    assert account.raw.head("/api/3/contacts").status_code == 403  # no token: AC's 403, as for GET
    missing = account.api.head("/api/3/nothing-here")
    assert (missing.status_code, missing.content) == (404, b"")


def test_head_is_journaled_as_head(account: Account) -> None:
    account.api.head("/api/3/contacts")
    calls = account.raw.get("/_fakecampaign/requests", params={"account": account.name}).json()["requests"]
    assert [(c["method"], c["path"], c["status"]) for c in calls] == [("HEAD", "/api/3/contacts", 200)]


def test_a_405_lists_head_with_get(account: Account) -> None:
    response = account.api.delete("/api/3/contacts")
    assert response.status_code == 405
    assert "HEAD" in response.headers["allow"].split(", ")


def test_the_event_preflight_advertises_only_methods_that_work(account: Account) -> None:
    preflight = account.raw.options(
        "/event", headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 204
    advertised = [m.strip() for m in preflight.headers["access-control-allow-methods"].split(",")]
    assert advertised == ["POST", "OPTIONS"]
    for method in advertised:
        assert account.raw.request(method, "/event").status_code != 405, method
    assert account.raw.get("/event").status_code == 405


def test_a_method_the_app_does_not_serve_is_json_405(account: Account) -> None:
    response = account.api.request("PROPFIND", "/api/3/contacts")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/json"
    assert isinstance(response.json()["message"], str)
