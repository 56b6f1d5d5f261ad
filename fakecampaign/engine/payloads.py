"""What a webhook receives: AC's form fields with bracket keys and string values (ac-api-facts-breadth.md §6.2).

A payload is built inside the write's transaction (the contact as it was then) and queued as a pending
delivery; engine/delivery.py posts it later, outside any transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import bindparam, update

from fakecampaign import bus
from fakecampaign.db import Transaction, statement
from fakecampaign.engine.lookups import Lookups
from fakecampaign.services import contacts, webhooks
from fakecampaign.services.automations import AutomationRecord
from fakecampaign.services.records import ContactRecord
from fakecampaign.services.store import Store
from fakecampaign.tables import WEBHOOK_DELIVERIES

DELIVERIES = WEBHOOK_DELIVERIES
Pairs = list[tuple[str, str]]

# AC's listid note (§6.1): a webhook scoped to a list still gets these, whatever list they concern.
LIST_AGNOSTIC = frozenset(
    {
        "subscriber_note",
        "contact_tag_added",
        "contact_tag_removed",
        "contact_task_add",
        "list_add",
        "sms_sent",
        "sms_reply",
        "sms_unsub",
        "deal_add",
        "deal_update",
        "deal_note_add",
        "deal_pipeline_add",
        "deal_stage_add",
        "deal_task_add",
        "deal_tasktype_add",
        "deal_task_complete",
    }
)


def date_time(at: int) -> str:
    """``date_time``: ISO 8601 with an offset (G15: UTC)."""
    return datetime.fromtimestamp(at, UTC).isoformat()


def contact_block(tx: Transaction, contact: ContactRecord, lookups: Lookups) -> Pairs:
    """The ``contact[...]`` keys every contact event carries; ``contact[tags]`` is "tag1, tag2"."""
    pairs = [
        ("contact[id]", str(contact.id)),
        ("contact[email]", contact.email),
        ("contact[first_name]", contact.first_name),
        ("contact[last_name]", contact.last_name),
        ("contact[phone]", contact.phone),
        ("contact[ip]", "0.0.0.0"),
        ("contact[tags]", ", ".join(lookups.tags(tx, contact))),
        ("contact[customer_acct_name]", ""),
        ("contact[orgname]", ""),
    ]
    pairs.extend((f"contact[fields][{key.lower()}]", value) for key, value in lookups.fields(tx, contact))
    return pairs


TAIL: Pairs = [("customer_acct_name", ""), ("customer_acct_id", "0"), ("orgname", "")]
SET_PAYLOAD = statement(
    update(DELIVERIES).where(DELIVERIES.c.id == bindparam("did")).values(payload=bindparam("new_payload"))
)
Queued = tuple[str, int, Pairs, Pairs]  # type, delivery id, head keys, extra keys


def _head(type_: str, event: bus.DomainEvent, list_id: int, source: str) -> Pairs:
    return [
        ("type", type_),
        ("date_time", date_time(event.at)),
        ("initiated_by", source),  # G87: initiated_by mirrors initiated_from
        ("initiated_from", source),
        ("list", str(list_id)),
    ]


def queue(
    tx: Transaction,
    *,
    account_id: int,
    url: str,
    type_: str,
    email: str | None,
    pairs: Pairs,
    at: int,
    webhook_id: int | None = None,
    automation_id: int | None = None,
) -> int:
    return tx.insert(
        DELIVERIES,
        account_id=account_id,
        webhook_id=webhook_id,
        automation_id=automation_id,
        type=type_,
        email=email,
        url=url,
        payload=json.dumps(pairs, separators=(",", ":")),
        status="pending",
        created=at,
    )


def queue_automation_webhook(
    tx: Transaction, store: Store, automation: AutomationRecord, contact: ContactRecord, url: str, *, lookups: Lookups
) -> None:
    """An automation's own "Webhook" step: the contact block and ``seriesid``, no ``type`` (§5.3.3)."""
    pairs = [*contact_block(tx, contact, lookups), ("seriesid", str(automation.id))]
    queue(
        tx,
        account_id=contact.account_id,
        url=url,
        type_="automation",
        email=contact.email,
        pairs=pairs,
        at=store.clock.timestamp(),
        automation_id=automation.id,
    )


class WebhookEvents:
    """Bus handlers that queue a delivery for each active webhook subscribed to what happened."""

    def __init__(self, store: Store, lookups: Lookups, on_work: Callable[[], None]) -> None:
        self.store = store
        self.lookups = lookups
        self.on_work = on_work
        # A change an automation's step makes comes from "system" (AC: automation-driven events are "system").
        self.in_automation: Callable[[], bool] = lambda: False
        self._tx: Transaction | None = None  # held, so a new transaction is never mistaken for it
        self._queued: dict[int, list[Queued]] = {}

    def subscribe(self, events: bus.Bus) -> None:
        # G82: a contact created through the API is AC's "subscribe" (the UI's "Contact added"), list "0".
        events.subscribe(bus.ContactCreated, lambda tx, e: self._contact(tx, e, "subscribe", e.contact_id))
        events.subscribe(bus.ContactUpdated, lambda tx, e: self._contact(tx, e, "update", e.contact_id))
        events.subscribe(bus.FieldValueChanged, lambda tx, e: self._contact(tx, e, "update", e.contact_id))
        events.subscribe(
            bus.TagAdded, lambda tx, e: self._contact(tx, e, "contact_tag_added", e.contact_id, [("tag", e.tag)])
        )
        events.subscribe(
            bus.TagRemoved, lambda tx, e: self._contact(tx, e, "contact_tag_removed", e.contact_id, [("tag", e.tag)])
        )
        events.subscribe(
            bus.ListSubscribed, lambda tx, e: self._contact(tx, e, "subscribe", e.contact_id, list_id=e.list_id)
        )
        events.subscribe(
            bus.ListUnsubscribed, lambda tx, e: self._contact(tx, e, "unsubscribe", e.contact_id, list_id=e.list_id)
        )
        events.subscribe(bus.DealChanged, self._deal)

    def _deal(self, tx: Transaction, event: bus.DealChanged) -> None:
        """``deal_add`` / ``deal_update``: the deal's ``deal[...]`` keys, ``updated_fields[N]`` on an update."""
        if event.kind not in ("deal_add", "deal_update"):
            return  # AC has no webhook for a deleted deal
        source = self._source(event)
        hooks = [
            h
            for h in webhooks.active(tx, account_id=event.account_id)
            if event.kind in h.events and source in h.sources
        ]
        if not hooks:
            return
        pairs = [*_head(event.kind, event, 0, source), *self.lookups.deal(tx, event.account_id, event.deal_id)]
        if event.kind == "deal_update":
            pairs.extend((f"updated_fields[{i}]", name) for i, name in enumerate(event.changed))
        email = None
        if event.contact_id is not None:
            row = tx.one(contacts.BY_ID, aid=event.account_id, cid=event.contact_id)
            email = row["email"] if row is not None else None
        for hook in hooks:
            queue(
                tx,
                account_id=event.account_id,
                url=hook.url,
                type_=event.kind,
                email=email,
                pairs=pairs,
                at=event.at,
                webhook_id=hook.id,
            )
        self.on_work()

    def _contact(
        self,
        tx: Transaction,
        event: bus.DomainEvent,
        type_: str,
        contact_id: int,
        extra: Pairs | None = None,
        *,
        list_id: int = 0,
    ) -> None:
        queued = self._queued_in(tx)
        earlier = queued.get(contact_id, [])
        if earlier:
            # One request, one picture of the contact: deliveries queued earlier in this transaction (a sync
            # that also sets field values) carry the contact as it ends up, and it is one "update".
            self._refresh(tx, event.account_id, contact_id, earlier)
            if type_ == "update" and any(t in ("update", "subscribe") for t, *_ in earlier):
                return
        source = self._source(event)
        hooks = [
            h
            for h in webhooks.active(tx, account_id=event.account_id)
            if type_ in h.events
            and source in h.sources
            and (h.listid == 0 or type_ in LIST_AGNOSTIC or h.listid == list_id)
        ]
        if not hooks:
            return
        contact = contacts.require(tx, account_id=event.account_id, contact_id=contact_id)
        head = _head(type_, event, list_id, source)
        pairs = [*head, *contact_block(tx, contact, self.lookups), *TAIL, *(extra or [])]
        for hook in hooks:
            delivery_id = queue(
                tx,
                account_id=event.account_id,
                url=hook.url,
                type_=type_,
                email=contact.email,
                pairs=pairs,
                at=event.at,
                webhook_id=hook.id,
            )
            queued.setdefault(contact_id, []).append((type_, delivery_id, head, extra or []))
        self.on_work()

    def _source(self, event: bus.DomainEvent) -> str:
        return "system" if self.in_automation() else event.source

    def _queued_in(self, tx: Transaction) -> dict[int, list[Queued]]:
        """What this transaction queued so far, by contact (forgotten when the next transaction starts)."""
        if self._tx is not tx:
            self._tx, self._queued = tx, {}
        return self._queued

    def _refresh(self, tx: Transaction, account_id: int, contact_id: int, earlier: list[Queued]) -> None:
        contact = contacts.require(tx, account_id=account_id, contact_id=contact_id)
        block = contact_block(tx, contact, self.lookups)
        for _, delivery_id, head, extra in earlier:
            payload = json.dumps([*head, *block, *TAIL, *extra], separators=(",", ":"))
            tx.execute(SET_PAYLOAD, did=delivery_id, new_payload=payload)
