"""Bad input to the v3 API: every failure is an AC-shaped JSON error (never 500, never FastAPI's ``detail``),
it carries the X-Fakecampaign-Error hint, and what the account already held is unchanged afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from tests.conftest import Account

LIMIT = 1_048_576  # Settings.max_body_bytes default
TOO_LARGE = {"message": f"Request body is larger than {LIMIT} bytes"}
SQL_TRICKS = ["' OR 1=1 --", '"; DROP TABLE contacts; --', "%", "_"]
JSON = {"Content-Type": "application/json"}


def assert_ac_error(response: httpx.Response, status: int, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """An AC error: the status, a JSON body without ``detail``, the hint header; ``body`` if given, exactly."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    got: dict[str, Any] = response.json()
    assert "detail" not in got
    assert response.headers.get("X-Fakecampaign-Error"), "error responses carry a hint header"
    if body is not None:
        assert got == body
    return got


def assert_bare_400_naming(response: httpx.Response, field: str) -> None:
    """AC's documented ``400 {}`` (PUT /eventTracking, POST /eventTrackingEvents, POST /contact/sync); the
    header names the field that was wrong."""
    assert_ac_error(response, 400, {})
    assert field in response.headers["X-Fakecampaign-Error"]


def as_read(created: dict[str, Any]) -> dict[str, Any]:
    """A create reply's contact as GET shows it (AC's create example prints orgid and organization as "")."""
    return {**created, "orgid": "0", "organization": None}


def assert_one_problem(response: httpx.Response, code: str, pointer: str) -> None:
    body = assert_ac_error(response, 422)
    [problem] = body["errors"]
    assert set(problem) == {"title", "detail", "code", "source"}
    assert isinstance(problem["title"], str)
    assert problem["title"]
    assert isinstance(problem["detail"], str)
    assert (problem["code"], problem["source"]) == (code, {"pointer": pointer})


@pytest.fixture
def stored(account: Account) -> Iterator[dict[str, Any]]:
    """Two contacts and an event name already in the account; after the test, the account still holds exactly them."""
    first = account.create_contact("stored@example.com", firstName="Stored", lastName="One", phone="100")
    account.create_contact("kept@example.com", firstName="Kept")
    response = account.api.post("/api/3/eventTrackingEvents", json={"eventTrackingEvent": {"name": "kept"}})
    assert response.status_code == 201, response.text
    with unchanged(account):
        yield first


@contextmanager
def unchanged(account: Account) -> Iterator[None]:
    before = state(account)
    yield
    assert state(account) == before


def state(account: Account) -> dict[str, Any]:
    response = account.raw.get("/_fakecampaign/state", params={"account": account.name})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# Endpoints that take a JSON object body; "{id}" is the stored contact.
JSON_ENDPOINTS = [
    ("POST", "/api/3/contacts"),
    ("POST", "/api/3/contact/sync"),
    ("PUT", "/api/3/contacts/{id}"),
    ("POST", "/api/3/eventTrackingEvents"),
    ("PUT", "/api/3/eventTracking"),
]
UNREADABLE = [
    pytest.param(b"{bad", "application/json", id="malformed-json"),
    pytest.param(b'{"contact":{"email":"x@example.com"}', "application/json", id="truncated-json"),
    pytest.param(b"\xff\xfe{}", "application/json", id="not-utf8"),
    pytest.param(b"", "application/json", id="empty"),
    pytest.param(b'[{"contact":{"email":"x@example.com"}}]', "application/json", id="array"),
    pytest.param(b'"contact"', "application/json", id="string"),
    pytest.param(b"42", "application/json", id="number"),
    pytest.param(b"null", "application/json", id="null"),
    pytest.param(b"contact%5Bemail%5D=x%40example.com", "application/x-www-form-urlencoded", id="form-encoded"),
]


@pytest.mark.parametrize(("method", "path"), JSON_ENDPOINTS, ids=[f"{m} {p}" for m, p in JSON_ENDPOINTS])
@pytest.mark.parametrize(("content", "content_type"), UNREADABLE)
def test_unreadable_or_non_object_body_returns_400_empty_object(
    account: Account, stored: dict[str, Any], method: str, path: str, content: bytes, content_type: str
) -> None:
    url = path.format(id=stored["id"])
    response = account.api.request(method, url, content=content, headers={"Content-Type": content_type})
    assert_ac_error(response, 400, {})


@pytest.mark.parametrize(
    ("contact", "code", "field"),
    [
        ({}, "field_missing", "contact"),  # the whole body is {}
        ("x", "invalid", "contact"),
        (None, "invalid", "contact"),
        (["x@example.com"], "invalid", "contact"),
        ({"email": ["x@example.com"]}, "invalid", "email"),
        ({"email": 12}, "invalid", "email"),
        ({"email": "x@example.com", "firstName": {"first": "X"}}, "invalid", "firstName"),
        ({"email": "x@example.com", "lastName": ["X"]}, "invalid", "lastName"),
        ({"email": "x@example.com", "phone": True}, "invalid", "phone"),
        ({"email": "x@example.com", "fieldValues": "x"}, "invalid", "fieldValues"),
    ],
    ids=[
        "no-contact",
        "string",
        "null",
        "list",
        "email-list",
        "email-number",
        "firstName-object",
        "lastName-list",
        "phone-bool",
        "fieldValues-string",
    ],
)
@pytest.mark.parametrize("endpoint", ["POST /api/3/contacts", "POST /api/3/contact/sync", "PUT /api/3/contacts/{id}"])
def test_wrong_types_in_contact_body_return_422_with_pointer(
    account: Account, stored: dict[str, Any], endpoint: str, contact: Any, code: str, field: str
) -> None:
    method, path = endpoint.split()
    body = {} if contact == {} else {"contact": contact}
    response = account.api.request(method, path.format(id=stored["id"]), json=body)
    if path == "/api/3/contact/sync":  # its only documented error is 400 {} [DOC-OAS]
        assert_bare_400_naming(response, field)
    else:
        assert_one_problem(response, code, f"/data/attributes/{field}")


@pytest.mark.parametrize(
    ("body", "field"),
    [({"eventTrackingEvent": "x"}, "eventTrackingEvent"), ({"eventTrackingEvent": {"name": ["x"]}}, "name")],
)
def test_wrong_types_in_event_name_body_return_400_empty(
    account: Account, stored: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    response = account.api.post("/api/3/eventTrackingEvents", json=body)
    assert_bare_400_naming(response, field)


# --- size ----------------------------------------------------------------------------------------------


def huge_contact(email: str) -> bytes:
    return json.dumps({"contact": {"email": email, "firstName": "x" * LIMIT}}).encode()


@pytest.mark.parametrize(
    ("method", "path"), [("POST", "/api/3/contacts"), ("POST", "/api/3/contact/sync"), ("PUT", "/api/3/contacts/{id}")]
)
def test_body_over_one_mib_returns_413_and_stores_nothing(
    account: Account, stored: dict[str, Any], method: str, path: str
) -> None:
    response = account.api.request(
        method, path.format(id=stored["id"]), content=huge_contact("huge@example.com"), headers=JSON
    )
    assert_ac_error(response, 413, TOO_LARGE)


def test_chunked_body_over_one_mib_returns_413_and_stores_nothing(account: Account, stored: dict[str, Any]) -> None:
    payload = huge_contact("chunked@example.com")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is found while reading
        for start in range(0, len(payload), 65536):
            yield payload[start : start + 65536]

    response = account.api.post("/api/3/contacts", content=chunks(), headers=JSON)
    assert_ac_error(response, 413, TOO_LARGE)


def test_body_of_exactly_one_mib_is_accepted(account: Account) -> None:
    empty = json.dumps({"contact": {"email": "edge@example.com", "firstName": ""}}).encode()
    name = "y" * (LIMIT - len(empty))
    body = json.dumps({"contact": {"email": "edge@example.com", "firstName": name}}).encode()
    assert len(body) == LIMIT
    response = account.api.post("/api/3/contacts", content=body, headers=JSON)
    assert response.status_code == 201, response.text[:300]
    assert response.json()["contact"]["firstName"] == name


# --- unicode -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "first", "last"),
    [
        ("zoë@exämple.com", "Zoë", "Ångström"),
        ("名前@例え.jp", "名前", "山田"),
        ("party🎉@emoji.dev", "😀", "👩‍👩‍👧"),
        ("decomposed@example.com", "Zoe\u0308", "Mu\u0308ller"),  # not normalized to "Zoë"
    ],
    ids=["latin", "cjk", "emoji", "combining"],
)
def test_unicode_names_and_emails_round_trip_exactly(account: Account, email: str, first: str, last: str) -> None:
    created = account.create_contact(email, firstName=first, lastName=last)
    assert (created["email"], created["firstName"], created["lastName"]) == (email, first, last)
    fetched = account.api.get(f"/api/3/contacts/{created['id']}").json()["contact"]
    assert fetched == as_read(created)
    assert account.api.get("/api/3/contacts", params={"email": email}).json()["contacts"] == [fetched]
    assert account.api.get("/api/3/contacts", params={"search": first}).json()["contacts"] == [fetched]


def test_unicode_email_duplicate_is_found_case_insensitively(account: Account) -> None:
    account.create_contact("élodie@exämple.com")
    response = account.api.post("/api/3/contacts", json={"contact": {"email": "ÉLODIE@EXÄMPLE.COM"}})
    assert_one_problem(response, "duplicate", "/data/attributes/email")


@pytest.mark.parametrize("term", ["ZOË", "zoë"])
def test_search_matches_non_ascii_names_case_insensitively(account: Account, term: str) -> None:
    created = account.create_contact("zoe@example.com", firstName="ZOË")
    assert account.api.get("/api/3/contacts", params={"search": term}).json()["contacts"] == [as_read(created)]


def test_invalid_unicode_email_error_hint_is_a_valid_header(account: Account, stored: dict[str, Any]) -> None:
    response = account.api.post("/api/3/contacts", json={"contact": {"email": "not valid ë 名前"}})
    assert_one_problem(response, "email_invalid", "/data/attributes/email")
    assert response.headers["X-Fakecampaign-Error"].isascii()


# --- SQL metacharacters are data -----------------------------------------------------------------------


TRICKY_EMAILS = ["plain@example.com", "per%cent@example.com", "under_score@example.com", "o'brien@example.com"]


@pytest.fixture
def tricky(account: Account) -> Iterator[None]:
    """Contacts whose emails hold %, _ and a quote (names and phones hold none); unchanged after the test."""
    for email in TRICKY_EMAILS:
        account.create_contact(email, firstName="Plain", lastName="Name", phone="123")
    with unchanged(account):
        yield


def found(account: Account, **params: str) -> list[str]:
    response = account.api.get("/api/3/contacts", params=params)
    assert response.status_code == 200, response.text
    return sorted(c["email"] for c in response.json()["contacts"])


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        ("email_like", "%", ["per%cent@example.com"]),
        ("email_like", "_", ["under_score@example.com"]),
        ("email_like", "'", ["o'brien@example.com"]),
        ("email_like", "' OR 1=1 --", []),
        ("email_like", '"; DROP TABLE contacts; --', []),
        ("search", "%", ["per%cent@example.com"]),
        ("search", "_", ["under_score@example.com"]),
        ("search", "' OR 1=1 --", []),
        ("email", "' OR 1=1 --", []),
        ("email", "%", []),
        ("email", "o'brien@example.com", ["o'brien@example.com"]),
        ("phone", "%", []),
    ],
)
def test_sql_metacharacters_in_filters_are_matched_literally(
    account: Account, tricky: None, param: str, value: str, expected: list[str]
) -> None:
    assert found(account, **{param: value}) == expected


@pytest.mark.parametrize("text", SQL_TRICKS)
def test_sql_metacharacters_in_names_are_stored_literally(account: Account, text: str) -> None:
    created = account.create_contact("quoted@example.com", firstName=text, lastName=text)
    fetched = account.api.get(f"/api/3/contacts/{created['id']}").json()["contact"]
    assert (fetched["firstName"], fetched["lastName"]) == (text, text)
    assert account.api.get("/api/3/contacts").json()["meta"]["total"] == "1"


def test_sql_metacharacters_in_event_names_are_stored_and_deleted_literally(account: Account) -> None:
    for name in SQL_TRICKS:
        response = account.api.post("/api/3/eventTrackingEvents", json={"eventTrackingEvent": {"name": name}})
        assert response.status_code == 201, response.text
        assert response.json() == {"eventTrackingEvent": {"name": name}}
    assert account.api.delete("/api/3/eventTrackingEvents/%25").json() == {}
    names = [e["name"] for e in account.api.get("/api/3/eventTrackingEvents").json()["eventTrackingEvents"]]
    assert names == [n for n in SQL_TRICKS if n != "%"]


def test_sql_metacharacters_in_tracked_event_names_are_logged_literally(account: Account) -> None:
    for email in TRICKY_EMAILS:
        account.create_contact(email)
    for name in SQL_TRICKS:
        assert account.track("plain@example.com", name).json() == {"success": 1, "message": "Event spawned"}
    logs = account.api.get("/api/3/trackingLogs", params={"type": "%"}).json()["trackingLogs"]
    assert [log["type"] for log in logs] == ["%"]
    assert account.api.get("/api/3/trackingLogs", params={"type": "' OR 1=1 --"}).json()["meta"]["total"] == "1"
    assert account.api.get("/api/3/contacts").json()["meta"]["total"] == str(len(TRICKY_EMAILS))


# --- null bytes, long strings, odd ids -----------------------------------------------------------------


def test_null_byte_in_email_returns_422_email_invalid(account: Account) -> None:
    response = account.api.post("/api/3/contacts", json={"contact": {"email": "nul\u0000l@example.com"}})
    assert_one_problem(response, "email_invalid", "/data/attributes/email")
    assert account.api.get("/api/3/contacts").json()["meta"]["total"] == "0"


def test_null_byte_in_a_name_round_trips(account: Account) -> None:
    created = account.create_contact("nul@example.com", firstName="a\u0000b")
    assert account.api.get(f"/api/3/contacts/{created['id']}").json()["contact"]["firstName"] == "a\u0000b"


@pytest.mark.parametrize("param", ["search", "email", "email_like", "phone"])
def test_null_byte_in_a_text_filter_is_refused_with_ac_400(
    account: Account, stored: dict[str, Any], param: str
) -> None:
    # SQLite's LIKE would stop reading the pattern at the NUL and match "Stored"; refusing is the honest answer.
    response = account.api.get("/api/3/contacts", params={param: "Stored\u0000"})
    assert (response.status_code, response.json()) == (400, {})
    assert "NUL" in response.headers["x-fakecampaign-error"]


PATH_CASES: list[tuple[str, str, Callable[[str], dict[str, str]]]] = [
    ("GET", "/api/3/contacts/{}", lambda raw: {"message": f"No Result found for Subscriber with id {raw}"}),
    ("PUT", "/api/3/contacts/{}", lambda raw: {"message": f"No Result found for Subscriber with id {raw}"}),
    ("DELETE", "/api/3/contacts/{}", lambda raw: {"message": f"No result found for contact with id {raw}"}),
    (
        "DELETE",
        "/api/3/eventTrackingEvents/{}",
        lambda raw: {"message": f"No Result found for EventTrackingEvent with id {raw}"},
    ),
]


@pytest.mark.parametrize(
    ("encoded", "raw"), [("%00", "\u0000"), ("9" * 40, "9" * 40), ("%27%20OR%201%3D1", "' OR 1=1")]
)
@pytest.mark.parametrize(("method", "template", "expected"), PATH_CASES, ids=[f"{m} {t}" for m, t, _ in PATH_CASES])
def test_odd_path_ids_return_the_ac_404(
    account: Account,
    stored: dict[str, Any],
    method: str,
    template: str,
    expected: Callable[[str], dict[str, str]],
    encoded: str,
    raw: str,
) -> None:
    body = {"contact": {"firstName": "X"}} if method == "PUT" else None
    response = account.api.request(method, template.format(encoded), json=body)
    assert_ac_error(response, 404, expected(raw))


def test_null_byte_in_an_unknown_route_returns_ac_404(account: Account) -> None:
    response = account.api.get("/api/3/nowhere%00")
    assert_ac_error(response, 404, {"message": "Unrecognized request URL (GET /api/3/nowhere\u0000)"})


def test_email_over_255_characters_returns_422_email_invalid(account: Account, stored: dict[str, Any]) -> None:
    response = account.api.post("/api/3/contacts", json={"contact": {"email": "x" * 250 + "@example.com"}})
    assert_one_problem(response, "email_invalid", "/data/attributes/email")


def test_very_long_name_round_trips(account: Account) -> None:
    name = "Ł" * 100_000
    created = account.create_contact("long@example.com", firstName=name)
    assert account.api.get(f"/api/3/contacts/{created['id']}").json()["contact"]["firstName"] == name


def test_very_long_search_matches_nothing(account: Account, stored: dict[str, Any]) -> None:
    assert found(account, search="s" * 20_000) == []


def test_event_name_over_32_characters_returns_400_empty(account: Account, stored: dict[str, Any]) -> None:
    response = account.api.post("/api/3/eventTrackingEvents", json={"eventTrackingEvent": {"name": "e" * 33}})
    assert_bare_400_naming(response, "name")


def test_huge_integer_limit_returns_400_empty_object(account: Account, stored: dict[str, Any]) -> None:
    assert_ac_error(account.api.get("/api/3/contacts", params={"limit": "9" * 40}), 400, {})
