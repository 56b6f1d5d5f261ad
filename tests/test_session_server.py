"""The pytest plugin's session server: one process per run, shared by xdist workers, never left behind."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys

import pytest

from fakecampaign.testing import plugin
from fakecampaign.testing import process as process_module
from fakecampaign.testing.process import ServerProcess
from tests.processes import refuses, wait_until

pytest_plugins = ["pytester"]

WAIT = 60.0  # bound of every explicit wait below

RECORD_URL = """
import pathlib, pytest

@pytest.mark.parametrize("i", range({count}))
def test_record(fakecampaign, fakecampaign_server, i):
    with open(pathlib.Path(__file__).parent / "urls.txt", "a") as out:
        out.write(f"{{fakecampaign_server.url}} {{fakecampaign.name}}\\n")
"""


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FAKECAMPAIGN_URL", "FAKECAMPAIGN_ADMIN_TOKEN", "PYTEST_XDIST_WORKER"):
        monkeypatch.delenv(name, raising=False)


def urls(pytester: pytest.Pytester) -> list[str]:
    return [line.split()[0] for line in (pytester.path / "urls.txt").read_text().splitlines()]


@pytest.mark.parametrize("args", [(), ("-n", "2")], ids=["serial", "xdist"])
def test_one_server_process_per_run_and_none_left_after_it(pytester: pytest.Pytester, args: tuple[str, ...]) -> None:
    pytester.makepyfile(RECORD_URL.format(count=20))
    pytester.runpytest_subprocess("-p", "no:cacheprovider", *args).assert_outcomes(passed=20)
    seen = set(urls(pytester))
    assert len(seen) == 1  # every worker used the controller's server
    (url,) = seen
    assert refuses(url)  # stopped and reaped when the run ended


def test_server_exits_when_the_pytest_run_is_killed(pytester: pytest.Pytester) -> None:
    # The test stands for a long test, killed mid-run: it only waits to be killed.
    pytester.makepyfile(
        """
        import pathlib, time

        def test_long(fakecampaign_server):
            (pathlib.Path(__file__).parent / "url.txt").write_text(fakecampaign_server.url)
            time.sleep(120)
        """
    )
    run = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"],
        cwd=pytester.path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        marker = pytester.path / "url.txt"
        wait_until(lambda: marker.exists() and marker.read_text(), "the run to start its server")
        url = marker.read_text()
        assert not refuses(url)
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=WAIT)
    wait_until(lambda: refuses(url), "the orphaned server to exit")


def test_a_server_that_cannot_start_fails_the_wait_with_its_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(process_module, "CHILD_MODULE", "fakecampaign.testing.no_such_module")
    server = ServerProcess.spawn()
    try:
        with pytest.raises(RuntimeError, match=r"exited with status 1:(.|\n)*No module named"):
            server.wait_ready(timeout=WAIT)
    finally:
        server.stop()


def test_the_session_server_ignores_fakecampaign_settings_exported_for_serve(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKECAMPAIGN_ADMIN_TOKEN", "exported-for-serve")
    monkeypatch.setenv("FAKECAMPAIGN_DB", str(pytester.path / "not-for-tests.sqlite3"))
    pytester.makepyfile("def test_it(fakecampaign):\n    assert fakecampaign.create_contact('a@example.com')\n")
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
    assert not (pytester.path / "not-for-tests.sqlite3").exists()


@pytest.mark.parametrize("option", plugin.NO_TESTS)
def test_a_run_that_executes_no_test_starts_no_server(option: str) -> None:
    assert plugin.starts_server(argparse.Namespace(numprocesses=2), worker=False)
    assert not plugin.starts_server(argparse.Namespace(**{option: True, "numprocesses": 2}), worker=False)


def test_pid_is_the_childs() -> None:
    server = ServerProcess.spawn()
    try:
        server.wait_ready(timeout=WAIT)
        assert server.pid != os.getpid()
        assert not refuses(server.url)
    finally:
        server.stop()
    assert refuses(server.url)


def test_a_server_that_cannot_be_spawned_leaves_the_run_to_the_in_thread_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_processes(cls: type[ServerProcess], host: str = "127.0.0.1") -> ServerProcess:
        raise OSError("no processes here")

    monkeypatch.setattr(plugin, "starts_server", lambda options, worker: True)
    monkeypatch.setattr(ServerProcess, "spawn", classmethod(no_processes))
    config = argparse.Namespace(stash=pytest.Stash())
    plugin._start_server_early(config, argparse.Namespace())  # type: ignore[arg-type]
    assert plugin.PROCESS not in config.stash
