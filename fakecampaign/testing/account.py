"""The handle the ``fakecampaign`` fixture gives a test: one fresh account, its credentials and helpers."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fakecampaign.testing import crm, deals
from fakecampaign.testing.control import ControlPlane, Params, checked, query
from fakecampaign.testing.engine_asserts import ExpectedEmail, email_failure, webhook_failure
from fakecampaign.testing.faults import FaultsMixin
from fakecampaign.testing.markers import Source, load_account_data
from fakecampaign.testing.nearmiss import Entry, Expected, failure_message

if TYPE_CHECKING:
    import httpx

PAGE = 100  # the v3 API's largest page


class FakecampaignAccount(FaultsMixin):
    """An account of its own on a fakecampaign server; removed again by ``delete()``.

    Point the code under test at ``base_url`` (the v3 API's account URL, with ``api_token``) and
    ``event_url`` (trackcmp.net's /event, with ``actid`` and ``event_key``).
    """

    def __init__(self, account: Mapping[str, Any], *, control: ControlPlane, search: tuple[Path, ...] = ()) -> None:
        self.name: str = account["name"]
        self.api_token: str = account["api_token"]
        self.actid: str = account["actid"]
        self.event_key: str = account["event_key"]
        self.base_url: str = account["account_url"]
        self.event_url: str = account["event_url"]
        self._control = control
        self._search = search  # where seed() looks for relative fixtures paths
        self._client: httpx.Client | None = None
        self._auth = {"Api-Token": self.api_token}

    def __repr__(self) -> str:
        return f"<FakecampaignAccount {self.name!r} at {self.base_url}>"

    @property
    def client(self) -> httpx.Client:
        """An ``httpx.Client`` for the v3 API: base URL is the account URL, ``Api-Token`` is set."""
        if self._client is None:
            import httpx  # only tests that use the client pay for importing it

            headers = {"Api-Token": self.api_token}
            self._client = httpx.Client(base_url=self.base_url, headers=headers, timeout=self._control.timeout)
        return self._client

    def api(self, method: str, path: str, *, expect: int = 200, params: Params | None = None, body: Any = None) -> Any:
        """Call the v3 API as this account (``path`` like ``/api/3/contacts``); the JSON reply, checked."""
        wire = self._control.wire
        reply = wire.request(method, path, params=query(params or {}), json_body=body, headers=self._auth)
        return checked(reply, expect)

    def create_contact(self, email: str, **fields: Any) -> dict[str, Any]:
        """Create a contact (POST /api/3/contacts; fields like firstName=); returns AC's contact object."""
        contact: dict[str, Any] = self.api(
            "POST", "/api/3/contacts", expect=201, body={"contact": {"email": email, **fields}}
        )["contact"]
        return contact

    def whitelist(self, name: str) -> None:
        """Whitelist an event name (POST /api/3/eventTrackingEvents)."""
        self.api("POST", "/api/3/eventTrackingEvents", expect=201, body={"eventTrackingEvent": {"name": name}})

    def set_tracking(self, enabled: bool) -> None:
        """Turn event tracking on or off (PUT /api/3/eventTracking)."""
        self.api("PUT", "/api/3/eventTracking", body={"eventTracking": {"enabled": enabled}})

    def track(self, email: str, event: str, data: str | None = None) -> dict[str, Any]:
        """Send a real trackcmp.net form post to ``event_url``, as AC's clients do; returns the parsed reply."""
        form = {"actid": self.actid, "key": self.event_key, "event": event, "visit": json.dumps({"email": email})}
        if data is not None:
            form["eventdata"] = data
        reply: dict[str, Any] = checked(self._control.wire.request("POST", "/event", form=form), 200)
        return reply

    def events(self, **filters: str | int | None) -> list[Entry]:
        """This account's /event journal, oldest first; filters: email, event, outcome, reason, limit, offset."""
        return self._control.events(account=self.name, **filters)

    def tracking_logs(self, email: str | None = None, event: str | None = None) -> list[dict[str, Any]]:
        """Written events as AC reports them (GET /api/3/trackingLogs), for one contact and/or event name."""
        params: dict[str, str | int | None] = {"type": event, "limit": PAGE}
        if email is not None:
            found = self.api("GET", "/api/3/contacts", params={"email": email})["contacts"]
            if not found:
                return []
            params["contact"] = found[0]["id"]
        logs: list[dict[str, Any]] = []
        while True:
            page = self.api("GET", "/api/3/trackingLogs", params={**params, "offset": len(logs)})
            logs.extend(page["trackingLogs"])
            if not page["trackingLogs"] or len(logs) >= int(page["meta"]["total"]):
                return logs

    def requests(self, **filters: str | int | None) -> list[dict[str, Any]]:
        """This account's calls to the emulated API, oldest first; filters: method, path, status, limit."""
        return self._control.requests(account=self.name, **filters)

    def state(self) -> dict[str, Any]:
        """Everything the account holds: account, contacts, eventNames, trackingLogs, activities, events."""
        return self._control.state(self.name)

    def reset(self) -> None:
        """Back to what the account was created with (its marker fixtures, or empty)."""
        self._control.reset(self.name)

    def seed(self, data: Source) -> None:
        """Add account data (a dict, or a JSON file of account data or one account) to this account."""
        self._control.seed(load_account_data(data, search=self._search), account=self.name)

    def assert_event_tracked(self, email: str, event: str, data: str | None = None) -> Entry:
        """Fail unless ``event`` was written for ``email`` (with eventdata ``data``, when given)."""
        __tracebackhide__ = True
        return self._assert_journal(Expected(email, event, "written", data=data))

    def assert_event_dropped(self, email: str, event: str, reason: str | None = None) -> Entry:
        """Fail unless ``event`` for ``email`` was answered but not written (for ``reason``, when given)."""
        __tracebackhide__ = True
        return self._assert_journal(Expected(email, event, "dropped", reason=reason))

    def assert_tagged(self, email: str, tag: str) -> dict[str, Any]:
        """Fail unless ``email`` carries the tag named ``tag``; returns the contactTag."""
        __tracebackhide__ = True
        return crm.assert_tagged(self.state(), self.name, email, tag)

    def assert_subscribed(self, email: str, list_name: str, status: str = "active") -> dict[str, Any]:
        """Fail unless ``email`` is on the list (name, stringid or id) with ``status`` (active, unsubscribed,
        unconfirmed); returns the contactList."""
        __tracebackhide__ = True
        return crm.assert_subscribed(self.state(), self.name, email, list_name, status)

    def field_value(self, email: str, field: str) -> str | None:
        """``email``'s value for the custom field titled or tagged ``field``; None when it has none."""
        __tracebackhide__ = True
        return crm.field_value(self.state(), self.name, email, field)

    def assert_deal(
        self, email: str, title: str, *, status: str | None = None, stage: str | None = None, value: int | None = None
    ) -> dict[str, Any]:
        """Fail unless ``email`` has a deal titled ``title`` (in ``status`` open/won/lost, at ``stage`` (a title),
        worth ``value`` cents, when given); returns the deal."""
        __tracebackhide__ = True
        return deals.assert_deal(self.state(), self.name, email, title, status=status, stage=stage, value=value)

    def _assert_journal(self, expected: Expected) -> Entry:
        __tracebackhide__ = True
        # The server filters first, so a match is found however long the journal is; only a failure
        # reads the (latest part of the) whole journal, for its near misses.
        for entry in self.events(email=expected.email, event=expected.event, outcome=expected.outcome):
            if expected.matches(entry):
                return entry
        raise AssertionError(failure_message(expected, self.name, self.events()))

    # --- the engine: emails, automations, webhooks ------------------------------------------------------

    def emails(self, to: str | None = None, subject: str | None = None) -> list[dict[str, Any]]:
        """The emails this account's automations sent (the outbox), oldest first; ``to`` ignores case."""
        return self._control.outbox(self.name, to=to, subject=subject)

    def assert_email_sent(self, to: str, subject: str | None = None, contains: str | None = None) -> dict[str, Any]:
        """Fail unless an email to ``to`` (with this subject / containing this text, when given) was sent;
        the failure lists the emails that came close."""
        __tracebackhide__ = True
        expected = ExpectedEmail(to, subject, contains)
        emails = self.emails()
        for email in emails:
            if expected.matches(email):
                return email
        raise AssertionError(email_failure(expected, self.name, emails))

    def automation_journal(self, outcome: str | None = None) -> list[dict[str, Any]]:
        """Runs started, their steps, and triggers that did not fire (with why); ``outcome`` filters."""
        return self._control.automation_journal(self.name, outcome)

    def advance_clock(self, seconds: float) -> None:
        """Move the server's clock forward (for every account) and run the automation waits now due."""
        self._control.advance_clock(seconds)

    def webhook_deliveries(self, type: str | None = None) -> list[dict[str, Any]]:
        """This account's webhook deliveries, pending or attempted (status, http_status, duration_ms, error)."""
        return self._control.deliveries(self.name, type=type)

    def wait_for_webhooks(self, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Deliver everything pending now and return the delivery log (no sleeping: the server answers when
        no delivery is left)."""
        return self._control.wait_for_webhooks(self.name, timeout)

    def assert_webhook_delivered(self, type: str, email: str | None = None) -> dict[str, Any]:
        """Wait for pending webhooks, then fail unless a ``type`` delivery (for ``email``) got a 2xx."""
        __tracebackhide__ = True
        deliveries = self.wait_for_webhooks()
        for delivery in deliveries:
            same_email = email is None or (delivery["email"] or "").casefold() == email.strip().casefold()
            if delivery["type"] == type and same_email and delivery["status"] == "delivered":
                return delivery
        raise AssertionError(webhook_failure(type, email, self.name, deliveries))

    def close(self) -> None:
        """Close the ``client`` if one was opened; the account stays on the server."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def delete(self) -> None:
        """Remove the account and everything in it from the server (a no-op when already gone)."""
        self.close()
        self._control.delete_account(self.name, missing_ok=True)
