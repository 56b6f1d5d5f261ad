"""The registry is the one list: every account-owned table is in it, and its generic users read it."""

from __future__ import annotations

from sqlmodel import SQLModel

from fakecampaign.api.router import V3_PREFIX
from fakecampaign.app import create_app
from fakecampaign.config import Settings
from fakecampaign.registry import owned_tables
from fakecampaign.resources.catalog import RESOURCES
from fakecampaign.services import accounts


def test_every_account_owned_table_is_registered() -> None:
    owning = {t.name for t in SQLModel.metadata.tables.values() if "account_id" in t.c}
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
