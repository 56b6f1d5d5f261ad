"""trackcmp.net's POST /event: body formats, refusals, silent drops, and the journal of every call."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.conftest import Account

SPAWNED = {"success": 1, "message": "Event spawned"}
VISIT_MESSAGE = 'The visit parameter must be JSON with an email, like {"email":"someone@example.com"}.'


def _form(account: Account, email: str, event: str = "file download request", **extra: str) -> dict[str, str]:
    form = {
        "actid": account.actid,
        "key": account.event_key,
        "event": event,
        "eventdata": "https://www.yoursite.com/downloads/file.pdf",
        "visit": json.dumps({"email": email}),
    }
    form.update(extra)
    return form


def _logs(account: Account) -> list[dict[str, Any]]:
    response = account.api.get("/api/3/trackingLogs")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["meta"]["total"] == str(len(body["trackingLogs"]))
    logs: list[dict[str, Any]] = body["trackingLogs"]
    return logs


def _journal(raw: httpx.Client, **filters: str) -> tuple[list[dict[str, Any]], int]:
    response = raw.get("/_fakecampaign/events", params=filters)
    assert response.status_code == 200, response.text
    body = response.json()
    return body["events"], body["meta"]["total"]


def _latest_journal(raw: httpx.Client, **filters: str) -> dict[str, Any]:
    _, total = _journal(raw, **filters)
    assert total > 0
    events, _ = _journal(raw, **filters, offset=str(total - 1))
    return events[-1]


def _assert_spawned(response: httpx.Response) -> None:
    assert response.status_code == 200
    assert response.json() == SPAWNED
    assert response.headers["content-type"] == "application/json"


# --- accepted and written ---------------------------------------------------------------------------------------


def test_track_urlencoded_writes_log_and_replies_event_spawned(account: Account) -> None:
    contact = account.create_contact("dl@example.com")
    response = account.raw.post("/event", data=_form(account, "dl@example.com"))
    _assert_spawned(response)
    assert response.content == b'{"success":1,"message":"Event spawned"}'
    [log] = _logs(account)
    assert log["contact"] == contact["id"]
    assert log["type"] == "file download request"
    assert log["value"] == "https://www.yoursite.com/downloads/file.pdf"


def _multipart(fields: dict[str, str], boundary: str = "fakecampaign-boundary") -> tuple[bytes, dict[str, str]]:
    """A multipart/form-data body of plain fields, as Postman's form-data tab sends it."""
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    body = ("".join(parts) + f"--{boundary}--\r\n").encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def test_track_multipart_form_data_is_written(account: Account) -> None:
    account.create_contact("multi@example.com")
    body, headers = _multipart(_form(account, "multi@example.com"))
    response = account.raw.post("/event", content=body, headers=headers)
    _assert_spawned(response)
    [log] = _logs(account)
    assert (log["type"], log["value"]) == ("file download request", "https://www.yoursite.com/downloads/file.pdf")


def test_track_multipart_with_a_file_part_is_written(account: Account) -> None:
    # httpx's files= forces multipart; the stray file part must be ignored (and its temp file closed).
    account.create_contact("multifile@example.com")
    response = account.raw.post(
        "/event", data=_form(account, "multifile@example.com"), files={"attachment": ("a.txt", b"x", "text/plain")}
    )
    assert response.request.headers["content-type"].startswith("multipart/form-data; boundary=")
    _assert_spawned(response)
    [log] = _logs(account)
    assert log["type"] == "file download request"


def test_track_fields_in_query_string_are_written(account: Account) -> None:
    account.create_contact("query@example.com")
    response = account.raw.post("/event", params=_form(account, "query@example.com"))
    assert response.request.content == b""
    _assert_spawned(response)
    [log] = _logs(account)
    assert log["value"] == "https://www.yoursite.com/downloads/file.pdf"


def test_track_extra_api_key_is_ignored(account: Account) -> None:
    account.create_contact("apikey@example.com")
    response = account.raw.post("/event", data=_form(account, "apikey@example.com", api_key="not-a-real-key"))
    _assert_spawned(response)
    assert len(_logs(account)) == 1


@pytest.mark.parametrize("encoded", ["file+download+request", "file%20download%20request"], ids=["plus", "pct20"])
def test_track_urlencoded_event_name_spaces_are_decoded(account: Account, encoded: str) -> None:
    account.create_contact("space@example.com")
    body = (
        f"actid={account.actid}&key={account.event_key}&event={encoded}"
        "&visit=%7B%22email%22%3A%22space%40example.com%22%7D"
    )
    response = account.raw.post(
        "/event", content=body.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    _assert_spawned(response)
    [log] = _logs(account)
    assert log["type"] == "file download request"


def test_track_non_whitelisted_event_name_is_written(account: Account) -> None:
    account.create_contact("free@example.com")
    assert account.api.get("/api/3/eventTrackingEvents").json()["eventTrackingEvents"] == []
    _assert_spawned(account.track("free@example.com", "never whitelisted"))
    [log] = _logs(account)
    entry = _latest_journal(account.raw, account=account.name)
    assert (entry["outcome"], entry["reason"], entry["tracking_log_id"]) == ("written", None, log["id"])


def test_track_matches_contact_email_case_insensitively(account: Account) -> None:
    contact = account.create_contact("Mixed.Case@Example.com")
    _assert_spawned(account.track("mixed.case@EXAMPLE.COM", "login"))
    [log] = _logs(account)
    assert log["contact"] == contact["id"]


def test_track_without_eventdata_has_an_empty_string_value(account: Account) -> None:
    # AC's trackingLog fields are all strings (ac-api-facts.md §6): no eventdata is "", never null.
    account.create_contact("nodata@example.com")
    _assert_spawned(account.track("nodata@example.com", "login"))
    [log] = _logs(account)
    assert log["value"] == ""
    [activity_log] = account.api.get("/api/3/activities").json()["trackingLogs"]
    assert activity_log["value"] == ""
    assert account.journal()[0]["eventdata"] is None  # the journal still records what was sent


def test_track_32_char_event_name_is_written(account: Account) -> None:
    account.create_contact("long@example.com")
    _assert_spawned(account.track("long@example.com", "e" * 32))
    assert [log["type"] for log in _logs(account)] == ["e" * 32]


def test_track_written_event_is_journalled_with_its_fields(account: Account) -> None:
    account.create_contact("journal@example.com")
    _assert_spawned(account.track("journal@example.com", "login", "data-1"))
    [log] = _logs(account)
    events, total = _journal(account.raw, account=account.name)
    assert total == 1
    [entry] = events
    assert set(entry) == {
        "id",
        "account",
        "actid",
        "email",
        "event",
        "eventdata",
        "outcome",
        "reason",
        "tstamp",
        "tracking_log_id",
    }
    assert entry["account"] == account.name
    assert entry["actid"] == account.actid
    assert (entry["email"], entry["event"], entry["eventdata"]) == ("journal@example.com", "login", "data-1")
    assert (entry["outcome"], entry["reason"], entry["tracking_log_id"]) == ("written", None, log["id"])


# --- answered with success but not written ----------------------------------------------------------------------


def test_track_unknown_contact_replies_success_but_writes_nothing(account: Account) -> None:
    _assert_spawned(account.track("stranger@example.com", "login"))
    assert _logs(account) == []
    contacts = account.api.get("/api/3/contacts", params={"email": "stranger@example.com"}).json()
    assert contacts["contacts"] == []
    assert contacts["meta"]["total"] == "0"
    entry = _latest_journal(account.raw, account=account.name)
    assert (entry["email"], entry["outcome"], entry["reason"]) == ("stranger@example.com", "dropped", "unknown_contact")
    assert entry["tracking_log_id"] is None


def test_track_with_tracking_disabled_replies_success_but_writes_nothing(account: Account) -> None:
    account.create_contact("off@example.com")
    assert account.api.put("/api/3/eventTracking", json={"eventTracking": {"enabled": False}}).status_code == 200
    _assert_spawned(account.track("off@example.com", "login"))
    assert _logs(account) == []
    entry = _latest_journal(account.raw, account=account.name)
    assert (entry["outcome"], entry["reason"], entry["tracking_log_id"]) == ("dropped", "tracking_disabled", None)


# --- refusals: HTTP 200 {"success": 0, "message": ...}, journalled as dropped -----------------------------------

REFUSALS: dict[str, tuple[dict[str, str | None], str, str]] = {
    # case id: (form overrides, None = field left out; expected message; journal reason)
    "missing_actid": ({"actid": None}, "An account ID must be provided.", "missing_actid"),
    "empty_actid": ({"actid": ""}, "An account ID must be provided.", "missing_actid"),
    "unknown_actid": (
        {"actid": "000000000"},
        "Invalid account ID: no account has actid 000000000.",
        "unknown_account",
    ),
    "wrong_key": ({"key": "wrong-key"}, "Invalid event key for this account.", "bad_key"),
    "missing_key": ({"key": None}, "Invalid event key for this account.", "bad_key"),
    "missing_event": ({"event": None}, "An event name must be provided.", "missing_event"),
    "empty_event": ({"event": ""}, "An event name must be provided.", "missing_event"),
    "33_char_event": ({"event": "e" * 33}, "Event name must be at most 32 characters.", "event_too_long"),
    "missing_visit": ({"visit": None}, VISIT_MESSAGE, "bad_visit"),
    "visit_not_json": ({"visit": "refused@example.com"}, VISIT_MESSAGE, "bad_visit"),
    "visit_without_email": ({"visit": '{"name":"x"}'}, VISIT_MESSAGE, "bad_visit"),
    "visit_email_not_string": ({"visit": '{"email":42}'}, VISIT_MESSAGE, "bad_visit"),
    "visit_json_list": ({"visit": '["refused@example.com"]'}, VISIT_MESSAGE, "bad_visit"),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_track_refusal_replies_success_0_and_is_journalled_dropped(account: Account, case: str) -> None:
    overrides, message, reason = REFUSALS[case]
    account.create_contact("refused@example.com")
    form = {k: v for k, v in {**_form(account, "refused@example.com"), **overrides}.items() if v is not None}
    _, before = _journal(account.raw, reason=reason)

    response = account.raw.post("/event", data=form)

    assert response.status_code == 200
    assert response.json() == {"success": 0, "message": message}
    assert response.headers["content-type"] == "application/json"
    assert response.headers["X-Fakecampaign-Error"]
    assert _logs(account) == []
    _, after = _journal(account.raw, reason=reason)
    assert after == before + 1
    entry = _latest_journal(account.raw, reason=reason)
    assert entry["outcome"] == "dropped"
    assert entry["tracking_log_id"] is None
    known_account = reason not in {"missing_actid", "unknown_account"}
    assert entry["account"] == (account.name if known_account else None)


def test_track_refusal_journals_email_when_visit_is_readable(account: Account) -> None:
    response = account.track("known-email@example.com", "login", key="wrong-key")
    assert response.json()["success"] == 0
    entry = _latest_journal(account.raw, account=account.name)
    assert (entry["email"], entry["event"], entry["reason"]) == ("known-email@example.com", "login", "bad_key")


def test_track_with_api_token_as_key_is_refused_as_bad_key(account: Account) -> None:
    account.create_contact("token@example.com")
    response = account.track("token@example.com", "login", key=account.api_token)
    assert response.json() == {"success": 0, "message": "Invalid event key for this account."}
    assert _latest_journal(account.raw, account=account.name)["reason"] == "bad_key"
    assert _logs(account) == []


@pytest.mark.parametrize(
    ("content_type", "body"),
    [("multipart/form-data", b"actid=1"), ("multipart/form-data; boundary=xx", b"garbage, not multipart")],
    ids=["no_boundary", "garbage_body"],
)
def test_track_unreadable_multipart_is_refused_as_malformed_form(
    account: Account, content_type: str, body: bytes
) -> None:
    # The query string carries the account, so the journal entry can be found by account.
    params = {"actid": account.actid, "key": account.event_key}
    response = account.raw.post("/event", params=params, content=body, headers={"Content-Type": content_type})
    assert response.status_code == 200
    assert response.json() == {"success": 0, "message": "The request body could not be read as form data."}
    entry = _latest_journal(account.raw, account=account.name)
    assert (entry["outcome"], entry["reason"]) == ("dropped", "malformed_form")


def test_track_json_body_is_refused_like_missing_actid(account: Account) -> None:
    account.create_contact("json@example.com")
    _, before = _journal(account.raw, reason="missing_actid")
    response = account.raw.post("/event", json=_form(account, "json@example.com"))
    assert response.status_code == 200
    assert response.json() == {"success": 0, "message": "An account ID must be provided."}
    assert _logs(account) == []
    _, after = _journal(account.raw, reason="missing_actid")
    assert after == before + 1
    assert _latest_journal(account.raw, reason="missing_actid")["outcome"] == "dropped"


# --- CORS -------------------------------------------------------------------------------------------------------


def test_track_reply_allows_any_origin(account: Account) -> None:
    account.create_contact("cors@example.com")
    response = account.raw.post(
        "/event", data=_form(account, "cors@example.com"), headers={"Origin": "https://shop.example"}
    )
    _assert_spawned(response)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_track_refusal_also_allows_any_origin(account: Account) -> None:
    response = account.raw.post("/event", data={"event": "x"}, headers={"Origin": "https://shop.example"})
    assert response.json()["success"] == 0
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_track_options_preflight_returns_204_with_cors_headers(account: Account) -> None:
    response = account.raw.options(
        "/event",
        headers={
            "Origin": "https://shop.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in response.headers["Access-Control-Allow-Methods"].split(",")}
    assert {"POST", "OPTIONS"} <= methods
    allowed = {h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert "content-type" in allowed


def test_v3_api_replies_carry_no_cors_header(account: Account) -> None:
    response = account.api.get("/api/3/eventTracking", headers={"Origin": "https://shop.example"})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
