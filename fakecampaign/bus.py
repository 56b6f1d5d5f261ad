"""A small domain-event bus: services publish what happened, the engine reacts, inside the same transaction.

Why inside the write transaction: an automation run, an outbox email or a pending webhook delivery is recorded
atomically with the change that caused it, so a test that asserts right after its request returns sees it
(no sleeps), and a failed write leaves no trace of its consequences. Anything slow (an HTTP delivery, an SMTP
relay) is *recorded* here and performed later by a background task, outside any transaction.

Services never import the engine; ``app.py`` subscribes it. Handlers receive the open transaction and the
event, and must not await.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from fakecampaign.db import Transaction


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainEvent:
    """Something that happened to one account's data. ``initiated_by`` mirrors AC's webhook field
    ("public", "admin", "api", "system"); ``source`` is AC's ``initiated_from`` ("api", "admin", "system",
    "public")."""

    account_id: int
    at: int  # epoch seconds, from the store's clock
    source: str = "api"


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactCreated(DomainEvent):
    contact_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactUpdated(DomainEvent):
    contact_id: int
    changed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactDeleted(DomainEvent):
    contact_id: int
    email: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EventWritten(DomainEvent):
    """A tracked event that was stored (a dropped ``/event`` call publishes nothing)."""

    contact_id: int
    name: str
    data: str
    tracking_log_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class EventDropped(DomainEvent):
    """An ``/event`` call for a known account that was answered but not written (tracking off, unknown
    contact): nothing runs, but the automations it would have started journal why."""

    email: str
    name: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AutomationDefined(DomainEvent):
    """An automation was added to the account (fixtures): lets the engine keep its /event shortcut exact."""

    automation_id: int
    trigger: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TagAdded(DomainEvent):
    contact_id: int
    tag_id: int
    tag: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TagRemoved(DomainEvent):
    contact_id: int
    tag_id: int
    tag: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ListSubscribed(DomainEvent):
    contact_id: int
    list_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ListUnsubscribed(DomainEvent):
    contact_id: int
    list_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldValueChanged(DomainEvent):
    contact_id: int
    field_id: int
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DealChanged(DomainEvent):
    """A deal was added (``kind="deal_add"``), updated (``"deal_update"``) or deleted; AC's webhook names."""

    deal_id: int
    contact_id: int | None
    kind: str
    changed: tuple[str, ...] = ()


E = TypeVar("E", bound=DomainEvent)
Handler = Callable[["Transaction", Any], None]


@dataclass(slots=True)
class Bus:
    """Handlers by event type; ``publish`` calls them in subscription order, synchronously."""

    _handlers: dict[type[DomainEvent], list[Handler]] = field(default_factory=dict)

    def subscribe(self, kind: type[E], handler: Callable[[Transaction, E], None]) -> None:
        self._handlers.setdefault(kind, []).append(handler)

    def publish(self, tx: Transaction, event: DomainEvent) -> None:
        for handler in self._handlers.get(type(event), ()):
            handler(tx, event)

    def wants(self, kind: type[DomainEvent]) -> bool:
        """True when anyone listens: lets a hot path skip building an event nobody reads."""
        return kind in self._handlers
