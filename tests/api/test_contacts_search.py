"""GET /api/3/contacts: envelope, paging, filters, orders and bad parameters (ac-api-facts.md §2.3, §7.2)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from fakecampaign.app import create_app
from fakecampaign.clock import FrozenClock
from fakecampaign.config import DEFAULT_API_TOKEN, Settings
from fakecampaign.testing.server import LiveServer
from tests.conftest import Account

PAGE_INPUT = {
    "segmentid": 0, "formid": 0, "listid": 0, "tagid": 0, "limit": 20, "offset": 0, "search": None, "sort": None,
    "seriesid": 0, "waitid": 0, "status": -1, "forceQuery": 0, "cacheid": "",
}  # fmt: skip
# Contacts the frozen server creates, one per day from START: (email, first, last, phone).
DATED = [
    ("jan10@example.com", "Ten", "Day", "1010"),
    ("jan11@example.com", "Eleven", "Day", "1111"),
    ("jan12@example.com", "Twelve", "Day", "1212"),
]
START = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def listing(account: Account | httpx.Client, params: Any = None) -> dict[str, Any]:
    client = account.api if isinstance(account, Account) else account
    response = client.get("/api/3/contacts", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def emails(body: dict[str, Any]) -> list[str]:
    return [c["email"] for c in body["contacts"]]


def seed(account: Account, contacts: list[dict[str, str]]) -> None:
    response = account.raw.post("/_fakecampaign/seed", params={"account": account.name}, json={"contacts": contacts})
    assert response.status_code == 200, response.text


@pytest.fixture
def people(account: Account) -> dict[str, str]:
    """Five contacts in creation order; returns email -> id."""
    rows = [
        ("ada@example.com", "Ada", "Lovelace", "+44 1000"),
        ("bob@sample.org", "Bob", "Builder", "555-0101"),
        ("cy@example.com", "Cyrus", "Adams", "555-0202"),
        ("dee@other.net", "Dee", "Zed", "+1 999"),
        ("eve@example.com", "Eve", "Adams", ""),
    ]
    return {e: account.create_contact(e, firstName=f, lastName=last, phone=p)["id"] for e, f, last, p in rows}


@pytest.fixture(scope="module")
def dated() -> Iterator[httpx.Client]:
    """A private server (default account) holding DATED created one day apart; jan11 updated on jan12 12:00:30."""
    clock = FrozenClock(START)
    with (
        LiveServer(app=create_app(Settings(), clock=clock)) as server,
        httpx.Client(base_url=server.url, headers={"Api-Token": DEFAULT_API_TOKEN}, timeout=10) as client,
    ):
        ids = []
        for email, first, last, phone in DATED:
            body = {"contact": {"email": email, "firstName": first, "lastName": last, "phone": phone}}
            ids.append(client.post("/api/3/contacts", json=body).json()["contact"]["id"])
            clock.advance(86400)
        clock.advance(-86400 + 30)  # back to jan 12, 12:00:30
        assert client.put(f"/api/3/contacts/{ids[1]}", json={"contact": {"lastName": "Updated"}}).status_code == 200
        yield client


# --- envelope and paging -------------------------------------------------------------------------------


def test_list_on_an_empty_account_returns_ac_envelope(account: Account) -> None:
    assert listing(account) == {"scoreValues": [], "contacts": [], "meta": {"total": "0", "page_input": PAGE_INPUT}}


def test_list_meta_total_is_a_string_counting_all_matches(account: Account, people: dict[str, str]) -> None:
    body = listing(account, {"limit": 2})
    assert body["meta"]["total"] == "5"
    assert len(body["contacts"]) == 2


def test_list_contacts_have_the_full_contact_shape(account: Account) -> None:
    created = account.create_contact("shape@example.com", firstName="S")
    assert listing(account)["contacts"] == [{**created, "orgid": "0", "organization": None}]  # GET shows these


def test_list_page_input_echoes_limit_offset_and_search(account: Account) -> None:
    body = listing(account, {"limit": 7, "offset": 3, "search": "ada"})
    assert body["meta"]["page_input"] == {**PAGE_INPUT, "limit": 7, "offset": 3, "search": "ada"}


def test_list_default_limit_is_20(account: Account) -> None:
    seed(account, [{"email": f"c{i:02}@example.com"} for i in range(25)])
    body = listing(account)
    assert len(body["contacts"]) == 20
    assert body["meta"]["total"] == "25"
    assert body["meta"]["page_input"]["limit"] == 20


def test_list_limit_is_capped_at_100(account: Account) -> None:
    seed(account, [{"email": f"m{i:03}@example.com"} for i in range(105)])
    body = listing(account, {"limit": 500})
    assert len(body["contacts"]) == 100
    assert body["meta"]["total"] == "105"
    assert body["meta"]["page_input"]["limit"] == 100


def test_list_offset_skips_that_many_contacts(account: Account, people: dict[str, str]) -> None:
    body = listing(account, {"orders[id]": "ASC", "offset": 3})
    assert emails(body) == ["dee@other.net", "eve@example.com"]
    assert body["meta"]["total"] == "5"


def test_list_pages_with_limit_and_offset_cover_everyone_once(account: Account, people: dict[str, str]) -> None:
    pages = [emails(listing(account, {"orders[id]": "ASC", "limit": 2, "offset": o})) for o in (0, 2, 4)]
    assert [e for page in pages for e in page] == list(people)


# --- filters -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["cy@example.com", "CY@Example.com"])
def test_filter_email_matches_one_contact_exactly(account: Account, people: dict[str, str], value: str) -> None:
    body = listing(account, {"email": value})
    assert emails(body) == ["cy@example.com"]
    assert body["meta"]["total"] == "1"


def test_filter_email_does_not_match_partially(account: Account, people: dict[str, str]) -> None:
    assert listing(account, {"email": "example.com"})["meta"]["total"] == "0"


def test_filter_email_like_matches_a_part_of_the_email(account: Account, people: dict[str, str]) -> None:
    assert emails(listing(account, {"email_like": "EXAMPLE"})) == [
        "ada@example.com",
        "cy@example.com",
        "eve@example.com",
    ]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("adams", ["cy@example.com", "eve@example.com"]),  # last name, any case
        ("CYR", ["cy@example.com"]),  # first name
        ("555-0", ["bob@sample.org", "cy@example.com"]),  # phone
        ("sample.org", ["bob@sample.org"]),  # email
        ("nobody", []),
    ],
    ids=["last-name", "first-name", "phone", "email", "no-match"],
)
def test_filter_search_matches_names_phone_and_email(
    account: Account, people: dict[str, str], term: str, expected: list[str]
) -> None:
    body = listing(account, {"search": term})
    assert emails(body) == expected
    assert body["meta"]["total"] == str(len(expected))


def test_filter_phone_matches_the_start_of_the_phone(account: Account, people: dict[str, str]) -> None:
    assert emails(listing(account, {"phone": "555"})) == ["bob@sample.org", "cy@example.com"]
    assert listing(account, {"phone": "0101"})["meta"]["total"] == "0"


def test_filter_id_greater_with_orders_id_asc_pages_forward(account: Account, people: dict[str, str]) -> None:
    ids = list(people.values())
    body = listing(account, {"id_greater": ids[1], "orders[id]": "ASC", "limit": 2})
    assert [c["id"] for c in body["contacts"]] == ids[2:4]
    assert body["meta"]["total"] == "3"


def test_filter_id_less_keeps_lower_ids(account: Account, people: dict[str, str]) -> None:
    ids = list(people.values())
    assert [c["id"] for c in listing(account, {"id_less": ids[2], "orders[id]": "ASC"})["contacts"]] == ids[:2]


def test_filter_exclude_leaves_one_contact_out(account: Account, people: dict[str, str]) -> None:
    body = listing(account, {"exclude": people["bob@sample.org"]})
    assert "bob@sample.org" not in emails(body)
    assert body["meta"]["total"] == "4"


@pytest.mark.parametrize("style", ["brackets", "comma", "both"])
def test_filter_ids_accepts_brackets_and_comma_lists(account: Account, people: dict[str, str], style: str) -> None:
    ada, dee = people["ada@example.com"], people["dee@other.net"]
    params = {
        "brackets": [("ids[]", ada), ("ids[]", dee)],
        "comma": [("ids", f"{ada},{dee}")],
        "both": [("ids[]", ada), ("ids", dee)],
    }[style]
    assert emails(listing(account, params)) == ["ada@example.com", "dee@other.net"]


def test_filters_combine_with_and(account: Account, people: dict[str, str]) -> None:
    assert emails(listing(account, {"search": "adams", "email_like": "eve"})) == ["eve@example.com"]


def test_filters_never_show_another_accounts_contacts(
    account: Account, other_account: Account, people: dict[str, str]
) -> None:
    other_account.create_contact("ada-too@example.com", firstName="Ada", lastName="Lovelace")
    assert emails(listing(account, {"search": "lovelace"})) == ["ada@example.com"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"filters[created_after]": "2026-01-11"}, ["jan11@example.com", "jan12@example.com"]),
        ({"filters[created_before]": "2026-01-12"}, ["jan10@example.com", "jan11@example.com"]),
        ({"filters[created_after]": "2026-01-11", "filters[created_before]": "2026-01-12"}, ["jan11@example.com"]),
        ({"filters[created_after]": "2026-01-11T08:00:00-05:00"}, ["jan12@example.com"]),  # 13:00 UTC
        ({"filters[created_before]": "2026-01-10 12:00:01"}, ["jan10@example.com"]),  # no zone: UTC
        ({"filters[created_after]": "2026-02-01"}, []),
    ],
    ids=["after", "before", "between", "after-with-offset", "before-date-time", "after-all"],
)
def test_filters_created_after_and_before(dated: httpx.Client, params: dict[str, str], expected: list[str]) -> None:
    body = listing(dated, params)
    assert emails(body) == expected
    assert body["meta"]["total"] == str(len(expected))


def test_filters_updated_after_finds_the_contact_updated_later(dated: httpx.Client) -> None:
    assert emails(listing(dated, {"filters[updated_after]": "2026-01-12T12:00:15+00:00"})) == ["jan11@example.com"]


def test_filters_updated_before_leaves_out_the_contact_updated_later(dated: httpx.Client) -> None:
    body = listing(dated, {"filters[updated_before]": "2026-01-12T12:00:15+00:00"})
    assert emails(body) == ["jan10@example.com", "jan12@example.com"]


# --- orders --------------------------------------------------------------------------------------------


def test_orders_email_desc(account: Account, people: dict[str, str]) -> None:
    assert emails(listing(account, {"orders[email]": "DESC"})) == sorted(people, reverse=True)


@pytest.mark.parametrize("direction", ["ASC", "asc"])
def test_orders_first_name_asc(account: Account, direction: str) -> None:
    for email, first in [("z@example.com", "Carl"), ("y@example.com", "Abe"), ("x@example.com", "Bea")]:
        account.create_contact(email, firstName=first)
    body = listing(account, {"orders[first_name]": direction})
    assert [c["firstName"] for c in body["contacts"]] == ["Abe", "Bea", "Carl"]


def test_orders_id_desc(account: Account, people: dict[str, str]) -> None:
    assert [c["id"] for c in listing(account, {"orders[id]": "DESC"})["contacts"]] == list(people.values())[::-1]


def test_several_orders_apply_in_query_string_order(account: Account, people: dict[str, str]) -> None:
    # people: Adams is the last name of cy and eve; ordering by last name first keeps them together.
    by_last_then_email = listing(account, [("orders[last_name]", "ASC"), ("orders[email]", "DESC")])
    assert emails(by_last_then_email) == [
        "eve@example.com", "cy@example.com", "bob@sample.org", "ada@example.com", "dee@other.net",
    ]  # fmt: skip
    by_email_then_last = listing(account, [("orders[email]", "DESC"), ("orders[last_name]", "ASC")])
    assert emails(by_email_then_last) == sorted(people, reverse=True)


def test_unknown_query_params_and_orders_are_ignored(account: Account, people: dict[str, str]) -> None:
    plain = listing(account)
    noisy = listing(account, {"nonsense": "1", "orders[nonsense]": "DESC", "filters[nonsense]": "x", "api_key": "k"})
    assert noisy == plain
    assert noisy["meta"]["total"] == "5"


# --- bad parameters ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "ten"},
        {"limit": "1.5"},
        {"offset": "x"},
        {"id_greater": "1.5"},
        {"id_less": "abc"},
        {"exclude": "me"},
        {"ids": "1,x"},
        {"ids[]": "a"},
        {"filters[created_after]": "yesterday"},
        {"filters[created_before]": "2026-13-01"},
        {"filters[updated_after]": "2026-01-01T25:00:00"},
        {"filters[updated_before]": "01/02/2026"},
    ],
    ids=lambda p: next(iter(p)),
)
def test_bad_integer_or_date_params_return_400_empty_object(
    account: Account, people: dict[str, str], params: dict[str, str]
) -> None:
    response = account.api.get("/api/3/contacts", params=params)
    assert response.status_code == 400
    assert response.json() == {}
    assert response.headers["X-Fakecampaign-Error"]
