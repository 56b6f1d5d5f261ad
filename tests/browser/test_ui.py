"""What a person sees in the UI, in headless chromium, on the demo fixtures."""

from __future__ import annotations

import json
import re

import httpx
from playwright.sync_api import expect

from fakecampaign.config import Settings
from fakecampaign.testing.server import LiveServer
from tests.browser.conftest import DEMO, Watched

UI = "/_fakecampaign/ui/"
# The page polls every 500 ms, so a change shows within a second; the tests allow more because CI machines
# are shared and slow. What they prove is that it shows without a reload.
LIVE = 10_000
DEMO_EMAILS = ("jane.doe@example.com", "john.smith@example.com", "ada@example.org", "grace@example.org")


def track(server: LiveServer, email: str, event: str, **extra: str) -> dict[str, object]:
    form = {"actid": "123456789", "key": "fake-event-key", "event": event, "visit": json.dumps({"email": email})}
    reply = httpx.post(f"{server.url}/event", data={**form, **extra})
    assert reply.status_code == 200
    body: dict[str, object] = reply.json()
    return body


def test_root_leads_to_the_ui_and_demo_contacts_are_one_click_away(demo: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(demo.url + "/")
    assert page.url == demo.url + UI
    expect(page.get_by_role("heading", name="Accounts")).to_be_visible()
    expect(page.locator("[data-account-card=fake] code").first).to_have_text(re.compile(r"http://127\.0\.0\.1:\d+"))
    expect(page.locator("[data-account-card=fake]")).to_contain_text("fake-api-token")
    expect(page.locator("[data-account-card=acme]")).to_contain_text("acme-api-token")
    page.get_by_role("link", name="Contacts").first.click()
    for email in DEMO_EMAILS:
        expect(page.get_by_role("link", name=email)).to_be_visible()
    watched.assert_clean()


def test_an_event_posted_while_the_journal_is_open_appears_without_a_reload(demo: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(demo.url + UI + "events?account=fake")
    expect(page.get_by_role("heading", name="Event journal")).to_be_visible()
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    assert track(demo, "grace@example.org", "purchase", eventdata="order=7") == {
        "success": 1,
        "message": "Event spawned",
    }
    row = page.locator("#journal tr", has_text="order=7")
    expect(row).to_be_visible(timeout=LIVE)
    expect(row).to_contain_text("written")
    assert page.evaluate("window.__sameDocument") is True
    watched.assert_clean()


def test_a_dropped_call_shows_its_reason_live(demo: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(demo.url + UI + "events?account=fake")
    track(demo, "nobody-yet@example.com", "x" * 33)
    row = page.locator("#journal tr", has_text="nobody-yet@example.com")
    expect(row).to_contain_text("dropped", timeout=LIVE)
    watched.assert_clean()


def test_the_request_journal_is_live(demo: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(demo.url + UI + "requests?account=fake")
    httpx.get(f"{demo.url}/api/3/contacts", params={"search": "live-marker"}, headers={"Api-Token": "fake-api-token"})
    expect(page.locator("#requests")).to_contain_text("search=live-marker", timeout=LIVE)
    watched.assert_clean()


def test_track_from_the_form_makes_a_real_event_call(demo: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(demo.url + UI + "events?account=fake")
    form = page.locator("form[data-action=track]")
    form.get_by_label("Email").fill("ada@example.org")
    form.get_by_label("Event", exact=True).fill("form demo")
    form.get_by_label("Event data").fill("from-the-form")
    form.get_by_role("button", name="Track").click()
    expect(form.locator("output")).to_contain_text('"success":1')
    expect(page.locator("#journal tr", has_text="from-the-form")).to_contain_text("written")
    watched.assert_clean()


def test_contact_timeline_shows_written_and_dropped_calls(demo: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(demo.url + UI + "contacts?account=fake&search=jane")
    page.get_by_role("link", name="jane.doe@example.com").click()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Event: file download request")
    expect(timeline).to_contain_text("https://www.yoursite.com/downloads/file.pdf")
    track(demo, "jane.doe@example.com", "y" * 40)
    expect(timeline.locator("li.dropped").first).to_contain_text("y" * 40, timeout=LIVE)
    watched.assert_clean()


def test_create_a_contact_and_whitelist_a_name_from_the_pages(demo: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(demo.url + UI + "contacts?account=acme")
    form = page.locator("form[data-action=contact]")
    form.get_by_label("Email").fill("road.runner@acme.example")
    form.get_by_label("First name").fill("Road")
    form.get_by_role("button", name="Create contact").click()
    expect(page.get_by_role("link", name="road.runner@acme.example")).to_be_visible()
    page.goto(demo.url + UI + "events?account=acme")
    whitelist = page.locator("form[data-action=whitelist]")
    whitelist.get_by_label("Event name to whitelist").fill("anvil delivered")
    whitelist.get_by_role("button", name="Whitelist").click()
    expect(page.locator("#event-names")).to_contain_text("anvil delivered")
    watched.assert_clean()


def test_tracking_switch_and_reset(demo: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(demo.url + UI)
    card = page.locator("[data-account-card=acme]")
    expect(card).to_contain_text("tracking off")
    card.get_by_role("checkbox").check()
    expect(page.locator("[data-account-card=acme]")).to_contain_text("tracking on")
    status = httpx.get(f"{demo.url}/api/3/eventTracking", headers={"Api-Token": "acme-api-token"}).json()
    assert status == {"eventTracking": {"enabled": True}}
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("[data-account-card=acme]").get_by_role("button", name="Reset account").click()
    expect(page.locator("[data-account-card=acme]")).to_contain_text("tracking off")
    watched.assert_clean()


def test_docs_load_nothing_from_outside(demo: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(demo.url + "/docs")
    # The OpenAPI document is ~250 KB; on a loaded 2-core CI machine Swagger UI takes seconds to lay it out.
    expect(page.get_by_text("/api/3/contacts").first).to_be_visible(timeout=30_000)
    page.goto(demo.url + "/redoc")
    # ReDoc renders the whole document (~270 KB, one example per operation) before showing any of it: ~10 s
    # on a loaded 2-core machine, so the wait is generous.
    expect(page.get_by_text("Api-Token").first).to_be_visible(timeout=45_000)
    watched.assert_clean()


def test_an_event_shows_in_the_feed_of_whatever_page_is_open(demo: LiveServer, watched: Watched) -> None:
    page = watched.page
    page.goto(demo.url + UI)
    page.get_by_role("link", name="Contacts").first.click()
    expect(page.get_by_role("link", name="ada@example.org")).to_be_visible()
    track(demo, "ada@example.org", "feed check", eventdata="x")
    expect(page.locator("#feed li", has_text="feed check")).to_contain_text("ada@example.org", timeout=LIVE)
    track(demo, "not.a.contact@example.com", "feed drop")
    expect(page.locator("#feed li", has_text="feed drop")).to_contain_text("unknown_contact", timeout=LIVE)
    watched.assert_clean()


def test_with_an_admin_token_the_ui_asks_for_it_once(watched: Watched) -> None:
    settings = Settings.documented_defaults(fixtures=DEMO, admin_token="demo-secret")
    with LiveServer(settings) as server:
        page = watched.page
        page.goto(server.url + UI + "contacts?account=fake")
        expect(page.get_by_role("heading", name="fakecampaign")).to_be_visible()
        assert "fake-api-token" not in page.content()
        page.get_by_label("Admin token").fill("wrong")
        page.get_by_role("button", name="Open the UI").click()
        expect(page.locator("output")).to_contain_text("403")
        watched.failed.clear()  # that 403 (and the browser's console line about it) was the point
        watched.errors.clear()
        page.get_by_label("Admin token").fill("demo-secret")
        page.get_by_role("button", name="Open the UI").click()
        expect(page.get_by_role("link", name="grace@example.org")).to_be_visible()
        page.goto(server.url + UI)
        page.on("dialog", lambda dialog: dialog.accept())
        page.locator("[data-account-card=fake]").get_by_role("button", name="Reset account").click()
        expect(page.locator("#toast")).to_contain_text("Reset fake")  # the control plane took the token
        track(server, "grace@example.org", "behind the token")
        expect(page.locator("#feed")).to_contain_text("behind the token", timeout=LIVE)
    watched.assert_clean()


def test_the_outbox_shows_each_email_in_a_sandboxed_frame_and_loads_nothing_from_it(
    demo: LiveServer, watched: Watched
) -> None:
    html = '<h1 id="greeting">Hello %FIRSTNAME%</h1><img src="http://tracker.example/pixel.png" alt="pixel">'
    automation = {
        "name": "Browser welcome",
        "trigger": {"event": "browser-welcome"},
        "actions": [{"send_email": {"subject": "Welcome in a frame", "html": html}}],
    }
    seeded = httpx.post(
        f"{demo.url}/_fakecampaign/seed", params={"account": "fake"}, json={"automations": [automation]}
    )
    assert seeded.status_code == 200, seeded.text
    page = watched.page
    page.goto(demo.url + UI + "outbox?account=fake")
    track(demo, "grace@example.org", "browser-welcome")
    email = page.locator("article.email", has_text="Welcome in a frame")
    expect(email).to_contain_text("grace@example.org", timeout=LIVE)
    frame = email.locator("iframe")
    assert frame.get_attribute("sandbox") == ""
    expect(email.frame_locator("iframe").locator("#greeting")).to_have_text("Hello Grace")
    # The email's remote image is refused by the frame's policy before any request leaves the browser.
    watched.errors[:] = [e for e in watched.errors if "Content Security Policy" not in e]
    watched.assert_clean()
