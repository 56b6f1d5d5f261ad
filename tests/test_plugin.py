"""The pytest plugin: fixtures, marker, assertion messages, xdist and an external server (run with pytester)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from fakecampaign.config import Settings
from fakecampaign.testing import FakecampaignAccount, FakecampaignError, FakecampaignServer, LiveServer
from fakecampaign.testing.session import URL_ENV
from fakecampaign.testing.wire import Wire

pytest_plugins = ["pytester"]

EXTERNAL = bool(os.environ.get(URL_ENV))  # read before clean_env hides it from the tests' bodies
NAME = r"pytest-{worker}-[0-9a-f]{{16,32}}"  # pooled accounts: 16 hex; accounts made for a marker: a uuid
RECORD_ACCOUNT = """
import pathlib, pytest

@pytest.mark.parametrize("i", range({count}))
def test_record(fakecampaign, i):
    line = f"{{fakecampaign.name}} {{fakecampaign.actid}} {{fakecampaign.api_token}} {{fakecampaign.base_url}}\\n"
    with open(pathlib.Path(__file__).parent / "accounts.txt", "a") as out:
        out.write(line)
"""


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inner runs start their own server and name accounts as a lone process would."""
    for name in ("FAKECAMPAIGN_URL", "FAKECAMPAIGN_ADMIN_TOKEN", "PYTEST_XDIST_WORKER"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def external() -> Iterator[LiveServer]:
    with LiveServer(Settings(admin_token="s3cret")) as server:
        yield server


def run(pytester: pytest.Pytester, *args: str, isolated: bool = False) -> pytest.RunResult:
    argv = ("-p", "no:cacheprovider", "--strict-markers", *args)
    return pytester.runpytest_subprocess(*argv) if isolated else pytester.runpytest(*argv)


def recorded(pytester: pytest.Pytester) -> list[list[str]]:
    return [line.split() for line in (pytester.path / "accounts.txt").read_text().splitlines()]


def test_each_test_gets_its_own_account(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(RECORD_ACCOUNT.format(count=3))
    run(pytester).assert_outcomes(passed=3)
    accounts = recorded(pytester)
    assert all(re.fullmatch(NAME.format(worker="main"), name) for name, *_ in accounts)
    assert len({name for name, *_ in accounts}) == 3
    assert len({url for *_, url in accounts}) == 1  # one server for the session


def test_used_accounts_are_removed_in_batches_and_never_handed_out_twice(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from fakecampaign.testing.session import BATCH

        names = []

        @pytest.mark.parametrize("i", range(BATCH + 2))
        def test_use(fakecampaign, i):
            names.append(fakecampaign.name)

        def test_last(fakecampaign, fakecampaign_server):
            listed = {a["name"] for a in fakecampaign_server.control.call("GET", "/accounts")["accounts"]}
            assert len(set(names)) == BATCH + 2  # every test had an account of its own
            assert not set(names[:BATCH]) & listed  # the first batch of used accounts is gone already
            assert fakecampaign.name in listed
        """
    )
    run(pytester).assert_outcomes(passed=35)  # BATCH + 2 uses and the last


def test_xdist_workers_never_share_an_account(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(RECORD_ACCOUNT.format(count=40))
    run(pytester, "-n", "2", isolated=True).assert_outcomes(passed=40)
    accounts = recorded(pytester)
    assert len(accounts) == 40
    for column in range(3):  # names, actids and tokens are all distinct
        assert len({a[column] for a in accounts}) == 40
    workers = {re.fullmatch(NAME.format(worker="(gw[01])"), name)[1] for name, *_ in accounts}  # type: ignore[index]
    assert workers == {"gw0", "gw1"}


def test_external_server_is_used_when_fakecampaign_url_is_set(
    pytester: pytest.Pytester, external: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKECAMPAIGN_URL", external.url)
    monkeypatch.setenv("FAKECAMPAIGN_ADMIN_TOKEN", "s3cret")
    pytester.makepyfile(RECORD_ACCOUNT.format(count=10))
    run(pytester, "-n", "2", isolated=True).assert_outcomes(passed=10)
    accounts = recorded(pytester)
    assert {url for *_, url in accounts} == {external.url}
    assert len({name for name, *_ in accounts}) == 10
    left = httpx.get(f"{external.url}/_fakecampaign/accounts", headers={"Authorization": "Bearer s3cret"})
    assert [a["name"] for a in left.json()["accounts"]] == ["fake"]


def test_external_server_without_the_admin_token_fails_with_the_servers_message(
    pytester: pytest.Pytester, external: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKECAMPAIGN_URL", external.url)
    pytester.makepyfile("def test_it(fakecampaign):\n    pass\n")
    result = run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*POST */_fakecampaign/accounts* answered 403*control plane needs its admin token*"])


def test_unreachable_fakecampaign_url_fails_clearly(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKECAMPAIGN_URL", "http://127.0.0.1:9")
    pytester.makepyfile("def test_it(fakecampaign):\n    pass\n")
    result = run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fakecampaign at FAKECAMPAIGN_URL=http://127.0.0.1:9 does not answer*"])


def test_marker_is_registered_with_help(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.fakecampaign(fixtures=None, tracking=True): create the test's*"])


def test_marker_fixtures_dict_and_tracking_configure_the_account(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.fakecampaign(fixtures={"contacts": [{"email": "a@example.com"}]}, tracking=False)
        def test_it(fakecampaign):
            state = fakecampaign.state()
            assert [c["email"] for c in state["contacts"]] == ["a@example.com"]
            assert state["account"]["tracking"] is False
        """
    )
    run(pytester).assert_outcomes(passed=1)


def test_marker_fixtures_path_is_relative_to_the_test_file(pytester: pytest.Pytester) -> None:
    pytester.mkdir("sub")
    (pytester.path / "sub" / "one.json").write_text('{"tracking": false, "eventNames": ["login"]}')
    file = '{"accounts": [{"name": "fake", "actid": "123456789", "contacts": [{"email": "b@example.com"}]}]}'
    (pytester.path / "sub" / "file.json").write_text(file)
    (pytester.path / "sub" / "test_it.py").write_text(
        "import pytest\n\n"
        "@pytest.mark.fakecampaign(fixtures='one.json')\n"
        "def test_account_data(fakecampaign):\n"
        "    state = fakecampaign.state()\n"
        "    assert (state['eventNames'], state['account']['tracking']) == (['login'], False)\n\n"
        "@pytest.mark.fakecampaign(fixtures='file.json')\n"
        "def test_fixtures_file_with_one_account(fakecampaign):\n"
        "    assert fakecampaign.name.startswith('pytest-') and fakecampaign.actid != '123456789'\n"
        "    assert [c['email'] for c in fakecampaign.state()['contacts']] == ['b@example.com']\n"
    )
    run(pytester).assert_outcomes(passed=2)


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ("fixtures='missing.json'", "*fixtures file 'missing.json' not found (looked in: *"),
        ("fixtures={'accounts': [{}, {}]}", "*exactly one account, found 2 accounts*"),
        (
            "fixtures={'contacts': [{'email': 'nope'}]}",
            "*fixtures={'contacts': *}) was refused: request body: /fixtures/contacts/0: 'nope' is not a valid email*",
        ),
        (
            "faults=[{'path': '/api/3/*'}]",
            "*faults=[[]{'path': '/api/3/*'}[]]) was refused: */fixtures/faults/0*effect*",
        ),
        ("rate_limit=-1", "*rate_limit=-1) was refused: */fixtures/rate_limit*"),
        ("tracking='no'", "*tracking=...) must be True or False, got 'no'*"),
        ("fixture={}", "*takes only faults=, fixtures=, rate_limit=, tracking=, got fixture=*"),
    ],
)
def test_bad_marker_fails_the_test_setup_with_a_reason(pytester: pytest.Pytester, marker: str, message: str) -> None:
    pytester.makepyfile(f"import pytest\n\n@pytest.mark.fakecampaign({marker})\ndef test_it(fakecampaign):\n    pass\n")
    result = run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([message])


def test_assert_event_tracked_failure_lists_near_misses(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_it(fakecampaign):
            fakecampaign.create_contact("ada@example.com")
            fakecampaign.create_contact("bob@example.com")
            fakecampaign.track("ada@example.com", "login")
            fakecampaign.track("bob@example.com", "purchase")
            fakecampaign.track("eve@example.com", "purchase")
            fakecampaign.track("ada@example.com", "purchase", "total=2")
            fakecampaign.assert_event_tracked("ada@example.com", "purchase", data="total=1")
        """
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            ">*fakecampaign.assert_event_tracked(*",
            "E*Expected event 'purchase' for 'ada@example.com' with eventdata 'total=1' to be tracked (written)*",
            "E*Found 4 similar event(s) in the journal:",
            "E*#4 event 'purchase' for 'ada@example.com' eventdata 'total=2': written*[[]same email and event name, "
            "other eventdata]",
            "E*#1 event 'login' for 'ada@example.com': written*[[]same email, other event name]",
            "E*#2 event 'purchase' for 'bob@example.com': written*[[]same event name, other email]",
            "E*#3 event 'purchase' for 'eve@example.com': dropped (unknown_contact)*[[]same event name, other email]",
        ]
    )
    result.stdout.no_fnmatch_line("*_assert_journal*")  # __tracebackhide__: the failure points at the test


def test_assert_event_dropped_failure_says_it_was_written(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_it(fakecampaign):
            fakecampaign.create_contact("ada@example.com")
            fakecampaign.track("ada@example.com", "login")
            fakecampaign.assert_event_dropped("ada@example.com", "login", reason="unknown_contact")
        """
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E*Expected event 'login' for 'ada@example.com' to be dropped with reason 'unknown_contact'*",
            "E*#1 event 'login' for 'ada@example.com': written*[[]same email and event name, but written]",
        ]
    )


def test_assertion_without_similar_events_says_so(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_it(fakecampaign):
            fakecampaign.track("x@example.com", "other")
            fakecampaign.assert_event_dropped("ada@example.com", "login", reason="unknown")
        """
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E*No similar events found (1 event(s) in this account's journal).",
            "E*Note: 'unknown' is not a drop reason; they are: missing_actid, *, unknown_contact.",
        ]
    )


def test_importing_the_plugin_does_not_load_the_server() -> None:
    code = "import sys, fakecampaign.testing.plugin; print([m for m in ('fastapi', 'httpx') if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# --- the handle's helpers, through the plugin loaded in this very run --------------------------------------------


def test_session_server_runs_in_this_process_unless_fakecampaign_url_is_set(
    fakecampaign_server: FakecampaignServer, fakecampaign: FakecampaignAccount
) -> None:
    assert fakecampaign_server.external is EXTERNAL
    assert fakecampaign.base_url == fakecampaign_server.url
    assert fakecampaign.event_url == f"{fakecampaign_server.url}/event"


def test_client_is_an_httpx_client_for_the_account(fakecampaign: FakecampaignAccount) -> None:
    assert fakecampaign.client is fakecampaign.client
    assert fakecampaign.client.headers["Api-Token"] == fakecampaign.api_token
    assert fakecampaign.client.get("/api/3/users/me").status_code == 200


def test_create_contact_returns_the_ac_contact(fakecampaign: FakecampaignAccount) -> None:
    contact = fakecampaign.create_contact("ada@example.com", firstName="Ada")
    assert (contact["email"], contact["firstName"]) == ("ada@example.com", "Ada")
    assert contact["id"].isdigit()


def test_helper_call_refused_by_the_server_raises_with_the_body_and_hint(fakecampaign: FakecampaignAccount) -> None:
    fakecampaign.create_contact("ada@example.com")
    with pytest.raises(FakecampaignError, match=r"answered 422 \(expected 201\).*already exists") as raised:
        fakecampaign.create_contact("ADA@example.com")
    assert raised.value.status_code == 422
    assert str(raised.value).endswith("\n  hint: A contact with email 'ADA@example.com' already exists in this account")


def test_whitelist_and_set_tracking_change_the_account(fakecampaign: FakecampaignAccount) -> None:
    fakecampaign.whitelist("signup")
    fakecampaign.set_tracking(False)
    state = fakecampaign.state()
    assert (state["eventNames"], state["account"]["tracking"]) == (["signup"], False)


def test_track_returns_the_parsed_reply_also_for_a_refusal(fakecampaign: FakecampaignAccount) -> None:
    assert fakecampaign.track("a@example.com", "x" * 33) == {
        "success": 0,
        "message": "Event name must be at most 32 characters.",
    }
    fakecampaign.assert_event_dropped("a@example.com", "x" * 33, reason="event_too_long")


@pytest.mark.fakecampaign(fixtures={"contacts": [{"email": "a@example.com"}, {"email": "b@example.com"}]})
def test_tracking_logs_filter_by_email_and_event(fakecampaign: FakecampaignAccount) -> None:
    for email, event in (("a@example.com", "login"), ("a@example.com", "buy"), ("b@example.com", "buy")):
        fakecampaign.track(email, event)
    assert [log["type"] for log in fakecampaign.tracking_logs(email="A@example.com")] == ["login", "buy"]
    assert len(fakecampaign.tracking_logs(event="buy")) == 2
    assert len(fakecampaign.tracking_logs(email="b@example.com", event="buy")) == 1
    assert fakecampaign.tracking_logs(email="nobody@example.com") == []


def test_tracking_logs_reads_every_page(fakecampaign: FakecampaignAccount) -> None:
    events = [{"email": "a@example.com", "event": f"e{i}"} for i in range(130)]
    fakecampaign.seed({"contacts": [{"email": "a@example.com"}], "events": events})
    assert [log["type"] for log in fakecampaign.tracking_logs()] == [f"e{i}" for i in range(130)]


def test_requests_and_events_list_only_this_accounts_calls(
    fakecampaign: FakecampaignAccount, fakecampaign_server: FakecampaignServer
) -> None:
    other = fakecampaign_server.new_account()
    try:
        other.track("a@example.com", "login")
        other.api("GET", "/api/3/contacts")
        fakecampaign.track("b@example.com", "login")
        assert [(r["method"], r["path"]) for r in fakecampaign.requests()] == [("POST", "/event")]
        assert [e["email"] for e in fakecampaign.events()] == ["b@example.com"]
        assert fakecampaign.events(email="a@example.com") == []
    finally:
        other.delete()


@pytest.mark.fakecampaign(fixtures={"contacts": [{"email": "a@example.com"}]}, tracking=False)
def test_reset_restores_the_marker_state(fakecampaign: FakecampaignAccount) -> None:
    fakecampaign.seed({"contacts": [{"email": "b@example.com"}], "tracking": True})
    fakecampaign.reset()
    state = fakecampaign.state()
    assert ([c["email"] for c in state["contacts"]], state["account"]["tracking"]) == (["a@example.com"], False)


def test_seed_reads_a_fixtures_file_with_one_account(fakecampaign: FakecampaignAccount, tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"accounts": [{"name": "ignored", "contacts": [{"email": "c@example.com"}]}]}))
    fakecampaign.seed(path)
    assert [c["email"] for c in fakecampaign.state()["contacts"]] == ["c@example.com"]


def test_assert_event_tracked_matches_email_case_insensitively_and_returns_the_entry(
    fakecampaign: FakecampaignAccount,
) -> None:
    fakecampaign.create_contact("ada@example.com")
    fakecampaign.track("Ada@Example.com", "login", "web")
    entry = fakecampaign.assert_event_tracked("ADA@example.com", "login", data="web")
    assert (entry["outcome"], entry["tracking_log_id"]) == ("written", fakecampaign.tracking_logs()[0]["id"])


def test_delete_removes_the_account_and_tolerates_a_second_call(fakecampaign_server: FakecampaignServer) -> None:
    account = fakecampaign_server.new_account()
    account.delete()
    account.delete()
    with pytest.raises(FakecampaignError, match="answered 404"):
        fakecampaign_server.control.state(account.name)


@contextmanager
def canned(*answers: bytes) -> Iterator[Wire]:
    """A server that reads one request per connection, writes the next answer and hangs up without saying so."""
    with socket.create_server(("127.0.0.1", 0)) as listener:

        def serve() -> None:
            for answer in answers:
                conn, _ = listener.accept()
                with conn:
                    conn.recv(65536)
                    conn.sendall(answer)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        wire = Wire(f"http://127.0.0.1:{listener.getsockname()[1]}")
        yield wire
        wire.close()
        thread.join(timeout=5)


OK = b"HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n" + b'{"status":"ok"}'


def test_control_connection_closed_by_the_server_is_reopened_once() -> None:
    """uvicorn closes idle kept-alive connections after 5 s; the next call must still go through."""
    with canned(OK, OK) as wire:
        assert wire.request("GET", "/_fakecampaign/health").json() == {"status": "ok"}
        time.sleep(0.05)
        assert wire.request("GET", "/_fakecampaign/health").json() == {"status": "ok"}


def test_answer_cut_short_is_an_error_and_not_sent_again() -> None:
    with canned(OK[:-3], OK) as wire, pytest.raises(ConnectionAbortedError, match="in the middle of its answer"):
        wire.request("POST", "/_fakecampaign/accounts", json_body={})


@pytest.mark.parametrize(
    "answer",
    [
        b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n{"a": \r\n2;x=y\r\n1}\r\n0\r\nT: 1\r\n\r\n',
        b'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{"a": 1}',
    ],
    ids=["chunked", "until-close"],
)
def test_bodies_without_content_length_are_read_whole(answer: bytes) -> None:
    with canned(answer) as wire:
        reply = wire.request("GET", "/x")
        assert (reply.status, reply.json()) == (200, {"a": 1})


def test_line_break_in_a_header_is_refused() -> None:
    with canned() as wire, pytest.raises(ValueError, match="line break"):
        wire.request("GET", "/x", headers={"Authorization": "Bearer x\r\nX-Evil: 1"})


def test_the_in_thread_server_ignores_fakecampaign_variables_meant_for_a_served_fake(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A shell set up for `fakecampaign serve` (admin token, no request journal) must not break the plugin.
    monkeypatch.setenv("FAKECAMPAIGN_ADMIN_TOKEN", "for-the-docker-fake")
    monkeypatch.setenv("FAKECAMPAIGN_REQUEST_JOURNAL_SIZE", "0")
    pytester.makepyfile(
        """
        def test_works(fakecampaign):
            fakecampaign.create_contact("env@example.com")
            assert [r["path"] for r in fakecampaign.requests()] == ["/api/3/contacts"]
        """
    )
    run(pytester, isolated=True).assert_outcomes(passed=1)
