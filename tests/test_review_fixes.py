"""Edge cases found in review: each one once answered a 500, lost a record, or misled a user."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from fakecampaign.app import create_app
from fakecampaign.config import Settings
from fakecampaign.testing.server import LiveServer
from tests.conftest import Account

FORBIDDEN = {"message": "Forbidden: send your API key in the Api-Token header (Api-Token: <your key>)"}


@pytest.mark.parametrize("value", ["--5", "-", "5-", "1e3", "٣"])
def test_malformed_integer_parameters_are_ac_400_not_500(account: Account, value: str) -> None:
    for name in ("limit", "offset", "id_greater", "id_less", "exclude"):
        response = account.api.get("/api/3/contacts", params={name: value})
        assert (response.status_code, response.json()) == (400, {}), name


def test_more_than_a_thousand_ids_is_ac_400(account: Account) -> None:
    response = account.api.get("/api/3/contacts", params={"ids": ",".join(str(i) for i in range(1, 1202))})
    assert (response.status_code, response.json()) == (400, {})
    assert "at most 1000" in response.headers["x-fakecampaign-error"]


def test_repeated_ids_count_once(account: Account) -> None:
    contact = account.create_contact("twice@example.com")
    response = account.api.get("/api/3/contacts", params={"ids": f"{contact['id']},{contact['id']}"})
    assert response.json()["meta"]["total"] == "1"


def test_a_visit_nested_too_deep_to_parse_is_refused_and_journalled(account: Account) -> None:
    account.create_contact("deep@example.com")
    reply = account.track(None, "deep", visit="[" * 100_000 + "]" * 100_000)
    assert reply.status_code == 200
    assert reply.json()["success"] == 0
    assert [(e["event"], e["reason"]) for e in account.journal()] == [("deep", "bad_visit")]


def test_a_body_nested_too_deep_to_parse_is_ac_400(account: Account) -> None:
    body = '{"contact": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = account.api.post("/api/3/contacts", content=body, headers={"Content-Type": "application/json"})
    assert (response.status_code, response.json()) == (400, {})


def test_a_refused_event_is_in_the_request_journal_of_its_account(account: Account) -> None:
    account.track("x@example.com", "e", key="wrong")
    calls = account.raw.get("/_fakecampaign/requests", params={"account": account.name}).json()["requests"]
    assert [(c["path"], c["status"]) for c in calls] == [("/event", 200)]


def test_the_event_journal_matches_emails_case_insensitively_beyond_ascii(account: Account) -> None:
    account.create_contact("ÉVE@example.com")
    account.track("ÉVE@example.com", "login")
    events = account.raw.get("/_fakecampaign/events", params={"account": account.name, "email": "éve@EXAMPLE.com"})
    assert [e["event"] for e in events.json()["events"]] == ["login"]


def test_a_wrong_method_says_which_methods_are_allowed(account: Account) -> None:
    response = account.api.patch("/api/3/eventTracking")
    assert response.status_code == 405
    assert set(response.json()) == {"message"}
    assert {m.strip() for m in response.headers["allow"].split(",")} >= {"GET", "PUT", "POST"}


def test_control_plane_validation_errors_point_at_the_whole_path(live: LiveServer) -> None:
    body = {"fixtures": {"contacts": [{"email": "ok@example.com"}, {"emial": "typo@example.com"}]}}
    response = httpx.post(f"{live.url}/_fakecampaign/accounts", json=body, timeout=10)
    assert response.status_code == 422
    pointers = {e["source"]["pointer"] for e in response.json()["errors"]}
    assert "/fixtures/contacts/1/emial" in pointers


def test_full_reset_empties_the_journal_of_calls_that_named_no_account() -> None:
    with LiveServer(Settings()) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        client.post("/event", data={"actid": "999999999", "key": "k", "event": "e"})
        assert client.get("/_fakecampaign/events", params={"reason": "unknown_account"}).json()["meta"]["total"] == 1
        client.post("/_fakecampaign/reset")
        assert client.get("/_fakecampaign/events").json()["meta"]["total"] == 0


def test_seeding_a_file_into_an_existing_account_keeps_its_reset_baseline(tmp_path: Path) -> None:
    start = tmp_path / "start.json"
    start.write_text(json.dumps({"accounts": [{"name": "fake", "contacts": [{"email": "demo@example.com"}]}]}))
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({"accounts": [{"name": "fake", "contacts": [{"email": "extra@example.com"}]}]}))
    with LiveServer(Settings(fixtures=start)) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        assert client.post("/_fakecampaign/seed", json={"path": str(extra)}).status_code == 200
        client.post("/_fakecampaign/reset")
        contacts = client.get("/_fakecampaign/state").json()["contacts"]
    assert [c["email"] for c in contacts] == ["demo@example.com"]


def test_a_restarted_file_database_takes_the_credentials_configured_now(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite3"
    create_app(Settings(db=db)).state.store.db.dispose()
    renewed = Settings(db=db, api_token="new-token", actid="111222333", event_key="new-key")
    with LiveServer(app=create_app(renewed)) as server:
        assert httpx.get(f"{server.url}/api/3/", headers={"Api-Token": "new-token"}, timeout=10).status_code == 200
        old = httpx.get(f"{server.url}/api/3/", headers={"Api-Token": "fake-api-token"}, timeout=10)
        assert (old.status_code, old.json()) == (403, FORBIDDEN)


def test_the_request_journal_is_bounded_per_account() -> None:
    # One busy account (another pytest worker on a shared server) must not push a test's own calls out.
    with LiveServer(Settings(request_journal_size=2)) as server, httpx.Client(base_url=server.url, timeout=10) as c:
        busy = c.post("/_fakecampaign/accounts", json={"name": "busy"}).json()["account"]["api_token"]
        c.get("/api/3/contacts", headers={"Api-Token": "fake-api-token"})
        for path in ("/api/3/", "/api/3/users/me", "/api/3/campaigns"):
            c.get(path, headers={"Api-Token": busy})
        calls = c.get("/_fakecampaign/requests").json()["requests"]
    assert [(r["account"], r["path"]) for r in calls] == [
        ("fake", "/api/3/contacts"),
        ("busy", "/api/3/users/me"),
        ("busy", "/api/3/campaigns"),
    ]


def test_a_v3_json_body_is_read_whatever_its_content_type(account: Account) -> None:
    # `curl -d '{...}'` sends application/x-www-form-urlencoded; the README's walk-through does just that.
    body = '{"contact": {"email": "curl@example.com"}}'
    response = account.api.post(
        "/api/3/contacts", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 201
    assert response.json()["contact"]["email"] == "curl@example.com"


def test_a_v3_form_body_is_still_ac_400(account: Account) -> None:
    response = account.api.post("/api/3/contacts", data={"contact[email]": "form@example.com"})
    assert (response.status_code, response.json()) == (400, {})


# A lone surrogate ("\ud8d5.json") is refused before the route, as any unreadable JSON body: 400 {}
# (tests/hardening/test_unreadable_text.py).
@pytest.mark.parametrize("path", ["bad\u0000path.json", ""])
def test_seeding_from_an_impossible_path_is_ac_422(tmp_path: Path, path: str) -> None:
    # Found by schemathesis: a NUL in the path once answered a 500.
    with LiveServer(Settings(seed_dir=tmp_path)) as live:
        response = httpx.post(
            f"{live.url}/_fakecampaign/seed", content=json.dumps({"path": path}), timeout=10,
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "invalid_fixture"
