"""Contacts CRUD on /api/3/contacts and /api/3/contact/sync (ac-api-facts.md §2.1, 2.2, 2.4-2.6)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from fakecampaign.app import create_app
from fakecampaign.clock import FrozenClock
from fakecampaign.config import DEFAULT_API_TOKEN, Settings
from fakecampaign.testing.server import LiveServer
from tests.conftest import Account

# Every key of AC's contact object (ac-api-facts.md §2.6); the fake emits all of them and nothing else.
CONTACT_KEYS = {
    "id", "email", "phone", "firstName", "lastName", "cdate", "udate", "adate", "edate", "orgid", "orgname",
    "organization", "segmentio_id", "email_local", "email_domain", "bounced_hard", "bounced_soft", "sentcnt",
    "gravatar", "deleted", "anonymized", "mpp_tracking", "bounced_date", "rating_tstamp", "socialdata_lastcheck",
    "deleted_at", "ip", "ua", "hash", "created_utc_timestamp", "updated_utc_timestamp", "created_timestamp",
    "updated_timestamp", "created_by", "updated_by", "email_empty", "scoreValues", "accountContacts", "links",
    # the relation-id arrays of ac-api-facts.md §2.4 (issue 13 §5)
    "contactAutomations", "contactLists", "fieldValues", "geoIps", "deals",
}  # fmt: skip
NUMERIC_STRING_KEYS = ("id", "bounced_hard", "bounced_soft", "sentcnt", "gravatar", "deleted", "anonymized",
                       "mpp_tracking", "ip")  # fmt: skip
NULL_OR_STRING_KEYS = ("adate", "edate", "bounced_date", "rating_tstamp", "socialdata_lastcheck", "deleted_at", "ua",
                       "created_by", "updated_by", "organization")  # fmt: skip
PLAIN_TIMESTAMP_KEYS = ("created_utc_timestamp", "updated_utc_timestamp", "created_timestamp", "updated_timestamp")
LINK_NAMES = [
    "bounceLogs", "contactAutomations", "contactData", "contactGoals", "contactLists", "contactLogs", "contactTags",
    "contactDeals", "deals", "fieldValues", "geoIps", "notes", "organization", "plusAppend", "trackingLogs",
    "scoreValues", "accountContacts", "automationEntryCounts",
]  # fmt: skip
# Create and sync replies print these as AC's examples of those calls do; GET shows "0" and null (§2.1, §2.6).
CREATED_DEFAULTS = {"orgid": "", "organization": ""}
READ_DEFAULTS = {"orgid": "0", "organization": None}
SIDE_LOADS = ("contactAutomations", "contactLists", "contactTags", "deals", "fieldValues", "geoAddresses", "geoIps")
START = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def duplicate_error() -> dict[str, Any]:
    problem = {"title": "Email address already exists in the system", "detail": "", "code": "duplicate"}
    return {"errors": [{**problem, "source": {"pointer": "/data/attributes/email"}}]}


def email_invalid_error(response: httpx.Response) -> dict[str, Any]:
    detail = response.json()["errors"][0]["detail"]  # the fake may say why; AC's title and code are fixed
    problem = {"title": "Contact Email Address is not valid.", "detail": detail, "code": "email_invalid"}
    return {"errors": [{**problem, "source": {"pointer": "/data/attributes/email"}}]}


def get_contact(account: Account, contact_id: str) -> dict[str, Any]:
    response = account.api.get(f"/api/3/contacts/{contact_id}")
    assert response.status_code == 200, response.text
    contact: dict[str, Any] = response.json()["contact"]
    return contact


def as_read(created: dict[str, Any]) -> dict[str, Any]:
    """A create or sync reply's contact as GET shows it."""
    assert {key: created[key] for key in CREATED_DEFAULTS} == CREATED_DEFAULTS
    return {**created, **READ_DEFAULTS}


def total(account: Account) -> int:
    return int(account.api.get("/api/3/contacts").json()["meta"]["total"])


@pytest.fixture(scope="module")
def frozen() -> Iterator[tuple[httpx.Client, FrozenClock]]:
    """A private server whose time only moves when the test says so; default account's Api-Token."""
    clock = FrozenClock(START)
    with (
        LiveServer(app=create_app(Settings(), clock=clock)) as server,
        httpx.Client(base_url=server.url, headers={"Api-Token": DEFAULT_API_TOKEN}, timeout=10) as client,
    ):
        yield client, clock


# --- create ---------------------------------------------------------------------------------------------


def test_create_contact_returns_201_with_empty_field_values_and_contact(account: Account) -> None:
    response = account.api.post("/api/3/contacts", json={"contact": {"email": "john@example.com"}})
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"fieldValues", "contact"}
    assert body["fieldValues"] == []


def test_created_contact_has_exactly_ac_contact_keys(account: Account) -> None:
    assert set(account.create_contact("keys@example.com")) == CONTACT_KEYS


def test_created_contact_echoes_the_fields_sent(account: Account) -> None:
    contact = account.create_contact("jd@example.com", firstName="John", lastName="Doe", phone="7223224241")
    sent = {"email": "jd@example.com", "firstName": "John", "lastName": "Doe", "phone": "7223224241"}
    assert {k: contact[k] for k in sent} == sent


def test_created_contact_defaults_names_and_phone_to_empty_strings(account: Account) -> None:
    contact = account.create_contact("bare@example.com")
    assert (contact["firstName"], contact["lastName"], contact["phone"]) == ("", "", "")


def test_created_contact_ids_and_counts_are_numeric_strings(account: Account) -> None:
    contact = account.create_contact("strings@example.com")
    for key in NUMERIC_STRING_KEYS:
        assert isinstance(contact[key], str), key
        assert contact[key].isdigit(), (key, contact[key])


def test_create_and_sync_replies_carry_the_documented_orgid_and_organization(account: Account) -> None:
    created = account.create_contact("org@example.com")
    assert (created["orgid"], created["organization"]) == ("", "")
    synced = account.api.post("/api/3/contact/sync", json={"contact": {"email": "org@example.com"}}).json()
    assert (synced["contact"]["orgid"], synced["contact"]["organization"]) == ("", "")
    read = get_contact(account, created["id"])
    assert (read["orgid"], read["organization"]) == ("0", None)


def test_created_contact_optional_fields_are_null_or_string(account: Account) -> None:
    contact = account.create_contact("nulls@example.com")
    for key in NULL_OR_STRING_KEYS:
        assert contact[key] is None or isinstance(contact[key], str), key
    assert contact["email_empty"] is False
    assert contact["scoreValues"] == []
    assert contact["accountContacts"] == []
    assert re.fullmatch(r"[0-9a-f]{32}", contact["hash"])


def test_created_contact_dates_are_iso_with_offset_and_equal(account: Account) -> None:
    contact = account.create_contact("dates@example.com")
    cdate, udate = datetime.fromisoformat(contact["cdate"]), datetime.fromisoformat(contact["udate"])
    assert cdate.utcoffset() is not None
    assert udate.utcoffset() is not None
    assert cdate == udate
    assert abs((datetime.now(UTC) - cdate).total_seconds()) < 60


def test_created_contact_plain_timestamps_match_cdate(account: Account) -> None:
    contact = account.create_contact("plain@example.com")
    cdate = datetime.fromisoformat(contact["cdate"]).astimezone(UTC).replace(tzinfo=None)
    for key in PLAIN_TIMESTAMP_KEYS:
        assert datetime.strptime(contact[key], "%Y-%m-%d %H:%M:%S") == cdate, key


def test_created_contact_has_18_absolute_links_on_the_server_host(account: Account) -> None:
    contact = account.create_contact("links@example.com")
    links = contact["links"]
    assert list(links) == LINK_NAMES
    host = account.api.base_url.netloc.decode()
    for name, url in links.items():
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc) == ("http", host), url
        assert parts.path == f"/api/3/contacts/{contact['id']}/{name}", url


def test_create_two_contacts_get_distinct_ids(account: Account) -> None:
    first, second = account.create_contact("one@example.com"), account.create_contact("two@example.com")
    assert first["id"] != second["id"]


def test_create_accepts_phone_as_a_json_number(account: Account) -> None:
    response = account.api.post("/api/3/contacts", json={"contact": {"email": "num@example.com", "phone": 7223224241}})
    assert response.status_code == 201, response.text
    assert response.json()["contact"]["phone"] == "7223224241"


@pytest.mark.parametrize("second", ["dup@example.com", "DUP@Example.COM", "  dup@example.com  "])
def test_create_duplicate_email_returns_422_duplicate(account: Account, second: str) -> None:
    account.create_contact("dup@example.com")
    response = account.api.post("/api/3/contacts", json={"contact": {"email": second}})
    assert response.status_code == 422
    assert response.json() == duplicate_error()
    assert total(account) == 1


def test_same_email_in_two_accounts_is_not_a_duplicate(account: Account, other_account: Account) -> None:
    account.create_contact("shared@example.com")
    assert other_account.create_contact("shared@example.com")["email"] == "shared@example.com"


@pytest.mark.parametrize(
    "contact",
    [{}, {"email": None}, {"email": ""}, {"email": "   "}, {"firstName": "No Email"}],
    ids=["absent", "null", "empty", "blank", "names-only"],
)
def test_create_without_email_returns_422_email_invalid(account: Account, contact: dict[str, Any]) -> None:
    response = account.api.post("/api/3/contacts", json={"contact": contact})
    assert response.status_code == 422
    assert response.json() == email_invalid_error(response)
    assert total(account) == 0


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "@example.com", "a b@example.com", "a@@example.com", "a@b."])
def test_create_with_invalid_email_returns_422_email_invalid(account: Account, email: str) -> None:
    response = account.api.post("/api/3/contacts", json={"contact": {"email": email}})
    assert response.status_code == 422
    assert response.json() == email_invalid_error(response)
    assert total(account) == 0


# --- sync -----------------------------------------------------------------------------------------------


def test_sync_unknown_email_creates_a_contact_with_201(account: Account) -> None:
    response = account.api.post("/api/3/contact/sync", json={"contact": {"email": "new@example.com", "firstName": "N"}})
    assert response.status_code == 201
    body = response.json()
    assert body["fieldValues"] == []
    assert set(body["contact"]) == CONTACT_KEYS
    assert get_contact(account, body["contact"]["id"])["firstName"] == "N"


def test_sync_existing_email_updates_the_same_contact(account: Account) -> None:
    created = account.create_contact("sync@example.com", firstName="Old")
    response = account.api.post(
        "/api/3/contact/sync", json={"contact": {"email": "SYNC@example.com", "firstName": "New"}}
    )
    assert response.status_code == 201
    synced = response.json()["contact"]
    assert synced["id"] == created["id"]
    assert synced["firstName"] == "New"
    assert total(account) == 1


def test_sync_update_keeps_fields_not_sent(account: Account) -> None:
    created = account.create_contact("keep@example.com", firstName="Ann", lastName="Lee", phone="555")
    response = account.api.post(
        "/api/3/contact/sync", json={"contact": {"email": "keep@example.com", "lastName": "Li"}}
    )
    synced = response.json()["contact"]
    assert (synced["firstName"], synced["lastName"], synced["phone"]) == ("Ann", "Li", "555")
    assert get_contact(account, created["id"]) == as_read(synced)


def test_sync_update_keeps_cdate_and_udate_is_not_before_it(account: Account) -> None:
    created = account.create_contact("times@example.com")
    synced = account.api.post("/api/3/contact/sync", json={"contact": {"email": "times@example.com"}}).json()["contact"]
    assert synced["cdate"] == created["cdate"]
    assert datetime.fromisoformat(synced["udate"]) >= datetime.fromisoformat(synced["cdate"])


def test_sync_update_moves_udate_to_the_time_of_the_update(frozen: tuple[httpx.Client, FrozenClock]) -> None:
    client, clock = frozen
    created = client.post("/api/3/contact/sync", json={"contact": {"email": "moves@example.com"}}).json()["contact"]
    clock.advance(90)
    synced = client.post("/api/3/contact/sync", json={"contact": {"email": "moves@example.com"}}).json()["contact"]
    assert synced["id"] == created["id"]
    assert synced["cdate"] == created["cdate"]
    moved = datetime.fromisoformat(synced["udate"]) - datetime.fromisoformat(created["udate"])
    assert moved.total_seconds() == 90
    assert synced["updated_timestamp"] != synced["created_timestamp"]


@pytest.mark.parametrize("email", [None, "", "nope"])
def test_sync_with_missing_or_invalid_email_returns_400_empty(account: Account, email: str | None) -> None:
    # POST /contact/sync documents only 400 {} as its error [DOC-OAS]; the header names the field.
    response = account.api.post("/api/3/contact/sync", json={"contact": {"email": email, "firstName": "X"}})
    assert (response.status_code, response.json()) == (400, {})
    assert "email" in response.headers["X-Fakecampaign-Error"]
    assert total(account) == 0


# --- read -----------------------------------------------------------------------------------------------


def test_get_contact_returns_contact_with_empty_side_loaded_arrays(account: Account) -> None:
    created = account.create_contact("get@example.com", firstName="Gia")
    response = account.api.get(f"/api/3/contacts/{created['id']}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {*SIDE_LOADS, "contact"}
    assert all(body[name] == [] for name in SIDE_LOADS)
    assert body["contact"] == as_read(created)


@pytest.mark.parametrize("contact_id", ["999999", "0", "abc", "1.5", "-1", "1e3", "99999999999999999999"])
def test_get_contact_unknown_or_non_numeric_id_returns_ac_404(account: Account, contact_id: str) -> None:
    response = account.api.get(f"/api/3/contacts/{contact_id}")
    assert response.status_code == 404
    assert response.json() == {"message": f"No Result found for Subscriber with id {contact_id}"}


def test_get_contact_of_another_account_returns_404(account: Account, other_account: Account) -> None:
    theirs = other_account.create_contact("theirs@example.com")
    response = account.api.get(f"/api/3/contacts/{theirs['id']}")
    assert response.status_code == 404
    assert response.json() == {"message": f"No Result found for Subscriber with id {theirs['id']}"}


# --- update ---------------------------------------------------------------------------------------------


def test_put_contact_changes_the_given_fields_and_keeps_the_rest(account: Account) -> None:
    created = account.create_contact("put@example.com", firstName="Pat", lastName="Old", phone="123")
    response = account.api.put(
        f"/api/3/contacts/{created['id']}", json={"contact": {"lastName": "New", "email": "moved@example.com"}}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["fieldValues"] == []
    updated = body["contact"]
    assert set(updated) == CONTACT_KEYS
    assert (updated["id"], updated["cdate"]) == (created["id"], created["cdate"])
    assert (updated["email"], updated["firstName"], updated["lastName"], updated["phone"]) == (
        "moved@example.com", "Pat", "New", "123",
    )  # fmt: skip
    assert datetime.fromisoformat(updated["udate"]) >= datetime.fromisoformat(updated["cdate"])
    assert get_contact(account, created["id"]) == updated


def test_put_contact_can_change_the_case_of_its_own_email(account: Account) -> None:
    created = account.create_contact("case@example.com")
    response = account.api.put(f"/api/3/contacts/{created['id']}", json={"contact": {"email": "Case@Example.com"}})
    assert response.status_code == 200
    assert response.json()["contact"]["email"] == "Case@Example.com"


@pytest.mark.parametrize("taken", ["taken@example.com", "TAKEN@example.com"])
def test_put_contact_email_of_another_contact_returns_422_duplicate(account: Account, taken: str) -> None:
    account.create_contact("taken@example.com")
    mine = account.create_contact("mine@example.com")
    response = account.api.put(f"/api/3/contacts/{mine['id']}", json={"contact": {"email": taken}})
    assert response.status_code == 422
    assert response.json() == duplicate_error()
    assert get_contact(account, mine["id"]) == as_read(mine)


@pytest.mark.parametrize("email", ["", "nope", "a b@example.com"])
def test_put_contact_invalid_email_returns_422_and_changes_nothing(account: Account, email: str) -> None:
    mine = account.create_contact("valid@example.com", firstName="V")
    response = account.api.put(f"/api/3/contacts/{mine['id']}", json={"contact": {"email": email, "firstName": "W"}})
    assert response.status_code == 422
    assert response.json() == email_invalid_error(response)
    assert get_contact(account, mine["id"]) == as_read(mine)


@pytest.mark.parametrize("contact_id", ["999999", "abc"])
def test_put_unknown_contact_returns_ac_404(account: Account, contact_id: str) -> None:
    response = account.api.put(f"/api/3/contacts/{contact_id}", json={"contact": {"firstName": "X"}})
    assert response.status_code == 404
    assert response.json() == {"message": f"No Result found for Subscriber with id {contact_id}"}


# --- delete ---------------------------------------------------------------------------------------------


def test_delete_contact_returns_200_empty_object_and_then_get_is_404(account: Account) -> None:
    created = account.create_contact("gone@example.com")
    response = account.api.delete(f"/api/3/contacts/{created['id']}")
    assert response.status_code == 200
    assert response.json() == {}
    after = account.api.get(f"/api/3/contacts/{created['id']}")
    assert after.status_code == 404
    assert after.json() == {"message": f"No Result found for Subscriber with id {created['id']}"}
    assert total(account) == 0


def test_delete_contact_leaves_the_others(account: Account) -> None:
    keep = account.create_contact("keep-me@example.com")
    drop = account.create_contact("drop-me@example.com")
    assert account.api.delete(f"/api/3/contacts/{drop['id']}").status_code == 200
    assert get_contact(account, keep["id"]) == as_read(keep)


@pytest.mark.parametrize("contact_id", ["999999", "abc", "1.5"])
def test_delete_unknown_contact_returns_ac_404_in_delete_wording(account: Account, contact_id: str) -> None:
    response = account.api.delete(f"/api/3/contacts/{contact_id}")
    assert response.status_code == 404
    assert response.json() == {"message": f"No result found for contact with id {contact_id}"}


def test_delete_contact_twice_returns_404_the_second_time(account: Account) -> None:
    created = account.create_contact("twice@example.com")
    assert account.api.delete(f"/api/3/contacts/{created['id']}").status_code == 200
    again = account.api.delete(f"/api/3/contacts/{created['id']}")
    assert again.status_code == 404
    assert again.json() == {"message": f"No result found for contact with id {created['id']}"}


def test_deleted_contacts_email_can_be_used_again(account: Account) -> None:
    created = account.create_contact("reuse@example.com")
    account.api.delete(f"/api/3/contacts/{created['id']}")
    again = account.create_contact("reuse@example.com")
    assert again["id"] != created["id"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/3/contacts"),
        ("POST", "/api/3/contact/sync"),
        ("PUT", "/api/3/contacts/1"),
        ("PUT", "/api/3/eventTracking"),
        ("POST", "/api/3/eventTrackingEvents"),
    ],
)
def test_a_bad_token_is_refused_before_the_body_is_read(account: Account, method: str, path: str) -> None:
    response = account.raw.request(
        method, path, content=b"{not json", headers={"Api-Token": "wrong", "Content-Type": "application/json"}
    )
    assert response.status_code == 403
    assert response.json() == {
        "message": "Forbidden: send your API key in the Api-Token header (Api-Token: <your key>)"
    }
