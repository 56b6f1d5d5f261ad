"""The route table: every router the app serves, in one place."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI

from fakecampaign.api import control, track
from fakecampaign.api.v3 import contacts, logs, misc, tracking
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


def include_routes(app: FastAPI) -> None:
    v3 = APIRouter(prefix=V3_PREFIX, responses=AC_ERRORS)
    for module in (misc, contacts, tracking, logs):
        v3.include_router(module.router)
    app.include_router(v3)
    app.include_router(track.router)
    app.include_router(control.health_router)
    app.include_router(control.router, responses={403: AC_ERRORS[403], 404: AC_ERRORS[404], 422: AC_ERRORS[422]})
