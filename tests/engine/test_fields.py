"""Custom fields in the engine: perstags in emails, the update_field action, and `update` webhooks."""

from __future__ import annotations

from typing import Any

from tests.conftest import Account
from tests.engine.conftest import journal, outbox, seed, wait_for_webhooks
from tests.engine.receiver import Receiver


def _field(account: Account, title: str, perstag: str) -> dict[str, Any]:
    response = account.api.post("/api/3/fields", json={"field": {"title": title, "type": "text", "perstag": perstag}})
    assert response.is_success, response.text
    field: dict[str, Any] = response.json()["field"]
    return field


def _set(account: Account, contact_id: str, field_id: str, value: str) -> None:
    body = {"fieldValue": {"contact": contact_id, "field": field_id, "value": value}}
    response = account.api.post("/api/3/fieldValues", json=body)
    assert response.is_success, response.text


def _values(account: Account, contact_id: str) -> dict[str, str]:
    found = account.api.get(f"/api/3/contacts/{contact_id}/fieldValues").json()["fieldValues"]
    return {v["field"]: v["value"] for v in found}


def test_custom_field_perstags_in_an_email(acct: Account) -> None:
    field = _field(acct, "Plan", "PLAN")
    mail = {"send_email": {"subject": "Your %PLAN% plan", "body": "Plan: %PLAN%"}}
    seed(acct, automations=[{"name": "m", "trigger": {"event": "go"}, "actions": [mail]}])
    contact = acct.create_contact("ann@example.com")
    _set(acct, contact["id"], field["id"], "Pro")
    acct.track("ann@example.com", "go", "")
    [email] = outbox(acct)
    assert (email["subject"], email["text"]) == ("Your Pro plan", "Plan: Pro")


def test_update_field_action(acct: Account) -> None:
    field = _field(acct, "Stage", "STAGE")
    actions = [
        {"update_field": {"field": "Stage", "value": "trial"}},
        {"update_field": {"field": int(field["id"]), "value": "customer"}},
        {"update_field": {"field": "No such field", "value": "x"}},
    ]
    seed(acct, automations=[{"name": "u", "trigger": {"event": "go"}, "actions": actions}])
    contact = acct.create_contact("ann@example.com")
    acct.track("ann@example.com", "go", "")
    assert _values(acct, contact["id"]) == {field["id"]: "customer"}
    steps = [(e["trigger"], e["outcome"]) for e in journal(acct) if e["trigger"] == "step:update_field"]
    assert steps == [("step:update_field", "done"), ("step:update_field", "done"), ("step:update_field", "failed")]


def test_a_field_value_change_sends_update_with_the_fields(acct: Account) -> None:
    field = _field(acct, "Plan", "PLAN")
    contact = acct.create_contact("ann@example.com")
    with Receiver() as receiver:
        hook = {"name": "u", "url": receiver.url, "events": ["update"], "sources": ["api"]}
        assert acct.api.post("/api/3/webhooks", json={"webhook": hook}).status_code == 201
        _set(acct, contact["id"], field["id"], "Pro")
        wait_for_webhooks(acct)
        [form] = receiver.forms()
    assert form["type"] == "update"
    assert form["contact[fields][plan]"] == "Pro"


def test_one_request_sends_one_picture_of_the_contact(acct: Account) -> None:
    field = _field(acct, "Plan", "PLAN")
    with Receiver() as receiver:
        hook = {"name": "u", "url": receiver.url, "events": ["subscribe", "update"], "sources": ["api"]}
        assert acct.api.post("/api/3/webhooks", json={"webhook": hook}).status_code == 201
        values = [{"field": field["id"], "value": "Pro"}]
        created = acct.api.post(
            "/api/3/contact/sync", json={"contact": {"email": "ann@example.com", "fieldValues": values}}
        )
        assert created.status_code == 201
        values = [{"field": field["id"], "value": "Team"}]
        body = {"contact": {"firstName": "Ann", "fieldValues": values}}
        assert acct.api.put(f"/api/3/contacts/{created.json()['contact']['id']}", json=body).status_code == 200
        wait_for_webhooks(acct)
        forms = receiver.forms()
    assert [(f["type"], f["contact[first_name]"], f["contact[fields][plan]"]) for f in forms] == [
        ("subscribe", "", "Pro"),
        ("update", "Ann", "Team"),
    ]
