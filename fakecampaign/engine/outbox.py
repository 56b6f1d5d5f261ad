"""The outbox: every email an automation sends, rendered for its contact (GET /_fakecampaign/outbox)."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select, update

from fakecampaign.db import Transaction, statement
from fakecampaign.engine.lookups import Lookups
from fakecampaign.engine.render import render
from fakecampaign.services.automations import AutomationRecord, RunRecord
from fakecampaign.services.records import AccountRecord, ContactRecord
from fakecampaign.services.store import Store
from fakecampaign.tables import ACCOUNTS, OUTBOX, TRACKING_LOGS

T = OUTBOX
LOGS = TRACKING_LOGS
SENDER_DOMAIN = "fakecampaign.invalid"  # G85: the default From is <account>@fakecampaign.invalid

LATEST_EVENT = statement(
    select(LOGS.c.value)
    .where(LOGS.c.account_id == bindparam("aid"), LOGS.c.contact_id == bindparam("cid"), LOGS.c.type == bindparam("t"))
    .order_by(LOGS.c.id.desc())
    .limit(1)
)
ACCOUNT_NAME = statement(select(ACCOUNTS.c.name).where(ACCOUNTS.c.id == bindparam("aid")))
RELAY_DUE = statement(select(T).where(T.c.relay == "pending").order_by(T.c.id).limit(50))
SET_RELAY = statement(
    update(T).where(T.c.id == bindparam("eid")).values(relay=bindparam("state"), relay_error=bindparam("err"))
)
TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class EmailRecord:
    id: int
    account_id: int
    automation_id: int
    automation_name: str
    run_id: int
    contact_id: int
    to: str
    to_key: str
    from_email: str
    subject: str
    text: str
    html: str | None
    event_name: str | None
    event_data: str | None
    tracking_log_id: int | None
    tstamp: int
    relay: str
    relay_error: str | None


def send(
    tx: Transaction,
    store: Store,
    automation: AutomationRecord,
    run: RunRecord,
    contact: ContactRecord,
    params: dict[str, Any],
    *,
    lookups: Lookups,
    relay: bool,
) -> int:
    """Render a send_email step for ``contact`` and put it in the outbox; returns the email's id."""
    account_name = str(tx.scalar(ACCOUNT_NAME, aid=contact.account_id) or "")
    values = {
        "FIRSTNAME": contact.first_name,
        "LASTNAME": contact.last_name,
        "FULLNAME": f"{contact.first_name} {contact.last_name}".strip(),
        "EMAIL": contact.email,
        "PHONE": contact.phone,
        "SUBSCRIBERID": str(contact.id),
        "ACCT_NAME": account_name,
        "TODAY": store.clock.now().date().isoformat(),
    }
    values.update({tag.upper(): value for tag, value in lookups.fields(tx, contact)})

    def event(name: str) -> str | None:
        if run.event_name is not None and run.event_name.casefold() == name.casefold():
            return run.event_data or ""
        found = tx.scalar(LATEST_EVENT, aid=contact.account_id, cid=contact.id, t=name)
        return "" if found is None else str(found)  # G93: an event tag with no such event renders empty

    html = params.get("html")
    body = params.get("body")
    rendered_html = render(html, values, event) if html else None
    text = render(body, values, event) if body else htmllib.unescape(TAGS.sub("", rendered_html or ""))
    return tx.insert(
        T,
        account_id=contact.account_id,
        automation_id=automation.id,
        automation_name=automation.name,
        run_id=run.id,
        contact_id=contact.id,
        to=contact.email,
        to_key=contact.email.lower(),
        from_email=params.get("from") or f"{account_name}@{SENDER_DOMAIN}",
        subject=render(str(params["subject"]), values, event),
        text=text,
        html=rendered_html,
        event_name=run.event_name,
        event_data=run.event_data,
        tracking_log_id=run.tracking_log_id,
        tstamp=store.clock.timestamp(),
        relay="pending" if relay else "off",
    )


@dataclass(frozen=True, slots=True)
class OutboxQuery:
    to: str | None = None
    subject: str | None = None
    automation: str | None = None
    limit: int = 1000


def read(store: Store, *, account: AccountRecord, query: OutboxQuery) -> list[EmailRecord]:
    """The account's outbox, oldest first; ``to`` matches case-insensitively."""
    where: list[Any] = [T.c.account_id == account.id]
    if query.subject is not None:
        where.append(T.c.subject == query.subject)
    if query.automation is not None:
        where.append(T.c.automation_name == query.automation)
    if query.to is not None:
        where.append(T.c.to_key == query.to.strip().lower())
    stmt = select(T).where(*where).order_by(T.c.id).limit(query.limit)
    with store.db.transaction() as tx:
        rows = tx.all(stmt)
    return [EmailRecord(**row) for row in rows]


def relay_due(store: Store) -> list[EmailRecord]:
    with store.db.transaction() as tx:
        return [EmailRecord(**row) for row in tx.all(RELAY_DUE)]


def mark_relayed(store: Store, *, email_id: int, error: str | None) -> None:
    with store.db.transaction() as tx:
        tx.execute(SET_RELAY, eid=email_id, state="failed" if error else "sent", err=error)
