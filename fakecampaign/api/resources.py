"""The HTTP side of the registry: each resource's route modules, and its records as the state dump shows them.

The registry names HTTP modules by dotted path so that it stays free of FastAPI; they are imported here.
A module that renders a resource's state dump defines ``state_of(records, base_url) -> list``.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from fakecampaign.registry import Resource
from fakecampaign.resources.catalog import RESOURCES


def http_modules(resource: Resource) -> list[ModuleType]:
    return [importlib.import_module(name) for name in resource.http]


def state_of(dumps: dict[str, list[Any]], base_url: str) -> dict[str, list[Any]]:
    """Every registry dump in its wire shape, keyed as GET /_fakecampaign/state shows it."""
    shown: dict[str, list[Any]] = {}
    for resource in RESOURCES:
        if resource.name not in dumps:
            continue
        for module in http_modules(resource):
            render = getattr(module, "state_of", None)
            if render is not None:
                shown.update(render(dumps[resource.name], base_url))
    return shown


def sideloads_of(related: dict[str, dict[str, list[Any]]], base_url: str) -> dict[str, list[Any]]:
    """GET /contacts/{id}'s sideloads in their wire shapes: each resource's module renders its own records
    with ``sideload_of(records, base_url)``."""
    shown: dict[str, list[Any]] = {}
    for name, loads in related.items():
        render = _SIDELOAD_RENDERERS.get(name)
        if render is None:
            render = _SIDELOAD_RENDERERS[name] = _renderer(name)
        for key, records in loads.items():
            shown[key] = render(records, base_url)
    return shown


_SIDELOAD_RENDERERS: dict[str, Any] = {}


def load_sideload_renderers() -> None:
    """Import the modules that render GET /contacts/{id}'s sideloads now, with the hot routes, rather than on a
    first request: a handler must not import what fakecampaign/warmup.py's thread may be importing."""
    for resource in RESOURCES:
        if resource.sideload is not None and resource.name not in _SIDELOAD_RENDERERS:
            _SIDELOAD_RENDERERS[resource.name] = _renderer(resource.name)


def _renderer(name: str) -> Any:
    for resource in RESOURCES:
        if resource.name == name and resource.sideload_wire is not None:
            module = importlib.import_module(resource.sideload_wire)
            if hasattr(module, "sideload_of"):
                return module.sideload_of
    raise LookupError(f"resource {name!r} has a sideload hook but no sideload_wire module defines sideload_of")
