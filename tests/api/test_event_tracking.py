"""/api/3/eventTracking (the on/off switch) and /api/3/eventTrackingEvents (whitelisted names)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import Account

SWITCH = "/api/3/eventTracking"
NAMES = "/api/3/eventTrackingEvents"


def _switch_body(enabled: bool) -> dict[str, Any]:
    return {"eventTracking": {"enabled": enabled}}


def _create_name(account: Account, name: str) -> httpx.Response:
    return account.api.post(NAMES, json={"eventTrackingEvent": {"name": name}})


def _names(account: Account) -> list[str]:
    response = account.api.get(NAMES)
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["eventTrackingEvents"]]


def _delete_raw(account: Account, raw_path: str) -> httpx.Response:
    """DELETE with the path sent exactly as written (httpx must not re-encode "+" or "%2F")."""
    url = account.api.base_url.copy_with(raw_path=raw_path.encode("ascii"))
    response = account.api.delete(url)
    assert response.request.url.raw_path == raw_path.encode("ascii")
    return response


def _one_name_problem(title: str, code: str, detail: str = "") -> dict[str, Any]:
    return {
        "errors": [{"title": title, "detail": detail, "code": code, "source": {"pointer": "/data/attributes/name"}}]
    }


# --- the switch -------------------------------------------------------------------------------------------------


def test_get_event_tracking_reports_enabled_for_a_new_account(account: Account) -> None:
    response = account.api.get(SWITCH)
    assert response.status_code == 200
    assert response.json() == {"eventTracking": {"enabled": True}}


@pytest.mark.parametrize("verb", ["PUT", "POST"])
def test_set_event_tracking_off_echoes_and_persists(account: Account, verb: str) -> None:
    response = account.api.request(verb, SWITCH, json=_switch_body(False))
    assert response.status_code == 200
    assert response.json() == {"eventTracking": {"enabled": False}}
    assert account.api.get(SWITCH).json() == {"eventTracking": {"enabled": False}}


@pytest.mark.parametrize("verb", ["PUT", "POST"])
def test_set_event_tracking_back_on_persists(account: Account, verb: str) -> None:
    assert account.api.request(verb, SWITCH, json=_switch_body(False)).status_code == 200
    response = account.api.request(verb, SWITCH, json=_switch_body(True))
    assert response.status_code == 200
    assert response.json() == {"eventTracking": {"enabled": True}}
    assert account.api.get(SWITCH).json() == {"eventTracking": {"enabled": True}}


@pytest.mark.parametrize("verb", ["PUT", "POST"])
def test_set_event_tracking_without_enabled_returns_400_empty(account: Account, verb: str) -> None:
    # The reference documents only 400 {} for this call [DOC-OAS]; the header names the field.
    response = account.api.request(verb, SWITCH, json={"eventTracking": {}})
    assert (response.status_code, response.json()) == (400, {})
    assert "enabled" in response.headers["X-Fakecampaign-Error"]
    assert account.api.get(SWITCH).json() == {"eventTracking": {"enabled": True}}


@pytest.mark.parametrize("enabled", ["yes", "maybe", "true", 1, 0, None], ids=repr)
def test_set_event_tracking_with_non_boolean_enabled_returns_400_empty(account: Account, enabled: Any) -> None:
    # Only a JSON boolean: "yes" is not coerced to true (ac-api-facts.md §3).
    off = account.api.put(SWITCH, json=_switch_body(False))
    assert off.status_code == 200
    response = account.api.put(SWITCH, json={"eventTracking": {"enabled": enabled}})
    assert (response.status_code, response.json()) == (400, {})
    assert "enabled" in response.headers["X-Fakecampaign-Error"]
    assert account.api.get(SWITCH).json() == {"eventTracking": {"enabled": False}}


@pytest.mark.parametrize("verb", ["PUT", "POST"])
def test_set_event_tracking_with_malformed_json_returns_400_empty(account: Account, verb: str) -> None:
    response = account.api.request(
        verb, SWITCH, content=b'{"eventTracking": {"enabled": fal', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {}
    assert response.headers["X-Fakecampaign-Error"]


def test_set_event_tracking_without_body_returns_400_empty(account: Account) -> None:
    response = account.api.put(SWITCH)
    assert response.status_code == 400
    assert response.json() == {}


def test_event_tracking_switch_is_per_account(account: Account, other_account: Account) -> None:
    assert account.api.put(SWITCH, json=_switch_body(False)).status_code == 200
    assert account.api.get(SWITCH).json() == {"eventTracking": {"enabled": False}}
    assert other_account.api.get(SWITCH).json() == {"eventTracking": {"enabled": True}}


def test_event_tracking_without_api_token_returns_403(account: Account) -> None:
    response = account.raw.get(SWITCH)
    assert response.status_code == 403
    assert response.json() == {
        "message": "Forbidden: send your API key in the Api-Token header (Api-Token: <your key>)"
    }


# --- whitelisted names ------------------------------------------------------------------------------------------


def test_list_event_names_of_new_account_is_empty_with_integer_total(account: Account) -> None:
    response = account.api.get(NAMES)
    assert response.status_code == 200
    body = response.json()
    assert body == {"eventTrackingEvents": [], "meta": {"total": 0}}
    assert type(body["meta"]["total"]) is int


def test_create_event_name_returns_201_echo_without_id(account: Account) -> None:
    response = _create_name(account, "file download request")
    assert response.status_code == 201
    assert response.json() == {"eventTrackingEvent": {"name": "file download request"}}


def test_list_event_names_in_creation_order_with_integer_total(account: Account) -> None:
    for name in ("zeta", "alpha", "file download request"):
        assert _create_name(account, name).status_code == 201
    response = account.api.get(NAMES)
    assert response.status_code == 200
    assert response.json() == {
        "eventTrackingEvents": [{"name": "zeta"}, {"name": "alpha"}, {"name": "file download request"}],
        "meta": {"total": 3},
    }


def test_create_duplicate_event_name_returns_422_duplicate(account: Account) -> None:
    assert _create_name(account, "signup").status_code == 201
    response = _create_name(account, "signup")
    assert response.status_code == 422
    assert response.json() == _one_name_problem("An event with this name already exists", "duplicate")
    assert _names(account) == ["signup"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 33], ids=["empty", "blank", "33-chars"])
def test_create_empty_or_too_long_event_name_returns_400_empty(account: Account, name: str) -> None:
    # POST /eventTrackingEvents documents only 400 {} [DOC-OAS]; the header says which rule the name broke.
    response = _create_name(account, name)
    assert (response.status_code, response.json()) == (400, {})
    assert "eventTrackingEvent.name" in response.headers["X-Fakecampaign-Error"]
    assert _names(account) == []


def test_create_32_char_event_name_is_accepted(account: Account) -> None:
    response = _create_name(account, "x" * 32)
    assert response.status_code == 201
    assert response.json() == {"eventTrackingEvent": {"name": "x" * 32}}


@pytest.mark.parametrize("body", [{"eventTrackingEvent": {}}, {}, {"eventTrackingEvent": {"name": 5}}], ids=repr)
def test_create_event_name_without_a_string_name_returns_400_empty(account: Account, body: dict[str, Any]) -> None:
    response = account.api.post(NAMES, json=body)
    assert (response.status_code, response.json()) == (400, {})
    assert response.headers["X-Fakecampaign-Error"]
    assert _names(account) == []


def test_create_event_name_with_malformed_json_returns_400_empty(account: Account) -> None:
    response = account.api.post(NAMES, content=b'{"eventTrackingEvent":', headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {}


def test_event_names_are_per_account(account: Account, other_account: Account) -> None:
    assert _create_name(account, "signup").status_code == 201
    assert _names(other_account) == []
    assert _create_name(other_account, "signup").status_code == 201
    assert _names(account) == ["signup"]


# --- deleting names ---------------------------------------------------------------------------------------------


def test_delete_event_name_with_percent_20_space(account: Account) -> None:
    assert _create_name(account, "my event").status_code == 201
    response = _delete_raw(account, "/api/3/eventTrackingEvents/my%20event")
    assert response.status_code == 200
    assert response.json() == {}
    assert _names(account) == []


def test_delete_event_name_with_plus_for_space(account: Account) -> None:
    assert _create_name(account, "my event").status_code == 201
    response = _delete_raw(account, "/api/3/eventTrackingEvents/my+event")
    assert response.status_code == 200
    assert response.json() == {}
    assert _names(account) == []
    [seen] = account.raw.get("/_fakecampaign/requests", params={"account": account.name, "method": "DELETE"}).json()[
        "requests"
    ]
    assert seen["path"] == "/api/3/eventTrackingEvents/my+event"


def test_delete_name_containing_plus_matches_exactly_first(account: Account) -> None:
    assert _create_name(account, "c+d").status_code == 201
    assert _create_name(account, "c d").status_code == 201
    response = _delete_raw(account, "/api/3/eventTrackingEvents/c+d")
    assert response.status_code == 200
    assert response.json() == {}
    assert _names(account) == ["c d"]


def test_delete_name_containing_plus_sent_as_percent_2b(account: Account) -> None:
    assert _create_name(account, "c+d").status_code == 201
    response = _delete_raw(account, "/api/3/eventTrackingEvents/c%2Bd")
    assert response.status_code == 200
    assert _names(account) == []


def test_delete_unicode_event_name_percent_encoded(account: Account) -> None:
    assert _create_name(account, "café ☕ ünïcode").status_code == 201
    response = _delete_raw(account, "/api/3/eventTrackingEvents/caf%C3%A9%20%E2%98%95%20%C3%BCn%C3%AFcode")
    assert response.status_code == 200
    assert response.json() == {}
    assert _names(account) == []


def test_delete_event_name_containing_slash_sent_as_percent_2f(account: Account) -> None:
    assert _create_name(account, "a/b").status_code == 201
    assert _create_name(account, "a").status_code == 201
    response = _delete_raw(account, "/api/3/eventTrackingEvents/a%2Fb")
    assert response.status_code == 200
    assert response.json() == {}
    assert _names(account) == ["a"]


def test_delete_unknown_event_name_returns_404_with_decoded_name(account: Account) -> None:
    assert _create_name(account, "known").status_code == 201
    response = _delete_raw(account, "/api/3/eventTrackingEvents/nope%20x")
    assert response.status_code == 404
    assert response.json() == {"message": "No Result found for EventTrackingEvent with id nope x"}
    assert response.headers["X-Fakecampaign-Error"]
    assert _names(account) == ["known"]


def test_delete_event_name_twice_returns_404_the_second_time(account: Account) -> None:
    assert _create_name(account, "once").status_code == 201
    assert _delete_raw(account, "/api/3/eventTrackingEvents/once").status_code == 200
    response = _delete_raw(account, "/api/3/eventTrackingEvents/once")
    assert response.status_code == 404
    assert response.json() == {"message": "No Result found for EventTrackingEvent with id once"}


def test_delete_event_name_of_other_account_returns_404(account: Account, other_account: Account) -> None:
    assert _create_name(account, "mine").status_code == 201
    response = _delete_raw(other_account, "/api/3/eventTrackingEvents/mine")
    assert response.status_code == 404
    assert _names(account) == ["mine"]


def test_delete_event_name_keeps_logged_events(account: Account) -> None:
    contact = account.create_contact("keeper@example.com")
    assert _create_name(account, "my event").status_code == 201
    assert account.track("keeper@example.com", "my event", "payload").json() == {
        "success": 1,
        "message": "Event spawned",
    }
    assert _delete_raw(account, "/api/3/eventTrackingEvents/my%20event").status_code == 200

    logs = account.api.get(f"/api/3/contacts/{contact['id']}/trackingLogs")
    assert logs.status_code == 200
    [log] = logs.json()["trackingLogs"]
    assert (log["type"], log["value"], log["contact"]) == ("my event", "payload", contact["id"])
    listed = account.api.get("/api/3/trackingLogs", params={"type": "my event"}).json()
    assert listed["meta"] == {"total": "1"}


def test_turning_tracking_off_takes_effect_on_the_next_event(account: Account) -> None:
    # The server caches the account behind an actid; switching tracking must empty that cache.
    account.create_contact("switch@example.com")
    assert account.track("switch@example.com", "before").json()["success"] == 1
    assert account.api.put("/api/3/eventTracking", json={"eventTracking": {"enabled": False}}).status_code == 200
    account.track("switch@example.com", "after")
    reasons = {e["event"]: (e["outcome"], e["reason"]) for e in account.journal()}
    assert reasons == {"before": ("written", None), "after": ("dropped", "tracking_disabled")}
