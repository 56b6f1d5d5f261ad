"""The control plane (/_fakecampaign/): accounts, reset, seed, event and request journals, state, admin token."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from fastapi.routing import APIRoute

from fakecampaign.app import create_app
from fakecampaign.config import Settings
from fakecampaign.testing.server import LiveServer
from tests.conftest import Account

ACCOUNT_KEYS = {"name", "api_token", "actid", "event_key", "tracking", "account_url", "event_url"}
EVENT_KEYS = {"id", "account", "actid", "email", "event", "eventdata", "outcome", "reason", "tstamp", "tracking_log_id"}
ADMIN_403 = {
    "message": "Forbidden: this fakecampaign's control plane needs its admin token "
    "(Authorization: Bearer <FAKECAMPAIGN_ADMIN_TOKEN>)"
}
FIXTURES = {
    "contacts": [{"email": "jane@example.com", "firstName": "Jane"}, {"email": "john@example.com"}],
    "eventNames": ["login"],
    "events": [
        {"email": "jane@example.com", "event": "login", "eventdata": "web", "tstamp": "2026-11-20T09:15:00-06:00"}
    ],
}


def unique(prefix: str = "ctl") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def ctl(live: LiveServer) -> Iterator[httpx.Client]:
    """A control-plane client; every account it creates is deleted after the test."""
    with httpx.Client(base_url=live.url, timeout=10) as client:
        yield client
        for account in client.get("/_fakecampaign/accounts").json()["accounts"]:
            if account["name"].startswith("ctl-"):
                client.delete(f"/_fakecampaign/accounts/{account['name']}")


@pytest.fixture
def own() -> Iterator[httpx.Client]:
    """A server of this test's own, for calls that touch every account (full reset, default account)."""
    with LiveServer(Settings()) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        yield client


def create(ctl: httpx.Client, **spec: Any) -> dict[str, Any]:
    response = ctl.post("/_fakecampaign/accounts", json={"name": unique(), **spec})
    assert response.status_code == 201, response.text
    account: dict[str, Any] = response.json()["account"]
    return account


def state(ctl: httpx.Client, name: str | None = None) -> dict[str, Any]:
    response = ctl.get("/_fakecampaign/state", params={"account": name} if name else {})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def emails(dump: dict[str, Any]) -> list[str]:
    return [c["email"] for c in dump["contacts"]]


def track(ctl: httpx.Client, account: dict[str, Any], email: str, event: str = "login", **extra: str) -> None:
    form = {
        "actid": account["actid"],
        "key": account["event_key"],
        "event": event,
        "visit": json.dumps({"email": email}),
    }
    assert ctl.post("/event", data={**form, **extra}).status_code == 200


def problem(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert set(error) == {"title", "detail", "code", "source"}
    return dict(error)


# --- accounts ---------------------------------------------------------------------------------------------------


def test_create_account_without_body_generates_credentials(ctl: httpx.Client, live: LiveServer) -> None:
    response = ctl.post("/_fakecampaign/accounts")
    assert response.status_code == 201
    account = response.json()["account"]
    ctl.delete(f"/_fakecampaign/accounts/{account['name']}")
    assert set(account) == ACCOUNT_KEYS
    assert re.fullmatch(r"account-[0-9a-f]{8}", account["name"])
    assert re.fullmatch(r"[0-9a-f]{72}", account["api_token"])
    assert re.fullmatch(r"[1-9][0-9]{8}", account["actid"])
    assert re.fullmatch(r"[0-9a-f]{40}", account["event_key"])
    assert account["tracking"] is True
    assert (account["account_url"], account["event_url"]) == (live.url, f"{live.url}/event")


def test_create_account_uses_given_credentials(ctl: httpx.Client) -> None:
    name, token = unique(), unique("token")
    account = create(ctl, name=name, api_token=token, actid="555000111", event_key="k", tracking=False)
    given = (name, token, "555000111", "k", False)
    assert tuple(account[k] for k in ("name", "api_token", "actid", "event_key", "tracking")) == given
    assert ctl.get("/api/3/contacts", headers={"Api-Token": token}).status_code == 200


def test_create_account_with_fixtures_loads_contacts_names_and_events(ctl: httpx.Client) -> None:
    dump = state(ctl, create(ctl, fixtures=FIXTURES)["name"])
    assert emails(dump) == ["jane@example.com", "john@example.com"]
    assert dump["contacts"][0]["firstName"] == "Jane"
    assert dump["eventNames"] == ["login"]
    [log] = dump["trackingLogs"]
    assert (log["type"], log["value"], log["subscriberid"]) == ("login", "web", dump["contacts"][0]["id"])
    assert datetime.fromisoformat(log["tstamp"]) == datetime.fromisoformat("2026-11-20T09:15:00-06:00")


def test_create_account_fixtures_tracking_false_turns_tracking_off(ctl: httpx.Client) -> None:
    account = create(ctl, fixtures={"tracking": False})
    assert account["tracking"] is False


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "fake", "An account 'fake' already exists"),
        ("api_token", "fake-api-token", "An api token 'fake-api-token' already exists"),
        ("actid", "123456789", "An actid '123456789' already exists"),
    ],
)
def test_create_account_with_taken_credential_returns_409(
    ctl: httpx.Client, field: str, value: str, message: str
) -> None:
    response = ctl.post("/_fakecampaign/accounts", json={field: value})
    assert response.status_code == 409
    assert response.json() == {"message": message}


@pytest.mark.parametrize(
    ("fixtures", "pointer", "detail"),
    [
        (
            {"contacts": [{"email": "x@example.com"}, {"email": "X@example.com"}]},
            "/fixtures/contacts/1",
            "A contact with email 'X@example.com' already exists in this account",
        ),
        (
            {"events": [{"email": "nobody@example.com", "event": "e"}]},
            "/fixtures/events/0",
            "'nobody@example.com' is not a contact of this account",
        ),
    ],
)
def test_create_account_with_bad_fixtures_returns_422_and_creates_nothing(
    ctl: httpx.Client, fixtures: dict[str, Any], pointer: str, detail: str
) -> None:
    name = unique()
    error = problem(ctl.post("/_fakecampaign/accounts", json={"name": name, "fixtures": fixtures}))
    assert (error["title"], error["code"], error["source"], error["detail"]) == (
        "Invalid fixture",
        "invalid_fixture",
        {"pointer": pointer},
        detail,
    )
    assert ctl.get(f"/_fakecampaign/accounts/{name}").status_code == 404


def test_create_account_with_misspelt_fixture_field_returns_422_naming_it(ctl: httpx.Client) -> None:
    name = unique()
    response = ctl.post("/_fakecampaign/accounts", json={"name": name, "fixtures": {"contact": []}})
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"] == {"pointer": "/fixtures/contact"}
    assert ctl.get(f"/_fakecampaign/accounts/{name}").status_code == 404


def test_get_account_returns_its_credentials(ctl: httpx.Client) -> None:
    account = create(ctl)
    response = ctl.get(f"/_fakecampaign/accounts/{account['name']}")
    assert (response.status_code, response.json()) == (200, {"account": account})


def test_list_accounts_includes_default_and_created_accounts(ctl: httpx.Client) -> None:
    account = create(ctl)
    listed = ctl.get("/_fakecampaign/accounts").json()["accounts"]
    assert listed[0]["name"] == "fake"
    assert account in listed
    assert all(set(a) == ACCOUNT_KEYS for a in listed)


def test_delete_account_returns_204_and_forgets_its_credentials(ctl: httpx.Client) -> None:
    account = create(ctl)
    response = ctl.delete(f"/_fakecampaign/accounts/{account['name']}")
    assert (response.status_code, response.content) == (204, b"")
    assert ctl.get(f"/_fakecampaign/accounts/{account['name']}").status_code == 404
    assert ctl.get("/api/3/contacts", headers={"Api-Token": account["api_token"]}).status_code == 403


def test_delete_account_removes_all_its_data(ctl: httpx.Client) -> None:
    email = f"{unique()}@example.com"
    account = create(ctl, fixtures={"contacts": [{"email": email}]})
    track(ctl, account, email)
    ctl.get("/api/3/contacts", headers={"Api-Token": account["api_token"]})
    ctl.delete(f"/_fakecampaign/accounts/{account['name']}")
    assert ctl.get("/_fakecampaign/events", params={"email": email}).json() == {
        "events": [],
        "meta": {"total": 0, "evicted": 0},
    }
    assert ctl.get("/_fakecampaign/requests", params={"account": account["name"]}).json() == {"requests": []}
    again = create(ctl, name=account["name"])
    assert state(ctl, again["name"])["contacts"] == []


# --- reset -------------------------------------------------------------------------------------------------------


def test_reset_one_account_restores_what_it_was_created_with(ctl: httpx.Client) -> None:
    account = create(ctl, fixtures=FIXTURES)
    headers = {"Api-Token": account["api_token"]}
    ctl.post("/api/3/contacts", json={"contact": {"email": "new@example.com"}}, headers=headers)
    ctl.put("/api/3/eventTracking", json={"eventTracking": {"enabled": False}}, headers=headers)
    track(ctl, account, "jane@example.com")
    response = ctl.post("/_fakecampaign/reset", params={"account": account["name"]})
    assert (response.status_code, response.json()) == (200, {"reset": account["name"]})
    dump = state(ctl, account["name"])
    assert emails(dump) == ["jane@example.com", "john@example.com"]
    assert dump["account"]["tracking"] is True
    assert [log["value"] for log in dump["trackingLogs"]] == ["web"]
    assert dump["events"] == []
    assert ctl.get("/_fakecampaign/requests", params={"account": account["name"]}).json() == {"requests": []}


def test_reset_one_account_leaves_other_accounts_alone(ctl: httpx.Client) -> None:
    first, second = create(ctl), create(ctl)
    for account in (first, second):
        ctl.post(
            "/_fakecampaign/seed", params={"account": account["name"]}, json={"contacts": [{"email": "b@example.com"}]}
        )
    ctl.post("/_fakecampaign/reset", params={"account": first["name"]})
    assert (emails(state(ctl, first["name"])), emails(state(ctl, second["name"]))) == ([], ["b@example.com"])


def test_full_reset_removes_later_accounts_and_reloads_start_accounts(tmp_path: Path) -> None:
    start = tmp_path / "start.json"
    start.write_text(json.dumps({"accounts": [{"name": "acme", "contacts": [{"email": "w@acme.example"}]}]}))
    with LiveServer(Settings(fixtures=start)) as server, httpx.Client(base_url=server.url) as client:
        later = create(client)
        client.post("/_fakecampaign/seed", params={"account": "acme"}, json={"contacts": [{"email": "x@acme.example"}]})
        client.post("/_fakecampaign/seed", json={"contacts": [{"email": "y@example.com"}]})
        response = client.post("/_fakecampaign/reset")
        assert (response.status_code, response.json()) == (200, {"reset": "all"})
        assert [a["name"] for a in client.get("/_fakecampaign/accounts").json()["accounts"]] == ["fake", "acme"]
        assert client.get(f"/_fakecampaign/accounts/{later['name']}").status_code == 404
        assert emails(state(client, "acme")) == ["w@acme.example"]
        assert emails(state(client)) == []


# --- seed --------------------------------------------------------------------------------------------------------


def test_seed_body_adds_account_data_to_the_named_account(ctl: httpx.Client) -> None:
    account = create(ctl, fixtures={"contacts": [{"email": "a@example.com"}]})
    response = ctl.post("/_fakecampaign/seed", params={"account": account["name"]}, json=FIXTURES)
    assert (response.status_code, response.json()) == (200, {"seeded": [account["name"]]})
    dump = state(ctl, account["name"])
    assert emails(dump) == ["a@example.com", "jane@example.com", "john@example.com"]
    assert (dump["eventNames"], len(dump["trackingLogs"])) == (["login"], 1)


def test_seed_without_account_fills_the_default_account(own: httpx.Client) -> None:
    response = own.post("/_fakecampaign/seed", json={"contacts": [{"email": "d@example.com"}]})
    assert (response.status_code, response.json()) == (200, {"seeded": ["fake"]})
    assert emails(state(own)) == ["d@example.com"]


def test_seed_bad_body_returns_422_and_adds_nothing(ctl: httpx.Client) -> None:
    account = create(ctl)
    body = {"contacts": [{"email": "ok@example.com"}, {"email": "not-an-email"}]}
    error = problem(ctl.post("/_fakecampaign/seed", params={"account": account["name"]}, json=body))
    assert (error["code"], error["source"]) == ("invalid_fixture", {"pointer": "/contacts/1"})
    assert state(ctl, account["name"])["contacts"] == []


@pytest.fixture(scope="module")
def seedable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, Path]]:
    """A server that lets seed requests read files from a directory of its own (its seed_dir)."""
    root = tmp_path_factory.mktemp("seed")
    with LiveServer(Settings(seed_dir=root)) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        yield client, root


def test_seed_path_loads_every_account_of_a_fixtures_file(seedable: tuple[httpx.Client, Path]) -> None:
    ctl, root = seedable
    names = [unique(), unique()]
    path = root / "file.json"
    path.write_text(json.dumps({"accounts": [{"name": names[0], **FIXTURES}, {"name": names[1]}]}))
    response = ctl.post("/_fakecampaign/seed", json={"path": str(path)})
    assert (response.status_code, response.json()) == (200, {"seeded": names})
    assert emails(state(ctl, names[0])) == ["jane@example.com", "john@example.com"]


@pytest.mark.parametrize(
    ("content", "pointer"),
    [
        (None, ""),
        ("{nope", ""),
        (json.dumps({"accounts": [{"name": "ctl-zz", "contacts": [{"email": "bad"}]}]}), "/accounts/0/contacts/0"),
    ],
    ids=["missing", "not-json", "bad-entry"],
)
def test_seed_bad_path_returns_422_naming_the_file(
    seedable: tuple[httpx.Client, Path], content: str | None, pointer: str
) -> None:
    ctl, root = seedable
    path = root / f"fixtures-{unique()}.json"
    if content is not None:
        path.write_text(content)
    response = ctl.post("/_fakecampaign/seed", json={"path": str(path)})
    error = problem(response)
    assert (error["code"], error["source"]) == ("invalid_fixture", {"pointer": pointer})
    assert response.headers["X-Fakecampaign-Error"].startswith(f"{path}: ")
    assert ctl.get("/_fakecampaign/accounts/ctl-zz").status_code == 404


# --- journals and state ------------------------------------------------------------------------------------------


def test_events_journal_records_written_and_dropped_calls(ctl: httpx.Client) -> None:
    account = create(ctl, fixtures={"contacts": [{"email": "known@example.com"}]})
    track(ctl, account, "known@example.com", eventdata="x")
    track(ctl, account, "stranger@example.com")
    track(ctl, account, "known@example.com", key="wrong")
    body = ctl.get("/_fakecampaign/events", params={"account": account["name"]}).json()
    assert body["meta"] == {"total": 3, "evicted": 0}
    written, unknown, bad_key = body["events"]
    assert set(written) == EVENT_KEYS
    fields = ("account", "actid", "email", "event", "eventdata", "outcome", "reason")
    expected = (account["name"], account["actid"], "known@example.com", "login", "x", "written", None)
    assert tuple(written[k] for k in fields) == expected
    assert isinstance(written["id"], int)
    assert isinstance(written["tracking_log_id"], str)
    assert (unknown["outcome"], unknown["reason"], unknown["tracking_log_id"]) == ("dropped", "unknown_contact", None)
    assert (bad_key["outcome"], bad_key["reason"]) == ("dropped", "bad_key")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"email": "KNOWN@example.com"}, ["login", "buy"]),
        ({"event": "buy"}, ["buy", "buy"]),
        ({"outcome": "dropped"}, ["buy"]),
        ({"reason": "unknown_contact"}, ["buy"]),
        ({"limit": 1, "offset": 1}, ["buy"]),
    ],
)
def test_events_journal_filters(ctl: httpx.Client, filters: dict[str, Any], expected: list[str]) -> None:
    account = create(ctl, fixtures={"contacts": [{"email": "known@example.com"}]})
    track(ctl, account, "known@example.com", "login")
    track(ctl, account, "known@example.com", "buy")
    track(ctl, account, "other@example.com", "buy")
    body = ctl.get("/_fakecampaign/events", params={"account": account["name"], **filters}).json()
    assert [e["event"] for e in body["events"]] == expected
    assert body["meta"]["total"] == (3 if "limit" in filters else len(expected))


def test_requests_journal_lists_api_and_event_calls(account: Account, ctl: httpx.Client) -> None:
    account.api.get("/api/3/contacts", params={"email": "a@example.com"})
    account.track("a@example.com", "login")
    ctl.get("/_fakecampaign/health")
    found = ctl.get("/_fakecampaign/requests", params={"account": account.name}).json()["requests"]
    assert [(r["method"], r["path"], r["status"], r["account"]) for r in found] == [
        ("GET", "/api/3/contacts", 200, account.name),
        ("POST", "/event", 200, account.name),
    ]
    assert found[0]["query"] == "email=a%40example.com"
    assert isinstance(found[0]["id"], int)
    assert datetime.fromisoformat(found[0]["tstamp"]).tzinfo is not None


def test_requests_journal_redacts_api_key_and_key_in_query(account: Account, ctl: httpx.Client) -> None:
    visit = json.dumps({"email": "a@example.com"})
    sent = {"actid": account.actid, "key": account.event_key, "api_key": "s3", "event": "e", "visit": visit}
    account.raw.post("/event", params=sent)
    [entry] = ctl.get("/_fakecampaign/requests", params={"account": account.name}).json()["requests"]
    assert entry["query"] == urlencode({**sent, "key": "REDACTED", "api_key": "REDACTED"})


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"method": "post"}, ["/api/3/contacts"]),
        ({"path": "/api/3/users/me"}, ["/api/3/users/me"]),
        ({"status": 404}, ["/api/3/contacts/999"]),
        ({"limit": 1}, ["/api/3/contacts/999"]),
    ],
)
def test_requests_journal_filters(
    account: Account, ctl: httpx.Client, filters: dict[str, Any], expected: list[str]
) -> None:
    account.api.get("/api/3/users/me")
    account.api.post("/api/3/contacts", json={"contact": {"email": "f@example.com"}})
    account.api.get("/api/3/contacts/999")
    found = ctl.get("/_fakecampaign/requests", params={"account": account.name, **filters}).json()["requests"]
    assert [r["path"] for r in found] == expected


def test_state_dumps_everything_an_account_holds(ctl: httpx.Client) -> None:
    account = create(ctl, fixtures=FIXTURES)
    track(ctl, account, "john@example.com", "signup")
    dump = state(ctl, account["name"])
    assert list(dump)[:6] == ["account", "contacts", "eventNames", "trackingLogs", "activities", "events"]
    # then each registry resource's records under its own key
    assert {"tags", "contactTags", "lists", "contactLists"} <= set(dump)
    assert dump["account"] == account
    assert [type(c["id"]) for c in dump["contacts"]] == [str, str]
    assert [log["type"] for log in dump["trackingLogs"]] == ["login", "signup"]
    assert [a["reference_type"] for a in dump["activities"]] == ["TrackingLog", "TrackingLog"]
    assert [(e["event"], e["outcome"]) for e in dump["events"]] == [("signup", "written")]


@pytest.mark.parametrize(
    ("method", "path", "params"),
    [
        ("GET", "/_fakecampaign/accounts/nope", {}),
        ("DELETE", "/_fakecampaign/accounts/nope", {}),
        ("POST", "/_fakecampaign/reset", {"account": "nope"}),
        ("POST", "/_fakecampaign/seed", {"account": "nope"}),
        ("GET", "/_fakecampaign/events", {"account": "nope"}),
        ("GET", "/_fakecampaign/state", {"account": "nope"}),
    ],
)
def test_unknown_account_name_returns_404(ctl: httpx.Client, method: str, path: str, params: dict[str, str]) -> None:
    response = ctl.request(method, path, params=params, json={})
    assert (response.status_code, response.json()) == (404, {"message": "No Result found for Account with id nope"})


# --- admin token -------------------------------------------------------------------------------------------------

CONTROL_CALLS = [
    ("GET", "/_fakecampaign/accounts"),
    ("POST", "/_fakecampaign/accounts"),
    ("POST", "/_fakecampaign/accounts/batch"),
    ("POST", "/_fakecampaign/accounts/batch-delete"),
    ("GET", "/_fakecampaign/accounts/fake"),
    ("DELETE", "/_fakecampaign/accounts/fake"),
    ("POST", "/_fakecampaign/reset"),
    ("POST", "/_fakecampaign/seed"),
    ("GET", "/_fakecampaign/events"),
    ("GET", "/_fakecampaign/requests"),
    ("GET", "/_fakecampaign/state"),
    # the engine's (api/control_engine.py)
    ("GET", "/_fakecampaign/outbox"),
    ("GET", "/_fakecampaign/automations/journal"),
    ("GET", "/_fakecampaign/webhooks/deliveries"),
    ("POST", "/_fakecampaign/webhooks/wait"),
    ("GET", "/_fakecampaign/clock"),
    ("POST", "/_fakecampaign/clock/advance"),
    ("POST", "/_fakecampaign/faults"),
    ("POST", "/_fakecampaign/faults/batch"),
    ("GET", "/_fakecampaign/faults"),
    ("DELETE", "/_fakecampaign/faults"),
    ("GET", "/_fakecampaign/faults/{fault_id}"),
    ("DELETE", "/_fakecampaign/faults/{fault_id}"),
    ("GET", "/_fakecampaign/rate-limit"),
    ("PUT", "/_fakecampaign/rate-limit"),
]


def test_every_control_route_but_health_is_in_the_admin_token_checks() -> None:
    # Each route guards itself by taking ControlDep; this keeps a new route from skipping the check unseen.
    app = create_app(Settings())
    routes = {
        (method, route.path.replace("{name}", "fake"))
        for route in app.routes
        if isinstance(route, APIRoute) and route.path.startswith("/_fakecampaign/")
        for method in route.methods
    }
    assert routes - {("GET", "/_fakecampaign/health")} == set(CONTROL_CALLS)


@pytest.fixture(scope="module")
def guarded() -> Iterator[httpx.Client]:
    with LiveServer(Settings(admin_token="s3cret")) as server, httpx.Client(base_url=server.url) as client:
        yield client


@pytest.mark.parametrize(("method", "path"), CONTROL_CALLS)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"X-Fakecampaign-Admin-Token": "wrong"}])
def test_control_call_without_the_admin_token_returns_403(
    guarded: httpx.Client, method: str, path: str, headers: dict[str, str]
) -> None:
    response = guarded.request(method, path, headers=headers, json={})
    assert (response.status_code, response.json()) == (403, ADMIN_403)


@pytest.mark.parametrize("headers", [{"Authorization": "Bearer s3cret"}, {"X-Fakecampaign-Admin-Token": "s3cret"}])
def test_control_call_with_the_admin_token_is_served(guarded: httpx.Client, headers: dict[str, str]) -> None:
    response = guarded.get("/_fakecampaign/accounts/fake", headers=headers)
    assert response.status_code == 200
    assert response.json()["account"]["name"] == "fake"


def test_health_is_open_without_the_admin_token(guarded: httpx.Client) -> None:
    response = guarded.get("/_fakecampaign/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_admin_token_does_not_guard_the_emulated_api(guarded: httpx.Client) -> None:
    assert guarded.get("/api/3/users/me", headers={"Api-Token": "fake-api-token"}).status_code == 200


# --- batches (the pytest plugin's account pool) ------------------------------------------------------------------


def test_batch_creates_empty_accounts_with_distinct_credentials(ctl: httpx.Client) -> None:
    response = ctl.post("/_fakecampaign/accounts/batch", json={"count": 3, "prefix": "pool"})
    assert response.status_code == 201
    made = response.json()["accounts"]
    try:
        assert len(made) == 3
        assert all(re.fullmatch(r"pool-[0-9a-f]{16}", a["name"]) for a in made)
        for key in ("name", "api_token", "actid", "event_key"):
            assert len({a[key] for a in made}) == 3
        assert all(a["tracking"] is True for a in made)
        state = ctl.get("/_fakecampaign/state", params={"account": made[0]["name"]}).json()
        assert (state["contacts"], state["eventNames"], state["trackingLogs"]) == ([], [], [])
    finally:
        ctl.post("/_fakecampaign/accounts/batch-delete", json={"names": [a["name"] for a in made]})


def test_batch_delete_removes_the_accounts_and_skips_unknown_names(ctl: httpx.Client) -> None:
    made = ctl.post("/_fakecampaign/accounts/batch", json={"count": 2}).json()["accounts"]
    token = made[0]["api_token"]
    created = ctl.post("/api/3/contacts", headers={"Api-Token": token}, json={"contact": {"email": "b@example.com"}})
    assert created.status_code == 201
    names = [a["name"] for a in made]
    response = ctl.post("/_fakecampaign/accounts/batch-delete", json={"names": [*names, "no-such-account"]})
    assert (response.status_code, response.json()) == (200, {"deleted": names})
    assert ctl.get("/api/3/contacts", headers={"Api-Token": token}).status_code == 403
    assert all(ctl.get(f"/_fakecampaign/accounts/{name}").status_code == 404 for name in names)


@pytest.mark.parametrize("body", [{"count": 0}, {"count": 501}, {"count": "x"}, {}, {"count": 1, "extra": 1}])
def test_batch_refuses_bad_bodies_with_ac_422(ctl: httpx.Client, body: dict[str, Any]) -> None:
    response = ctl.post("/_fakecampaign/accounts/batch", json=body)
    assert response.status_code == 422
    assert set(response.json()) == {"errors"}
