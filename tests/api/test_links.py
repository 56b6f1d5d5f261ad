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
