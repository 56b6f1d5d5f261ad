"""The route table: every router the app serves, in one place."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from fakecampaign.api import control, track
from fakecampaign.api.v3 import contacts, logs, misc, tracking

V3_PREFIX = "/api/3"


def include_routes(app: FastAPI) -> None:
    v3 = APIRouter(prefix=V3_PREFIX)
    for module in (misc, contacts, tracking, logs):
        v3.include_router(module.router)
    app.include_router(v3)
    app.include_router(track.router)
    app.include_router(control.health_router)
    app.include_router(control.router)
