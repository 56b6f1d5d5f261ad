"""Automations defined by fixtures: what starts a run, what a run does, and the journal of both."""

from __future__ import annotations

import re
from typing import Any

from fakecampaign.testing.server import LiveServer
from tests.conftest import Account
from tests.engine.conftest import FILE_EVENT, SEND_THE_FILE, advance, journal, made_account, outbox, seed

FILE_URL = "https://www.yoursite.com/downloads/file.pdf"
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")


def _ann(account: Account) -> dict[str, Any]:
    return account.create_contact("ann@example.com", firstName="Ann", lastName="Lee")


def test_the_guides_event_automation_sends_the_file_link(acct: Account) -> None:
    seed(acct, automations=[SEND_THE_FILE])
    _ann(acct)
    assert acct.track("ann@example.com", FILE_EVENT, FILE_URL).json()["success"] == 1
    [email] = outbox(acct)
    assert email["to"] == "ann@example.com"
    assert email["subject"] == "Your file"
    assert email["text"] == f"Hello Ann!\n\nHere is your file link:\n\n{FILE_URL}"
    assert email["html"] is None
    assert email["automation"]["name"] == "Send the file"
    assert email["event"]["name"] == FILE_EVENT
    assert email["event"]["data"] == FILE_URL
    assert ISO.match(email["time"])


def test_defining_an_automation_leaves_the_whitelist_alone(acct: Account) -> None:
    seed(acct, automations=[SEND_THE_FILE])
    assert acct.api.get("/api/3/eventTrackingEvents").json()["eventTrackingEvents"] == []
    response = acct.api.post("/api/3/eventTrackingEvents", json={"eventTrackingEvent": {"name": FILE_EVENT}})
    assert response.status_code == 201


def test_an_automation_defined_for_a_name_not_whitelisted_fires_with_a_note(acct: Account) -> None:
    seed(acct, automations=[SEND_THE_FILE])
    _ann(acct)
    acct.track("ann@example.com", FILE_EVENT, FILE_URL)
    assert len(outbox(acct)) == 1
    start = journal(acct)[0]
    assert start["outcome"] == "started"
    assert "not whitelisted" in start["reason"]


def test_removing_a_whitelisted_name_stops_its_automation(acct: Account) -> None:
    acct.api.post("/api/3/eventTrackingEvents", json={"eventTrackingEvent": {"name": FILE_EVENT}})
    seed(acct, automations=[SEND_THE_FILE])
    _ann(acct)
    acct.track("ann@example.com", FILE_EVENT, "1")
    assert journal(acct)[0]["reason"] is None
    assert acct.api.delete(f"/api/3/eventTrackingEvents/{FILE_EVENT}").status_code == 200
    acct.track("ann@example.com", FILE_EVENT, "2")
    assert [e["event"]["data"] for e in outbox(acct)] == ["1"]
    [entry] = journal(acct, outcome="not_fired")
    assert (entry["reason"], entry["email"]) == ("event_not_whitelisted", "ann@example.com")


def test_a_dropped_event_starts_nothing_and_is_journalled(acct: Account) -> None:
    seed(acct, automations=[SEND_THE_FILE])
    _ann(acct)
    acct.track("nobody@example.com", FILE_EVENT, FILE_URL)  # not a contact: dropped
    assert acct.api.put("/api/3/eventTracking", json={"eventTracking": {"enabled": False}}).status_code == 200
    acct.track("ann@example.com", FILE_EVENT, FILE_URL)  # tracking off: dropped
    assert outbox(acct) == []
    reasons = [(e["email"], e["reason"]) for e in journal(acct)]
    assert reasons == [
        ("nobody@example.com", "event_dropped:unknown_contact"),
        ("ann@example.com", "event_dropped:tracking_disabled"),
    ]


def test_other_event_names_do_not_trigger(acct: Account) -> None:
    seed(acct, automations=[SEND_THE_FILE])
    _ann(acct)
    acct.track("ann@example.com", "login", "x")
    assert outbox(acct) == []
    assert journal(acct) == []


def test_eventdata_conditions(acct: Account) -> None:
    exact = {**SEND_THE_FILE, "name": "exact", "trigger": {"event": FILE_EVENT, "eventdata": "a.pdf"}}
    contains = {**SEND_THE_FILE, "name": "contains", "trigger": {"event": FILE_EVENT, "eventdata_contains": ".zip"}}
    seed(acct, automations=[exact, contains])
    _ann(acct)
    acct.track("ann@example.com", FILE_EVENT, "a.pdf")
    acct.track("ann@example.com", FILE_EVENT, "b.zip")
    assert [(e["automation"]["name"], e["event"]["data"]) for e in outbox(acct)] == [
        ("exact", "a.pdf"),
        ("contains", "b.zip"),
    ]
    not_fired = [(e["automation"], e["reason"]) for e in journal(acct, outcome="not_fired")]
    assert not_fired == [("contains", "eventdata_mismatch"), ("exact", "eventdata_mismatch")]


def test_runs_once_per_contact_when_asked(acct: Account) -> None:
    seed(acct, automations=[{**SEND_THE_FILE, "runs": "once"}])
    _ann(acct)
    acct.track("ann@example.com", FILE_EVENT, "1")
    acct.track("ann@example.com", FILE_EVENT, "2")
    assert [e["event"]["data"] for e in outbox(acct)] == ["1"]
    assert [e["reason"] for e in journal(acct, outcome="not_fired")] == ["already_entered"]


def test_runs_every_time_by_default(acct: Account) -> None:
    seed(acct, automations=[SEND_THE_FILE])
    _ann(acct)
    acct.track("ann@example.com", FILE_EVENT, "1")
    acct.track("ann@example.com", FILE_EVENT, "2")
    assert [e["event"]["data"] for e in outbox(acct)] == ["1", "2"]


def test_an_inactive_automation_does_not_run(acct: Account) -> None:
    seed(acct, automations=[{**SEND_THE_FILE, "active": False}])
    _ann(acct)
    acct.track("ann@example.com", FILE_EVENT, "1")
    assert outbox(acct) == []
    assert [e["reason"] for e in journal(acct)] == ["automation_inactive"]


def test_contact_created_trigger(acct: Account) -> None:
    welcome = {
        "name": "Welcome",
        "trigger": {"contact_created": True},
        "actions": [{"send_email": {"subject": "Welcome %FIRSTNAME%", "body": "Hi %FULLNAME% <%EMAIL%>"}}],
    }
    seed(acct, automations=[welcome])
    _ann(acct)
    [email] = outbox(acct)
    assert (email["subject"], email["text"], email["event"]) == ("Welcome Ann", "Hi Ann Lee <ann@example.com>", None)


def test_a_wait_step_resumes_when_the_clock_is_moved_forward(acct: Account) -> None:
    drip = {
        "name": "Drip",
        "trigger": {"event": "signup"},
        "actions": [
            {"send_email": {"subject": "Day 0", "body": "first"}},
            {"wait": {"days": 2}},
            {"send_email": {"subject": "Day 2", "body": "%EVENT: signup%"}},
            {"end": {}},
            {"send_email": {"subject": "never", "body": "after the end"}},
        ],
    }
    seed(acct, automations=[drip])
    contact = _ann(acct)
    acct.track("ann@example.com", "signup", "from the blog")
    assert [e["subject"] for e in outbox(acct)] == ["Day 0"]
    [run] = acct.api.get(f"/api/3/contacts/{contact['id']}/contactAutomations").json()["contactAutomations"]
    assert (run["status"], run["completed"], run["lastblock"]) == ("1", 0, "2")

    assert advance(acct, 86400)["resumed"] == 0
    assert [e["subject"] for e in outbox(acct)] == ["Day 0"]
    assert advance(acct, 86400)["resumed"] == 1
    assert [(e["subject"], e["text"]) for e in outbox(acct)] == [("Day 0", "first"), ("Day 2", "from the blog")]
    [run] = acct.api.get(f"/api/3/contacts/{contact['id']}/contactAutomations").json()["contactAutomations"]
    assert (run["status"], run["completed"], run["completeValue"]) == ("2", 1, 100)
    steps = [(e["trigger"], e["outcome"]) for e in journal(acct)]
    assert steps == [
        ("event:signup", "started"),
        ("step:send_email", "done"),
        ("step:wait", "waiting"),
        ("step:send_email", "done"),
        ("step:end", "done"),
        ("run", "completed"),
    ]


def test_a_removed_run_does_not_resume(acct: Account) -> None:
    seed(
        acct,
        automations=[
            {
                "name": "Later",
                "trigger": {"event": "e"},
                "actions": [{"wait": {"hours": 1}}, {"send_email": {"subject": "later", "body": "x"}}],
            }
        ],
    )
    _ann(acct)
    acct.track("ann@example.com", "e", "")
    [run] = acct.api.get("/api/3/contactAutomations").json()["contactAutomations"]
    assert acct.api.delete(f"/api/3/contactAutomations/{run['id']}").json() == {}
    advance(acct, 3600)
    assert outbox(acct) == []


def test_a_deleted_contact_leaves_its_automations(acct: Account) -> None:
    seed(acct, automations=[{"name": "Later", "trigger": {"event": "e"}, "actions": [{"wait": {"hours": 1}}]}])
    contact = _ann(acct)
    acct.track("ann@example.com", "e", "")
    assert acct.api.delete(f"/api/3/contacts/{contact['id']}").status_code == 200
    assert acct.api.get("/api/3/contactAutomations").json()["contactAutomations"] == []


def test_a_reset_restores_the_automations_the_account_was_created_with(engine_server: LiveServer) -> None:
    with made_account(engine_server, fixtures={"automations": [SEND_THE_FILE]}) as account:
        assert len(account.api.get("/api/3/automations").json()["automations"]) == 1
        assert account.raw.post("/_fakecampaign/reset", params={"account": account.name}).status_code == 200
        [automation] = account.api.get("/api/3/automations").json()["automations"]
        assert automation["name"] == "Send the file"


def test_one_accounts_automation_never_runs_for_another(acct: Account, engine_server: LiveServer) -> None:
    with made_account(engine_server) as other:
        seed(acct, automations=[SEND_THE_FILE])
        other.create_contact("ann@example.com")
        other.track("ann@example.com", FILE_EVENT, "x")
        assert outbox(acct) == []
        assert outbox(other) == []
        assert other.api.get("/api/3/automations").json()["automations"] == []


def test_steps_for_resources_this_server_lacks_are_journalled_as_failed(acct: Account) -> None:
    seed(acct, automations=[{"name": "Tagger", "trigger": {"event": "e"}, "actions": [{"add_tag": "vip"}]}])
    _ann(acct)
    acct.track("ann@example.com", "e", "")
    [step] = [e for e in journal(acct) if e["trigger"].startswith("step:")]
    assert step["outcome"] in {"done", "failed"}
