"""A route module's ``router`` that builds its FastAPI routes when they are first read, not at import.

Building an ``APIRoute`` is the costly part of a route module: its request and response models' fields, and for
the first response model FastAPI's compatibility layer (``pydantic.v1``). The modules of the two hot paths
(api/track.py, api/v3/contacts.py) declare their routes on a ``LazyRouter``: importing them costs only their
endpoint functions, which the fast lanes (api/fastlane.py) call directly, so ``fakecampaign serve`` serves
both hot paths before any FastAPI route is built; their ``APIRoute``s (for /docs, and every other contacts
route) are built with the rest of the app (fakecampaign/warmup.py, README G140).

The decorators are ``APIRouter``'s (``get``, ``post``, ``put``, ``delete``): each declaration is replayed on a
real ``APIRouter``, in order, so the routes are exactly the ones the decorators would have built at import.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import APIRouter
from starlette.routing import BaseRoute

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Declared:
    """One ``@router.<method>(path, **options)`` declaration."""

    method: str  # upper case, as FastAPI stores a route's methods
    path: str
    endpoint: Callable[..., Any]
    options: dict[str, Any]

    @property
    def name(self) -> str:
        """The route's name, as FastAPI names it."""
        name = self.options.get("name")
        return name if isinstance(name, str) else self.endpoint.__name__


class LazyRouter:
    def __init__(self, **options: Any) -> None:
        self._options = options  # APIRouter's (tags, ...)
        self.declared: list[Declared] = []
        self._built: APIRouter | None = None
        self._lock = threading.Lock()  # built on the warm-up thread, read on the loop's (warmup.py)

    def get(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        return self._declare("GET", path, options)

    def post(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        return self._declare("POST", path, options)

    def put(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        return self._declare("PUT", path, options)

    def delete(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        return self._declare("DELETE", path, options)

    def _declare(self, method: str, path: str, options: dict[str, Any]) -> Callable[[Endpoint], Endpoint]:
        def declare(endpoint: Endpoint) -> Endpoint:
            if self._built is not None:
                raise RuntimeError(f"{method} {path} is declared after the routes were built")
            self.declared.append(Declared(method, path, endpoint, options))
            return endpoint

        return declare

    @property
    def routes(self) -> list[BaseRoute]:
        """The FastAPI routes, built on the first read."""
        return self.build().routes

    def build(self) -> APIRouter:
        """The ``APIRouter`` of the declared routes, built once: every app moves copies of them (api/router.py)."""
        with self._lock:
            if self._built is None:
                router = APIRouter(**self._options)
                for route in self.declared:
                    getattr(router, route.method.lower())(route.path, **route.options)(route.endpoint)
                self._built = router
            return self._built
