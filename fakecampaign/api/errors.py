"""The one place AC error bodies are rendered: fakecampaign's own errors, FastAPI's validation errors,
unknown routes, wrong methods and anything unexpected. Nothing reaches a client as ``{"detail": ...}``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from fakecampaign.api.nearest import not_emulated_hint
from fakecampaign.errors import (
    ACError,
    BadRequest,
    BodyTimeout,
    Envelope,
    FieldProblem,
    InternalError,
    MethodNotAllowed,
    PayloadTooLarge,
    ShapedError,
    UnknownRoute,
    UnprocessableEntity,
)
from fakecampaign.schemas.common import Wire
from fakecampaign.schemas.errors import ErrorItem, ErrorSource, ErrorsOut, MessageErrorOut, ShapedErrorOut
from fakecampaign.schemas.tracking import EmptyObject, TrackReply

log = logging.getLogger("fakecampaign")
ERROR_HEADER = "X-Fakecampaign-Error"
CONTROL_PREFIX = "/_fakecampaign/"
MAX_HINT = 300


def _empty(_: ACError) -> Wire:
    return EmptyObject()


def _message(error: ACError) -> Wire:
    return MessageErrorOut(message=error.message)


def _errors(error: ACError) -> Wire:
    problems = error.problems if isinstance(error, UnprocessableEntity) else []
    return ErrorsOut(errors=[_problem(p) for p in problems])


def _problem(p: FieldProblem) -> ErrorItem:
    return ErrorItem(title=p.title, detail=p.detail, code=p.code, source=ErrorSource(pointer=p.pointer))


def _track(error: ACError) -> Wire:
    return TrackReply(success=0, message=error.message)


def _raw(error: ACError) -> Wire:
    assert isinstance(error, ShapedError)
    return ShapedErrorOut(**error.body())


# Each envelope's body comes from its model in schemas/, the same one /docs shows.
BODIES: dict[Envelope, Callable[[ACError], Wire]] = {
    "empty": _empty,
    "message": _message,
    "errors": _errors,
    "track": _track,
    "raw": _raw,
}


def render(error: ACError) -> Response:
    """The AC body for this error, plus a header that says how to fix the call."""
    body = BODIES[error.envelope](error).model_dump_json()
    headers = {ERROR_HEADER: _header_safe(error.hint)}
    if isinstance(error, MethodNotAllowed) and error.fields.get("allow"):
        headers["Allow"] = error.fields["allow"]  # RFC 9110 §15.5.6: a 405 says which methods would do
    if isinstance(error, BodyTimeout):
        headers["Connection"] = "close"  # the rest of a stalled body must not be read as the next request
    return Response(body, status_code=error.status_code, media_type="application/json", headers=headers)


def _header_safe(text: str) -> str:
    """Printable ASCII only: a hint may quote the caller's input, and header values must not carry controls."""
    flat = " ".join(text.split())[:MAX_HINT]
    return "".join(c if " " <= c <= "~" else c.encode("unicode_escape").decode("ascii") for c in flat)


BARE_400 = "_fakecampaign_bare_400"
E = TypeVar("E", bound=Callable[..., Any])


def answers_bare_400(endpoint: E) -> E:
    """Mark a route whose only documented error is AC's ``400 {}`` (PUT /eventTracking, POST
    /eventTrackingEvents, POST /contact/sync [DOC-OAS]): a missing or invalid field is that 400, not a 422."""
    setattr(endpoint, BARE_400, True)
    return endpoint


def from_validation(errors: Sequence[Any], *, full_pointer: bool = False, bare: bool = False) -> ACError:
    """FastAPI's RequestValidationError as AC would answer. G18: 400 {} for an unreadable body, else 422
    (or 400 {} too on a route marked ``answers_bare_400``; the header still names the field).

    AC points at ``/data/attributes/<field>``; the control plane (``full_pointer``) points at the whole path,
    so a typo deep in a fixtures body names its entry."""
    if any(e.get("type") == "json_invalid" for e in errors):
        return BadRequest(hint="The body is not valid JSON")
    if any(tuple(e.get("loc", ())) == ("body",) for e in errors):
        return BadRequest(hint="A JSON object body is required")
    invalid = UnprocessableEntity([_field_problem(e, full_pointer) for e in errors])
    return BadRequest(hint=invalid.hint) if bare else invalid


def _field_problem(error: dict[str, Any], full_pointer: bool) -> FieldProblem:
    loc = [str(part) for part in error.get("loc", ()) if part != "body"]
    missing = error.get("type") == "missing"
    title = f"{'.'.join(loc) or 'body'} is required" if missing else str(error.get("msg", "Invalid value"))
    code = "field_missing" if missing else "invalid"
    pointer = "/" + "/".join(loc) if full_pointer else "/data/attributes/" + (loc[-1] if loc else "")
    return FieldProblem(title=title, code=code, pointer=pointer)


def _allowed(request: Request) -> str:
    """Every method some route serves on this path (Starlette's 405 names only the first route's)."""
    path = request.url.path
    methods = {
        method
        for route in request.app.routes
        if (regex := getattr(route, "path_regex", None)) is not None and regex.match(path)
        for method in getattr(route, "methods", None) or ()
    }
    if "GET" in methods:
        methods.add("HEAD")  # the middleware answers HEAD for every GET route
    return ", ".join(sorted(methods))


def from_http(request: Request, exc: HTTPException) -> ACError:
    """Starlette's own 404/405/400 (unknown route, wrong method, unreadable body) as AC errors."""
    if exc.status_code == 404:
        hint = not_emulated_hint(request.app.routes, request.method, request.url.path)
        return UnknownRoute(method=request.method, path=request.url.path, hint=hint)
    if exc.status_code == 405:
        return MethodNotAllowed(method=request.method, path=request.url.path, allow=_allowed(request))
    if exc.status_code == 413:
        return PayloadTooLarge(limit=request.app.state.settings.max_body_bytes)
    return BadRequest(hint=str(exc.detail))


def install(app: FastAPI) -> None:
    """Register the handlers; Starlette looks handlers up by MRO, so ``ACError`` covers every subclass."""

    async def on_ac_error(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, ACError)
        return render(exc)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        control = request.url.path.startswith(CONTROL_PREFIX)
        bare = getattr(getattr(request.scope.get("route"), "endpoint", None), BARE_400, False)
        return render(from_validation(exc.errors(), full_pointer=control, bare=bare))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return render(from_http(request, exc))

    async def on_anything(_: Request, exc: Exception) -> Response:
        log.exception("unexpected error", exc_info=exc)
        return render(InternalError())

    app.add_exception_handler(ACError, on_ac_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(Exception, on_anything)
