"""The UI's pages over plain HTTP (the browser tests in tests/browser check what a person sees)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fakecampaign.config import Settings
from fakecampaign.testing.server import LiveServer
from fakecampaign.ui.routes import PREFIX
from tests.conftest import Account

DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "demo.json"
UI = PREFIX + "/"


@pytest.fixture(scope="module")
def guarded() -> Iterator[httpx.Client]:
    with LiveServer(Settings(admin_token="s3cret")) as server, httpx.Client(base_url=server.url) as client:
        yield client


def test_root_redirects_to_the_ui(live: LiveServer) -> None:
    response = httpx.get(live.url + "/")
    assert response.status_code == 307
    assert response.headers["location"] == UI


def test_pages_render_an_accounts_data(live: LiveServer, account: Account) -> None:
    contact = account.create_contact("ui.page@example.com", firstName="Uma")
    account.track("ui.page@example.com", "ui-event", "payload-1")
    account.track("ui.page@example.com", "x" * 40)
    q = {"account": account.name}
    with httpx.Client(base_url=live.url) as client:
        assert account.api_token in client.get(UI).text
        assert "ui.page@example.com" in client.get(UI + "contacts", params=q).text
        timeline = client.get(UI + f"contacts/{contact['id']}", params=q).text
        assert "Event: ui-event" in timeline
        assert "payload-1" in timeline
        assert "Dropped /event: " + "x" * 40 in timeline
        journal = client.get(UI + "events", params=q).text
        assert "ui-event" in journal
        assert "dropped" in journal
        assert "/api/3/contacts" in client.get(UI + "requests", params=q).text


def test_page_text_is_escaped(live: LiveServer, account: Account) -> None:
    account.create_contact("esc@example.com", firstName="<script>alert(1)</script>")
    page = httpx.get(live.url + UI + "contacts", params={"account": account.name}).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_unknown_account_or_contact_is_a_404_page(live: LiveServer, account: Account) -> None:
    missing = httpx.get(live.url + UI + "contacts", params={"account": "no-such-account"})
    assert missing.status_code == 404
    assert "No account named" in missing.text
    no_contact = httpx.get(live.url + UI + "contacts/999999", params={"account": account.name})
    assert no_contact.status_code == 404


def test_live_version_moves_when_an_event_or_request_is_recorded(live: LiveServer, account: Account) -> None:
    before = httpx.get(live.url + UI + "live").json()["version"]
    account.track("nobody@example.com", "e")
    after_event = httpx.get(live.url + UI + "live").json()["version"]
    assert after_event != before
    account.api.get("/api/3/contacts")
    assert httpx.get(live.url + UI + "live").json()["version"] != after_event


def test_assets_are_served_from_the_package(live: LiveServer) -> None:
    page = httpx.get(live.url + UI).text
    for asset in re.findall(r'(?:src|href)="(/_fakecampaign/ui/static/[^"]+)"', page):
        assert httpx.get(live.url + asset).status_code == 200, asset
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)


@pytest.mark.parametrize("path", ["", "contacts", "events", "requests", "contacts/1"])
def test_pages_need_the_admin_token_when_one_is_set(guarded: httpx.Client, path: str) -> None:
    response = guarded.get(UI + path)
    assert response.status_code == 303
    assert response.headers["location"].startswith(PREFIX + "/login")
    assert "fake-api-token" not in response.text


def test_live_needs_the_admin_token(guarded: httpx.Client) -> None:
    assert guarded.get(UI + "live").status_code == 403
    assert guarded.get(UI + "live", headers={"X-Fakecampaign-Admin-Token": "s3cret"}).status_code == 200


def test_login_sets_a_cookie_that_opens_the_pages(guarded: httpx.Client) -> None:
    assert guarded.get(UI + "login").status_code == 200
    refused = guarded.post(UI + "login", json={"token": "wrong"})
    assert refused.status_code == 403
    assert "set-cookie" not in refused.headers
    accepted = guarded.post(UI + "login", json={"token": "s3cret"})
    assert accepted.status_code == 200
    cookie = accepted.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert f"path={PREFIX.lower()}" in cookie
    page = guarded.get(UI)
    assert page.status_code == 200
    assert "fake-api-token" in page.text
    guarded.cookies.clear()


def test_docs_pages_use_local_assets_only(live: LiveServer) -> None:
    for path in ("/docs", "/redoc"):
        page = httpx.get(live.url + path).text
        scripts = re.findall(r'(?:src|href)="([^"]+)"', page)
        assert scripts, path
        for url in scripts:
            assert url.startswith("/_fakecampaign/assets/docs/"), url
            assert httpx.get(live.url + url).status_code == 200, url
        assert "fonts.googleapis" not in page


def test_every_ui_asset_is_package_data() -> None:
    """The wheel ships what the UI serves (pyproject's package-data), so `pip install fakecampaign` has a UI."""
    import fnmatch
    import tomllib

    root = Path(__file__).resolve().parent.parent
    patterns = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"][
        "fakecampaign"
    ]
    package = root / "fakecampaign"
    assets = [p for folder in ("ui/templates", "ui/static") for p in (package / folder).iterdir()]
    assert len(assets) >= 10
    for asset in assets:
        relative = asset.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative


def test_contact_pages_show_tags_lists_and_field_values(live: LiveServer, account: Account) -> None:
    contact = account.create_contact("crm.ui@example.com")
    cid = contact["id"]

    def made(path: str, body: dict[str, object], key: str) -> str:
        response = account.api.post(path, json=body)
        assert response.status_code in (200, 201), response.text
        return str(response.json()[key]["id"])

    tag = made("/api/3/tags", {"tag": {"tag": "ui-vip", "tagType": "contact"}}, "tag")
    made("/api/3/contactTags", {"contactTag": {"contact": cid, "tag": tag}}, "contactTag")
    newsletter = made("/api/3/lists", {"list": {"name": "UI Newsletter"}}, "list")
    made("/api/3/contactLists", {"contactList": {"list": newsletter, "contact": cid, "status": 1}}, "contactList")
    field = made("/api/3/fields", {"field": {"type": "text", "title": "UI Plan"}}, "field")
    made("/api/3/fieldValues", {"fieldValue": {"contact": cid, "field": field, "value": "gold"}}, "fieldValue")
    group = account.api.post("/api/3/dealGroups", json={"dealGroup": {"title": "UI Sales", "currency": "usd"}})
    assert group.status_code == 200, group.text
    deal = {
        "title": "UI Deal",
        "value": 4900,
        "currency": "usd",
        "contact": cid,
        "group": group.json()["dealGroup"]["id"],
    }
    made("/api/3/deals", {"deal": deal}, "deal")
    q = {"account": account.name}
    with httpx.Client(base_url=live.url) as client:
        row = client.get(UI + "contacts", params=q).text
        assert "<li>ui-vip</li>" in row
        assert "UI Newsletter" in row
        page = client.get(UI + f"contacts/{cid}", params=q).text
        assert "<dt>UI Plan</dt><dd>gold</dd>" in page
        assert "Tagged: ui-vip" in page
        assert "Subscribed to list: UI Newsletter" in page
        assert "Field UI Plan set" in page
        assert "Deal created: UI Deal" in page
        assert "49.00 usd" in page
        catalog = client.get(UI + "catalog", params=q).text
        assert "ui-vip" in catalog
        assert "UI Newsletter" in catalog
        assert "%UI_PLAN%" in catalog


def test_engine_pages_show_automations_outbox_webhooks_and_the_timeline(live: LiveServer, account: Account) -> None:
    html = '<h1>Thanks %FIRSTNAME%</h1><img src="http://tracker.example/pixel.png"><script>alert(1)</script>'
    automation = {
        "name": "UI Buy",
        "trigger": {"event": "ui-buy"},
        "actions": [{"send_email": {"subject": "Thanks for buying", "html": html}}],
    }
    seeded = account.raw.post(
        "/_fakecampaign/seed", params={"account": account.name}, json={"automations": [automation]}
    )
    assert seeded.status_code == 200, seeded.text
    hook = {"name": "UI Hook", "url": "http://127.0.0.1:9/nowhere", "events": ["update"], "sources": ["public", "api"]}
    assert account.api.post("/api/3/webhooks", json={"webhook": hook}).status_code == 201
    contact = account.create_contact("engine.ui@example.com", firstName="Eve")
    assert account.api.put(f"/api/3/contacts/{contact['id']}", json={"contact": {"lastName": "Ng"}}).status_code == 200
    account.track("engine.ui@example.com", "ui-buy", "order=1")
    q = {"account": account.name}
    with httpx.Client(base_url=live.url) as client:
        automations = client.get(UI + "automations", params=q).text
        assert "UI Buy" in automations
        assert "event:ui-buy" in automations
        outbox = client.get(UI + "outbox", params=q).text
        assert "Thanks for buying" in outbox
        frame = re.search(r'<iframe class="email" sandbox="" [^>]*srcdoc="([^"]*)"', outbox)
        assert frame is not None
        assert "Content-Security-Policy" in frame[1]
        assert "default-src &#39;none&#39;" in frame[1]
        assert "&lt;h1&gt;Thanks Eve&lt;/h1&gt;" in frame[1]
        assert "<script>" not in outbox
        webhooks = client.get(UI + "webhooks", params=q).text
        assert "UI Hook" in webhooks
        assert "engine.ui@example.com" in webhooks
        timeline = client.get(UI + f"contacts/{contact['id']}", params=q).text
        assert "Automation run: UI Buy" in timeline
        assert "Email sent: Thanks for buying" in timeline
        assert "Webhook: update" in timeline
