"""The route table: every route the app serves, in one place."""

from __future__ import annotations

import copy
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.utils import generate_unique_id
from starlette.routing import compile_path

from fakecampaign.api import fastlane, track
from fakecampaign.api.lazy_router import LazyRouter
from fakecampaign.api.resources import http_modules
from fakecampaign.registry import Resource
from fakecampaign.resources.catalog import RESOURCES
from fakecampaign.schemas.errors import ErrorsOut, MessageErrorOut
from fakecampaign.schemas.tracking import EmptyObject

V3_PREFIX = "/api/3"

# What /docs shows for failures: AC's envelopes, never FastAPI's {"detail": ...}.
AC_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": EmptyObject, "description": "AC's bare 400 {} (unreadable body or bad parameter)"},
    403: {"model": MessageErrorOut, "description": "Missing or unknown Api-Token"},
    404: {"model": MessageErrorOut, "description": "No Result found for ... with id ..."},
    422: {"model": ErrorsOut, "description": "Invalid or duplicate field"},
}
CONTROL_ERRORS: dict[int | str, dict[str, Any]] = {code: AC_ERRORS[code] for code in (400, 403, 404, 422)}


def include_routes(app: FastAPI) -> None:
    include_hot_routes(app)
    include_cold_routes(app)


# Routes are tried in order, so the hot ones (/event, contacts) come first.
# The pytest plugin creates and deletes an account per test, so the control plane comes early too.
# Every v3 route comes from the registry (fakecampaign/resources/catalog.py).
# The two halves can be built apart (fakecampaign/warmup.py): the hot ones first, the cold ones appended after.
# The hot half is only the two fast lanes (api/fastlane.py): the hot modules declare their routes on a LazyRouter
# (api/lazy_router.py), whose FastAPI routes are built with the cold half and placed right behind the lanes.


def include_hot_routes(app: FastAPI) -> None:
    """The fast lanes of ``POST /event`` and ``GET /api/3/contacts/{id}``: no FastAPI route is built yet."""
    fastlane.install(app, [(prefix, route) for prefix, router in _hot_routers() for route in router.declared])


def import_cold_routes() -> None:
    """Import every module ``include_cold_routes`` reads and build the hot modules' FastAPI routes, so that it
    only moves routes: the import can run on another thread, the moving on the event loop."""
    from fakecampaign.api import control, control_engine, control_faults, openapi  # noqa: F401

    for _, router in _hot_routers():
        router.build()
    for resource in RESOURCES:
        if not resource.hot:
            http_modules(resource)


def include_cold_routes(app: FastAPI) -> None:
    """The hot modules' FastAPI routes (documentation, and contacts' other routes), each lane moved in front of
    its own, then everything else."""
    from fakecampaign.api import control, control_engine, control_faults, openapi

    _add_flat(app, track.router)
    for resource in RESOURCES:
        if resource.hot:
            _add_resource(app, resource)
    fastlane.seat(app)
    _add_flat(app, control.router, responses=CONTROL_ERRORS)
    _add_flat(app, control_engine.router, responses=CONTROL_ERRORS)
    _add_flat(app, control_faults.router, responses=CONTROL_ERRORS)
    for resource in RESOURCES:
        if not resource.hot:
            _add_resource(app, resource)
    _add_flat(app, control.health_router)
    openapi.install(app, v3_prefix=V3_PREFIX)
    fastlane.docs_last(app)


def _hot_routers() -> list[tuple[str, LazyRouter]]:
    """(path prefix, router) of /event's module and the hot resources' (contacts), in route table order."""
    hot = [(V3_PREFIX, module.router) for r in RESOURCES if r.hot for module in http_modules(r)]
    return [("", track.router), *hot]


def _add_resource(app: FastAPI, resource: Resource) -> None:
    for module in http_modules(resource):
        _add_flat(app, module.router, prefix=V3_PREFIX, responses=AC_ERRORS)


def _add_flat(
    app: FastAPI,
    router: APIRouter | LazyRouter,
    *,
    prefix: str = "",
    responses: dict[int | str, Any] | None = None,
) -> None:
    """Put a module's routes on the app itself rather than ``include_router``: FastAPI 0.165 matches
    included routers through an extra layer that cost about a quarter of a request (README "Performance").

    The routes the module built are moved, not rebuilt (building a route twice cost ~15% of start-up); the
    extra error responses are only documentation, so their models are built when /docs first asks (openapi.py).
    """
    for built in router.routes:
        assert isinstance(built, APIRoute)
        route = copy.copy(built)  # the module's own stays as built: every app (tests make many) prefixes its copy
        route.response_fields = dict(built.response_fields)
        if prefix:
            route.path = prefix + route.path
            route.path_regex, route.path_format, route.param_convertors = compile_path(route.path)
            route.unique_id = route.operation_id or generate_unique_id(route)
        route.responses = {**(responses or {}), **route.responses}
        app.router.routes.append(route)
