"""trackcmp.net's POST /event: form fields actid, key, event, eventdata, visit (ac-api-facts.md §4).

Fields are read from the form body (urlencoded or multipart, as Postman sends) and, failing that, from the
query string, which some clients use instead ([NODE#35]); a stray ``api_key`` is ignored ([PHP], [NODE]).
G7: only POST is served; whether trackcmp accepts GET is unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote_plus

from fastapi import Request, Response
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from fakecampaign.api.deps import remember_account, store_of
from fakecampaign.api.docs import documented
from fakecampaign.api.lazy_router import LazyRouter
from fakecampaign.api.middleware import BODY_STATE_KEY
from fakecampaign.errors import TrackError
from fakecampaign.schemas.tracking import EVENT_SPAWNED, EVENT_SPAWNED_JSON, TrackReply
from fakecampaign.services import events
from fakecampaign.services.events import MAX_EVENT_NAME, TrackOutcome, TrackRequest
from fakecampaign.services.store import Store

router = LazyRouter(tags=["trackcmp.net"])  # its FastAPI route is built late: the fast lane serves /event first
URLENCODED = "application/x-www-form-urlencoded"
FIELDS = ("actid", "key", "event", "eventdata", "visit")


@router.post(
    "/event",
    response_model=TrackReply,
    responses={200: {"description": '{"success":1,"message":"Event spawned"}, or a refusal {"success":0,...} (G5)'}},
    openapi_extra={
        **documented(EVENT_SPAWNED),
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {
                    "example": {
                        "actid": "123456789",
                        "key": "fake-event-key",
                        "event": "file download request",
                        "eventdata": "https://www.yoursite.com/downloads/file.pdf",
                        "visit": '{"email":"johndoe@example.com"}',
                    },
                    "schema": {
                        "type": "object",
                        "required": ["actid", "key", "event", "visit"],
                        "properties": {
                            "actid": {"type": "string", "description": "Your 9-digit account id"},
                            "key": {"type": "string", "description": "Your Event Key (not the API token)"},
                            "event": {"type": "string", "maxLength": MAX_EVENT_NAME},
                            "eventdata": {"type": "string"},
                            "visit": {"type": "string", "example": '{"email":"someone@example.com"}'},
                        },
                    },
                }
            }
        },
    },
)
async def track_event(request: Request) -> Response:
    """Track an event for a contact (trackcmp.net/event)."""
    store = store_of(request)  # no dependency: each one costs a solve on the hottest route
    try:
        outcome = await _track(store, request)
    except TrackError as refused:
        _remember(request, refused.account_id, refused.account_name)
        raise
    _remember(request, outcome.account_id, outcome.account_name)
    return Response(EVENT_SPAWNED_JSON, media_type="application/json")


async def _track(store: Store, request: Request) -> TrackOutcome:
    if request.headers.get("content-type", "").startswith(URLENCODED):
        return await events.track_committed(store, request=_track_request(await _urlencoded(request), request))
    return await _track_other(store, request)


def _remember(request: Request, account_id: int | None, account_name: str | None) -> None:
    if account_id is not None and account_name is not None:
        remember_account(request, account_id, account_name)


async def _urlencoded(request: Request) -> Mapping[str, str]:
    """What clients send (the guide, the official SDKs), parsed by the stdlib: Starlette's form parser cost
    ~15% of an /event call. As with a form, the last of repeated fields wins and "+" is a space. The body the
    middleware already read is taken as is: replaying it through Starlette's stream cost ~3% of a call."""
    body = (request.scope.get("state") or {}).get(BODY_STATE_KEY)
    if body is None:
        body = await request.body()
    return _fields(body.decode("utf-8", "replace"))


def _fields(body: str) -> dict[str, str]:
    """``dict(parse_qsl(body, keep_blank_values=True))`` without its per-field overhead (a tenth of an /event
    call): most fields need no unquoting at all."""
    fields = {}
    for part in body.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        fields[unquote_plus(name) if "%" in name or "+" in name else name] = (
            unquote_plus(value) if "%" in value or "+" in value else value
        )
    return fields


async def _track_other(store: Store, request: Request) -> TrackOutcome:
    """Multipart (Postman's form-data) and anything else, through Starlette's parser."""
    form = await _form(request)
    try:
        return await events.track_committed(store, request=_track_request(form, request))
    finally:
        if form is not None:
            await form.close()  # a multipart file part is spooled to a temporary file


async def _form(request: Request) -> FormData | None:
    """The parsed form, or None when the body cannot be read as one (the service journals and refuses it)."""
    try:
        return await request.form()
    except (HTTPException, MultiPartException, ValueError, UnicodeDecodeError):
        return None


def _track_request(form: Mapping[str, Any] | None, request: Request) -> TrackRequest:
    query = request.query_params if request.scope.get("query_string") else {}
    values: dict[str, str | None] = {}
    for name in FIELDS:
        value = form.get(name) if form is not None else None
        values[name] = value if isinstance(value, str) else query.get(name)
    return TrackRequest(**values, unreadable=form is None)
