"""Two accounts on one server share nothing: contacts, logs, activities, names, the switch, keys, the journal."""

from __future__ import annotations

from typing import Any

from fakecampaign.testing.server import LiveServer
from tests.conftest import Account, new_account

SPAWNED = {"success": 1, "message": "Event spawned"}


def _spawn(account: Account, email: str, event: str = "login") -> None:
    response = account.track(email, event, "data")
    assert response.json() == SPAWNED, response.text


def _logs(account: Account) -> dict[str, Any]:
    response = account.api.get("/api/3/trackingLogs")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _a_contact_with_a_log(account: Account, email: str = "shared@example.com") -> tuple[str, str]:
    contact = account.create_contact(email, firstName="Alice")
    _spawn(account, email)
    [log] = _logs(account)["trackingLogs"]
    return contact["id"], log["id"]


def test_other_account_cannot_read_a_contact(account: Account, other_account: Account) -> None:
    cid, _ = _a_contact_with_a_log(account)
    response = other_account.api.get(f"/api/3/contacts/{cid}")
    assert response.status_code == 404
    assert response.json() == {"message": f"No Result found for Subscriber with id {cid}"}


def test_other_account_cannot_update_a_contact(account: Account, other_account: Account) -> None:
    cid, _ = _a_contact_with_a_log(account)
    response = other_account.api.put(f"/api/3/contacts/{cid}", json={"contact": {"firstName": "Mallory"}})
    assert response.status_code == 404
    assert response.json() == {"message": f"No Result found for Subscriber with id {cid}"}
    assert account.api.get(f"/api/3/contacts/{cid}").json()["contact"]["firstName"] == "Alice"


def test_other_account_cannot_delete_a_contact(account: Account, other_account: Account) -> None:
    cid, _ = _a_contact_with_a_log(account)
    response = other_account.api.delete(f"/api/3/contacts/{cid}")
    assert response.status_code == 404
    assert response.json() == {"message": f"No result found for contact with id {cid}"}
    assert account.api.get(f"/api/3/contacts/{cid}").status_code == 200
    assert _logs(account)["meta"] == {"total": "1"}


def test_other_account_cannot_see_a_contacts_logs_or_activities(account: Account, other_account: Account) -> None:
    cid, lid = _a_contact_with_a_log(account)

    logs_of_contact = other_account.api.get(f"/api/3/contacts/{cid}/trackingLogs")
    assert (logs_of_contact.status_code, logs_of_contact.json()) == (
        404,
        {"message": f"No Result found for Subscriber with id {cid}"},
    )
    for path in (f"/api/3/trackingLogs/{lid}", f"/api/3/trackingLogs/{lid}/contact"):
        response = other_account.api.get(path)
        assert (response.status_code, response.json()) == (
            404,
            {"message": f"No Result found for TrackingLog with id {lid}"},
        )
    assert _logs(other_account) == {"trackingLogs": [], "meta": {"total": "0"}}
    assert other_account.api.get("/api/3/trackingLogs", params={"contact": cid}).json()["meta"] == {"total": "0"}
    activities = other_account.api.get("/api/3/activities", params={"contact": cid})
    assert activities.status_code == 200
    assert activities.json() == {"trackingLogs": [], "activities": [], "meta": {"total": "0"}}


def test_other_account_cannot_see_whitelisted_names(account: Account, other_account: Account) -> None:
    created = account.api.post("/api/3/eventTrackingEvents", json={"eventTrackingEvent": {"name": "secret event"}})
    assert created.status_code == 201
    assert other_account.api.get("/api/3/eventTrackingEvents").json() == {
        "eventTrackingEvents": [],
        "meta": {"total": 0},
    }
    assert other_account.api.delete("/api/3/eventTrackingEvents/secret%20event").status_code == 404
    assert account.api.get("/api/3/eventTrackingEvents").json()["eventTrackingEvents"] == [{"name": "secret event"}]


def test_event_key_of_one_account_with_actid_of_another_is_refused(account: Account, other_account: Account) -> None:
    other_account.create_contact("victim@example.com")
    response = account.raw.post(
        "/event",
        data={
            "actid": other_account.actid,
            "key": account.event_key,
            "event": "login",
            "visit": '{"email":"victim@example.com"}',
        },
    )
    assert response.status_code == 200
    assert response.json() == {"success": 0, "message": "Invalid event key for this account."}
    assert _logs(other_account)["meta"] == {"total": "0"}
    [entry] = other_account.journal()
    assert (entry["account"], entry["outcome"], entry["reason"]) == (other_account.name, "dropped", "bad_key")
    assert account.journal() == []


def test_event_for_one_account_never_lands_in_another(account: Account, other_account: Account) -> None:
    mine = account.create_contact("both@example.com")
    theirs = other_account.create_contact("both@example.com")
    _spawn(account, "both@example.com", "only here")

    [log] = _logs(account)["trackingLogs"]
    assert (log["contact"], log["type"]) == (mine["id"], "only here")
    assert _logs(other_account) == {"trackingLogs": [], "meta": {"total": "0"}}
    theirs_logs = other_account.api.get(f"/api/3/contacts/{theirs['id']}/trackingLogs")
    assert theirs_logs.json() == {"trackingLogs": []}
    assert other_account.journal() == []


def test_event_for_email_known_only_to_another_account_is_not_written(account: Account, other_account: Account) -> None:
    other_account.create_contact("elsewhere@example.com")
    _spawn(account, "elsewhere@example.com")
    assert _logs(account)["meta"] == {"total": "0"}
    assert _logs(other_account)["meta"] == {"total": "0"}
    [entry] = account.journal()
    assert (entry["outcome"], entry["reason"]) == ("dropped", "unknown_contact")


def test_tracking_switch_of_one_account_does_not_affect_another(account: Account, other_account: Account) -> None:
    account.create_contact("on@example.com")
    other_account.create_contact("off@example.com")
    off = other_account.api.put("/api/3/eventTracking", json={"eventTracking": {"enabled": False}})
    assert off.status_code == 200

    assert account.api.get("/api/3/eventTracking").json() == {"eventTracking": {"enabled": True}}
    _spawn(account, "on@example.com")
    _spawn(other_account, "off@example.com")
    assert _logs(account)["meta"] == {"total": "1"}
    assert _logs(other_account)["meta"] == {"total": "0"}
    assert [e["reason"] for e in other_account.journal()] == ["tracking_disabled"]
    assert [e["outcome"] for e in account.journal()] == ["written"]


def test_whitelists_are_independent(account: Account, other_account: Account) -> None:
    for acct in (account, other_account):
        created = acct.api.post("/api/3/eventTrackingEvents", json={"eventTrackingEvent": {"name": "same name"}})
        assert created.status_code == 201
    assert account.api.delete("/api/3/eventTrackingEvents/same%20name").status_code == 200
    assert account.api.get("/api/3/eventTrackingEvents").json()["meta"] == {"total": 0}
    assert other_account.api.get("/api/3/eventTrackingEvents").json() == {
        "eventTrackingEvents": [{"name": "same name"}],
        "meta": {"total": 1},
    }


def test_journal_filtered_by_account_shows_only_that_accounts_events(account: Account, other_account: Account) -> None:
    account.create_contact("a@example.com")
    other_account.create_contact("b@example.com")
    _spawn(account, "a@example.com", "from a")
    _spawn(other_account, "b@example.com", "from b")
    assert other_account.track("b@example.com", "refused", key="wrong").json()["success"] == 0

    mine = account.raw.get("/_fakecampaign/events", params={"account": account.name}).json()
    assert mine["meta"] == {"total": 1, "evicted": 0}
    assert [(e["account"], e["event"]) for e in mine["events"]] == [(account.name, "from a")]
    theirs = account.raw.get("/_fakecampaign/events", params={"account": other_account.name}).json()
    assert theirs["meta"] == {"total": 2, "evicted": 0}
    assert [(e["account"], e["event"], e["outcome"]) for e in theirs["events"]] == [
        (other_account.name, "from b", "written"),
        (other_account.name, "refused", "dropped"),
    ]


def test_api_token_of_one_account_reads_only_its_own_contacts(account: Account, other_account: Account) -> None:
    account.create_contact("listed@example.com")
    body = other_account.api.get("/api/3/contacts").json()
    assert body["contacts"] == []
    assert body["meta"]["total"] == "0"


def test_a_deleted_accounts_token_and_actid_stop_working_at_once(live: LiveServer) -> None:
    # The server caches credentials per process; deleting an account must empty that cache.
    gone = new_account(live.url)
    try:
        contact = gone.create_contact("cached@example.com")
        assert gone.track("cached@example.com", "login").json()["success"] == 1
        assert gone.raw.delete(f"/_fakecampaign/accounts/{gone.name}").status_code == 204
        assert gone.api.get(f"/api/3/contacts/{contact['id']}").status_code == 403
        assert gone.track("cached@example.com", "login").json()["success"] == 0
    finally:
        gone.api.close()
        gone.raw.close()
