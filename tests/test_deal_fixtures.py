"""Fixtures, seed, state dump, reset and the plugin's assert_deal cover pipelines and deals (issue 13 §3)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from fakecampaign.testing import deals as deal_assertions
from fakecampaign.testing.server import LiveServer

SALES = {
    "contacts": [{"email": "ada@example.com"}, {"email": "bob@example.com"}],
    "pipelines": ["Sales", {"title": "Partners", "currency": "eur", "stages": ["Intro", "Signed"]}],
    "deals": [
        {"title": "Big order", "contact": "ada@example.com", "value": 45600},
        {"title": "Reseller", "contact": "bob@example.com", "pipeline": "partners", "stage": "Signed", "status": "won"},
    ],
}


@pytest.fixture
def ctl(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=10) as client:
        yield client


def make(ctl: httpx.Client, fixtures: dict[str, Any], **extra: Any) -> dict[str, Any]:
    response = ctl.post("/_fakecampaign/accounts", json={"fixtures": fixtures, **extra})
    assert response.status_code == 201, response.text
    account: dict[str, Any] = response.json()["account"]
    return account


def state(ctl: httpx.Client, name: str) -> dict[str, Any]:
    body: dict[str, Any] = ctl.get("/_fakecampaign/state", params={"account": name}).json()
    return body


def test_fixtures_declare_pipelines_with_stages_and_deals(ctl: httpx.Client) -> None:
    account = make(ctl, SALES)
    dump = state(ctl, account["name"])
    assert [(g["title"], g["currency"]) for g in dump["dealGroups"]] == [("Sales", "usd"), ("Partners", "eur")]
    stages = {s["id"]: s["title"] for s in dump["dealStages"]}
    assert list(stages.values()) == ["To Contact", "In Contact", "Follow Up", "Intro", "Signed"]
    ada, bob = (c["id"] for c in dump["contacts"])
    assert [
        (d["title"], d["contact"], stages[d["stage"]], d["value"], d["currency"], d["status"]) for d in dump["deals"]
    ] == [
        ("Big order", ada, "To Contact", "45600", "usd", "0"),
        ("Reseller", bob, "Signed", "0", "eur", "1"),
    ]
    ctl.delete(f"/_fakecampaign/accounts/{account['name']}")


@pytest.mark.parametrize(
    ("fixtures", "pointer"),
    [
        ({**SALES, "deals": [{"title": "X", "contact": "nobody@example.com"}]}, "/fixtures/deals/0"),
        ({**SALES, "deals": [{"title": "X", "contact": "ada@example.com", "pipeline": "Nope"}]}, "/fixtures/deals/0"),
        ({**SALES, "deals": [{"title": "X", "contact": "ada@example.com", "stage": "Nope"}]}, "/fixtures/deals/0"),
        (
            {"contacts": [{"email": "a@example.com"}], "deals": [{"title": "X", "contact": "a@example.com"}]},
            "/fixtures/deals/0",
        ),
        ({"pipelines": [{"title": "P", "stages": []}]}, "/fixtures/pipelines/0"),
        ({"pipelines": [{"title": "P", "currency": "dollars"}]}, "/fixtures/pipelines/0"),
    ],
    ids=["unknown-contact", "unknown-pipeline", "unknown-stage", "no-pipeline", "no-stages", "bad-currency"],
)
def test_a_bad_deal_fixture_names_its_entry_and_loads_nothing(
    ctl: httpx.Client, fixtures: dict[str, Any], pointer: str
) -> None:
    response = ctl.post("/_fakecampaign/accounts", json={"name": "deal-bad", "fixtures": fixtures})
    assert response.status_code == 422, response.text
    assert pointer in response.headers["x-fakecampaign-error"]
    assert ctl.get("/_fakecampaign/state", params={"account": "deal-bad"}).status_code == 404


def test_a_typo_in_a_deal_fixture_is_refused(ctl: httpx.Client) -> None:
    bad = {**SALES, "deals": [{"title": "X", "contact": "ada@example.com", "valeu": 5}]}
    assert ctl.post("/_fakecampaign/accounts", json={"fixtures": bad}).status_code == 422


def test_reset_restores_deals_and_seed_adds_them(ctl: httpx.Client) -> None:
    account = make(ctl, SALES)
    api = httpx.Client(base_url=str(ctl.base_url), headers={"Api-Token": account["api_token"]})
    first = state(ctl, account["name"])["deals"][0]["id"]
    assert api.delete(f"/api/3/deals/{first}").status_code == 200
    assert ctl.post("/_fakecampaign/reset", params={"account": account["name"]}).status_code == 200
    assert [d["title"] for d in state(ctl, account["name"])["deals"]] == ["Big order", "Reseller"]
    more = {"deals": [{"title": "Upsell", "contact": "ada@example.com", "pipeline": "Sales", "value": 100}]}
    response = ctl.post("/_fakecampaign/seed", params={"account": account["name"]}, json=more)
    assert response.status_code == 200, response.text
    assert [d["title"] for d in state(ctl, account["name"])["deals"]] == ["Big order", "Reseller", "Upsell"]
    ctl.delete(f"/_fakecampaign/accounts/{account['name']}")
    api.close()


# --- assert_deal -----------------------------------------------------------------------------------------

STATE = {
    "contacts": [{"id": "1", "email": "ada@example.com"}, {"id": "2", "email": "bob@example.com"}],
    "dealStages": [{"id": "7", "title": "To Contact"}, {"id": "8", "title": "Won stage"}],
    "deals": [
        {
            "id": "46",
            "contact": "1",
            "title": "Big order",
            "stage": "7",
            "status": "0",
            "value": "45600",
            "currency": "usd",
        },
        {
            "id": "47",
            "contact": "2",
            "title": "Reseller",
            "stage": "8",
            "status": "1",
            "value": "100",
            "currency": "eur",
        },
    ],
}


def test_assert_deal_returns_the_matching_deal() -> None:
    assert deal_assertions.assert_deal(STATE, "acct", "ADA@example.com", "big ORDER")["id"] == "46"
    found = deal_assertions.assert_deal(
        STATE, "acct", "bob@example.com", "Reseller", status="won", stage="won stage", value=100
    )
    assert found["id"] == "47"


def test_assert_deal_near_misses() -> None:
    with pytest.raises(AssertionError) as failure:
        deal_assertions.assert_deal(STATE, "acct", "ada@example.com", "Big order", status="won")
    assert "'ada@example.com' has deals: 'Big order (open, To Contact, 45600 usd)'" in str(failure.value)
    with pytest.raises(AssertionError) as failure:
        deal_assertions.assert_deal(STATE, "acct", "ada@example.com", "Reseller")
    assert "'Reseller' belongs to: 'bob@example.com'" in str(failure.value)
    with pytest.raises(AssertionError) as failure:
        deal_assertions.assert_deal(STATE, "acct", "ada@example.com", "Big ordr")
    assert "Did you mean: 'Big order'" in str(failure.value)
    with pytest.raises(AssertionError) as failure:
        deal_assertions.assert_deal(STATE, "acct", "ada@exampel.com", "Big order")
    assert "no contact 'ada@exampel.com'" in str(failure.value)


@pytest.mark.parametrize("fixtures", [{"pipelines": [""]}, {"tags": [""]}, {"lists": [""]}], ids=repr)
def test_an_empty_plain_name_is_a_422_not_a_500(ctl: httpx.Client, fixtures: dict[str, Any]) -> None:
    """Found by schemathesis: a plain-name entry is checked with the request, not after it."""
    response = ctl.post("/_fakecampaign/accounts", json={"fixtures": fixtures})
    assert response.status_code == 422, response.text
    assert "errors" in response.json()
