"""The registry is the one list: every account-owned table is in it, and its generic users read it."""

from __future__ import annotations

from typing import Any

import pytest

from fakecampaign.api.router import V3_PREFIX
from fakecampaign.app import create_app
from fakecampaign.config import Settings
from fakecampaign.registry import owned_tables
from fakecampaign.resources.catalog import RESOURCES
from fakecampaign.services import accounts
from fakecampaign.tables import METADATA


def test_every_account_owned_table_is_registered() -> None:
    owning = {t.name for t in METADATA.tables.values() if "account_id" in t.c}
    assert owning == {t.name for t in owned_tables(RESOURCES)}


def test_reset_and_delete_read_the_registry() -> None:
    assert owned_tables(RESOURCES) == accounts.OWNED


def test_children_are_cleared_before_their_parents() -> None:
    order = [t.name for t in owned_tables(RESOURCES)]
    for table in owned_tables(RESOURCES):
        for fk in table.foreign_keys:
            parent = fk.column.table.name
            if parent in order:
                assert order.index(table.name) < order.index(parent), (table.name, parent)


def test_resource_names_are_unique() -> None:
    names = [r.name for r in RESOURCES]
    assert len(names) == len(set(names))


def test_every_registered_http_module_is_routed() -> None:
    app = create_app(Settings())
    paths = {getattr(route, "path", "") for route in app.routes}
    assert f"{V3_PREFIX}/contacts/{{contact_id}}" in paths
    assert f"{V3_PREFIX}/trackingLogs" in paths


def test_a_contact_without_relations_costs_one_query_on_the_hot_get(monkeypatch: pytest.MonkeyPatch) -> None:
    from fakecampaign.db import Transaction
    from fakecampaign.services import contacts
    from fakecampaign.services.contacts import ContactChanges

    app = create_app(Settings())
    store = app.state.store
    account = accounts.list_all(store)[0]
    contact = contacts.create(store, account=account, changes=ContactChanges(email="hot@example.com"))
    run = Transaction._run
    seen: list[str] = []

    def counting(self: Transaction, stmt: Any, params: Any) -> Any:
        seen.append(str(stmt))
        return run(self, stmt, params)

    monkeypatch.setattr(Transaction, "_run", counting)
    found, related = contacts.get_with_relations(store, account=account, contact_id=contact.id)
    assert found.id == contact.id
    assert related == {}
    assert len(seen) == 1  # the contact's SELECT, which also probes every sideload table
    store.db.dispose()
