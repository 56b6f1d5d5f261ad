"""deal_add / deal_update webhooks, from the bus's DealChanged (published by the deals resource when it exists;
published here by hand, in a transaction, as a service would)."""

from __future__ import annotations

from fakecampaign.app import create_app
from fakecampaign.bus import DealChanged
from fakecampaign.config import Settings
from fakecampaign.services import accounts, contacts, webhooks
from fakecampaign.services.webhooks import WebhookChanges


def test_deal_events_queue_deliveries_with_updated_fields() -> None:
    app = create_app(Settings())
    store = app.state.store
    account = accounts.get_by_name(store, "fake")
    hook = WebhookChanges(name="d", url="http://127.0.0.1:9/", events=("deal_add", "deal_update"), sources=("api",))
    webhooks.create(store, account=account, changes=hook)
    contact = contacts.create(store, account=account, changes=contacts.ContactChanges(email="ann@example.com"))
    with store.db.transaction() as tx:
        store.bus.publish(
            tx, DealChanged(account_id=account.id, at=0, deal_id=7, contact_id=contact.id, kind="deal_add")
        )
        changed = DealChanged(
            account_id=account.id,
            at=0,
            deal_id=7,
            contact_id=contact.id,
            kind="deal_update",
            changed=("stage", "value"),
        )
        store.bus.publish(tx, changed)
        store.bus.publish(tx, DealChanged(account_id=account.id, at=0, deal_id=7, contact_id=None, kind="deal_delete"))
    found = webhooks.deliveries(store, account=account)
    assert [(d.type, d.email) for d in found] == [("deal_add", "ann@example.com"), ("deal_update", "ann@example.com")]
    add, update = (dict(d.pairs()) for d in found)
    assert (add["type"], add["deal[id]"], add["initiated_from"]) == ("deal_add", "7", "api")
    assert (update["updated_fields[0]"], update["updated_fields[1]"]) == ("stage", "value")
    store.db.dispose()
