"""A small client for fakecampaign's control plane (``/_fakecampaign/...``), shared by a whole test session."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fakecampaign.testing.wire import Reply, Wire

PREFIX = "/_fakecampaign"
TIMEOUT = 10.0
MAX_EVENTS = 1000  # the /events journal's largest page

Params = Mapping[str, str | int | bool | None]


class FakecampaignError(Exception):
    """fakecampaign answered a helper's call with a status the helper did not expect."""

    def __init__(self, reply: Reply, expected: int) -> None:
        self.reply = reply
        self.status_code = reply.status
        text = f"{reply.method} {reply.url} answered {reply.status} (expected {expected}): {reply.text}"
        super().__init__(f"{text}\n  hint: {reply.hint}" if reply.hint else text)


def checked(reply: Reply, expected: int) -> Any:
    """The JSON body of ``reply``, or FakecampaignError when its status is not ``expected``."""
    if reply.status != expected:
        raise FakecampaignError(reply, expected)
    return reply.json()


def query(params: Params) -> dict[str, str | int]:
    """Query parameters without the ones left as None (booleans as "true"/"false")."""
    return {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in params.items() if v is not None}


class ControlPlane:
    """Calls to one fakecampaign's control plane over one kept-alive connection.

    ``admin_token`` is sent as ``Authorization: Bearer`` on control calls (a server started with
    FAKECAMPAIGN_ADMIN_TOKEN refuses them otherwise). ``wire`` also carries the helpers' calls to the
    emulated API, with each account's own credentials, so tests open no connections of their own.
    """

    def __init__(self, url: str, *, admin_token: str | None = None, timeout: float = TIMEOUT) -> None:
        self.wire = Wire(url, timeout=timeout)
        self.timeout = timeout
        self._admin = {"Authorization": f"Bearer {admin_token}"} if admin_token else {}

    @property
    def url(self) -> str:
        return self.wire.url

    def call(self, method: str, path: str, *, expect: int = 200, params: Params | None = None, body: Any = None) -> Any:
        reply = self.wire.request(
            method, PREFIX + path, params=query(params or {}), json_body=body, headers=self._admin
        )
        return checked(reply, expect)

    def health(self) -> None:
        self.call("GET", "/health")

    def create_account(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        """POST /accounts; returns the ``account`` object (credentials and URLs)."""
        account: dict[str, Any] = self.call("POST", "/accounts", expect=201, body=dict(spec))["account"]
        return account

    def create_accounts(self, count: int, prefix: str) -> list[dict[str, Any]]:
        """POST /accounts/batch: ``count`` empty accounts (tracking on) named ``<prefix>-<random>``."""
        body = {"count": count, "prefix": prefix}
        made: list[dict[str, Any]] = self.call("POST", "/accounts/batch", expect=201, body=body)["accounts"]
        return made

    def delete_accounts(self, names: list[str]) -> None:
        """POST /accounts/batch-delete; names that are already gone are skipped."""
        if names:
            self.call("POST", "/accounts/batch-delete", body={"names": names})

    def delete_account(self, name: str, *, missing_ok: bool = False) -> None:
        try:
            self.call("DELETE", f"/accounts/{quote(name, safe='')}", expect=204)
        except FakecampaignError as error:
            if not (missing_ok and error.status_code == 404):
                raise

    def events(self, **filters: str | int | None) -> list[dict[str, Any]]:
        """The /event journal, oldest first; filters: account, email, event, outcome, reason, limit, offset."""
        events: list[dict[str, Any]] = self.call("GET", "/events", params={"limit": MAX_EVENTS, **filters})["events"]
        return events

    def requests(self, **filters: str | int | None) -> list[dict[str, Any]]:
        """The journal of calls to the emulated API; filters: account, method, path, status, limit."""
        found: list[dict[str, Any]] = self.call("GET", "/requests", params=filters)["requests"]
        return found

    def add_fault(self, rule: Mapping[str, Any]) -> dict[str, Any]:
        """POST /faults: a fault rule (README "Faults and rate limits"); returns it with its ``id``."""
        added: dict[str, Any] = self.call("POST", "/faults", expect=201, body=dict(rule))["fault"]
        return added

    def faults(self, account: str | None = None) -> list[dict[str, Any]]:
        """Every fault rule, or those of ``account``, with ``hits`` and ``remaining``."""
        found: list[dict[str, Any]] = self.call("GET", "/faults", params={"account": account})["faults"]
        return found

    def get_fault(self, fault_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.call("GET", f"/faults/{quote(fault_id, safe='')}")["fault"]
        return found

    def delete_fault(self, fault_id: str, *, missing_ok: bool = False) -> None:
        try:
            self.call("DELETE", f"/faults/{quote(fault_id, safe='')}", expect=204)
        except FakecampaignError as error:
            if not (missing_ok and error.status_code == 404):
                raise

    def clear_faults(self, account: str | None = None) -> int:
        """Remove every fault rule, or those of ``account``; how many went."""
        deleted: int = self.call("DELETE", "/faults", params={"account": account})["deleted"]
        return deleted

    def set_rate_limit(self, limit: int | None, account: str | None = None) -> None:
        """v3 requests per second for ``account`` (0: none; None: the server's), or the server's default."""
        self.call("PUT", "/rate-limit", params={"account": account}, body={"limit": limit})

    def state(self, account: str | None = None) -> dict[str, Any]:
        state: dict[str, Any] = self.call("GET", "/state", params={"account": account})
        return state

    def reset(self, account: str | None = None) -> None:
        self.call("POST", "/reset", params={"account": account})

    def seed(self, data: Mapping[str, Any], account: str | None = None) -> list[str]:
        seeded: list[str] = self.call("POST", "/seed", params={"account": account}, body=dict(data))["seeded"]
        return seeded

    # --- the engine (README "Automations", "Outbox", "Webhooks") ---------------------------------------

    def outbox(self, account: str, **filters: str | int | None) -> list[dict[str, Any]]:
        """GET /outbox: the emails automations sent; filters: to, subject, automation, limit."""
        emails: list[dict[str, Any]] = self.call("GET", "/outbox", params={"account": account, **filters})["emails"]
        return emails

    def automation_journal(self, account: str, outcome: str | None = None) -> list[dict[str, Any]]:
        params = {"account": account, "outcome": outcome}
        entries: list[dict[str, Any]] = self.call("GET", "/automations/journal", params=params)["entries"]
        return entries

    def deliveries(self, account: str, **filters: str | int | None) -> list[dict[str, Any]]:
        params = {"account": account, **filters}
        found: list[dict[str, Any]] = self.call("GET", "/webhooks/deliveries", params=params)["deliveries"]
        return found

    def wait_for_webhooks(self, account: str, timeout: float = TIMEOUT) -> list[dict[str, Any]]:
        """Deliver every pending webhook of the account and return the log; raises if ``timeout`` ran out."""
        reply = self.call("POST", "/webhooks/wait", params={"account": account, "timeout": str(timeout)})
        if not reply["complete"]:
            raise TimeoutError(f"webhook deliveries of account {account!r} still pending after {timeout} s")
        found: list[dict[str, Any]] = reply["deliveries"]
        return found

    def advance_clock(self, seconds: float) -> dict[str, Any]:
        """Move the server's clock forward and run the automation waits now due."""
        moved: dict[str, Any] = self.call("POST", "/clock/advance", body={"seconds": seconds})
        return moved

    def close(self) -> None:
        self.wire.close()
