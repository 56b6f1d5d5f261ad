"""The pytest plugin (entry point ``pytest11``): a session server, a fresh account per test, and the marker.

- ``fakecampaign_server`` (session): the one at FAKECAMPAIGN_URL (FAKECAMPAIGN_ADMIN_TOKEN is then sent on
  control calls), else a fakecampaign process: the one an earlier run kept (``reuse.py``; on unless on CI,
  ``--fakecampaign-reuse``), or one started at pytest's first hook, so that it imports while pytest collects
  (in a thread of this process instead when the app is loaded here already). Under pytest-xdist the controller
  starts or leases it and every worker shares it.
- ``fakecampaign`` (function): a new account ``pytest-<worker>-...`` on it, never used by another test and
  removed after it (in batches: every account is gone by the end of the session).
- ``@pytest.mark.fakecampaign(fixtures=..., tracking=..., rate_limit=..., faults=...)``: what that account is
  created with.

Only this module and ``markers`` load with pytest; the server and its clients load when a test asks for them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from fakecampaign.testing.markers import MARKER, MARKER_HELP, MarkerError, account_spec

if TYPE_CHECKING:
    from fakecampaign.testing.account import FakecampaignAccount
    from fakecampaign.testing.process import ServerProcess
    from fakecampaign.testing.reuse import KeptServer
    from fakecampaign.testing.session import FakecampaignServer

WORKER_ENV = "PYTEST_XDIST_WORKER"  # set by pytest-xdist in each worker: gw0, gw1, ...
URL_ENV = "FAKECAMPAIGN_URL"
SHARED_URL = "fakecampaign_url"  # key of xdist's workerinput: the controller's server, for every worker
PROCESS: pytest.StashKey[ServerProcess | KeptServer] = pytest.StashKey()
# Runs that execute no test: no server is started for them.
NO_TESTS = ("collectonly", "help", "version", "markers", "showfixtures", "show_fixtures_per_test", "fakecampaign_stop")
REUSE = "fakecampaign_reuse"
REUSE_CHOICES = ("auto", "yes", "no")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fakecampaign")
    group.addoption(
        "--fakecampaign-reuse",
        dest=REUSE,
        choices=REUSE_CHOICES,
        default=None,
        help="keep the session server for the next run: auto (default: yes, except on CI), yes, no. "
        "Also FAKECAMPAIGN_REUSE or the fakecampaign_reuse ini option.",
    )
    group.addoption(
        "--fakecampaign-stop",
        dest="fakecampaign_stop",
        action="store_true",
        help="stop the fakecampaign servers kept by earlier runs, then exit (runs no test)",
    )
    parser.addini(REUSE, "keep the session server for the next run: auto, yes or no", default="")


def pytest_cmdline_main(config: pytest.Config) -> int | None:
    if not config.option.fakecampaign_stop:
        return None
    from fakecampaign.testing.reuse import stop_all

    stopped = stop_all()
    print(f"fakecampaign: stopped {len(stopped)} kept server(s)" + "".join(f"\n  {url}" for url in stopped))
    return 0


def pytest_report_header(config: pytest.Config) -> str | None:
    process = config.stash.get(PROCESS, None)
    if process is None or not hasattr(process, "reused"):
        return None
    return "fakecampaign: session server kept for the next run (--fakecampaign-reuse=no: one per run)"


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """The earliest hook a plugin gets, before conftests load: the server imports while pytest goes on."""
    _start_server_early(early_config, early_config.known_args_namespace)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER_HELP)
    _start_server_early(config, config.option)  # loaded too late for the hook above (``-p`` in a conftest)


def _start_server_early(config: pytest.Config, options: Any) -> None:
    """Start the session's server now, on the other core, so it is ready when the first test asks for it.

    Not in an xdist worker (the controller's is shared), not with FAKECAMPAIGN_URL, not for a run that executes
    no test, and not when this process has loaded the app already (a thread is cheaper then; an xdist controller
    still starts a process, which its workers share). README "Performance".
    """
    worker = hasattr(config, "workerinput")
    if PROCESS not in config.stash and starts_server(options, worker=worker):
        from fakecampaign.testing.process import ServerProcess

        try:
            kept = _kept_server(config, options)
            config.stash[PROCESS] = kept if kept is not None else ServerProcess.spawn()
        except OSError:  # no process or socket to be had here: the fixture starts an in-thread server instead
            return


def _kept_server(config: pytest.Config, options: Any) -> KeptServer | None:
    """The server kept across runs (found again, or started for the next runs too), when reuse is on."""
    from fakecampaign.testing import reuse

    try:
        ini = str(config.getini(REUSE) or "")
    except (ValueError, AttributeError):  # the option is not registered (the plugin was loaded late)
        ini = ""
    if not reuse.wanted(getattr(options, REUSE, None) or os.environ.get(reuse.REUSE_ENV) or ini):
        return None
    if not hasattr(os, "posix_spawn"):  # not on this platform: a server of this run's own
        return None
    try:
        return reuse.acquire()
    except OSError:  # no state directory or process to be had: a server of this run's own
        return None


def starts_server(options: Any, *, worker: bool) -> bool:
    """Whether this pytest process starts the run's server (the rules in ``_start_server_early``)."""
    if worker or os.environ.get(WORKER_ENV) or os.environ.get(URL_ENV, "").strip():
        return False
    if any(getattr(options, name, False) for name in NO_TESTS):
        return False
    return bool(getattr(options, "numprocesses", None)) or "fakecampaign.app" not in sys.modules


def pytest_unconfigure(config: pytest.Config) -> None:
    process = config.stash.get(PROCESS, None)
    if process is not None:
        process.stop()
        del config.stash[PROCESS]


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist, in the controller, per worker: the workers share the controller's server."""
    process = node.config.stash.get(PROCESS, None)
    if process is not None:
        node.workerinput[SHARED_URL] = process.url


@pytest.fixture(scope="session")
def fakecampaign_server(request: pytest.FixtureRequest) -> Iterator[FakecampaignServer]:
    """The fakecampaign server of this test session (shared by the xdist workers)."""
    from fakecampaign.testing.session import FakecampaignServer

    config = request.config
    prefix = f"pytest-{os.environ.get(WORKER_ENV, 'main')}"
    shared = getattr(config, "workerinput", {}).get(SHARED_URL)
    process = config.stash.get(PROCESS, None)
    if shared and not os.environ.get(URL_ENV, "").strip():
        server = FakecampaignServer.shared(shared, prefix=prefix)
    elif process is not None:
        del config.stash[PROCESS]  # the session owns it now, and stops it
        server = FakecampaignServer.attach(process, prefix=prefix)
    else:
        server = FakecampaignServer.from_environment(os.environ, prefix=prefix)
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
