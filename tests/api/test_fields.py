"""Custom fields, options, relations and field values (ac-api-facts-breadth.md §4)."""

from __future__ import annotations

from typing import Any

import pytest

from fakecampaign.bus import FieldValueChanged
from fakecampaign.testing.server import LiveServer
from tests.conftest import Account

FIELD_KEYS = {"title", "descript", "type", "isrequired", "perstag", "defval", "show_in_list", "rows", "cols", "visible",
              "service", "ordernum", "cdate", "udate", "created_timestamp", "updated_timestamp", "created_by",
              "updated_by", "options", "relations", "links", "id"}  # fmt: skip
VALUE_KEYS = {"contact", "field", "value", "cdate", "udate", "created_by", "updated_by", "links", "owner", "id"}


def make_field(
    account: Account, title: str, kind: str = "text", options: tuple[str, ...] = (), **extra: Any
) -> dict[str, Any]:
    response = account.api.post("/api/3/fields", json={"field": {"title": title, "type": kind, **extra}})
    assert response.status_code == 201, response.text
    field: dict[str, Any] = response.json()["field"]
    if options:
        bulk = [{"field": field["id"], "value": o, "label": o, "orderid": i} for i, o in enumerate(options, 1)]
        assert account.api.post("/api/3/fieldOption/bulk", json={"fieldOptions": bulk}).status_code == 201
    return field


def set_value(account: Account, contact: Any, field: Any, value: Any, expect: int = 200) -> dict[str, Any]:
    response = account.api.post(
        "/api/3/fieldValues", json={"fieldValue": {"contact": contact, "field": field, "value": value}}
    )
    assert response.status_code == expect, response.text
    body: dict[str, Any] = response.json()
    return body


def test_create_field_reads_field_id_and_derives_perstag(account: Account) -> None:
    response = account.api.post(
        "/api/3/fields", json={"field": {"title": "Another Test Title", "type": "text", "rows": 2}}
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"fieldOptions", "fieldRels", "field"}
    field = body["field"]
    assert set(field) == FIELD_KEYS
    assert field["id"].isdigit()
    assert field["perstag"] == "ANOTHER_TEST_TITLE"
    assert field["rows"] == 2  # echoed as sent
    assert field["isrequired"] == "0"
    got = account.api.get(f"/api/3/fields/{field['id']}").json()["field"]
    assert got["rows"] == "2"


def test_given_perstag_is_upper_cased_without_spaces(account: Account) -> None:
    assert make_field(account, "X", perstag="Personalized Tag")["perstag"] == "PERSONALIZEDTAG"


def test_field_errors(account: Account) -> None:
    make_field(account, "Test Title")
    dup = account.api.post("/api/3/fields", json={"field": {"title": "test title", "type": "text"}})
    assert dup.status_code == 422
    assert dup.json() == {"errors": [{"title": "There is already a field with this title",
                                      "detail": "There is already a field named 'test title' -- choose another name",
                                      "code": "duplicate"}]}  # fmt: skip
    no_type = account.api.post("/api/3/fields", json={"field": {"title": "T"}})
    assert no_type.status_code == 422
    assert no_type.json()["errors"][0]["source"] == {"pointer": "/data/attributes/type"}
    bad_type = account.api.post("/api/3/fields", json={"field": {"title": "T", "type": "colour"}})
    assert bad_type.status_code == 422
    missing = account.api.delete("/api/3/fields/999999")
    assert (missing.status_code, missing.json()) == (404, {"message": "No Result found for Field with id 999999"})


def test_options_relations_and_sideloads(account: Account) -> None:
    field = make_field(account, "Colour", "dropdown")
    bulk = account.api.post(
        "/api/3/fieldOptions/bulk",
        json={
            "fieldOptions": [{"field": field["id"], "value": "Blue", "label": "Blue", "orderid": 1, "isdefault": False}]
        },
    )
    assert bulk.status_code == 201
    option = bulk.json()["fieldOptions"][0]
    assert (option["orderid"], option["isdefault"], option["field"]) == (1, 0, field["id"])
    rel = account.api.post("/api/3/fieldRels", json={"fieldRel": {"field": int(field["id"]), "relid": 0}})
    assert rel.status_code == 201
    assert rel.json()["fieldRel"]["relid"] == 0
    assert rel.json()["fieldRel"]["links"] == []
    got = account.api.get(f"/api/3/fields/{field['id']}").json()
    assert got["field"]["options"] == [option["id"]]
    assert got["field"]["relations"] == [rel.json()["fieldRel"]["id"]]
    assert [o["value"] for o in got["fieldOptions"]] == ["Blue"]
    listed = account.api.get("/api/3/fields").json()
    assert set(listed) == {"fieldOptions", "fieldRels", "fields", "meta"}
    assert listed["meta"] == {"total": "1"}
    for link in got["field"]["links"].values():
        assert account.api.get(link).status_code == 200
    bad = account.api.post("/api/3/fieldOption/bulk", json={"fieldOption": {}})
    assert bad.status_code == 422
    assert bad.json() == {"errors": "Bulk operation failed. Request must contain an array of fieldOption objects."}
    assert account.api.delete(f"/api/3/fieldRels/{rel.json()['fieldRel']['id']}").json() == {}


def test_fields_filter_by_perstag_and_page(account: Account) -> None:
    for i in range(3):
        make_field(account, f"Field {i}")
    assert account.api.get("/api/3/fields", params={"filters[perstag]": "FIELD_1"}).json()["meta"] == {"total": "1"}
    assert len(account.api.get("/api/3/fields", params={"limit": 2}).json()["fields"]) == 2


def test_post_field_value_upserts_and_echoes_types(account: Account) -> None:
    contact = account.create_contact("fv@example.com")
    field = make_field(account, "Colour")
    first = set_value(account, int(contact["id"]), int(field["id"]), "Blue")
    assert set(first) == {"contacts", "fieldValue"}
    value = first["fieldValue"]
    assert set(value) == VALUE_KEYS
    assert (value["contact"], value["field"], value["owner"]) == (
        int(contact["id"]),
        int(field["id"]),
        int(contact["id"]),
    )
    second = set_value(account, contact["id"], field["id"], "Red")["fieldValue"]
    assert second["id"] == value["id"]
    assert second["contact"] == contact["id"]
    values = account.api.get(f"/api/3/contacts/{contact['id']}/fieldValues").json()
    assert list(values) == ["fieldValues"]
    assert [(v["id"], v["value"]) for v in values["fieldValues"]] == [(value["id"], "Red")]
    for link in value["links"].values():
        assert account.api.get(link).status_code == 200


def test_put_get_delete_field_value(account: Account) -> None:
    contact = account.create_contact("put@example.com")
    field = make_field(account, "Note")
    value = set_value(account, contact["id"], field["id"], "a")["fieldValue"]
    put = account.api.put(f"/api/3/fieldValues/{value['id']}", json={"fieldValue": {"value": "b"}})
    assert put.status_code == 200
    assert put.json()["fieldValue"]["value"] == "b"
    assert account.api.get(f"/api/3/fieldValues/{value['id']}").json()["fieldValue"]["value"] == "b"
    assert account.api.delete(f"/api/3/fieldValues/{value['id']}").json() == {}
    gone = account.api.get(f"/api/3/fieldValues/{value['id']}")
    assert (gone.status_code, gone.json()) == (
        403,
        {"message": f"No Result found for FieldValue with id {value['id']}"},
    )


def test_list_field_values_filters(account: Account) -> None:
    a = account.create_contact("a@example.com")
    b = account.create_contact("b@example.com")
    colour = make_field(account, "Colour")
    size = make_field(account, "Size")
    set_value(account, a["id"], colour["id"], "Blue")
    set_value(account, b["id"], colour["id"], "Red")
    set_value(account, a["id"], size["id"], "L")
    total = lambda **p: account.api.get("/api/3/fieldValues", params=p).json()["meta"]["total"]  # noqa: E731
    assert total() == "3"
    assert total(**{"filters[fieldid]": colour["id"]}) == "2"
    assert total(**{"filters[val]": "Red"}) == "1"
    assert total(**{"filters[contactid]": a["id"]}) == "2"


@pytest.mark.parametrize(
    ("kind", "options", "good", "bad"),
    [
        ("date", (), "2026-12-31", "31/12/2026"),
        ("datetime", (), "2020-05-19T02:45:00-05:00", "yesterday"),
        ("number", (), "42.5", "many"),
        ("dropdown", ("Option 1", "Option 2"), "Option 1", "Option 3"),
        ("listbox", ("A", "B", "C"), "||A||C||", "A, C"),
        ("checkbox", ("A", "B"), "||B||", "||Z||"),
    ],
)
def test_values_are_checked_by_type(account: Account, kind: str, options: tuple[str, ...], good: str, bad: str) -> None:
    contact = account.create_contact("typed@example.com")
    field = make_field(account, f"Typed {kind}", kind, options)
    assert set_value(account, contact["id"], field["id"], good)["fieldValue"]["value"] == good
    refused = set_value(account, contact["id"], field["id"], bad, expect=422)
    assert refused["errors"][0]["code"] == "invalid"
    assert refused["errors"][0]["title"] == "Invalid value for field"
    stored = account.api.get(f"/api/3/contacts/{contact['id']}/fieldValues").json()["fieldValues"]
    assert [v["value"] for v in stored] == [good]  # nothing changed


def test_field_value_errors(account: Account) -> None:
    contact = account.create_contact("err@example.com")
    field = make_field(account, "E")
    unknown_field = set_value(account, contact["id"], "999999", "x", expect=403)
    assert unknown_field == {"message": "Forbidden"}
    unknown_contact = set_value(account, "999999", field["id"], "x", expect=404)
    assert unknown_contact == {"message": "No Result found for Subscriber with id 999999"}
    missing = set_value(account, None, field["id"], "x", expect=422)
    assert missing["errors"][0]["code"] == "field_missing"


def test_inline_field_values_on_create_sync_and_update(account: Account) -> None:
    colour = make_field(account, "Colour", "dropdown", ("Blue", "Red"))
    body = {"contact": {"email": "inline@example.com", "fieldValues": [{"field": colour["id"], "value": "Blue"}]}}
    created = account.api.post("/api/3/contacts", json=body)
    assert created.status_code == 201
    echoed = created.json()["fieldValues"]
    assert [(v["field"], v["value"]) for v in echoed] == [(colour["id"], "Blue")]
    assert set(echoed[0]) == VALUE_KEYS
    contact = created.json()["contact"]
    assert contact["fieldValues"] == [echoed[0]["id"]]
    synced = account.api.post(
        "/api/3/contact/sync",
        json={"contact": {"email": "inline@example.com", "fieldValues": [{"field": colour["id"], "value": "Red"}]}},
    )
    assert synced.json()["fieldValues"][0]["value"] == "Red"
    assert synced.json()["fieldValues"][0]["id"] == echoed[0]["id"]
    updated = account.api.put(
        f"/api/3/contacts/{contact['id']}",
        json={"contact": {"fieldValues": [{"field": int(colour["id"]), "value": "Blue"}]}},
    )
    assert updated.json()["fieldValues"][0]["value"] == "Blue"
    detail = account.api.get(f"/api/3/contacts/{contact['id']}").json()
    assert [v["value"] for v in detail["fieldValues"]] == ["Blue"]
    assert detail["contact"]["fieldValues"] == [echoed[0]["id"]]


def test_a_bad_inline_value_creates_nothing(account: Account) -> None:
    when = make_field(account, "Birthday", "date")
    body = {"contact": {"email": "bad@example.com", "fieldValues": [{"field": when["id"], "value": "tomorrow"}]}}
    response = account.api.post("/api/3/contacts", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"]["pointer"].startswith("/data/attributes/fieldValues")
    assert account.api.get("/api/3/contacts", params={"email": "bad@example.com"}).json()["meta"]["total"] == "0"


def test_deleting_a_field_or_contact_removes_values(account: Account) -> None:
    a = account.create_contact("a@example.com")
    f1 = make_field(account, "One")
    f2 = make_field(account, "Two")
    set_value(account, a["id"], f1["id"], "1")
    set_value(account, a["id"], f2["id"], "2")
    account.api.delete(f"/api/3/fields/{f1['id']}")
    assert account.api.get("/api/3/fieldValues").json()["meta"] == {"total": "1"}
    account.api.delete(f"/api/3/contacts/{a['id']}")
    assert account.api.get("/api/3/fieldValues").json()["meta"] == {"total": "0"}


def test_field_value_changes_are_published(live: LiveServer, account: Account) -> None:
    seen: list[Any] = []
    live.app.state.store.bus.subscribe(FieldValueChanged, lambda _tx, e: seen.append(e))
    contact = account.create_contact("bus@example.com")
    field = make_field(account, "Bus")
    for value in ("a", "a", "b"):
        set_value(account, contact["id"], field["id"], value)
    mine = [e.value for e in seen if e.contact_id == int(contact["id"])]
    assert mine == ["a", "b"]


def test_fields_are_isolated_per_account(account: Account, other_account: Account) -> None:
    field = make_field(account, "Private")
    assert other_account.api.get(f"/api/3/fields/{field['id']}").status_code == 404
    theirs = other_account.create_contact("x@example.com")
    assert set_value(other_account, theirs["id"], field["id"], "x", expect=403) == {"message": "Forbidden"}
