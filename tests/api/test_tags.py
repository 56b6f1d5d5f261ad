"""Tags and contactTags (ac-api-facts-breadth.md §2): shapes, types, statuses and AC's error bodies."""

from __future__ import annotations

from typing import Any

import pytest

from fakecampaign.bus import TagAdded, TagRemoved
from fakecampaign.testing.server import LiveServer
from tests.conftest import Account

TAG_KEYS = {"tagType", "tag", "description", "cdate", "created_timestamp", "updated_timestamp", "created_by",
            "updated_by", "deleted", "subscriber_count", "links", "id"}  # fmt: skip
CONTACT_TAG_KEYS = {"cdate", "contact", "tag", "created_timestamp", "updated_timestamp", "created_by", "updated_by",
                    "links", "id"}  # fmt: skip


def make_tag(account: Account, name: str, **fields: Any) -> dict[str, Any]:
    response = account.api.post("/api/3/tags", json={"tag": {"tag": name, "tagType": "contact", **fields}})
    assert response.status_code == 201, response.text
    tag: dict[str, Any] = response.json()["tag"]
    return tag


def tag_contact(account: Account, contact_id: str, tag_id: str, status: int = 201) -> dict[str, Any]:
    response = account.api.post("/api/3/contactTags", json={"contactTag": {"contact": contact_id, "tag": tag_id}})
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def test_create_tag_answers_201_with_acs_keys_and_string_ids(account: Account) -> None:
    tag = make_tag(account, "VIP", description="Paying")
    assert set(tag) == TAG_KEYS
    assert tag["tag"] == "VIP"
    assert tag["tagType"] == "contact"
    assert tag["description"] == "Paying"
    assert tag["id"].isdigit()
    assert tag["subscriber_count"] == "0"
    assert tag["deleted"] == "0"
    assert tag["links"]["contactGoalTags"].endswith(f"/api/3/tags/{tag['id']}/contactGoalTags")


def test_get_update_delete_tag(account: Account) -> None:
    tag = make_tag(account, "Lead")
    got = account.api.get(f"/api/3/tags/{tag['id']}")
    assert got.status_code == 200
    assert got.json() == {"tag": tag}
    put = account.api.put(f"/api/3/tags/{tag['id']}", json={"tag": {"description": "warm"}})
    assert put.status_code == 200
    assert put.json()["tag"]["tag"] == "Lead"
    assert put.json()["tag"]["description"] == "warm"
    deleted = account.api.delete(f"/api/3/tags/{tag['id']}")
    assert (deleted.status_code, deleted.json()) == (200, {})
    missing = account.api.get(f"/api/3/tags/{tag['id']}")
    assert missing.status_code == 404
    assert missing.json() == {"message": f"No Result found for Tag with id {tag['id']}"}
    again = account.api.delete(f"/api/3/tags/{tag['id']}")
    assert again.status_code == 404
    assert again.json() == missing.json()


def test_duplicate_names_are_refused_case_insensitively(account: Account) -> None:
    make_tag(account, "Test")
    response = account.api.post("/api/3/tags", json={"tag": {"tag": "TEST", "tagType": "contact"}})
    assert response.status_code == 422
    assert response.json() == {
        "message": "Could not process request",
        "error": "Duplicate entry 'contact-TEST' for key 'typetag'",
    }
    # the same name as a template tag is another key
    assert account.api.post("/api/3/tags", json={"tag": {"tag": "test", "tagType": "template"}}).status_code == 201


def test_rename_onto_another_name_is_the_duplicate_error(account: Account) -> None:
    make_tag(account, "One")
    two = make_tag(account, "Two")
    response = account.api.put(f"/api/3/tags/{two['id']}", json={"tag": {"tag": "one"}})
    assert response.status_code == 422
    assert response.json()["message"] == "Could not process request"


def test_tag_without_a_name_is_a_missing_attribute(account: Account) -> None:
    response = account.api.post("/api/3/tags", json={"tag": {"tagType": "contact"}})
    assert response.status_code == 422
    assert response.json() == {
        "errors": [{"status": 422, "title": "Missing attribute", "source": {"pointer": "/data/attributes/tag"}}]
    }


def test_list_search_filters_orders_and_paging(account: Account) -> None:
    for name in ("alpha", "Beta", "alphabet", "AL"):
        make_tag(account, name)
    listed = account.api.get("/api/3/tags").json()
    assert listed["meta"] == {"total": "4"}
    assert [t["tag"] for t in listed["tags"]] == ["alpha", "Beta", "alphabet", "AL"]
    assert set(listed["tags"][0]) == TAG_KEYS
    names = lambda **p: [t["tag"] for t in account.api.get("/api/3/tags", params=p).json()["tags"]]  # noqa: E731
    assert names(search="ALPHA") == ["alpha", "alphabet"]
    assert names(**{"filters[search][eq]": "al"}) == ["AL"]
    assert names(**{"filters[search]": "al", "orders[search]": "weight"}) == ["AL", "alpha", "alphabet"]
    assert names(**{"orders[search]": "DESC"}) == ["Beta", "alphabet", "alpha", "AL"]
    page = account.api.get("/api/3/tags", params={"limit": 2, "offset": 1}).json()
    assert [t["tag"] for t in page["tags"]] == ["Beta", "alphabet"]
    assert page["meta"] == {"total": "4"}


@pytest.mark.parametrize("query", [{"limit": "x"}, {"offset": "1.5"}, {"filters[search][like]": "a"}])
def test_bad_list_parameters_are_acs_400(account: Account, query: dict[str, str]) -> None:
    response = account.api.get("/api/3/tags", params=query)
    assert (response.status_code, response.json()) == (400, {})


def test_tag_a_contact(account: Account) -> None:
    contact = account.create_contact("t@example.com")
    tag = make_tag(account, "Customer")
    body = tag_contact(account, contact["id"], tag["id"])
    assert set(body) == {"contactTag"}
    ct = body["contactTag"]
    assert set(ct) == CONTACT_TAG_KEYS
    assert (ct["contact"], ct["tag"]) == (contact["id"], tag["id"])
    assert ct["id"].isdigit()
    assert account.api.get(ct["links"]["contact"]).json()["contact"]["id"] == contact["id"]
    assert account.api.get(ct["links"]["tag"]).json()["tag"]["subscriber_count"] == "1"
    of_contact = account.api.get(f"/api/3/contacts/{contact['id']}/contactTags")
    assert of_contact.status_code == 200
    assert of_contact.json() == {"contactTags": [ct]}


def test_ids_may_be_json_numbers(account: Account) -> None:
    contact = account.create_contact("n@example.com")
    tag = make_tag(account, "Numbers")
    ct = tag_contact(account, int(contact["id"]), int(tag["id"]))["contactTag"]  # type: ignore[arg-type]
    assert ct["contact"] == contact["id"]


def test_the_same_tag_twice_answers_the_existing_association(account: Account) -> None:
    contact = account.create_contact("twice@example.com")
    tag = make_tag(account, "Again")
    first = tag_contact(account, contact["id"], tag["id"])
    assert tag_contact(account, contact["id"], tag["id"]) == first
    assert len(account.api.get(f"/api/3/contacts/{contact['id']}/contactTags").json()["contactTags"]) == 1


def test_untag_takes_the_association_id(account: Account) -> None:
    contact = account.create_contact("untag@example.com")
    tag = make_tag(account, "Gone")
    ct = tag_contact(account, contact["id"], tag["id"])["contactTag"]
    response = account.api.delete(f"/api/3/contactTags/{ct['id']}")
    assert (response.status_code, response.json()) == (200, {})
    again = account.api.delete(f"/api/3/contactTags/{ct['id']}")
    assert again.status_code == 404
    assert again.json() == {"message": f"No Result found for SubscriberTag with id {ct['id']}"}
    assert account.api.get(f"/api/3/contacts/{contact['id']}/contactTags").json() == {"contactTags": []}


def test_contact_tag_errors(account: Account) -> None:
    tag = make_tag(account, "E")
    contact = account.create_contact("e@example.com")
    missing_contact = account.api.post(
        "/api/3/contactTags", json={"contactTag": {"contact": "999999", "tag": tag["id"]}}
    )
    assert missing_contact.status_code == 404
    assert missing_contact.json() == {"errors": [{"status": 404, "title": "Not Found", "detail": "Contact not found"}]}
    no_contact = account.api.post("/api/3/contactTags", json={"contactTag": {"tag": tag["id"]}})
    assert no_contact.status_code == 422
    assert no_contact.json() == {
        "errors": [{"status": 422, "title": "Missing attribute", "source": {"pointer": "/data/attributes/contact"}}]
    }
    missing_tag = account.api.post("/api/3/contactTags", json={"contactTag": {"contact": contact["id"], "tag": "abc"}})
    assert missing_tag.status_code == 404
    assert missing_tag.json() == {"message": "No Result found for Tag with id -1"}
    unknown = account.api.get("/api/3/contacts/999999/contactTags")
    assert unknown.status_code == 404
    assert unknown.json() == {"message": "No Result found for Subscriber with id 999999"}


def test_deleting_a_tag_or_contact_removes_its_associations(account: Account) -> None:
    contact = account.create_contact("cascade@example.com")
    other = account.create_contact("other@example.com")
    tag = make_tag(account, "Cascade")
    tag_contact(account, contact["id"], tag["id"])
    tag_contact(account, other["id"], tag["id"])
    account.api.delete(f"/api/3/contacts/{contact['id']}")
    assert account.api.get("/api/3/contactTags").json()["meta"] == {"total": "1"}
    account.api.delete(f"/api/3/tags/{tag['id']}")
    assert account.api.get("/api/3/contactTags").json() == {"contactTags": [], "meta": {"total": "0"}}


def test_account_wide_contact_tags_are_paged(account: Account) -> None:
    tag = make_tag(account, "Paged")
    for i in range(3):
        tag_contact(account, account.create_contact(f"p{i}@example.com")["id"], tag["id"])
    page = account.api.get("/api/3/contactTags", params={"limit": 2}).json()
    assert len(page["contactTags"]) == 2
    assert page["meta"] == {"total": "3"}


def test_contacts_filtered_by_tagid(account: Account) -> None:
    tagged = account.create_contact("tagged@example.com")
    account.create_contact("plain@example.com")
    tag = make_tag(account, "Filter")
    tag_contact(account, tagged["id"], tag["id"])
    body = account.api.get("/api/3/contacts", params={"tagid": tag["id"]}).json()
    assert [c["email"] for c in body["contacts"]] == ["tagged@example.com"]
    assert body["meta"]["total"] == "1"
    assert body["meta"]["page_input"]["tagid"] == int(tag["id"])


def test_contact_detail_sideloads_its_tags(account: Account) -> None:
    contact = account.create_contact("side@example.com")
    tag = make_tag(account, "Side")
    ct = tag_contact(account, contact["id"], tag["id"])["contactTag"]
    body = account.api.get(f"/api/3/contacts/{contact['id']}").json()
    assert body["contactTags"] == [ct]


def test_tag_events_are_published(live: LiveServer, account: Account) -> None:
    seen: list[Any] = []
    bus = live.app.state.store.bus
    bus.subscribe(TagAdded, lambda _tx, e: seen.append(e))
    bus.subscribe(TagRemoved, lambda _tx, e: seen.append(e))
    contact = account.create_contact("bus@example.com")
    tag = make_tag(account, "Bus")
    ct = tag_contact(account, contact["id"], tag["id"])["contactTag"]
    tag_contact(account, contact["id"], tag["id"])  # a repeat adds nothing
    account.api.delete(f"/api/3/contactTags/{ct['id']}")
    mine = [e for e in seen if e.contact_id == int(contact["id"])]
    assert [(type(e), e.tag_id, e.tag) for e in mine] == [
        (TagAdded, int(tag["id"]), "Bus"),
        (TagRemoved, int(tag["id"]), "Bus"),
    ]


def test_tags_are_isolated_per_account(account: Account, other_account: Account) -> None:
    tag = make_tag(account, "Mine")
    assert other_account.api.get(f"/api/3/tags/{tag['id']}").status_code == 404
    assert other_account.api.get("/api/3/tags").json()["meta"] == {"total": "0"}
    make_tag(other_account, "Mine")  # names are per account
