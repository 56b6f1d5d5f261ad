"""An endpoint fakecampaign does not emulate: AC's 404 body (G19), and a header that says so and, for a typo,
names the emulated route that was probably meant."""

from __future__ import annotations

import pytest

from fakecampaign.api.nearest import nearest_route
from fakecampaign.app import create_app
from tests.conftest import Account


@pytest.mark.parametrize(
    ("method", "path", "meant"),
    [
        ("GET", "/api/3/contact/5", "GET /api/3/contacts/{contact_id}"),
        ("GET", "/api/3/activity", "GET /api/3/activities"),
        ("GET", "/api/3/users/mee", "GET /api/3/users/me"),
        ("GET", "/api/3/trackinglogs/12", "GET /api/3/trackingLogs/{log_id}"),
        ("POST", "/api/3/eventTrackingEvent", "POST /api/3/eventTrackingEvents"),
    ],
)
def test_a_typo_keeps_acs_404_and_names_the_nearest_route(account: Account, method: str, path: str, meant: str) -> None:
    response = account.api.request(method, path, json={})
    assert response.status_code == 404
    assert response.json() == {"message": f"Unrecognized request URL ({method} {path})"}
    hint = response.headers["X-Fakecampaign-Error"]
    assert f"{method} {path} is not emulated by fakecampaign" in hint
    assert hint.endswith(f"did you mean {meant}?")


@pytest.mark.parametrize("path", ["/api/3/nowhere", "/api/3/savedResponses", "/api/3/ecomOrders/4"])
def test_an_unknown_resource_says_not_emulated_and_guesses_nothing(account: Account, path: str) -> None:
    response = account.api.get(path)
    assert (response.status_code, response.json()) == (404, {"message": f"Unrecognized request URL (GET {path})"})
    hint = response.headers["X-Fakecampaign-Error"]
    assert hint == f"GET {path} is not emulated by fakecampaign (README: Endpoint coverage)"


def test_the_guess_prefers_a_route_serving_the_method() -> None:
    routes = create_app().routes
    assert nearest_route(routes, "DELETE", "/api/3/contact/4") == "DELETE /api/3/contacts/{contact_id}"
    # /trackingLogs/{id} is read-only: the nearest is named with the methods it does serve.
    assert nearest_route(routes, "DELETE", "/api/3/trackinglogs/4") == "GET /api/3/trackingLogs/{log_id}"
    assert nearest_route(routes, "GET", "/api/3/zzzzzz") is None
