"""activecampaign-python 1.0.10, replayed: the calls its users make for lists, tags, fields and webhooks, with
the keys it reads (ac-api-facts-breadth.md §8 [ACPY]). It parses a body only when Content-Type says JSON and
never checks a status. Driven live, every step passed but ``create_a_list_group_permission`` (POST /listGroups
was a 404)."""

from __future__ import annotations

from typing import Any

from tests.conftest import Account


def _list(account: Account) -> str:
    body = {"list": {"name": "News", "stringid": "news", "sender_url": "http://x.example", "sender_reminder": "r"}}
    response = account.api.post("/api/3/lists", json=body)
    assert response.status_code == 200, response.text
    list_id: str = response.json()["list"]["id"]
    return list_id


def test_list_group_permission_after_creating_a_list(account: Account) -> None:
    list_id = _list(account)
    response = account.api.post("/api/3/listGroups", json={"listGroup": {"listid": int(list_id), "groupid": 3}})
    assert response.status_code == 201, response.text
    assert "application/json" in response.headers["Content-Type"]
    group: dict[str, Any] = response.json()["listGroup"]
    # AC's example: {"listGroup":{"list":19,"group":1,"links":{list,group},"id":"55"}}: ints echoed, id a string.
    assert set(group) == {"list", "group", "links", "id"}
    assert (group["list"], group["group"]) == (int(list_id), 3)
    assert isinstance(group["id"], str)
    assert set(group["links"]) == {"list", "group"}
    # Every link answers; the same permission again is the same row.
    assert account.api.get(group["links"]["list"]).json()["list"]["id"] == list_id
    assert account.api.get(group["links"]["group"]).json() == {"group": None}
    again = account.api.post("/api/3/listGroups", json={"listGroup": {"listid": list_id, "groupid": "3"}})
    assert again.json()["listGroup"] == {**group, "list": list_id, "group": "3"}
    shown = account.api.get(f"/api/3/listGroups/{group['id']}").json()["listGroup"]
    assert (shown["list"], shown["group"]) == (list_id, "3")


def test_list_group_errors_are_acs(account: Account) -> None:
    list_id = _list(account)
    missing = account.api.post("/api/3/listGroups", json={"listGroup": {"listid": list_id}})
    assert (missing.status_code, missing.json()) == (400, {})
    unknown = account.api.post("/api/3/listGroups", json={"listGroup": {"listid": 999999, "groupid": 1}})
    assert (unknown.status_code, unknown.json()) == (404, {"message": "No Result found for _List with id 999999"})
    no_row = account.api.get("/api/3/listGroups/424242")
    assert (no_row.status_code, no_row.json()) == (404, {"message": "No Result found for ListGroup with id 424242"})


def test_a_list_group_goes_with_its_list(account: Account) -> None:
    list_id = _list(account)
    group = account.api.post("/api/3/listGroups", json={"listGroup": {"listid": list_id, "groupid": 1}}).json()
    assert account.api.delete(f"/api/3/lists/{list_id}").status_code == 200
    assert account.api.get(f"/api/3/listGroups/{group['listGroup']['id']}").status_code == 404


def test_the_clients_other_steps(account: Account) -> None:
    """The rest of a user's flow, each key the client reads (all passed before; kept as a regression)."""
    api = account.api
    cid = api.post("/api/3/contacts", json={"contact": {"email": "py@example.com"}}).json()["contact"]["id"]
    assert api.post("/api/3/contact/sync", json={"contact": {"email": "py@example.com"}}).json()["contact"]["id"] == cid
    tag_id = api.post("/api/3/tags", json={"tag": {"tag": "vip", "tagType": "contact"}}).json()["tag"]["id"]
    assert api.post("/api/3/contactTags", json={"contactTag": {"contact": cid, "tag": tag_id}}).json()["contactTag"][
        "id"
    ]
    assert len(api.get(f"/api/3/contacts/{cid}/contactTags").json()["contactTags"]) == 1
    field_id = api.post("/api/3/fields", json={"field": {"type": "dropdown", "title": "Size"}}).json()["field"]["id"]
    opts = [{"field": field_id, "label": "S", "value": "s"}, {"field": field_id, "label": "M", "value": "m"}]
    assert len(api.post("/api/3/fieldOption/bulk", json={"fieldOptions": opts}).json()["fieldOptions"]) == 2
    assert len(api.get(f"/api/3/fields/{field_id}/options").json()["fieldOptions"]) == 2
    value = {"fieldValue": {"contact": cid, "field": field_id, "value": "s"}}
    fv_id = api.post("/api/3/fieldValues", json=value).json()["fieldValue"]["id"]
    value["fieldValue"]["value"] = "m"
    assert api.put(f"/api/3/fieldValues/{fv_id}", json=value).json()["fieldValue"]["value"] == "m"
    events = api.get("/api/3/webhooks/events").json()["webhookEvents"]  # the client's plural spelling
    assert {"subscribe", "update", "contact_tag_added"} <= set(events)
    for path in ("/contactAutomations", f"/contacts/{cid}/contactAutomations", "/automations", "/dealGroups"):
        assert "application/json" in api.get(f"/api/3{path}").headers["Content-Type"]
    assert api.delete(f"/api/3/contacts/{cid}").json() == {}
