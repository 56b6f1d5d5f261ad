"""deal_add / deal_update webhooks from the deals resource, in AC's form with its deal[...] keys."""

from __future__ import annotations

from tests.conftest import Account
from tests.engine.conftest import wait_for_webhooks
from tests.engine.receiver import Receiver


def test_deal_add_and_update_reach_the_receiver(acct: Account) -> None:
    contact = acct.create_contact("bea@example.com", firstName="Bea", lastName="Buyer")
    pipeline = acct.api.post("/api/3/dealGroups", json={"dealGroup": {"title": "Sales", "currency": "usd"}}).json()
    stage = pipeline["dealStages"][0]
    with Receiver() as receiver:
        hook = {"name": "d", "url": receiver.url, "events": ["deal_add", "deal_update"], "sources": ["api"]}
        assert acct.api.post("/api/3/webhooks", json={"webhook": hook}).status_code == 201
        body = {"title": "Able Hyena", "value": 104405500, "currency": "usd", "contact": contact["id"],
                "group": pipeline["dealGroup"]["id"], "stage": stage["id"], "owner": 1}  # fmt: skip
        created = acct.api.post("/api/3/deals", json={"deal": body})
        assert created.status_code == 201, created.text
        deal_id = created.json()["deal"]["id"]
        changed = acct.api.put(f"/api/3/deals/{deal_id}", json={"deal": {"title": "Bold Hyena"}})
        assert changed.status_code == 200, changed.text
        assert acct.api.delete(f"/api/3/deals/{deal_id}").status_code == 200
        wait_for_webhooks(acct)
        added, updated = receiver.forms()  # a deleted deal sends nothing
    assert (added["type"], added["deal[id]"], added["deal[title]"]) == ("deal_add", deal_id, "Able Hyena")
    assert (added["deal[value]"], added["deal[value_raw]"], added["deal[currency_symbol]"]) == (
        "1,044,055.00",
        "1044055",
        "$",
    )
    assert (added["deal[pipeline_title]"], added["deal[stage_title]"]) == ("Sales", stage["title"])
    assert (added["deal[contactid]"], added["deal[contact_email]"], added["deal[contact_firstname]"]) == (
        contact["id"],
        "bea@example.com",
        "Bea",
    )
    assert (updated["type"], updated["deal[title]"]) == ("deal_update", "Bold Hyena")
    assert "title" in [v for k, v in updated.items() if k.startswith("updated_fields[")]
