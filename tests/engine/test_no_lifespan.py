"""An app driven in-process without its lifespan (httpx's ASGI transport) still delivers on an explicit wait."""

from __future__ import annotations

import asyncio

import httpx

from fakecampaign.app import create_app
from fakecampaign.config import Settings
from tests.engine.receiver import Receiver

TOKEN = {"Api-Token": "fake-api-token"}


def test_wait_delivers_without_the_lifespan() -> None:
    async def scenario(url: str) -> dict[str, object]:
        transport = httpx.ASGITransport(app=create_app(Settings()))
        async with httpx.AsyncClient(transport=transport, base_url="http://fake") as client:
            hook = {"name": "n", "url": url, "events": ["subscribe"], "sources": ["api"]}
            assert (await client.post("/api/3/webhooks", headers=TOKEN, json={"webhook": hook})).status_code == 201
            created = await client.post("/api/3/contacts", headers=TOKEN, json={"contact": {"email": "a@example.com"}})
            assert created.status_code == 201
            waited = await client.post("/_fakecampaign/webhooks/wait", params={"timeout": 5})
            body: dict[str, object] = waited.json()
            engine = transport.app.state.engine  # type: ignore[attr-defined]
            await engine.dispatcher.stop()
            return body

    with Receiver() as receiver:
        body = asyncio.run(scenario(receiver.url))
        assert body["complete"] is True
        assert [r.form["type"] for r in receiver.received] == ["subscribe"]
