"""GET /automations(/{id}) and contactAutomations in AC's shapes (ac-api-facts-breadth.md §5)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import Account
from tests.engine.conftest import SEND_THE_FILE, seed

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")
AUTOMATION_KEYS = [
    "name", "cdate", "mdate", "userid", "status", "entered", "exited", "hidden", "entitlements_violation", "source",
    "description", "exit_on_unsubscribe", "exit_on_conversion", "multientry", "links", "id",
]  # fmt: skip
RUN_KEYS = [
    "contact", "seriesid", "startid", "status", "batchid", "adddate", "remdate", "timespan", "lastblock",
    "lastlogid", "lastdate", "in_als", "completedElements", "totalElements", "completed", "completeValue",
    "links", "id", "automation",
]  # fmt: skip
LATER = {"name": "Later", "trigger": {"event": "e"}, "actions": [{"wait": {"days": 1}}, {"end": {}}]}


def _automations(account: Account) -> list[dict[str, Any]]:
    response = account.api.get("/api/3/automations")
    assert response.status_code == 200
    found: list[dict[str, Any]] = response.json()["automations"]
    return found


def test_list_is_empty_without_automations(acct: Account) -> None:
    response = acct.api.get("/api/3/automations")
    assert response.json() == {
        "automations": [],
        "meta": {"total": "0", "starts": [], "filtered": False, "smsLogs": []},
    }


def test_list_and_get_in_acs_shape(acct: Account) -> None:
    seed(acct, automations=[SEND_THE_FILE, {**LATER, "active": False, "runs": "once"}])
    first, second = _automations(acct)
    assert list(first) == AUTOMATION_KEYS
    assert (first["name"], first["status"], first["multientry"], first["entered"], first["exited"]) == (
        "Send the file",
        1,
        "1",
        "0",
        "0",
    )
    assert (second["status"], second["multientry"]) == (2, "0")
    assert ISO.match(first["cdate"])
    assert ISO.match(first["mdate"])
    assert first["links"]["triggers"].endswith(f"/api/3/automations/{first['id']}/triggers")
    assert isinstance(first["id"], str)
    assert acct.api.get(f"/api/3/automations/{first['id']}").json() == {"automation": first}


@pytest.mark.parametrize("bad_id", ["999999", "abc"])
def test_get_unknown_automation_is_404(acct: Account, bad_id: str) -> None:
    response = acct.api.get(f"/api/3/automations/{bad_id}")
    assert (response.status_code, response.json()) == (404, {"message": f"No Result found for Series with id {bad_id}"})


def test_enroll_a_contact_by_hand(acct: Account) -> None:
    seed(acct, automations=[LATER])
    contact = acct.create_contact("ann@example.com")
    [automation] = _automations(acct)
    body = {"contactAutomation": {"contact": contact["id"], "automation": int(automation["id"])}}
    response = acct.api.post("/api/3/contactAutomations", json=body)
    assert response.status_code == 201
    created = response.json()
    assert list(created) == ["contacts", "contactAutomation"]
    assert created["contacts"][0]["id"] == contact["id"]
    run = created["contactAutomation"]
    assert list(run) == RUN_KEYS
    assert (run["contact"], run["seriesid"], run["automation"], run["status"]) == (
        contact["id"],
        automation["id"],
        automation["id"],
        "1",
    )
    assert (run["completed"], run["completeValue"], run["totalElements"]) == (0, 50, "2")
    assert acct.api.get(f"/api/3/contactAutomations/{run['id']}").json() == {"contactAutomation": run}
    assert acct.api.get(f"/api/3/contacts/{contact['id']}/contactAutomations").json() == {"contactAutomations": [run]}
    listed = acct.api.get("/api/3/contactAutomations", params={"filters[contact]": contact["id"]}).json()
    assert listed == {"contactAutomations": [run], "meta": {"total": "1", "showcase_stats": []}}
    assert _automations(acct)[0]["entered"] == "1"


@pytest.mark.parametrize("which", ["contact", "automation"])
def test_enroll_with_an_unknown_id_is_acs_403(acct: Account, which: str) -> None:
    seed(acct, automations=[LATER])
    contact = acct.create_contact("ann@example.com")
    [automation] = _automations(acct)
    body = {"contact": contact["id"], "automation": automation["id"], which: "999999"}
    response = acct.api.post("/api/3/contactAutomations", json={"contactAutomation": body})
    assert (response.status_code, response.json()) == (403, {"message": "Could not create SubscriberSeries"})
    assert acct.api.get("/api/3/contactAutomations").json()["contactAutomations"] == []


def test_enroll_without_the_envelope_is_422_with_a_pointer(acct: Account) -> None:
    response = acct.api.post("/api/3/contactAutomations", json={"contact": "1"})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["source"]["pointer"] == "/data/attributes/contactAutomation"


def test_run_errors(acct: Account) -> None:
    missing = acct.api.get("/api/3/contactAutomations/424242")
    assert (missing.status_code, missing.json()) == (
        404,
        {"message": "No Result found for SubscriberSeries with id 424242"},
    )
    assert acct.api.delete("/api/3/contactAutomations/424242").status_code == 404
    no_contact = acct.api.get("/api/3/contacts/424242/contactAutomations")
    assert (no_contact.status_code, no_contact.json()) == (
        404,
        {"message": "No Result found for Subscriber with id 424242"},
    )


def test_filters_by_status_and_automation(acct: Account) -> None:
    seed(acct, automations=[SEND_THE_FILE, LATER])
    acct.create_contact("ann@example.com")
    acct.track("ann@example.com", "file download request", "x")
    acct.track("ann@example.com", "e", "")
    finished = acct.api.get("/api/3/contactAutomations", params={"filters[status]": "2"}).json()
    waiting = acct.api.get("/api/3/contactAutomations", params={"filters[status]": "1"}).json()
    assert [r["status"] for r in finished["contactAutomations"]] == ["2"]
    assert [r["status"] for r in waiting["contactAutomations"]] == ["1"]
    later_id = _automations(acct)[1]["id"]
    by_series = acct.api.get("/api/3/contactAutomations", params={"filters[seriesid]": later_id}).json()
    assert [r["seriesid"] for r in by_series["contactAutomations"]] == [later_id]


def test_automations_and_runs_are_per_account(acct: Account, other_account_on_engine: Account) -> None:
    seed(acct, automations=[LATER])
    contact = acct.create_contact("ann@example.com")
    acct.track("ann@example.com", "e", "")
    [automation] = _automations(acct)
    [run] = acct.api.get("/api/3/contactAutomations").json()["contactAutomations"]
    other = other_account_on_engine.api
    assert other.get(f"/api/3/automations/{automation['id']}").status_code == 404
    assert other.get(f"/api/3/contactAutomations/{run['id']}").status_code == 404
    assert other.delete(f"/api/3/contactAutomations/{run['id']}").status_code == 404
    assert other.get("/api/3/contactAutomations").json()["contactAutomations"] == []
    body = {"contactAutomation": {"contact": contact["id"], "automation": automation["id"]}}
    assert other.post("/api/3/contactAutomations", json=body).status_code == 403


@pytest.mark.parametrize(
    "automation",
    [
        {"name": "x", "trigger": {}, "actions": []},
        {"name": "x", "trigger": {"event": "a", "tag_added": "b"}, "actions": []},
        {"name": "x", "trigger": {"tag_added": "b", "eventdata": "y"}, "actions": []},
        {"name": "x", "trigger": {"event": "e"}, "actions": [{"send_email": {"subject": "s"}}]},
        {"name": "x", "trigger": {"event": "e"}, "actions": [{"wait": {"days": 1}, "end": {}}]},
        {"name": "x", "trigger": {"event": "e"}, "actions": [{"teleport": {}}]},
        {"name": "x", "trigger": {"event": "e" * 33}, "actions": []},
        {"trigger": {"event": "e"}, "actions": []},
    ],
)
def test_invalid_automation_fixtures_are_refused_whole(acct: Account, automation: dict[str, Any]) -> None:
    body = {"contacts": [{"email": "a@example.com"}], "automations": [automation]}
    response = acct.raw.post("/_fakecampaign/seed", params={"account": acct.name}, json=body)
    assert response.status_code == 422
    assert _automations(acct) == []
    assert acct.api.get("/api/3/contacts").json()["contacts"] == []


def test_the_state_dump_shows_automations_and_webhooks(acct: Account) -> None:
    seed(acct, automations=[SEND_THE_FILE])
    hook = {"name": "h", "url": "http://127.0.0.1:9/", "events": ["update"], "sources": ["api"]}
    assert acct.api.post("/api/3/webhooks", json={"webhook": hook}).status_code == 201
    state = acct.raw.get("/_fakecampaign/state", params={"account": acct.name}).json()
    assert [a["name"] for a in state["automations"]] == ["Send the file"]
    assert [w["name"] for w in state["webhooks"]] == ["h"]
