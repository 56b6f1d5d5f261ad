"""Browser tests: Playwright (PyPI) driving Debian's chromium against a live server with the demo fixtures.

Playwright's own browser download needs a host CI cannot reach, so the browser is the system's chromium
(`make test` installs it with apt-get: scripts/install-browser.sh). A missing browser FAILS these tests with
how to install it; only FAKECAMPAIGN_BROWSER_TESTS=skip (a machine that cannot have one) skips them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Route, expect, sync_playwright

from fakecampaign.config import Settings
from fakecampaign.testing.server import LiveServer

# Generous waits: CI machines are shared, and a page that is slow to appear is not what these tests judge.
WAIT_MS = 20_000
expect.set_options(timeout=WAIT_MS)

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo.json"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def chromium_path() -> str | None:
    for candidate in (os.environ.get("FAKECAMPAIGN_CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


@pytest.fixture
def browser() -> Iterator[Browser]:
    """A browser for one test, stopped after it. Playwright's sync API runs its event loop in a greenlet of the
    main thread: while it runs, asyncio.run() in any other test of the same worker fails ("cannot be called
    from a running event loop"), so it must not outlive the test that uses it."""
    path = chromium_path()
    if path is None:
        if os.environ.get("FAKECAMPAIGN_BROWSER_TESTS") == "skip":
            pytest.skip("FAKECAMPAIGN_BROWSER_TESTS=skip: no browser on this machine")
        pytest.fail(
            "No chromium for the browser tests. Install it (Debian: apt-get install chromium; `make test` does this "
            "as root), or set FAKECAMPAIGN_CHROMIUM=/path/to/chromium. FAKECAMPAIGN_BROWSER_TESTS=skip skips them.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def demo() -> Iterator[LiveServer]:
    """A server as `make run` starts it: the demo fixtures, in memory."""
    with LiveServer(Settings.documented_defaults(fixtures=DEMO)) as server:
        yield server


@dataclass
class Watched:
    """A page, and everything it did that a person would call broken: console errors, uncaught exceptions,
    failed responses, and any request to a host other than the server (each one is refused)."""

    page: Page
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.outside == [], f"fetched from outside the server: {self.outside}"
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.failed == [], f"failed responses: {self.failed}"


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context()
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    seen = Watched(page)

    def guard(route: Route, request: Request) -> None:
        host = urlsplit(request.url).hostname or ""
        if request.url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            seen.outside.append(request.url)
            route.abort()

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            seen.errors.append(message.text)

    context.route("**/*", guard)
    page.on("console", console)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on("response", lambda r: seen.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield seen
    context.close()
