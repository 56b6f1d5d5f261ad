"""Take the README's screenshots of the UI (docs/*.png) with Playwright and Debian's chromium: `make screenshots`.

The server is the `make run` demo (fixtures/demo.json, in memory), with a few /event calls made first so the
journals have something to show, one of them dropped.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

from fakecampaign.config import Settings
from fakecampaign.testing.server import LiveServer

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs"
UI = "/_fakecampaign/ui/"
SHOTS = {
    "ui-accounts.png": UI,
    "ui-contacts.png": UI + "contacts?account=fake",
    "ui-timeline.png": UI + "contacts/1?account=fake",
    "ui-events.png": UI + "events?account=fake",
    "ui-requests.png": UI + "requests?account=fake",
    "ui-outbox.png": UI + "outbox?account=fake",
}
WELCOME = {
    "name": "Purchase follow-up",
    "trigger": {"event": "purchase"},
    "actions": [
        {
            "send_email": {
                "subject": "Thanks for your order, %FIRSTNAME%",
                "html": "<h2 style='font-family:sans-serif'>Thanks, %FIRSTNAME%!</h2>"
                "<p style='font-family:sans-serif'>We received your order (%EVENT: purchase%).</p>",
            }
        }
    ],
}


def warm_up(url: str) -> None:
    def track(email: str, event: str, eventdata: str | None = None) -> None:
        form = {"actid": "123456789", "key": "fake-event-key", "event": event, "visit": json.dumps({"email": email})}
        httpx.post(f"{url}/event", data={**form, **({"eventdata": eventdata} if eventdata else {})})

    httpx.post(f"{url}/_fakecampaign/seed", params={"account": "fake"}, json={"automations": [WELCOME]})
    track("jane.doe@example.com", "purchase", "order=1043;total=19.00")
    track("jane.doe@example.com", "login")
    track("someone.new@example.com", "login")  # dropped: not a contact
    track("jane.doe@example.com", "a-name-that-is-far-too-long-for-trackcmp")  # dropped: over 32 characters
    api = httpx.Client(base_url=url, headers={"Api-Token": "fake-api-token"})

    def made(path: str, key: str, body: dict[str, object]) -> object:
        return api.post(path, json={key: body}).json()[key]["id"]

    vip = made("/api/3/tags", "tag", {"tag": "vip", "tagType": "contact"})
    made("/api/3/contactTags", "contactTag", {"contact": 1, "tag": vip})
    newsletter = made("/api/3/lists", "list", {"name": "Newsletter"})
    made("/api/3/contactLists", "contactList", {"list": newsletter, "contact": 1, "status": 1})
    plan = made("/api/3/fields", "field", {"type": "text", "title": "Plan"})
    made("/api/3/fieldValues", "fieldValue", {"contact": 1, "field": plan, "value": "pro"})
    api.get("/api/3/contacts", params={"search": "example.org"})
    api.get("/api/3/contacts/1/trackingLogs")
    api.get("/api/3/contacts/99")


def shoot(page: Page, url: str, path: Path) -> None:
    page.goto(url)
    page.wait_for_selector("main h1")  # the page polls for news, so the network never idles
    page.screenshot(path=str(path), full_page=False)
    print(f"wrote {path.relative_to(ROOT)}")


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("screenshots: no chromium (make browser installs it)", file=sys.stderr)
        return 1
    OUT.mkdir(exist_ok=True)
    with LiveServer(Settings.documented_defaults(fixtures=ROOT / "fixtures" / "demo.json")) as server:
        warm_up(server.url)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 760}, device_scale_factor=1)
            for name, path in SHOTS.items():
                shoot(page, server.url + path, OUT / name)
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
