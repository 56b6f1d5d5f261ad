"""The engine's side of tags, lists and custom fields: actions and lookups, done by those resources' services.

An automation's "add tag" names a tag (created if the account lacks it, as AC's builder creates one typed
there); "subscribe" names a list by id or name, which must exist; "update_field" names a field by id, title or
perstag, which must exist, and its value is checked like any other. Plugged into the runner by engine/setup.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, select

from fakecampaign.db import Transaction, statement
from fakecampaign.engine.runner import Runner
from fakecampaign.errors import NoResultFound
from fakecampaign.resources.contact_lists import service as contact_lists
from fakecampaign.resources.contact_tags import service as contact_tags
from fakecampaign.resources.deals import service as deals
from fakecampaign.resources.field_values import service as field_values
from fakecampaign.resources.fields import service as fields
from fakecampaign.resources.lists import service as lists
from fakecampaign.resources.pipelines import service as pipelines
from fakecampaign.resources.tags import service as tags
from fakecampaign.services import contacts
from fakecampaign.services.records import AccountRecord, ContactRecord
from fakecampaign.services.store import Store
from fakecampaign.tables import ACCOUNTS

ACCOUNT_BY_ID = statement(select(ACCOUNTS).where(ACCOUNTS.c.id == bindparam("aid")))


def plug_in(runner: Runner) -> None:
    runner.actions.update(
        add_tag=_add_tag,
        remove_tag=_remove_tag,
        subscribe=lambda tx, store, contact, params: _set_list(tx, store, contact, params, contact_lists.ACTIVE),
        unsubscribe=lambda tx, store, contact, params: _set_list(
            tx, store, contact, params, contact_lists.UNSUBSCRIBED
        ),
    )
    runner.actions["update_field"] = _update_field
    runner.lookups.tags = _tag_names
    runner.lookups.fields = _field_values
    runner.lookups.list_name = _list_name
    runner.lookups.deal = _deal_keys


def _add_tag(tx: Transaction, store: Store, contact: ContactRecord, params: dict[str, Any]) -> None:
    name = str(params["value"])
    tag = tags.find_by_name(tx, account_id=contact.account_id, name=name)
    if tag is None:
        tag = tags.create(store, account=_account(tx, contact.account_id), changes=tags.TagChanges(tag=name))
    contact_tags.add(tx, store, account_id=contact.account_id, contact_id=contact.id, tag=tag)


def _remove_tag(tx: Transaction, store: Store, contact: ContactRecord, params: dict[str, Any]) -> None:
    tag = tags.find_by_name(tx, account_id=contact.account_id, name=str(params["value"]))
    row = None if tag is None else tx.one(contact_tags.BY_PAIR, cid=contact.id, tid=tag.id)
    if row is not None:  # removing a tag the contact lacks does nothing, as in AC
        contact_tags.delete_(store, account=_account(tx, contact.account_id), contact_tag_id=row["id"])


def _set_list(tx: Transaction, store: Store, contact: ContactRecord, params: dict[str, Any], status: int) -> None:
    list_id = _find_list(tx, contact.account_id, str(params["value"]))
    contact_lists.set_status(tx, store, contact=contact, list_id=list_id, status=status)


def _find_list(tx: Transaction, account_id: int, ref: str) -> int:
    if ref.isdigit():
        return lists.require(tx, account_id=account_id, list_id=int(ref)).id
    found = lists.find_by_name(tx, account_id=account_id, name=ref)
    if found is None:
        raise NoResultFound(resource="List", id=ref, hint=f"This account has no list named {ref!r}")
    return found.id


def _update_field(tx: Transaction, store: Store, contact: ContactRecord, params: dict[str, Any]) -> None:
    ref = str(params["field"])
    if ref.isdigit():
        field = fields.require(tx, account_id=contact.account_id, field_id=int(ref))
    else:
        field = fields.require_name(tx, account_id=contact.account_id, name=ref)
    given = field_values.Given(field.id, params["value"])
    field_values.set_many(tx, store, contact=contact, values=[given], pointer="/update_field")


def _field_values(tx: Transaction, contact: ContactRecord) -> list[tuple[str, str]]:
    """(perstag, value) for each of the contact's field values: ``%PERSTAG%`` and ``contact[fields][perstag]``."""
    known = {f.id: f for f in fields.dump(tx, contact.account_id)}
    return [
        (known[v.field_id].perstag, v.value)
        for v in field_values.for_contact(tx, contact.account_id, contact.id)
        if v.field_id in known
    ]


def _tag_names(tx: Transaction, contact: ContactRecord) -> list[str]:
    names = []
    for link in contact_tags.for_contact(tx, contact.account_id, contact.id):
        names.append(tags.require(tx, account_id=contact.account_id, tag_id=link.tag_id).tag)
    return names


def _list_name(tx: Transaction, account_id: int, list_id: int) -> str | None:
    try:
        return lists.require(tx, account_id=account_id, list_id=list_id).name
    except NoResultFound:
        return None


CURRENCY_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "aud": "$", "cad": "$", "jpy": "¥"}
OWNER = ("Fake", "Campaign")  # the account's one user, as GET /users/me shows it


def _deal_keys(tx: Transaction, account_id: int, deal_id: int) -> list[tuple[str, str]]:
    """AC's ``deal[...]`` webhook keys (ac-api-facts-breadth.md §6.2) for a deal as it is now."""
    deal = deals.require(tx, account_id, deal_id)
    group = pipelines.require_group(tx, account_id, deal.group_id)
    stage = next((s for s in pipelines.stages_of(tx, group.id) if s.id == deal.stage_id), None)
    contact = tx.one(contacts.BY_ID, aid=account_id, cid=deal.contact_id)
    created = datetime.fromtimestamp(deal.cdate, UTC)
    value, raw = money(deal.value)
    keys = {
        "id": str(deal.id), "title": deal.title,
        "create_date": created.strftime("%Y-%m-%d %H:%M:%S"), "create_date_iso": created.isoformat(),
        "orgid": "0", "orgname": "",
        "stageid": str(deal.stage_id), "stage_title": stage.title if stage else "",
        "pipelineid": str(group.id), "pipeline_title": group.title,
        "value": value, "value_raw": raw, "currency": deal.currency,
        "currency_symbol": CURRENCY_SYMBOLS.get(deal.currency.lower(), deal.currency.upper()),
        "owner": str(deal.owner), "owner_firstname": OWNER[0], "owner_lastname": OWNER[1],
        "contactid": str(deal.contact_id), "contact_email": contact["email"] if contact else "",
        "contact_firstname": contact["first_name"] if contact else "",
        "contact_lastname": contact["last_name"] if contact else "",
        "status": str(deal.status),
    }  # fmt: skip
    return [(f"deal[{key}]", value) for key, value in keys.items()]


def money(cents: int) -> tuple[str, str]:
    """G96: ``value`` "1,044,055.00" and ``value_raw`` "1044055" (AC's sample pair: whole units, not cents)."""
    units = cents / 100
    return f"{units:,.2f}", str(cents // 100) if cents % 100 == 0 else f"{units:.2f}"


def _account(tx: Transaction, account_id: int) -> AccountRecord:
    row = tx.one(ACCOUNT_BY_ID, aid=account_id)
    assert row is not None  # the contact in hand belongs to it
    return AccountRecord.from_row(row)
