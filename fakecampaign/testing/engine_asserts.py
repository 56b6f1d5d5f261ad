"""Failure messages for the outbox and webhook assertions: what was expected, and what came close.

Like ``nearmiss`` for events: a failed ``assert_email_sent`` lists the emails that differ in one respect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Email = dict[str, Any]
Delivery = dict[str, Any]
MAX_LISTED = 20


@dataclass(frozen=True, slots=True)
class ExpectedEmail:
    to: str
    subject: str | None = None
    contains: str | None = None  # in the text or the HTML part

    def matches(self, email: Email) -> bool:
        return _same(email["to"], self.to) and not self.differences(email)

    def differences(self, email: Email) -> list[str]:
        why = []
        if self.subject is not None and email["subject"] != self.subject:
            why.append(f"subject {email['subject']!r}")
        if self.contains is not None and self.contains not in email["text"] + (email.get("html") or ""):
            why.append(f"body without {self.contains!r}")
        return why

    def describe(self) -> str:
        text = f"an email to {self.to!r}"
        if self.subject is not None:
            text += f" with subject {self.subject!r}"
        if self.contains is not None:
            text += f" containing {self.contains!r}"
        return text


def email_failure(expected: ExpectedEmail, account: str, emails: Sequence[Email]) -> str:
    lines = [f"Expected {expected.describe()} in fakecampaign account {account!r}'s outbox, but none was sent."]
    close = []
    for email in emails:
        if _same(email["to"], expected.to):
            close.append((0, email, "same recipient, but " + ", ".join(expected.differences(email))))
        elif expected.subject is not None and email["subject"] == expected.subject:
            close.append((1, email, f"same subject, sent to {email['to']!r}"))
    close.sort(key=lambda item: (item[0], int(item[1]["id"])))
    if close:
        lines.append(f"Found {len(close)} similar email(s):")
        lines.extend(
            f"  - #{e['id']} to {e['to']!r} subject {e['subject']!r}  [{why}]" for _, e, why in close[:MAX_LISTED]
        )
        lines.extend(_snippet(e) for _, e, _ in close[:1])
    else:
        lines.append(f"No similar emails ({len(emails)} in this account's outbox).")
    return "\n".join(lines)


def _snippet(email: Email) -> str:
    text = email["text"]
    return f"    text of #{email['id']}: {text[:300]!r}" + ("..." if len(text) > 300 else "")


def webhook_failure(type_: str, email: str | None, account: str, deliveries: Sequence[Delivery]) -> str:
    who = f" for {email!r}" if email else ""
    lines = [f"Expected a delivered {type_!r} webhook{who} from fakecampaign account {account!r}, but there was none."]
    close = [
        d
        for d in deliveries
        if d["type"] == type_ or (email is not None and d["email"] is not None and _same(d["email"], email))
    ]
    if close:
        lines.append(f"Found {len(close)} similar delivery(ies):")
        for d in close[:MAX_LISTED]:
            detail = d["error"] or f"HTTP {d['http_status']}"
            lines.append(f"  - #{d['id']} {d['type']!r} for {d['email']!r} to {d['url']}: {d['status']} ({detail})")
    else:
        lines.append(f"No similar deliveries ({len(deliveries)} in this account's log).")
    return "\n".join(lines)


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()
