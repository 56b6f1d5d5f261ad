"""The two hot routes skip FastAPI's per-request machinery; the documentation routes go to the end of the table.

``POST /event`` and ``GET /api/3/contacts/{id}`` take only the request (and string path parameters) and return a
ready ``Response``, so FastAPI's dependency solving, parameter validation and response wrapping do nothing for
them but still cost about a fifth of an in-process request. Each gets a plain Starlette route in front of its
FastAPI route, calling the same endpoint function: same code, same errors (the app's exception handlers serve
both kinds of route), and the FastAPI route stays for /docs. Routes are tried in order, so /openapi.json, /docs
and /redoc, which FastAPI registers first, move behind everything else, and each lane moves ahead of the routes
before its FastAPI route that can never match the same path (fixed paths its pattern does not match): trying
them first cost GET /api/3/contacts/{id} four failed matches a call. README "Performance".

The lanes are made from the endpoints as their modules declare them (api/lazy_router.py), before any FastAPI
route is built: ``install`` puts them in the hot app, ``seat`` moves each in front of its FastAPI route once
those are built (with the rest of the app, fakecampaign/warmup.py).
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, compile_path
from starlette.types import Receive, Scope, Send

from fakecampaign.api.lazy_router import Declared

HOT = frozenset({("POST", "/event"), ("GET", "/api/3/contacts/{contact_id}")})


def install(app: FastAPI, declared: Iterable[tuple[str, Declared]]) -> None:
    """A lane for each hot route among ``declared`` ((path prefix, declaration) pairs) that qualifies."""
    for prefix, route in declared:
        path = prefix + route.path
        if (route.method, path) in HOT and direct(route.endpoint, path):
            app.router.routes.append(lane(route.method, path, route.endpoint, route.name))
    docs_last(app)


def seat(app: FastAPI) -> None:
    """Move each lane in front of the FastAPI route it stands for (added after it), then on ahead of the routes
    it can never share a path with (``never_both``): routes are tried in order, and the other routes of its path
    (PUT, DELETE contact) come after the lane, as they always did."""
    routes = app.router.routes
    for fast in [r for r in routes if type(r) is Route and any((m, r.path) in HOT for m in r.methods or ())]:
        twins = (r for r in routes if isinstance(r, APIRoute) and (r.path, r.methods) == (fast.path, fast.methods))
        twin = next(twins, None)
        if twin is not None:
            routes.remove(fast)
            at = routes.index(twin)
            while at > 0 and never_both(routes[at - 1], fast):
                at -= 1
            routes.insert(at, fast)


def never_both(route: BaseRoute, fast: Route) -> bool:
    """True when no request path matches both routes, so their order changes no answer: ``route`` has a fixed
    path (no parameters) that ``fast``'s pattern does not match. Another lane is never passed: the hot routes
    keep their order (POST /event stays first)."""
    return type(route) is APIRoute and not route.param_convertors and fast.path_regex.match(route.path) is None


def docs_last(app: FastAPI) -> None:
    docs = {app.openapi_url, app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url} - {None}
    app.router.routes.sort(key=lambda route: getattr(route, "path", None) in docs)  # stable: only the docs move


def direct(endpoint: Callable[..., Any], path: str) -> bool:
    """True when the endpoint needs nothing from FastAPI: a ``Request``, string path parameters, a Response."""
    hints = typing.get_type_hints(endpoint)
    if hints.get("return") is not Response:
        return False
    path_params = compile_path(path)[2]
    for name in inspect.signature(endpoint).parameters:
        kind = hints.get(name)
        if not (kind is Request or (kind is str and name in path_params)):
            return False
    return True


def lane(method: str, path: str, endpoint: Callable[..., Awaitable[Response]], name: str) -> Route:
    fast = Route(path, Lane(endpoint), methods=[method], name=f"{name}_direct", include_in_schema=False)
    fast.methods = {method}  # Starlette adds HEAD to a GET route; the FastAPI route has none
    return fast


class Lane:
    """A direct route's ASGI app: the endpoint called with the request and its path parameters, its response
    sent. An exception is handled by the app's handlers in Starlette's ExceptionMiddleware, as it would be by
    the route-level wrapper Starlette puts around a function endpoint (the same handlers, from the scope), which
    cost ~3% of a contact GET. Being an instance, not a function, is what makes Starlette call it as is."""

    def __init__(self, endpoint: Callable[..., Awaitable[Response]]) -> None:
        self.endpoint = endpoint
        self.takes_request = "request" in inspect.signature(endpoint).parameters

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kwargs: dict[str, Any] = dict(scope["path_params"])
        if self.takes_request:
            kwargs["request"] = Request(scope, receive, send)
        response = await self.endpoint(**kwargs)
        await response(scope, receive, send)
