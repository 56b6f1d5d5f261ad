"""One engine per app: the runner, the webhook producers and the dispatcher, subscribed to the store's bus."""

from __future__ import annotations

from dataclasses import dataclass

from fakecampaign.engine import crm
from fakecampaign.engine.delivery import Dispatcher
from fakecampaign.engine.payloads import WebhookEvents
from fakecampaign.engine.runner import Runner
from fakecampaign.services.store import Store


@dataclass(frozen=True, slots=True)
class Engine:
    runner: Runner
    dispatcher: Dispatcher


def build(store: Store, *, smtp_url: str | None, webhook_timeout: float) -> Engine:
    """Subscribe the engine to ``store.bus``; ``dispatcher.start()`` must then run on the serving loop."""
    runner = Runner(store, relay=smtp_url is not None)
    dispatcher = Dispatcher(runner, timeout=webhook_timeout, smtp_url=smtp_url)
    runner.on_work = dispatcher.wake
    crm.plug_in(runner)  # tag and list actions and lookups, through their own services
    runner.subscribe(store.bus)
    hooks = WebhookEvents(store, runner.lookups, dispatcher.wake)
    hooks.in_automation = lambda: runner.acting
    hooks.subscribe(store.bus)
    return Engine(runner, dispatcher)
