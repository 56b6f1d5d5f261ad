"""What a resource declares once, so that everything iterating resources reads one list.

``fakecampaign/resources/catalog.py`` holds ``RESOURCES``, the one list: account delete and reset clear the
tables it names, the state dump and the fixtures loader call its hooks, the route table imports its HTTP
modules and the contact-delete cascade runs what foreign keys do not cover. Adding a resource is one folder
plus one line there (../shared/reference/architecture-next.md, "A shape that keeps a resource to one folder").

This module is domain-level: it never imports FastAPI. HTTP modules are named by dotted path and imported
only by the API layer (``api/router.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table

from fakecampaign.errors import ACError, InvalidFixture

if TYPE_CHECKING:
    from fakecampaign.db import Transaction
    from fakecampaign.services.records import AccountRecord
    from fakecampaign.services.store import Store

# (transaction, account id) -> the account's records of this resource, for GET /_fakecampaign/state.
Dump = Callable[["Transaction", int], list[Any]]
# (store, account, the resource's part of a fixtures entry, its source, where it sits) -> loads it; each bad
# entry raises InvalidFixture (wrap each entry in ``fixture_entry``).
Seed = Callable[["Store", "AccountRecord", Any, str, str], None]
# (transaction, account id, contact id) -> deletes what a foreign key does not cascade (hot tables).
Cascade = Callable[["Transaction", int, int], None]
# (transaction, account id, contact id) -> sideloads for GET /contacts/{id}, as {key: records}.
Sideload = Callable[["Transaction", int, int], dict[str, list[Any]]]


@dataclass(frozen=True, slots=True)
class Resource:
    """One resource (or family of resources) and the hooks the generic code calls."""

    name: str
    tables: tuple[Table, ...]  # every table owning account rows, parents first (cleared children first)
    http: tuple[str, ...] = ()  # dotted modules with a ``router`` (and, for dumps, ``state_of``)
    hot: bool = False  # routes placed before the control plane: the router tries routes in order
    dump: Dump | None = None
    seed: Seed | None = None
    contact_cascade: Cascade | None = None
    sideload: Sideload | None = None
    # The table (with a contact_id column) whose rows the sideload shows: GET /contacts/{id} probes every such
    # table in one UNION ALL and calls only the hooks that have rows (it is a hot path; most contacts have none).
    sideload_table: Table | None = None
    # The dotted module whose ``sideload_of(records, base_url)`` renders the sideload: a light one (schemas, not
    # routes), so that GET /contacts/{id} is served before the routes are imported (fakecampaign/warmup.py).
    sideload_wire: str | None = None


def owned_tables(resources: tuple[Resource, ...]) -> tuple[Table, ...]:
    """Every account-owned table, children before parents: the order a reset deletes in."""
    ordered = [table for resource in resources for table in resource.tables]
    return tuple(reversed(ordered))


@contextmanager
def fixture_entry(source: str, pointer: str) -> Iterator[None]:
    """Turn an AC error raised while loading one fixtures entry into InvalidFixture naming that entry."""
    try:
        yield
    except ACError as error:
        if isinstance(error, InvalidFixture):
            raise
        raise InvalidFixture(source, pointer, error.hint) from None
