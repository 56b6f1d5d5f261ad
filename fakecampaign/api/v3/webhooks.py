"""Account webhooks: /api/3/webhooks CRUD and the list of webhook events (ac-api-facts-breadth.md §6.1)."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from fakecampaign.api import engine_examples as ex
from fakecampaign.api.deps import caller_of
from fakecampaign.api.docs import PAGE, Param, documented
from fakecampaign.api.v3 import params
from fakecampaign.errors import BadRequest
from fakecampaign.schemas.common import StringTotal
from fakecampaign.schemas.engine import (
    IntMeta,
    WebhookBody,
    WebhookEnvelope,
    WebhookEventsEnvelope,
    WebhookIn,
    WebhookOut,
    WebhooksEnvelope,
)
from fakecampaign.schemas.tracking import EmptyObject
from fakecampaign.services import webhooks
from fakecampaign.services.webhooks import EVENTS, WEBHOOK, WebhookChanges, WebhookQuery, WebhookRecord

router = APIRouter(tags=["Webhooks"])


def state_of(records: list[WebhookRecord], base_url: str) -> dict[str, list[WebhookOut]]:
    """GET /_fakecampaign/state's ``webhooks``, in AC's shape."""
    return {"webhooks": [WebhookOut.of(r) for r in records]}


# AC answers the whole list (its example has all 25 with meta.total 25); paging parameters change nothing.
WHOLE_LIST = (
    Param("limit", "Accepted and ignored: the whole list is always returned", "integer"),
    Param("offset", "Accepted and ignored", "integer"),
)
FILTERS = (
    Param("filters[name]", "Webhooks with this name"),
    Param("filters[url]", "Webhooks with this URL"),
    Param("filters[listid]", "Webhooks scoped to this list", "integer"),
)


def _changes(body: WebhookIn) -> WebhookChanges:
    return WebhookChanges(
        name=body.name,
        url=body.url,
        events=tuple(body.events) if body.events is not None else None,
        sources=tuple(body.sources) if body.sources is not None else None,
        listid=_listid(body.listid),
    )


def _listid(raw: str | int | None) -> int | None:
    if raw is None or raw == "":
        return None
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit() and len(text) < 19):
        raise BadRequest(hint=f"webhook.listid must be a list id, got {str(raw)[:40]!r}")
    return int(text)


@router.post(
    "/webhooks",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookEnvelope,
    openapi_extra=documented(ex.WEBHOOK, status=201, request=ex.WEBHOOK_BODY),
)
async def create_webhook(body: WebhookBody, request: Request) -> WebhookEnvelope:
    """Create a webhook: fakecampaign POSTs AC's form payload to ``url`` for each subscribed event."""
    caller = caller_of(request)
    hook = webhooks.create(caller.store, account=caller.account, changes=_changes(body.webhook))
    return WebhookEnvelope(webhook=WebhookOut.of(hook))


@router.get(
    "/webhooks", response_model=WebhooksEnvelope, openapi_extra=documented(ex.WEBHOOKS, params=(*PAGE, *FILTERS))
)
async def list_webhooks(request: Request) -> WebhooksEnvelope:
    """List webhooks; filters[name], filters[url], filters[listid]."""
    caller = caller_of(request)
    q = request.query_params
    limit, offset = params.page(q)
    query = WebhookQuery(
        name=params.text(q, "filters[name]"),
        url=params.text(q, "filters[url]"),
        listid=params.int_param(q, "filters[listid]"),
        limit=limit,
        offset=offset,
    )
    found, total = webhooks.search(caller.store, account=caller.account, query=query)
    return WebhooksEnvelope(webhooks=[WebhookOut.of(h) for h in found], meta=StringTotal(total=str(total)))


@router.get(
    "/webhook/events",
    response_model=WebhookEventsEnvelope,
    openapi_extra=documented(ex.WEBHOOK_EVENTS, params=WHOLE_LIST),
)
async def list_webhook_events() -> WebhookEventsEnvelope:
    """The event names a webhook can subscribe to."""
    return WebhookEventsEnvelope(webhookEvents=list(EVENTS), meta=IntMeta(total=len(EVENTS)))


# [ACPY] calls the plural path.
router.get(
    "/webhooks/events",
    response_model=WebhookEventsEnvelope,
    openapi_extra=documented(ex.WEBHOOK_EVENTS, params=WHOLE_LIST),
    summary="The same, at the path python clients use",
)(list_webhook_events)


@router.get("/webhooks/{webhook_id}", response_model=WebhookEnvelope, openapi_extra=documented(ex.WEBHOOK))
async def get_webhook(webhook_id: str, request: Request) -> WebhookEnvelope:
    """One webhook."""
    caller = caller_of(request)
    hook = webhooks.get(caller.store, account=caller.account, webhook_id=params.path_id(webhook_id, resource=WEBHOOK))
    return WebhookEnvelope(webhook=WebhookOut.of(hook))


@router.put(
    "/webhooks/{webhook_id}",
    response_model=WebhookEnvelope,
    openapi_extra=documented(ex.WEBHOOK, request={"webhook": {"name": "Renamed"}}),
)
async def update_webhook(webhook_id: str, body: WebhookBody, request: Request) -> WebhookEnvelope:
    """Change a webhook; every field is optional."""
    caller = caller_of(request)
    wid = params.path_id(webhook_id, resource=WEBHOOK)
    hook = webhooks.update_webhook(caller.store, account=caller.account, webhook_id=wid, changes=_changes(body.webhook))
    return WebhookEnvelope(webhook=WebhookOut.of(hook))


@router.delete("/webhooks/{webhook_id}", response_model=EmptyObject, openapi_extra=documented(EmptyObject()))
async def delete_webhook(webhook_id: str, request: Request) -> EmptyObject:
    """Delete a webhook (the only way to bring back one a 410 deactivated, as in AC)."""
    caller = caller_of(request)
    webhooks.delete_webhook(
        caller.store, account=caller.account, webhook_id=params.path_id(webhook_id, resource=WEBHOOK)
    )
    return EmptyObject()
