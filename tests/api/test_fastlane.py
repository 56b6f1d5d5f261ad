"""The hot routes run on Starlette routes in front of their FastAPI routes (api/fastlane.py); same answers."""

from __future__ import annotations

import random
from urllib.parse import parse_qsl

import httpx
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fakecampaign.api import fastlane
from fakecampaign.api.track import track_event
from fakecampaign.api.v3.contacts import get_contact
from fakecampaign.app import create_app
from fakecampaign.config import Settings
from fakecampaign.testing.server import LiveServer

TOKEN = {"Api-Token": "fake-api-token"}


def test_each_hot_route_has_a_direct_route_just_before_its_fastapi_route() -> None:
    routes = create_app(Settings()).routes
    for method, path in fastlane.HOT:
        at = [i for i, r in enumerate(routes) if getattr(r, "path", None) == path and method in (r.methods or ())]
        first, second = (routes[i] for i in at[:2])
        assert type(first) is Route, path
        assert isinstance(second, APIRoute), path
        assert first.methods == second.methods


def test_the_hot_modules_routes_come_first_as_declared_each_lane_just_before_its_fastapi_route() -> None:
    # As ever: the lanes exist before any FastAPI route is built, but the complete table is the same.
    routes = [(type(r).__name__, sorted(r.methods or ()), r.path) for r in create_app(Settings()).routes[:10]]
    contact = "/api/3/contacts/{contact_id}"
    assert routes == [
        ("Route", ["POST"], "/event"),
        ("APIRoute", ["POST"], "/event"),
        ("APIRoute", ["POST"], "/api/3/contacts"),
        ("APIRoute", ["POST"], "/api/3/contact/sync"),
        ("APIRoute", ["GET"], "/api/3/contacts"),
        ("Route", ["GET"], contact),
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
