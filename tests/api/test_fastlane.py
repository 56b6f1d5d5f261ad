"""The hot routes run on Starlette routes in front of their FastAPI routes (api/fastlane.py); same answers."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import httpx
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fakecampaign.api import fastlane
from fakecampaign.api.track import track_event
from fakecampaign.api.v3.contacts import get_contact
from fakecampaign.app import create_app
from fakecampaign.clock import FrozenClock
from fakecampaign.config import Settings
from fakecampaign.testing.server import LiveServer

TOKEN = {"Api-Token": "fake-api-token"}


def test_each_hot_route_has_a_direct_route_in_front_of_its_fastapi_route() -> None:
    routes = create_app(Settings()).routes
    for method, path in fastlane.HOT:
        at = [i for i, r in enumerate(routes) if getattr(r, "path", None) == path and method in (r.methods or ())]
        first, second = (routes[i] for i in at[:2])
        assert type(first) is Route, path
        assert isinstance(second, APIRoute), path
        assert first.methods == second.methods
        # what it was moved past can never match a path it matches: fixed paths its pattern does not match
        assert all(fastlane.never_both(r, first) for r in routes[at[0] + 1 : at[1]] if type(r) is not Route)
    assert [(type(r), getattr(r, "path", None)) for r in routes[:2]] == [
        (Route, "/event"),  # POST /event is tried first, as before
        (Route, "/api/3/contacts/{contact_id}"),
    ]


def test_a_direct_route_moves_past_fixed_paths_it_cannot_match_only() -> None:
    async def endpoint() -> None: ...

    fast = Route("/api/3/contacts/{contact_id}", endpoint)
    assert fastlane.never_both(APIRoute("/api/3/contacts", endpoint), fast)
    assert fastlane.never_both(APIRoute("/api/3/contact/sync", endpoint), fast)
    assert not fastlane.never_both(APIRoute("/api/3/contacts/sync", endpoint), fast)  # a path both match
    assert not fastlane.never_both(APIRoute("/api/3/{rest}", endpoint), fast)  # a pattern: not decided, kept
    assert not fastlane.never_both(Route("/event", endpoint), fast)  # another direct route keeps its place


def test_the_hot_modules_routes_come_first_as_declared_each_lane_in_front_of_its_fastapi_route() -> None:
    # The lanes exist before any FastAPI route is built; in the complete table each is moved in front of its
    # FastAPI route, and the contact GET's further, past the fixed paths it never matches.
    routes = [(type(r).__name__, sorted(r.methods or ()), r.path) for r in create_app(Settings()).routes[:10]]
    contact = "/api/3/contacts/{contact_id}"
    assert routes == [
        ("Route", ["POST"], "/event"),
        ("Route", ["GET"], contact),
        ("APIRoute", ["POST"], "/event"),
        ("APIRoute", ["POST"], "/api/3/contacts"),
        ("APIRoute", ["POST"], "/api/3/contact/sync"),
        ("APIRoute", ["GET"], "/api/3/contacts"),
        ("APIRoute", ["GET"], contact),
        ("APIRoute", ["PUT"], contact),
        ("APIRoute", ["DELETE"], contact),
        ("APIRoute", ["POST"], "/_fakecampaign/accounts"),  # then the control plane
    ]


def test_documentation_routes_are_tried_last() -> None:
    app = create_app(Settings())
    paths = [getattr(r, "path", None) for r in app.routes]
    assert paths.index("/openapi.json") > paths.index("/_fakecampaign/health")
    assert "/api/3/contacts/{contact_id}" in app.openapi()["paths"]  # still documented


def test_the_direct_routes_answer_as_the_fastapi_routes_did() -> None:
    with LiveServer(Settings()) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        created = client.post("/api/3/contacts", headers=TOKEN, json={"contact": {"email": "fl@example.com"}})
        cid = created.json()["contact"]["id"]
        got = client.get(f"/api/3/contacts/{cid}", headers=TOKEN)
        assert got.status_code == 200
        assert got.json()["contact"]["id"] == cid
        assert client.get("/api/3/contacts/999999", headers=TOKEN).status_code == 404
        assert client.get("/api/3/contacts/abc", headers=TOKEN).status_code == 404
        head = client.head(f"/api/3/contacts/{cid}", headers=TOKEN)  # GET without the body (the middleware)
        assert head.status_code == 200
        assert head.content == b""
        form = {"actid": "123456789", "key": "fake-event-key", "event": "e", "visit": '{"email":"fl@example.com"}'}
        assert client.post("/event", data=form).json() == {"success": 1, "message": "Event spawned"}


def test_the_direct_routes_answer_byte_for_byte_as_the_fastapi_routes() -> None:
    """The same calls to an app with the direct routes and to one without: same status, headers and body, errors
    included (a direct route's errors reach the app's handlers without Starlette's per-route wrapper)."""
    at = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    direct, plain = (create_app(Settings(), clock=FrozenClock(at)) for _ in range(2))  # same times and hashes
    plain.router.routes[:] = [r for r in plain.router.routes if not (type(r) is Route and r.name.endswith("_direct"))]
    form = {"actid": "123456789", "key": "fake-event-key", "event": "e", "visit": '{"email":"fl@example.com"}'}
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "/api/3/contacts/1", {"headers": TOKEN}),
        ("HEAD", "/api/3/contacts/1", {"headers": TOKEN}),
        ("GET", "/api/3/contacts/999999", {"headers": TOKEN}),
        ("GET", "/api/3/contacts/abc", {"headers": TOKEN}),
        ("GET", "/api/3/contacts/1", {}),
        ("GET", "/api/3/contacts/1", {"headers": {"Api-Token": "wrong"}}),
        ("PATCH", "/api/3/contacts/1", {"headers": TOKEN}),
        ("POST", "/event", {"data": form}),
        ("POST", "/event", {"data": {**form, "key": "wrong"}}),
        ("POST", "/event", {"data": {"event": "e"}}),
    ]

    async def answers(app: FastAPI) -> list[tuple[int, list[tuple[str, str]], bytes]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8080") as client:
            created = await client.post("/api/3/contacts", headers=TOKEN, json={"contact": {"email": "b@example.com"}})
            assert created.status_code == 201
            got = [await client.request(method, path, **kwargs) for method, path, kwargs in calls]
        return [(r.status_code, [h for h in r.headers.multi_items() if h[0] != "date"], r.content) for r in got]

    assert asyncio.run(answers(direct)) == asyncio.run(answers(plain))


def test_an_endpoint_that_needs_fastapi_gets_no_direct_route() -> None:
    async def needs_a_query(limit: int) -> dict[str, int]:
        return {"limit": limit}

    async def needs_a_number(contact_id: int, request: Request) -> Response:
        return Response()

    assert not fastlane.direct(needs_a_query, "/x")
    assert not fastlane.direct(needs_a_number, "/x/{contact_id}")
    assert not fastlane.direct(get_contact, "/contacts/{id}")  # its parameter is not a path parameter there
    assert fastlane.direct(get_contact, "/contacts/{contact_id}")
    assert fastlane.direct(track_event, "/event")


def test_event_bodies_parse_as_the_standard_library_parses_them() -> None:
    from fakecampaign.api.track import _fields

    rng = random.Random(11)
    cases = ["", "a", "a=", "&&a=1&&", "a=1&a=2", "x+y=1+2", "k=%E2%82%AC", "k=%ZZ", "k=%", "a==b", "=v", "a;b=1"]
    cases += ["".join(rng.choice("ab=&%+2F;é") for _ in range(rng.randint(0, 12))) for _ in range(5000)]
    for body in cases:
        assert _fields(body) == dict(parse_qsl(body, keep_blank_values=True)), body
