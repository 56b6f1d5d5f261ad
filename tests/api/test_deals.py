"""Deals, pipelines (dealGroups) and stages (dealStages): AC's shapes, types, statuses and error bodies
(ac-api-facts-breadth.md §7), the contact sideload, the links, and the DealChanged domain events."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from fakecampaign.app import create_app
from fakecampaign.bus import DealChanged
from fakecampaign.config import Settings
from fakecampaign.db import Transaction
from fakecampaign.services import accounts
from fakecampaign.testing.server import LiveServer
from tests.conftest import Account

ISO = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d"
DEAL_KEYS = [
    "owner", "contact", "organization", "group", "stage", "title", "description", "percent", "cdate", "mdate",
    "nextdate", "nexttaskid", "value", "currency", "winProbability", "winProbabilityMdate", "status",
    "activitycount", "nextdealid", "edate", "links", "id", "isDisabled", "account", "customerAccount", "hash",
]  # fmt: skip
STAGE_KEYS = [
    "cardRegion1", "cardRegion2", "cardRegion3", "cardRegion4", "cardRegion5", "cdate", "color", "dealOrder",
    "group", "id", "links", "order", "title", "udate", "width",
]  # fmt: skip
GROUP_KEYS = [
    "title", "currency", "autoassign", "allusers", "allgroups", "cdate", "udate", "win_probability_initialize_date",
    "stages", "links", "id",
]  # fmt: skip


def _pipeline(account: Account, title: str = "Sales") -> dict[str, Any]:
    response = account.api.post("/api/3/dealGroups", json={"dealGroup": {"title": title, "currency": "usd"}})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _deal(account: Account, **fields: Any) -> dict[str, Any]:
    response = account.api.post("/api/3/deals", json={"deal": fields})
    assert response.status_code == 201, response.text
    deal: dict[str, Any] = response.json()["deal"]
    return deal


@pytest.fixture
def ready(account: Account) -> tuple[Account, str, dict[str, Any]]:
    """An account with a contact and a pipeline."""
    cid = account.create_contact("buyer@example.com", firstName="Bea")["id"]
    return account, cid, _pipeline(account)


def _base(**fields: Any) -> dict[str, Any]:
    return {"title": "Able Hyena", "value": 45600, "currency": "usd", **fields}


def _assert_400(response: httpx.Response) -> None:
    assert (response.status_code, response.json()) == (400, {}), response.text
    assert response.headers["X-Fakecampaign-Error"]


# --- pipelines ------------------------------------------------------------------------------------------


def test_create_pipeline_answers_200_with_three_default_stages(account: Account) -> None:
    body = _pipeline(account)
    assert list(body) == ["dealGroup", "dealGroupGroups", "dealGroupUsers", "dealStages"]
    group = body["dealGroup"]
    assert list(group) == GROUP_KEYS
    gid = group["id"]
    assert (group["title"], group["currency"]) == ("Sales", "usd")
    assert (group["autoassign"], group["allusers"], group["allgroups"]) == (1, 1, 1)  # POST echoes numbers
    assert group["cdate"] == group["udate"]
    assert group["win_probability_initialize_date"] is None
    assert group["stages"] == [s["id"] for s in body["dealStages"]]
    assert group["links"] == {
        n: f"/api/3/dealGroups/{gid}/{n}" for n in ("stages", "dealGroupUsers", "dealGroupGroups")
    }
    assert (body["dealGroupGroups"], body["dealGroupUsers"]) == ([], [])
    assert [s["title"] for s in body["dealStages"]] == ["To Contact", "In Contact", "Follow Up"]
    first = body["dealStages"][0]
    assert list(first) == STAGE_KEYS
    assert (first["order"], first["width"], first["group"], first["cdate"], first["udate"]) == (
        "1",
        "280",
        gid,
        None,
        None,
    )
    assert first["links"] == {"group": f"/api/3/dealStages/{first['id']}/group"}


def test_get_pipeline_prints_strings_and_sideloads_its_stages(account: Account) -> None:
    made = _pipeline(account)
    gid = made["dealGroup"]["id"]
    response = account.api.get(f"/api/3/dealGroups/{gid}")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["dealGroup", "dealStages"]
    assert (body["dealGroup"]["autoassign"], body["dealGroup"]["allusers"]) == ("1", "1")
    assert body["dealStages"] == made["dealStages"]


def test_list_pipelines_filters_by_title_with_a_string_total(account: Account) -> None:
    _pipeline(account, "Sales")
    _pipeline(account, "Partners")
    body = account.api.get("/api/3/dealGroups", params={"filters[title]": "part"}).json()
    assert [g["title"] for g in body["dealGroups"]] == ["Partners"]
    assert body["meta"] == {"total": "1"}
    everything = account.api.get("/api/3/dealGroups", params={"orders[title]": "ASC"}).json()
    assert ([g["title"] for g in everything["dealGroups"]], everything["meta"]) == (
        ["Partners", "Sales"],
        {"total": "2"},
    )


@pytest.mark.parametrize(
    "body",
    [{"dealGroup": {"currency": "usd"}}, {"dealGroup": {"title": "X"}}, {"dealGroup": {"title": "X", "currency": "$"}},
     {"dealGroup": {"title": "X", "currency": "usd", "autoassign": 5}}, {"dealGroup": "x"}, {}],
    ids=["no-title", "no-currency", "bad-currency", "bad-flag", "not-object", "empty"],
)  # fmt: skip
def test_bad_pipeline_is_400_empty_and_creates_nothing(account: Account, body: dict[str, Any]) -> None:
    _assert_400(account.api.post("/api/3/dealGroups", json=body))
    assert account.api.get("/api/3/dealGroups").json()["meta"] == {"total": "0"}


@pytest.mark.parametrize("raw", ["999999", "abc"])
def test_unknown_pipeline_is_404(account: Account, raw: str) -> None:
    for response in (account.api.get(f"/api/3/dealGroups/{raw}"), account.api.delete(f"/api/3/dealGroups/{raw}")):
        assert (response.status_code, response.json()) == (
            404,
            {"message": f"No Result found for DealGroup with id {raw}"},
        )


def test_deleting_a_pipeline_takes_its_stages_and_deals(ready: tuple[Account, str, dict[str, Any]]) -> None:
    account, cid, pipeline = ready
    deal = _deal(account, **_base(contact=cid, group=pipeline["dealGroup"]["id"]))
    assert account.api.delete(f"/api/3/dealGroups/{pipeline['dealGroup']['id']}").json() == {}
    assert account.api.get(f"/api/3/deals/{deal['id']}").status_code == 404
    assert account.api.get("/api/3/dealStages").json() == {"dealStages": [], "meta": {"total": "0"}}


# --- stages ---------------------------------------------------------------------------------------------


def test_create_stage_answers_200_echoing_numbers_and_lands_last(account: Account) -> None:
    gid = _pipeline(account)["dealGroup"]["id"]
    response = account.api.post("/api/3/dealStages", json={"dealStage": {"title": "Negotiation", "group": gid}})
    assert response.status_code == 200, response.text
    stage = response.json()["dealStage"]
    assert list(stage) == STAGE_KEYS
    assert (stage["title"], stage["group"], stage["order"], stage["width"]) == ("Negotiation", gid, 4, 280)
    assert stage["cdate"] is not None
    group = account.api.get(f"/api/3/dealGroups/{gid}").json()
    assert group["dealGroup"]["stages"][-1] == stage["id"]
    assert account.api.get(f"/api/3/dealStages/{stage['id']}").json()["dealStage"]["order"] == "4"


def test_list_stages_of_one_pipeline(account: Account) -> None:
    first = _pipeline(account, "A")["dealGroup"]["id"]
    _pipeline(account, "B")
    body = account.api.get("/api/3/dealStages", params={"filters[d_groupid]": first}).json()
    assert body["meta"] == {"total": "3"}
    assert {s["group"] for s in body["dealStages"]} == {first}
    follow = account.api.get("/api/3/dealStages", params={"filters[title]": "follow"}).json()
    assert follow["meta"] == {"total": "2"}


@pytest.mark.parametrize(
    "stage",
    [{"group": "1"}, {"title": "X"}, {"title": "X", "group": "999999"}, {"title": "X", "group": "1", "order": 0}],
)
def test_bad_stage_is_400_empty(account: Account, stage: dict[str, Any]) -> None:
    _pipeline(account)
    _assert_400(account.api.post("/api/3/dealStages", json={"dealStage": stage}))


def test_unknown_stage_is_404(account: Account) -> None:
    response = account.api.get("/api/3/dealStages/999999")
    assert (response.status_code, response.json()) == (404, {"message": "No Result found for DealStage with id 999999"})


# --- deals ----------------------------------------------------------------------------------------------


def test_create_deal_answers_201_with_contact_and_stage_sideloads(ready: tuple[Account, str, dict[str, Any]]) -> None:
    account, cid, pipeline = ready
    gid, first_stage = pipeline["dealGroup"]["id"], pipeline["dealStages"][0]
    response = account.api.post("/api/3/deals", json={"deal": _base(contact=cid, group=gid, description="Demo")})
    assert response.status_code == 201, response.text
    body = response.json()
    assert list(body) == ["contacts", "deal", "dealStages"]
    assert [c["id"] for c in body["contacts"]] == [cid]
    assert body["dealStages"] == [first_stage]
    deal = body["deal"]
    assert list(deal) == [*DEAL_KEYS, "fields"]
    did = deal["id"]
    assert deal["id"].isdigit()
    assert (deal["value"], deal["status"], deal["fields"]) == (45600, 0, [])  # POST echoes numbers
    assert (deal["contact"], deal["group"], deal["stage"], deal["owner"]) == (cid, gid, first_stage["id"], "1")
    assert (deal["title"], deal["description"], deal["currency"], deal["percent"]) == ("Able Hyena", "Demo", "usd", "0")
    assert (deal["edate"], deal["organization"], deal["account"], deal["isDisabled"]) == (None, None, None, False)
    assert deal["cdate"] == deal["mdate"]
    assert deal["links"]["notes"] == f"/api/3/deals/{did}/notes"
    assert len(deal["hash"]) == 32


def test_get_deal_prints_strings(ready: tuple[Account, str, dict[str, Any]]) -> None:
    account, cid, pipeline = ready
    made = _deal(account, **_base(contact=cid, group=pipeline["dealGroup"]["id"]))
    response = account.api.get(f"/api/3/deals/{made['id']}")
    assert response.status_code == 200
    deal = response.json()["deal"]
    assert list(deal) == DEAL_KEYS
    assert (deal["value"], deal["status"]) == ("45600", "0")
    assert deal == {k: v for k, v in made.items() if k != "fields"} | {"value": "45600", "status": "0"}


def test_a_stage_alone_places_the_deal_in_its_pipeline(ready: tuple[Account, str, dict[str, Any]]) -> None:
    account, cid, pipeline = ready
    third = pipeline["dealStages"][2]
    deal = _deal(account, **_base(contact=cid, stage=int(third["id"]), value="100"))
    assert (deal["group"], deal["stage"], deal["value"]) == (pipeline["dealGroup"]["id"], third["id"], 100)


@pytest.mark.parametrize(
    ("drop", "extra"),
    [
        ("title", {}), ("value", {}), ("currency", {}), ("contact", {}), ("group", {}),
        (None, {"value": -1}), (None, {"value": 1.5}), (None, {"value": "ten"}), (None, {"value": True}),
        (None, {"status": 3}), (None, {"percent": 101}), (None, {"owner": 2}), (None, {"currency": "dollars"}),
        (None, {"contact": "999999"}), (None, {"contact": "abc"}), (None, {"group": "999999"}),
        (None, {"stage": "999999"}), (None, {"title": ["x"]}),
    ],
)  # fmt: skip
def test_bad_deal_is_400_empty_and_creates_nothing(
    ready: tuple[Account, str, dict[str, Any]], drop: str | None, extra: dict[str, Any]
) -> None:
    account, cid, pipeline = ready
    fields = {**_base(contact=cid, group=pipeline["dealGroup"]["id"]), **extra}
    fields.pop(drop or "", None)
    _assert_400(account.api.post("/api/3/deals", json={"deal": fields}))
    assert account.api.get("/api/3/deals").json()["meta"]["total"] == 0


def test_a_stage_of_another_pipeline_is_400(ready: tuple[Account, str, dict[str, Any]]) -> None:
    account, cid, pipeline = ready
    other = _pipeline(account, "Other")["dealStages"][0]["id"]
    _assert_400(
        account.api.post(
            "/api/3/deals", json={"deal": _base(contact=cid, group=pipeline["dealGroup"]["id"], stage=other)}
        )
    )


@pytest.mark.parametrize("raw", ["999999", "abc"])
def test_unknown_deal_is_404(account: Account, raw: str) -> None:
    for response in (
        account.api.get(f"/api/3/deals/{raw}"),
        account.api.put(f"/api/3/deals/{raw}", json={"deal": {"title": "X"}}),
        account.api.delete(f"/api/3/deals/{raw}"),
    ):
        assert (response.status_code, response.json()) == (404, {"message": f"No Result found for Deal with id {raw}"})


def test_update_moves_stage_and_status_won_sets_edate(ready: tuple[Account, str, dict[str, Any]]) -> None:
    account, cid, pipeline = ready
    made = _deal(account, **_base(contact=cid, group=pipeline["dealGroup"]["id"]))
    second = pipeline["dealStages"][1]["id"]
    response = account.api.put(
        f"/api/3/deals/{made['id']}", json={"deal": {"stage": second, "status": 1, "value": 50000}}
    )
    assert response.status_code == 200, response.text
    deal = response.json()["deal"]
    assert list(deal) == [*DEAL_KEYS, "fields"]
    assert (deal["stage"], deal["status"], deal["value"], deal["title"]) == (second, 1, 50000, "Able Hyena")
    assert deal["edate"] is not None
    assert account.api.get(f"/api/3/deals/{made['id']}").json()["deal"]["status"] == "1"


def test_a_bad_update_is_400_and_changes_nothing(ready: tuple[Account, str, dict[str, Any]]) -> None:
    account, cid, pipeline = ready
    made = _deal(account, **_base(contact=cid, group=pipeline["dealGroup"]["id"]))
    before = account.api.get(f"/api/3/deals/{made['id']}").json()
    for change in ({"status": 7}, {"title": "  "}, {"stage": "999999"}, {"value": -5}):
        _assert_400(account.api.put(f"/api/3/deals/{made['id']}", json={"deal": change}))
    assert account.api.get(f"/api/3/deals/{made['id']}").json() == before


def test_delete_deal_answers_empty_object_then_404(ready: tuple[Account, str, dict[str, Any]]) -> None:
    account, cid, pipeline = ready
    made = _deal(account, **_base(contact=cid, group=pipeline["dealGroup"]["id"]))
    response = account.api.delete(f"/api/3/deals/{made['id']}")
    assert (response.status_code, response.json()) == (200, {})
    assert account.api.delete(f"/api/3/deals/{made['id']}").status_code == 404


def test_list_deals_filters_orders_pages_and_sums_per_currency(ready: tuple[Account, str, dict[str, Any]]) -> None:
    account, cid, pipeline = ready
    gid = pipeline["dealGroup"]["id"]
    other = account.create_contact("other@example.com")["id"]
    _deal(account, **_base(title="Small", value=100, contact=cid, group=gid))
    _deal(account, **_base(title="Large", value=900, contact=cid, group=gid, status=1))
    _deal(account, **_base(title="Euro", value=500, currency="EUR", contact=other, group=gid))
    body = account.api.get("/api/3/deals", params={"orders[value]": "DESC"}).json()
    assert [d["title"] for d in body["deals"]] == ["Large", "Euro", "Small"]
    assert body["meta"] == {
        "currencies": {
            "EUR": {"currency": "EUR", "total": "1", "value": "500"},
            "USD": {"currency": "USD", "total": "2", "value": "1000"},
        },
        "total": 3,
    }
    titles = lambda **p: [d["title"] for d in account.api.get("/api/3/deals", params=p).json()["deals"]]  # noqa: E731
    assert titles(**{"filters[status]": "1"}) == ["Large"]
    assert titles(**{"filters[contact]": other}) == ["Euro"]
    assert titles(**{"filters[search]": "ALL"}) == ["Small"]
    assert titles(**{"filters[minimum_value]": "500"}) == ["Large", "Euro"]
    assert titles(limit="1", offset="1") == ["Large"]
    _assert_400(account.api.get("/api/3/deals", params={"filters[stage]": "x"}))


# --- the contact ----------------------------------------------------------------------------------------


def test_contact_sideloads_its_deals_and_lists_their_ids(ready: tuple[Account, str, dict[str, Any]]) -> None:
    account, cid, pipeline = ready
    made = _deal(account, **_base(contact=cid, group=pipeline["dealGroup"]["id"]))
    body = account.api.get(f"/api/3/contacts/{cid}").json()
    assert body["contact"]["deals"] == [made["id"]]
    assert body["deals"] == [account.api.get(f"/api/3/deals/{made['id']}").json()["deal"]]
    listed = account.api.get(f"/api/3/contacts/{cid}/deals")
    assert (listed.status_code, listed.json()) == (200, {"deals": body["deals"]})
    missing = account.api.get("/api/3/contacts/999999/deals")
    assert (missing.status_code, missing.json()) == (404, {"message": "No Result found for Subscriber with id 999999"})


def test_deleting_the_contact_deletes_its_deals(ready: tuple[Account, str, dict[str, Any]]) -> None:
    account, cid, pipeline = ready
    made = _deal(account, **_base(contact=cid, group=pipeline["dealGroup"]["id"]))
    assert account.api.delete(f"/api/3/contacts/{cid}").status_code == 200
    assert account.api.get(f"/api/3/deals/{made['id']}").status_code == 404
    assert account.api.get("/api/3/deals").json()["meta"]["total"] == 0


def test_every_link_of_a_deal_a_pipeline_and_a_stage_answers(ready: tuple[Account, str, dict[str, Any]]) -> None:
    account, cid, pipeline = ready
    deal = _deal(account, **_base(contact=cid, group=pipeline["dealGroup"]["id"]))
    links = [
        *deal["links"].values(),
        *pipeline["dealGroup"]["links"].values(),
        *pipeline["dealStages"][0]["links"].values(),
    ]
    for link in links:
        response = account.api.get(link)
        assert response.status_code == 200, link
        assert isinstance(response.json(), dict)
    assert account.api.get(deal["links"]["contact"]).json()["contact"]["id"] == cid
    assert account.api.get(deal["links"]["notes"]).json() == {"notes": []}
    assert account.api.get(deal["links"]["stage"]).json()["dealStage"]["id"] == deal["stage"]
    assert account.api.get(f"/api/3/deals/{deal['id']}/nowhere").status_code == 404


def test_another_account_sees_none_of_it(ready: tuple[Account, str, dict[str, Any]], other_account: Account) -> None:
    account, cid, pipeline = ready
    gid = pipeline["dealGroup"]["id"]
    deal = _deal(account, **_base(contact=cid, group=gid))
    assert other_account.api.get(f"/api/3/deals/{deal['id']}").status_code == 404
    assert other_account.api.delete(f"/api/3/deals/{deal['id']}").status_code == 404
    assert other_account.api.get(f"/api/3/dealGroups/{gid}").status_code == 404
    assert other_account.api.get("/api/3/deals").json()["meta"]["total"] == 0
    theirs = other_account.create_contact("theirs@example.com")["id"]
    _assert_400(other_account.api.post("/api/3/deals", json={"deal": _base(contact=theirs, group=gid)}))
    _assert_400(account.api.post("/api/3/deals", json={"deal": _base(contact=theirs, group=gid)}))


def test_state_dump_shows_pipelines_stages_and_deals(ready: tuple[Account, str, dict[str, Any]]) -> None:
    account, cid, pipeline = ready
    deal = _deal(account, **_base(contact=cid, group=pipeline["dealGroup"]["id"]))
    state = account.raw.get("/_fakecampaign/state", params={"account": account.name}).json()
    assert [g["id"] for g in state["dealGroups"]] == [pipeline["dealGroup"]["id"]]
    assert len(state["dealStages"]) == 3
    assert [d["id"] for d in state["deals"]] == [deal["id"]]


# --- domain events --------------------------------------------------------------------------------------


@pytest.fixture
def recorded() -> Iterator[tuple[httpx.Client, list[DealChanged]]]:
    """A server of its own with a DealChanged listener, as the webhooks engine subscribes one."""
    app = create_app(Settings())
    seen: list[DealChanged] = []

    def listen(_tx: Transaction, event: DealChanged) -> None:
        seen.append(event)

    app.state.store.bus.subscribe(DealChanged, listen)
    account = accounts.get_by_name(app.state.store, Settings().account)
    with (
        LiveServer(app=app) as server,
        httpx.Client(base_url=server.url, headers={"Api-Token": account.api_token}) as c,
    ):
        yield c, seen


def test_deal_writes_publish_deal_changed(recorded: tuple[httpx.Client, list[DealChanged]]) -> None:
    client, seen = recorded
    cid = client.post("/api/3/contacts", json={"contact": {"email": "ev@example.com"}}).json()["contact"]["id"]
    gid = client.post("/api/3/dealGroups", json={"dealGroup": {"title": "S", "currency": "usd"}}).json()["dealGroup"][
        "id"
    ]
    did = client.post("/api/3/deals", json={"deal": _base(contact=cid, group=gid)}).json()["deal"]["id"]
    client.put(f"/api/3/deals/{did}", json={"deal": {"status": 2, "title": "Lost one"}})
    assert client.put(f"/api/3/deals/{did}", json={"deal": {"status": 9}}).status_code == 400  # refused: no event
    client.delete(f"/api/3/deals/{did}")
    assert [(e.kind, e.deal_id, e.contact_id) for e in seen] == [
        ("deal_add", int(did), int(cid)),
        ("deal_update", int(did), int(cid)),
        ("deal_delete", int(did), int(cid)),
    ]
    assert seen[1].changed == ("title", "status")
