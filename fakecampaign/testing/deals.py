"""The plugin's deal assertion, read from one state dump; a failure lists the near misses (the contact's
other deals, deals with that title on other contacts, a matching deal in another status, stage or value)."""

from __future__ import annotations

import difflib
from typing import Any

State = dict[str, Any]
STATUS_NAMES = {"0": "open", "1": "won", "2": "lost"}


def assert_deal(
    state: State,
    account: str,
    email: str,
    title: str,
    *,
    status: str | None = None,
    stage: str | None = None,
    value: int | None = None,
) -> dict[str, Any]:
    """The deal titled ``title`` (any case) of ``email``, in ``status`` (open, won, lost), ``stage`` (a title)
    and with ``value`` (cents) when given; AssertionError with near misses."""
    __tracebackhide__ = True
    wanted = ", ".join(
        f"{k}={v!r}" for k, v in (("status", status), ("stage", stage), ("value", value)) if v is not None
    )
    expected = f"Expected {email!r} to have a deal {title!r}{f' ({wanted})' if wanted else ''} in account {account!r}"
    contact = next((c for c in state.get("contacts", []) if c["email"].casefold() == email.strip().casefold()), None)
    if contact is None:
        emails = [c["email"] for c in state.get("contacts", [])]
        raise AssertionError(f"{expected}, but there is no contact {email!r}.{_similar(email, emails)}")
    stages = {s["id"]: s["title"] for s in state.get("dealStages", [])}
    deals = state.get("deals", [])
    mine = [d for d in deals if d["contact"] == contact["id"]]
    titled = [d for d in mine if d["title"].casefold() == title.strip().casefold()]
    for deal in titled:
        if _matches(deal, stages, status, stage, value):
            return dict(deal)
    lines = [f"{expected}, but it has not."]
    lines.append(f"  {email!r} has deals: {_listing([_describe(d, stages) for d in mine])}")
    elsewhere = [d for d in deals if d["title"].casefold() == title.strip().casefold() and d not in mine]
    if elsewhere:
        owners = {c["id"]: c["email"] for c in state.get("contacts", [])}
        lines.append(f"  {title!r} belongs to: {_listing([owners.get(d['contact'], d['contact']) for d in elsewhere])}")
    if not titled and mine:
        lines.append(_similar(title, [d["title"] for d in mine]).strip())
    raise AssertionError("\n".join(line for line in lines if line))


def _matches(
    deal: dict[str, Any], stages: dict[str, str], status: str | None, stage: str | None, value: int | None
) -> bool:
    if status is not None and STATUS_NAMES.get(str(deal["status"])) != status:
        return False
    if stage is not None and stages.get(deal["stage"], "").casefold() != stage.casefold():
        return False
    return value is None or int(deal["value"]) == value


def _describe(deal: dict[str, Any], stages: dict[str, str]) -> str:
    status = STATUS_NAMES.get(str(deal["status"]), deal["status"])
    return f"{deal['title']} ({status}, {stages.get(deal['stage'], deal['stage'])}, {deal['value']} {deal['currency']})"


def _similar(word: str, names: list[str]) -> str:
    close = difflib.get_close_matches(word.strip(), names, n=3, cutoff=0.6)
    return f"\n  Did you mean: {', '.join(repr(n) for n in close)}?" if close else ""


def _listing(items: list[str]) -> str:
    return ", ".join(repr(i) for i in items[:20]) if items else "(none)"
