"""Assertions on tags, lists and custom fields, read from one state dump; failures list the near misses
(the same contact's other tags, the tag on other contacts, names that differ only in case or spelling).
"""

from __future__ import annotations

import difflib
from typing import Any

State = dict[str, Any]
STATUS_NAMES = {"0": "unconfirmed", "1": "active", "2": "unsubscribed", "3": "bounced"}


def assert_tagged(state: State, account: str, email: str, tag: str) -> dict[str, Any]:
    """The contactTag putting ``tag`` (a name, any case) on ``email``; AssertionError with near misses."""
    __tracebackhide__ = True
    expected = f"Expected {email!r} to be tagged {tag!r} in fakecampaign account {account!r}"
    contact = _contact(state, email, expected)
    names = {t["id"]: t["tag"] for t in state.get("tags", [])}
    wanted = [tid for tid, name in names.items() if name.casefold() == tag.casefold()]
    if not wanted:
        raise AssertionError(
            f"{expected}, but the account has no tag {tag!r}.{_similar(tag, list(names.values()), 'tags')}"
        )
    links = state.get("contactTags", [])
    for link in links:
        if link["contact"] == contact["id"] and link["tag"] in wanted:
            return dict(link)
    own = [names[x["tag"]] for x in links if x["contact"] == contact["id"]]
    others = [_email(state, x["contact"]) for x in links if x["tag"] in wanted]
    lines = [f"{expected}, but it is not.", f"  {email!r} has tags: {_listing(own)}"]
    lines.append(f"  {tag!r} is on: {_listing(others)}")
    raise AssertionError("\n".join(lines))


def assert_subscribed(state: State, account: str, email: str, list_name: str, status: str = "active") -> dict[str, Any]:
    """The contactList making ``email`` a member of ``list_name`` (name, stringid or id) with ``status``."""
    __tracebackhide__ = True
    expected = f"Expected {email!r} to be {status} on list {list_name!r} in fakecampaign account {account!r}"
    contact = _contact(state, email, expected)
    lists = state.get("lists", [])
    key = list_name.casefold()
    wanted = {x["id"] for x in lists if key in (x["name"].casefold(), x["stringid"].casefold(), x["id"])}
    if not wanted:
        names = [x["name"] for x in lists]
        raise AssertionError(
            f"{expected}, but the account has no list {list_name!r}.{_similar(list_name, names, 'lists')}"
        )
    by_id = {x["id"]: x["name"] for x in lists}
    mine = [m for m in state.get("contactLists", []) if m["contact"] == contact["id"]]
    for membership in mine:
        if membership["list"] in wanted and STATUS_NAMES.get(str(membership["status"])) == status:
            return dict(membership)
    held = [f"{by_id[m['list']]} ({STATUS_NAMES.get(str(m['status']), m['status'])})" for m in mine]
    raise AssertionError(f"{expected}, but it is not.\n  {email!r} is on: {_listing(held)}")


def field_value(state: State, account: str, email: str, field: str) -> str | None:
    """``email``'s value for the field titled or tagged ``field`` (any case); None when it has none."""
    __tracebackhide__ = True
    expected = f"Looked up field {field!r} of {email!r} in fakecampaign account {account!r}"
    contact = _contact(state, email, expected)
    fields = state.get("fields", [])
    key = field.casefold()
    match = [f["id"] for f in fields if key in (f["title"].casefold(), f["perstag"].casefold())]
    if not match:
        titles = [f["title"] for f in fields]
        raise AssertionError(f"{expected}, but the account has no such field.{_similar(field, titles, 'fields')}")
    for value in state.get("fieldValues", []):
        if value["contact"] == contact["id"] and value["field"] == match[0]:
            return str(value["value"])
    return None


def _contact(state: State, email: str, expected: str) -> dict[str, Any]:
    __tracebackhide__ = True
    for contact in state.get("contacts", []):
        if contact["email"].casefold() == email.strip().casefold():
            return dict(contact)
    emails = [c["email"] for c in state.get("contacts", [])]
    raise AssertionError(f"{expected}, but there is no contact {email!r}.{_similar(email, emails, 'contacts')}")


def _email(state: State, contact_id: str) -> str:
    return next((c["email"] for c in state.get("contacts", []) if c["id"] == contact_id), contact_id)


def _similar(word: str, names: list[str], what: str) -> str:
    folded = {n.strip().casefold(): n for n in names}
    close = [folded[m] for m in difflib.get_close_matches(word.strip().casefold(), list(folded), n=3, cutoff=0.6)]
    if close:
        return f"\n  Did you mean: {', '.join(repr(n) for n in close)}?"
    return f"\n  Its {what}: {_listing(names)}"


def _listing(items: list[str]) -> str:
    if not items:
        return "(none)"
    shown = ", ".join(repr(i) for i in items[:20])
    return shown + (f" and {len(items) - 20} more" if len(items) > 20 else "")
