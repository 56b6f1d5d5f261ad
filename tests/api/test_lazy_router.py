"""A LazyRouter builds, when first read, exactly the routes APIRouter's decorators build (api/lazy_router.py)."""

from __future__ import annotations

import pytest
from fastapi import APIRouter
from fastapi.routing import APIRoute
from pydantic import BaseModel

from fakecampaign.api.lazy_router import LazyRouter


class Thing(BaseModel):
    id: int


def declare(router: APIRouter | LazyRouter) -> None:
    @router.get("/things/{thing_id}", response_model=Thing, name="one_thing")
    async def get_thing(thing_id: int) -> Thing:
        return Thing(id=thing_id)

    @router.post("/things", status_code=201, response_model=Thing)
    async def create_thing(thing: Thing) -> Thing:
        return thing


def shape(route: object) -> tuple[object, ...]:
    assert isinstance(route, APIRoute)
    return (route.path, route.methods, route.name, route.status_code, route.response_model, route.tags)


def test_the_routes_are_the_ones_the_decorators_would_have_built_in_the_declared_order() -> None:
    eager, lazy = APIRouter(tags=["T"]), LazyRouter(tags=["T"])
    declare(eager)
    declare(lazy)
    assert [(d.method, d.path, d.name) for d in lazy.declared] == [
        ("GET", "/things/{thing_id}", "one_thing"),
        ("POST", "/things", "create_thing"),
    ]
    assert [shape(r) for r in lazy.routes] == [shape(r) for r in eager.routes]
    assert lazy.routes is lazy.routes  # built once


def test_a_route_declared_after_the_build_is_refused() -> None:
    router = LazyRouter()
    declare(router)
    router.build()
    with pytest.raises(RuntimeError, match="declared after the routes were built"):
        router.get("/late")(shape)
