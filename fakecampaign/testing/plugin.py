"""The pytest plugin (entry point ``pytest11``): a session server, a fresh account per test, and the marker.

- ``fakecampaign_server`` (session): a fakecampaign in a thread of this process, or the one at FAKECAMPAIGN_URL
  (FAKECAMPAIGN_ADMIN_TOKEN is then sent on control calls). Under pytest-xdist each worker starts its own, or
  all share the external one.
- ``fakecampaign`` (function): a new account ``pytest-<worker>-...`` on it, never used by another test and
  removed after it (in batches: every account is gone by the end of the session).
- ``@pytest.mark.fakecampaign(fixtures=..., tracking=..., rate_limit=..., faults=...)``: what that account is
  created with.

Only this module and ``markers`` load with pytest; the server and its clients load when a test asks for them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from fakecampaign.testing.markers import MARKER, MARKER_HELP, MarkerError, account_spec

if TYPE_CHECKING:
    from fakecampaign.testing.account import FakecampaignAccount
    from fakecampaign.testing.session import FakecampaignServer

WORKER_ENV = "PYTEST_XDIST_WORKER"  # set by pytest-xdist in each worker: gw0, gw1, ...


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER_HELP)


@pytest.fixture(scope="session")
def fakecampaign_server() -> Iterator[FakecampaignServer]:
    """The fakecampaign server of this test session (of this xdist worker)."""
    from fakecampaign.testing.session import FakecampaignServer

    server = FakecampaignServer.from_environment(os.environ, prefix=f"pytest-{os.environ.get(WORKER_ENV, 'main')}")
    yield server
    server.stop(wait=False)  # the session is over: no need to wait ~0.2 s for uvicorn to wind down


@pytest.fixture
def fakecampaign(
    fakecampaign_server: FakecampaignServer, request: pytest.FixtureRequest
) -> Iterator[FakecampaignAccount]:
    """A fresh account for this test (configured by ``@pytest.mark.fakecampaign``), removed afterwards."""
    from fakecampaign.testing.control import FakecampaignError

    search = (request.path.parent, request.config.rootpath)
    marker: pytest.Mark | None = request.node.get_closest_marker(MARKER)
    try:
        spec = account_spec(marker, search=search)
    except MarkerError as error:
        pytest.fail(str(error), pytrace=False)
    if not spec:  # a plain account: from the pool made ahead in batches
        account = fakecampaign_server.take_account(search=search)
        yield account
        fakecampaign_server.release(account)
        return
    try:
        account = fakecampaign_server.new_account(spec, search=search)
    except FakecampaignError as error:
        if marker is None or error.status_code != 422 or "fixtures" not in spec:
            raise
        given = ", ".join(f"{k}={v!r}" for k, v in marker.kwargs.items())
        pytest.fail(f"@pytest.mark.fakecampaign({given}) was refused: {error.reply.hint}", pytrace=False)
    yield account
    fakecampaign_server.release(account)
