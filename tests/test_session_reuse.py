"""The session server kept across pytest runs (fakecampaign/testing/reuse.py): found again, fresh for each run,
refused when it is another's, replaced when dead, off on request, stopped on request."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import suppress
from datetime import datetime
from pathlib import Path

import pytest

from fakecampaign.config import Settings
from fakecampaign.testing import child, reuse
from fakecampaign.testing.child import KeptApp
from fakecampaign.testing.control import ControlPlane, FakecampaignError
from fakecampaign.testing.process import ServerProcess
from fakecampaign.testing.server import LiveServer
from tests.processes import refuses, wait_until

WAIT = 60.0  # bound of every explicit wait below

# Run 1 leaves traces that a fresh server would not show (an account, a moved clock); run 2 records what it sees.
RECORD = """
import json, pathlib

def test_record(fakecampaign, fakecampaign_server):
    control = fakecampaign_server.control
    names = [a["name"] for a in control.call("GET", "/accounts")["accounts"] if not a["name"].startswith("pytest-")]
    clock = control.advance_clock(0)
    control.create_account({"name": "left-behind"})
    control.advance_clock(86400)
    seen = {"url": fakecampaign_server.url, "accounts": names, "clock": clock}
    with open(pathlib.Path(__file__).parent / "seen.jsonl", "a") as out:
        out.write(json.dumps(seen) + "\\n")
"""


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A state directory of the test's own, reuse on; every server kept there is stopped afterwards."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv(reuse.DIR_ENV, str(runtime))
    monkeypatch.setenv(reuse.REUSE_ENV, "yes")
    for name in ("FAKECAMPAIGN_URL", "FAKECAMPAIGN_ADMIN_TOKEN", "PYTEST_XDIST_WORKER", *reuse.CI_ENV):
        monkeypatch.delenv(name, raising=False)
    try:
        yield runtime / "fakecampaign"
    finally:
        reuse.stop_all()


def run_pytest(directory: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # capture_output: the run's pipes must reach EOF when pytest exits, though the server it kept lives on.
    argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args]
    environ = os.environ | (env or {})
    done = subprocess.run(argv, cwd=directory, capture_output=True, text=True, timeout=WAIT, env=environ, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def seen(directory: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (directory / "seen.jsonl").read_text().splitlines()]


def kept_state(directory: Path) -> dict[str, object]:
    (path,) = directory.glob("server-*.json")
    found: dict[str, object] = json.loads(path.read_text())
    return found


@pytest.mark.parametrize("second", [(), ("-n", "2")], ids=["serial", "xdist"])
def test_the_next_run_reuses_the_kept_server_and_sees_a_fresh_one(
    state: Path, tmp_path: Path, second: tuple[str, ...]
) -> None:
    (tmp_path / "test_record.py").write_text(RECORD)
    run_pytest(tmp_path)
    url = str(kept_state(state)["url"])
    assert not refuses(url)  # kept after the run
    run_pytest(tmp_path, *second)
    first, again = seen(tmp_path)
    assert again["url"] == first["url"] == url
    assert "left-behind" not in again["accounts"]  # run 1's account is gone with its app
    assert again["accounts"] == first["accounts"] == ["fake"]
    assert abs(_now(again["clock"]) - time.time()) < 3600  # run 1 moved its clock a day; run 2's is not moved


def _now(clock: object) -> float:
    assert isinstance(clock, dict)
    return datetime.fromisoformat(str(clock["now"]).replace("Z", "+00:00")).timestamp()


def test_a_kept_server_of_other_code_is_not_leased(state: Path) -> None:
    mine = reuse.acquire()
    assert mine is not None
    try:
        mine.wait_ready()
    finally:
        mine.stop()
    # The state file of another fingerprint names this server: it answers with its own fingerprint, so the
    # lease is refused and the run starts a kept server of that fingerprint, recorded for the next runs.
    (path,) = state.glob("server-*.json")
    other_state = state / "server-0123456789abcdef0123456789abcdef.json"
    shutil.copy(path, other_state)
    other = reuse.KeptServer.found(state, "0123456789abcdef0123456789abcdef")
    assert other is not None
    try:
        other.wait_ready()
        assert other.url != mine.url
        control = ControlPlane(other.url)
        control.health()
        control.close()
    finally:
        other.stop()
    assert json.loads(other_state.read_text())["url"] == other.url
    assert not path.exists()  # the idle kept server of the other code is retired, as any older code's is


def test_other_code_gets_a_kept_server_of_its_own(state: Path, tmp_path: Path) -> None:
    (tmp_path / "test_record.py").write_text(RECORD)
    run_pytest(tmp_path)
    run_pytest(tmp_path, env={"PYTHONPATH": str(tmp_path)})  # another interpreter setup: another fingerprint
    first, other = seen(tmp_path)
    assert first["url"] != other["url"]
    assert len(list(state.glob("server-*.json"))) == 2


def test_a_dead_kept_server_is_replaced(state: Path, tmp_path: Path) -> None:
    (tmp_path / "test_record.py").write_text(RECORD)
    run_pytest(tmp_path)
    dead = kept_state(state)
    os.kill(int(str(dead["pid"])), signal.SIGKILL)
    wait_until(lambda: refuses(str(dead["url"])), "the killed server's port to close")
    run_pytest(tmp_path)
    assert seen(tmp_path)[1]["url"] != dead["url"]
    assert kept_state(state)["url"] == seen(tmp_path)[1]["url"]


def test_a_leased_server_is_not_shared_with_a_concurrent_run(state: Path) -> None:
    first = reuse.acquire()
    assert first is not None
    try:
        first.wait_ready()
        second = reuse.acquire()
        assert second is not None
        try:
            second.wait_ready()
            assert second.url != first.url  # refused (409): a server of its own
        finally:
            second.stop()
        assert refuses(second.url)  # it was that run's own: gone with it
        assert kept_state(state)["url"] == first.url  # the kept server is still the one to find
    finally:
        first.stop()


@pytest.mark.parametrize("switch", [["--fakecampaign-reuse=no"], ["-o", "fakecampaign_reuse=no"]], ids=["cli", "ini"])
def test_reuse_off_keeps_nothing(
    state: Path, tmp_path: Path, switch: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(reuse.REUSE_ENV)  # it would win over the ini option
    (tmp_path / "test_record.py").write_text(RECORD)
    run_pytest(tmp_path, *switch)
    assert not list(state.glob("server-*.json"))
    assert refuses(str(seen(tmp_path)[0]["url"]))


def test_reuse_is_off_by_default_under_ci_and_on_elsewhere() -> None:
    assert reuse.wanted(None, {})
    assert reuse.wanted("auto", {"CI": "false"})
    assert not reuse.wanted(None, {"CI": "true"})
    assert not reuse.wanted(None, {"JENKINS_URL": "https://ci.example.com/"})
    assert reuse.wanted("yes", {"CI": "true"})
    assert not reuse.wanted("no", {})


def test_fakecampaign_stop_stops_the_kept_servers(state: Path, tmp_path: Path) -> None:
    (tmp_path / "test_record.py").write_text(RECORD)
    run_pytest(tmp_path)
    url = str(kept_state(state)["url"])
    done = run_pytest(tmp_path, "--fakecampaign-stop")
    assert f"stopped 1 kept server(s)\n  {url}" in done.stdout
    assert len(seen(tmp_path)) == 1  # it ran no test
    wait_until(lambda: refuses(url), "the stopped server to exit")
    assert not list(state.glob("server-*.json"))


def test_a_kept_server_exits_after_its_idle_time(state: Path) -> None:
    state.mkdir(mode=0o700, exist_ok=True)
    kept = reuse.KeptServer.started(state, reuse.fingerprint(), idle=0.5)
    kept.wait_ready()
    kept.stop()
    wait_until(lambda: refuses(kept.url), "the idle server to exit")
    assert not list(state.iterdir())  # its state file (and log) went with it: no run is sent to its port


def test_an_idle_exit_leaves_a_state_file_naming_another_server_alone(state: Path) -> None:
    state.mkdir(mode=0o700, exist_ok=True)
    kept = reuse.KeptServer.started(state, reuse.fingerprint(), idle=0.5)
    kept.wait_ready()
    path = state / f"server-{reuse.fingerprint()}.json"
    named = json.loads(path.read_text()) | {"token": "a newer server's"}
    path.write_text(json.dumps(named))  # a run has started another server since, under the same fingerprint
    kept.stop()
    wait_until(lambda: refuses(kept.url), "the idle server to exit")
    assert json.loads(path.read_text()) == named


def test_a_state_directory_others_can_write_is_not_used(state: Path) -> None:
    state.mkdir(mode=0o700, exist_ok=True)
    state.chmod(0o777)
    try:
        assert reuse.state_dir() is None
        assert reuse.acquire() is None
    finally:
        state.chmod(0o700)


def test_a_state_file_naming_another_http_server_is_refused_and_that_server_left_alone(state: Path) -> None:
    with LiveServer(Settings()) as foreign:  # e.g. a port reused since by a `fakecampaign serve`
        control = ControlPlane(foreign.url)
        control.create_account({"name": "theirs"})
        state.mkdir(mode=0o700, exist_ok=True)
        key = reuse.fingerprint()
        (state / f"server-{key}.json").write_text(json.dumps({"url": foreign.url, "token": "t"}))
        kept = reuse.KeptServer.found(state, key)
        assert kept is not None
        try:
            kept.wait_ready()
            assert kept.url != foreign.url  # a new kept server instead
        finally:
            kept.stop()
        assert "theirs" in [a["name"] for a in control.call("GET", "/accounts")["accounts"]]
        control.close()
        # ... recorded: the next run leases it, instead of being refused by the foreign server again.
        assert kept_state(state)["url"] == kept.url
        again = reuse.KeptServer.found(state, key)
        assert again is not None
        try:
            again.wait_ready()
            assert again.url == kept.url
        finally:
            again.stop()


def test_a_state_file_naming_a_port_that_never_answers_is_replaced(
    state: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reuse, "FOUND_TIMEOUT", 0.5)  # a live kept server answers in ~30 ms
    with socket.socket() as silent:  # listens, never accepts: connections wait in its queue, unanswered
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        state.mkdir(mode=0o700, exist_ok=True)
        key = reuse.fingerprint()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        (state / f"server-{key}.json").write_text(json.dumps({"url": url, "token": "t", "pid": 1}))
        kept = reuse.KeptServer.found(state, key)
        assert kept is not None
        try:
            kept.wait_ready()
            assert kept.url != url
        finally:
            kept.stop()
        assert kept_state(state)["url"] == kept.url


def test_a_kept_server_that_is_not_the_one_the_state_file_names_is_not_leased(state: Path) -> None:
    first = reuse.acquire()
    assert first is not None
    first.wait_ready()
    first.stop()
    path = state / f"server-{reuse.fingerprint()}.json"
    named = json.loads(path.read_text())
    path.write_text(json.dumps(named | {"pid": named["pid"] + 1}))  # e.g. one started since on a reused port
    control = ControlPlane(first.url)
    try:
        wait_until(lambda: _status(control, "GET", "/health") == 503, "the lease to end")
        again = reuse.acquire()
        assert again is not None
        try:
            again.wait_ready()
            assert again.url != first.url
        finally:
            again.stop()
        assert kept_state(state)["url"] == again.url
    finally:
        control.close()
        os.kill(named["pid"], signal.SIGKILL)  # no state file names it any more: stop_all would not find it
        os.waitpid(named["pid"], 0)


def test_starting_a_kept_server_retires_idle_ones_of_older_code(state: Path) -> None:
    state.mkdir(mode=0o700, exist_ok=True)
    old = reuse.KeptServer.started(state, "a" * 32)
    old.wait_ready()
    new = reuse.KeptServer.started(state, "b" * 32)  # the code changed while a run still holds the old server
    try:
        new.wait_ready()
        assert not refuses(old.url)  # leased: left alone
        old.stop()
        newer = reuse.KeptServer.started(state, "c" * 32)
        try:
            newer.wait_ready()
            wait_until(lambda: refuses(old.url), "the idle server of older code to exit")
            assert not refuses(new.url)  # leased
            assert sorted(p.name for p in state.glob("server-*.json")) == [
                f"server-{'b' * 32}.json",
                f"server-{'c' * 32}.json",
            ]
        finally:
            newer.stop()
    finally:
        new.stop()


def test_a_replaced_app_is_freed() -> None:
    # FastAPI's module-level caches hold endpoint functions, which close over their app: without dropping
    # them, every run's app would stay in the kept server's memory.
    async def renew_once() -> weakref.ref[object]:
        kept = KeptApp(Settings.documented_defaults(), token="t", fingerprint="f", idle=60.0)
        await kept.lifespan.start()
        replaced = weakref.ref(kept.app)
        await kept._renew()
        await kept.lifespan.stop()
        return replaced

    replaced = asyncio.run(renew_once())
    gc.collect()
    assert replaced() is None


def _scope(method: str, path: str, query: bytes = b"") -> dict[str, object]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def _call(app: KeptApp, method: str, path: str, body: bytes = b"") -> tuple[int, object]:
    messages: list[dict[str, object]] = []
    done = asyncio.Event()

    async def receive() -> dict[str, object]:
        if not done.is_set():
            done.set()
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # the client never goes away while it is answered
        raise AssertionError("unreachable")

    async def send(message: dict[str, object]) -> None:
        messages.append(dict(message))

    await app(_scope(method, path), receive, send)  # type: ignore[arg-type]
    status = messages[0]["status"]
    data = b"".join(bytes(m.get("body", b"")) for m in messages[1:])  # type: ignore[call-overload]
    assert isinstance(status, int)
    return status, json.loads(data) if data else None


def test_a_kept_server_answers_nothing_but_lease_and_stop_between_runs() -> None:
    # Between runs the app is the one the next run gets: whoever reaches the port must not be able to write
    # into it (or read it). Only while a run holds the lease does the app answer.
    async def scenario() -> None:
        kept = KeptApp(Settings.documented_defaults(), token="t", fingerprint="f", idle=60.0)
        await kept.lifespan.start()
        planted = json.dumps({"name": "planted"}).encode()
        status, body = await _call(kept, "POST", "/_fakecampaign/accounts", planted)
        assert (status, body) == (503, {"message": child.UNLEASED})
        assert (await _call(kept, "GET", "/_fakecampaign/health"))[0] == 503

        granted, gone = asyncio.Event(), asyncio.Event()

        async def lease_receive() -> dict[str, object]:
            await gone.wait()
            return {"type": "http.disconnect"}

        async def lease_send(message: dict[str, object]) -> None:
            if message["type"] == "http.response.body":
                granted.set()

        lease_query = f"nonce=n&proof={reuse.proof('t', 'lease', 'n')}".encode()
        lease = asyncio.create_task(
            kept(_scope("GET", reuse.LEASE_PATH, lease_query), lease_receive, lease_send)  # type: ignore[arg-type]
        )
        await granted.wait()
        assert (await _call(kept, "GET", "/_fakecampaign/health"))[0] == 200
        names = [a["name"] for a in (await _call(kept, "GET", "/_fakecampaign/accounts"))[1]["accounts"]]  # type: ignore[index]
        assert "planted" not in names
        gone.set()
        await lease
        assert (await _call(kept, "GET", "/_fakecampaign/health"))[0] == 503  # the run is over: closed again
        assert kept._renewal is not None
        await kept._renewal
        await kept.lifespan.stop()

    asyncio.run(scenario())


def test_a_write_between_runs_is_refused_and_not_seen_by_the_next_run(state: Path) -> None:
    first = reuse.acquire()
    assert first is not None
    first.wait_ready()
    url = first.url
    first.stop()
    control = ControlPlane(url)
    try:
        wait_until(lambda: _status(control, "GET", "/_fakecampaign/health") == 503, "the lease to end")
        assert _status(control, "POST", "/_fakecampaign/accounts", {"name": "planted"}) == 503
        second = reuse.acquire()
        assert second is not None
        try:
            second.wait_ready()
            assert second.reused
            assert second.url == url
            names = [a["name"] for a in control.call("GET", "/accounts")["accounts"]]
            assert names == ["fake"]
        finally:
            second.stop()
    finally:
        control.close()


def _status(control: ControlPlane, method: str, path: str, body: object = None) -> int:
    try:
        control.call(method, path.removeprefix("/_fakecampaign"), expect=0, body=body)
    except FakecampaignError as error:
        return error.status_code
    raise AssertionError("no status is 0")


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads the kept server's descriptors from /proc")
def test_a_kept_server_holds_none_of_the_runs_descriptors(tmp_path: Path) -> None:
    # Whoever started pytest may read a pipe until EOF (a CI step, subprocess.run(capture_output=True)); if the
    # kept server held an inherited write end, they would wait for its idle exit.
    read, write = os.pipe()
    os.set_inheritable(write, True)
    env = {reuse.TOKEN_ENV: "t", reuse.FINGERPRINT_ENV: "f"}
    url, pid = ServerProcess.spawn_kept(60.0, env, str(tmp_path / "kept.log"))
    try:
        held = set()
        for fd in os.listdir(f"/proc/{pid}/fd"):  # (it is starting: files it opens may be closed already)
            with suppress(FileNotFoundError):
                held.add(os.readlink(f"/proc/{pid}/fd/{fd}"))
        assert f"pipe:[{os.fstat(write).st_ino}]" not in held
        assert any(target.startswith("socket:") for target in held)  # its listening socket: what it needs
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read)
        os.close(write)
    assert refuses(url)


def test_a_program_on_the_recorded_port_learns_no_token_and_cannot_pass_for_the_kept_server(state: Path) -> None:
    # After an idle exit another local program may listen on the port a state file records: it must learn
    # nothing it could use (the token is proven, never sent), and its answer, fingerprint and pid right (neither
    # is secret), is not taken for the kept server's.
    key = reuse.fingerprint()
    heard: list[bytes] = []
    with socket.socket() as impostor:
        impostor.bind(("127.0.0.1", 0))
        impostor.listen(8)

        def answer() -> None:
            conn, _ = impostor.accept()
            with conn:
                heard.append(conn.recv(65536))
                line = json.dumps({"pid": 1, "fingerprint": key}).encode() + b"\n"
                head = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
                conn.sendall(head + f"{len(line):x}\r\n".encode() + line)
                while conn.recv(4096):  # held, as a lease is, until the client lets go
                    pass

        listener = threading.Thread(target=answer, daemon=True)
        listener.start()
        url = f"http://127.0.0.1:{impostor.getsockname()[1]}"
        secret = "the-kept-servers-secret-token"
        state.mkdir(mode=0o700, exist_ok=True)
        (state / f"server-{key}.json").write_text(json.dumps({"url": url, "token": secret, "pid": 1}))
        kept = reuse.KeptServer.found(state, key)
        assert kept is not None
        try:
            kept.wait_ready()
            assert kept.url != url  # a new kept server instead
        finally:
            kept.stop()
        listener.join(WAIT)
    assert heard
    assert secret.encode() not in heard[0]
    assert kept_state(state)["url"] == kept.url


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_does_not_keep_the_lease(state: Path) -> None:
    # A test that forks (or multiprocessing's fork start method) copies the lease's socket into the child: were
    # the copy left open, a child outliving the run would hold the server, and later runs would be refused it.
    kept = reuse.acquire()
    assert kept is not None
    kept.wait_ready()
    url = kept.url
    assert kept._sock is not None
    fileno = kept._sock.fileno()
    hold, release = os.pipe()
    report, tell = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report whether its copy is closed, then live on until the parent lets it go
        try:
            try:
                os.fstat(fileno)
                os.write(tell, b"its copy of the lease's socket is open")
            except OSError:
                os.write(tell, b"closed" if kept._sock is None else b"closed, but the lease still names it")
            os.close(release)
            os.read(hold, 1)
        finally:
            os._exit(0)
    os.close(hold)
    os.close(tell)
    control = ControlPlane(url)
    try:
        assert os.read(report, 100) == b"closed"
        kept.stop()
        wait_until(lambda: _status(control, "GET", "/health") == 503, "the lease to end while the child lives")
    finally:
        control.close()
        os.close(release)
        os.close(report)
        os.waitpid(pid, 0)
