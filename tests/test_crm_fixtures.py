"""Fixtures, seed, state dump and reset cover tags, lists and custom fields (issue 13 §3)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from fakecampaign.testing.server import LiveServer

CRM = {
    "tags": ["VIP", {"tag": "Lead", "description": "from the form"}],
    "lists": ["Newsletter", {"name": "Product updates", "stringid": "updates"}],
    "fields": [
        {"title": "Favourite colour", "type": "dropdown", "options": ["Blue", "Red"]},
        {"title": "Birthday", "type": "date"},
    ],
    "contacts": [
        {
            "email": "ada@example.com",
            "tags": ["VIP"],
            "lists": {"Newsletter": "active", "Product updates": "unsubscribed"},
            "fields": {"Favourite colour": "Blue", "BIRTHDAY": "1815-12-10"},
        },
        {"email": "bob@example.com", "tags": ["Lead", "VIP"], "lists": ["Newsletter"]},
    ],
}


@pytest.fixture
def ctl(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=10) as client:
        yield client


def make(ctl: httpx.Client, fixtures: dict[str, Any]) -> dict[str, Any]:
    response = ctl.post("/_fakecampaign/accounts", json={"fixtures": fixtures})
    assert response.status_code == 201, response.text
    account: dict[str, Any] = response.json()["account"]
    return account


def state(ctl: httpx.Client, name: str) -> dict[str, Any]:
    body: dict[str, Any] = ctl.get("/_fakecampaign/state", params={"account": name}).json()
    return body


def test_fixtures_declare_tags_lists_fields_and_memberships(ctl: httpx.Client) -> None:
    account = make(ctl, CRM)
    dump = state(ctl, account["name"])
    assert [t["tag"] for t in dump["tags"]] == ["VIP", "Lead"]
    assert [t["subscriber_count"] for t in dump["tags"]] == ["2", "1"]
    assert [x["stringid"] for x in dump["lists"]] == ["newsletter", "updates"]
    assert [(m["list"], m["status"]) for m in dump["contactLists"]][:2] == [
        (dump["lists"][0]["id"], "1"),
        (dump["lists"][1]["id"], "2"),
    ]
    assert [f["perstag"] for f in dump["fields"]] == ["FAVOURITE_COLOUR", "BIRTHDAY"]
    assert [o["value"] for o in dump["fieldOptions"]] == ["Blue", "Red"]
    assert len(dump["fieldRels"]) == 2
    assert sorted(v["value"] for v in dump["fieldValues"]) == ["1815-12-10", "Blue"]
    assert len(dump["contactTags"]) == 3
    ctl.delete(f"/_fakecampaign/accounts/{account['name']}")


def test_a_bad_fixture_names_its_entry_and_loads_nothing(ctl: httpx.Client) -> None:
    bad = {**CRM, "contacts": [{"email": "x@example.com", "tags": ["Nope"]}]}
    response = ctl.post("/_fakecampaign/accounts", json={"name": "crm-bad", "fixtures": bad})
    assert response.status_code == 422
    assert "/contacts/0/tags/0" in response.headers["x-fakecampaign-error"]
    assert ctl.get("/_fakecampaign/state", params={"account": "crm-bad"}).status_code == 404
    bad_value = {**CRM, "contacts": [{"email": "x@example.com", "fields": {"Birthday": "soon"}}]}
    response = ctl.post("/_fakecampaign/accounts", json={"fixtures": bad_value})
    assert response.status_code == 422
    assert "/contacts/0/fields/Birthday" in response.headers["x-fakecampaign-error"]


def test_reset_restores_crm_data_and_delete_removes_it(ctl: httpx.Client) -> None:
    account = make(ctl, CRM)
    api = httpx.Client(base_url=str(ctl.base_url), headers={"Api-Token": account["api_token"]})
    api.post("/api/3/tags", json={"tag": {"tag": "Added later"}})
    first = state(ctl, account["name"])["tags"][0]["id"]
    api.delete(f"/api/3/tags/{first}")
    assert ctl.post("/_fakecampaign/reset", params={"account": account["name"]}).status_code == 200
    after = state(ctl, account["name"])
    assert [t["tag"] for t in after["tags"]] == ["VIP", "Lead"]
    assert len(after["contactTags"]) == 3
    assert len(after["fieldValues"]) == 2
    ctl.delete(f"/_fakecampaign/accounts/{account['name']}")
    api.close()


def test_seed_adds_crm_data_to_an_account(ctl: httpx.Client) -> None:
    account = make(ctl, {})
    response = ctl.post("/_fakecampaign/seed", params={"account": account["name"]}, json=CRM)
    assert response.status_code == 200, response.text
    assert len(state(ctl, account["name"])["contactLists"]) == 3
    ctl.delete(f"/_fakecampaign/accounts/{account['name']}")
