"""activecampaign3 0.0.3.1, replayed: its Resource classes on /api/3/<plural>/ (collection with a trailing slash),
``find_or_create`` by ``meta.total``, ``Pipeline.get`` reading the ``dealStages`` side-load, and ``Deal`` whose
``post_init`` GETs ``/deals/{id}/notes`` and whose ``add_note`` POSTs there and reads ``["note"]`` (breadth §8
[AC3]). Only 200 and 201 count as success. Driven live, every step passed but ``Deal.add_note`` (405)."""

from __future__ import annotations

from typing import Any

from tests.conftest import Account


def _deal(account: Account) -> tuple[str, dict[str, Any]]:
    api = account.api
    api.follow_redirects = True  # requests (the client's transport) follows the app's slash redirects
    found = api.get("/api/3/contacts/", params={"email": "ac3@example.com"}).json()
    assert int(found["meta"]["total"]) == 0
    created = api.post("/api/3/contacts/", json={"contact": {"email": "ac3@example.com"}})
    assert created.status_code in (200, 201)
    cid = created.json()["contact"]["id"]
    flags = {"allgroups": 1, "allusers": 1, "autoassign": 1, "users": [], "groups": []}
    group = api.post("/api/3/dealGroups/", json={"dealGroup": {"title": "P", "currency": "usd", **flags}})
    assert group.status_code in (200, 201)
    gid = group.json()["dealGroup"]["id"]
    pipeline = api.get(f"/api/3/dealGroups/{gid}").json()
    stage = pipeline["dealStages"][0]["id"]
    deal = {"title": "D", "value": 1000, "currency": "usd", "owner": "1", "percent": 0, "status": 0, "stage": stage,
            "contact": cid, "group": gid}  # fmt: skip
    saved = api.post("/api/3/deals/", json={"deal": deal})
    assert saved.status_code in (200, 201), saved.text
    return saved.json()["deal"]["id"], pipeline


def test_deal_get_then_add_note(account: Account) -> None:
    deal_id, _ = _deal(account)
    got = account.api.get(f"/api/3/deals/{deal_id}")
    assert got.status_code == 200
    assert account.api.get(f"/api/3/deals/{deal_id}/notes").json() == {"notes": []}  # post_init
    response = account.api.post(f"/api/3/deals/{deal_id}/notes", json={"note": {"note": "Called them"}})
    assert response.status_code == 201, response.text
    note = response.json()["note"]
    assert set(note) == {"cdate", "mdate", "note", "relid", "reltype", "userid", "links", "id"}
    assert (note["note"], note["relid"], note["reltype"], note["userid"]) == ("Called them", deal_id, "Deal", "1")
    assert isinstance(note["id"], str)
    for link in note["links"].values():
        assert account.api.get(link).status_code == 200
    assert account.api.get(f"/api/3/deals/{deal_id}/notes").json() == {"notes": [note]}


def test_deal_note_errors_are_acs(account: Account) -> None:
    deal_id, _ = _deal(account)
    empty = account.api.post(f"/api/3/deals/{deal_id}/notes", json={"note": {"note": " "}})
    assert (empty.status_code, empty.json()) == (400, {})
    unknown = account.api.post("/api/3/deals/987654/notes", json={"note": {"note": "x"}})
    assert (unknown.status_code, unknown.json()) == (404, {"message": "No Result found for Deal with id 987654"})
    assert account.api.get(f"/api/3/deals/{deal_id}/notes").json() == {"notes": []}  # nothing written


def test_notes_go_with_their_deal(account: Account, other_account: Account) -> None:
    deal_id, _ = _deal(account)
    account.api.post(f"/api/3/deals/{deal_id}/notes", json={"note": {"note": "x"}})
    # Another account cannot read or write them.
    assert other_account.api.get(f"/api/3/deals/{deal_id}/notes").status_code == 404
    assert other_account.api.post(f"/api/3/deals/{deal_id}/notes", json={"note": {"note": "y"}}).status_code == 404
    assert account.api.delete(f"/api/3/deals/{deal_id}").status_code == 200
    assert account.api.get(f"/api/3/deals/{deal_id}/notes").status_code == 404


def test_pipeline_get_carries_its_stages(account: Account) -> None:
    _, pipeline = _deal(account)
    titles = [s["title"] for s in pipeline["dealStages"]]
    assert titles == ["To Contact", "In Contact", "Follow Up"]
    assert pipeline["dealGroup"]["stages"] == [s["id"] for s in pipeline["dealStages"]]
