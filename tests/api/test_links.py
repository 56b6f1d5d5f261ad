"""Every link in a response leads to a route that answers (issue 13 §2), and unknown relations stay 404."""

from __future__ import annotations

from tests.conftest import Account


def test_every_contact_link_answers(account: Account) -> None:
    contact = account.create_contact("links@example.com")
    links = account.api.get(f"/api/3/contacts/{contact['id']}").json()["contact"]["links"]
    assert len(links) == 18
    for name, url in links.items():
        response = account.api.get(url)
        assert response.status_code == 200, (name, response.text)
        assert name in response.json() or name in {"contactTags", "contactLists", "trackingLogs"}, name


def test_not_emulated_relations_are_empty_or_null(account: Account) -> None:
    contact = account.create_contact("empty@example.com")
    base = f"/api/3/contacts/{contact['id']}"
    assert account.api.get(f"{base}/notes").json() == {"notes": []}
    assert account.api.get(f"{base}/organization").json() == {"organization": None}


def test_relations_of_an_unknown_parent_are_acs_404(account: Account) -> None:
    response = account.api.get("/api/3/contacts/999999/notes")
    assert response.status_code == 404
    assert response.json() == {"message": "No Result found for Subscriber with id 999999"}


def test_an_unknown_relation_is_an_unknown_route(account: Account) -> None:
    contact = account.create_contact("unknown@example.com")
    response = account.api.get(f"/api/3/contacts/{contact['id']}/nonsense")
    assert response.status_code == 404
    assert "message" in response.json()


def _links(value: object) -> list[str]:
    """Every URL under a ``links`` key, anywhere in a body."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "links" and isinstance(item, dict):
                found.extend(v for v in item.values() if isinstance(v, str))
            else:
                found.extend(_links(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_links(item))
    return found


def test_every_link_of_every_crm_object_answers(account: Account) -> None:
    contact = account.create_contact("walk@example.com")
    tag = account.api.post("/api/3/tags", json={"tag": {"tag": "Walk"}}).json()["tag"]
    account.api.post("/api/3/contactTags", json={"contactTag": {"contact": contact["id"], "tag": tag["id"]}})
    news = account.api.post("/api/3/lists", json={"list": {"name": "Walk"}}).json()["list"]
    body = {"contactList": {"list": news["id"], "contact": contact["id"], "status": 1}}
    account.api.post("/api/3/contactLists", json=body)
    field = account.api.post("/api/3/fields", json={"field": {"title": "Walk", "type": "dropdown"}}).json()["field"]
    account.api.post("/api/3/fieldOption/bulk", json={"fieldOptions": [{"field": field["id"], "value": "A"}]})
    account.api.post("/api/3/fieldRels", json={"fieldRel": {"field": field["id"], "relid": 0}})
    account.api.post(
        "/api/3/fieldValues", json={"fieldValue": {"contact": contact["id"], "field": field["id"], "value": "A"}}
    )
    bodies = [account.api.get(f"/api/3/contacts/{contact['id']}").json()]
    bodies += [
        account.api.get(f"/api/3/{path}").json()
        for path in ("tags", "contactTags", "lists", "contactLists", "fields", "fieldValues")
    ]
    urls = sorted(set(_links(bodies)))
    assert len(urls) > 30
    for url in urls:
        response = account.api.get(url)
        assert response.status_code == 200, (url, response.text)
