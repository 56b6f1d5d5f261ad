"""What the UI shows of tags, lists and custom fields: read through their services (fakecampaign/resources)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fakecampaign.query import ListQuery
from fakecampaign.resources.contact_lists import service as contact_lists
from fakecampaign.resources.contact_tags import service as contact_tags
from fakecampaign.resources.deals import service as deals
from fakecampaign.resources.field_values import service as field_values
from fakecampaign.resources.fields import service as fields
from fakecampaign.resources.lists import service as lists
from fakecampaign.resources.tags import service as tags
from fakecampaign.services.records import AccountRecord, ContactRecord
from fakecampaign.services.store import Store
from fakecampaign.ui.items import Item

SHOWN = 1000  # an account with more tags, lists or fields than this is beyond a demo's page
DEAL_STATUS = {0: "open", 1: "won", 2: "lost"}  # AC's deal statuses
LIST_STATUS = {0: "unconfirmed", 1: "active", 2: "unsubscribed", 3: "bounced"}  # AC's contactList statuses


@dataclass(frozen=True, slots=True)
class Membership:
    name: str
    status: str
    since: int


@dataclass(frozen=True, slots=True)
class Deal:
    title: str
    amount: str  # "49.00 usd": AC keeps values in cents
    status: str


@dataclass(frozen=True, slots=True)
class ContactCrm:
    tags: list[str]
    lists: list[Membership]
    fields: list[tuple[str, str]]  # (field title, value)
    deals: list[Deal]


@dataclass(frozen=True, slots=True)
class Catalog:
    tags: list[tags.TagRecord]
    lists: list[lists.ListRecord]
    fields: list[fields.FieldRecord]


def catalog(store: Store, account: AccountRecord) -> Catalog:
    everything = ListQuery(limit=SHOWN)
    return Catalog(
        tags.list_(store, account=account, query=everything)[0],
        lists.list_(store, account=account, query=everything)[0],
        fields.list_(store, account=account, query=everything)[0],
    )


def of_contact(store: Store, account: AccountRecord, contact_id: int, names: Catalog) -> ContactCrm:
    tag_names = {t.id: t.tag for t in names.tags}
    list_names = {item.id: item.name for item in names.lists}
    field_names = {f.id: f.title for f in names.fields}
    return ContactCrm(
        tags=sorted(tag_names.get(t.tag_id, f"tag {t.tag_id}") for t in _tags(store, account, contact_id)),
        lists=[
            Membership(
                list_names.get(m.list_id, f"list {m.list_id}"), LIST_STATUS.get(m.status, str(m.status)), m.udate
            )
            for m in contact_lists.of_contact(store, account=account, contact_id=contact_id)
        ],
        fields=[
            (field_names.get(v.field_id, f"field {v.field_id}"), v.value)
            for v in field_values.of_contact(store, account=account, contact_id=contact_id)
        ],
        deals=[
            Deal(d.title, f"{d.value / 100:.2f} {d.currency}", DEAL_STATUS.get(d.status, str(d.status)))
            for d in deals.of_contact(store, account=account, contact_id=contact_id)
        ],
    )


def _status(code: int) -> str:
    return LIST_STATUS.get(code, str(code))


def _tags(store: Store, account: AccountRecord, contact_id: int) -> list[contact_tags.ContactTagRecord]:
    return contact_tags.of_contact(store, account=account, contact_id=contact_id)


def timeline_items(store: Store, account: AccountRecord, contact: ContactRecord) -> Iterable[Item]:
    """Tags added, list subscriptions and their changes, field values set: a timeline source."""
    names = catalog(store, account)
    tag_names = {t.id: t.tag for t in names.tags}
    list_names = {item.id: item.name for item in names.lists}
    field_names = {f.id: f.title for f in names.fields}
    for tagged in _tags(store, account, contact.id):
        yield Item(tagged.cdate, "tag", f"Tagged: {tag_names.get(tagged.tag_id, tagged.tag_id)}", order=tagged.id)
    for member in contact_lists.of_contact(store, account=account, contact_id=contact.id):
        name = list_names.get(member.list_id, member.list_id)
        yield Item(member.sdate, "list", f"Subscribed to list: {name}", order=member.id)
        if member.status != 1 and member.udate != member.sdate:
            status = _status(member.status)
            yield Item(member.udate, "list", f"List {name}: {status}", order=member.id)
    for value in field_values.of_contact(store, account=account, contact_id=contact.id):
        title = field_names.get(value.field_id, value.field_id)
        yield Item(value.udate, "field", f"Field {title} set", value.value, order=value.id)
    for deal in deals.of_contact(store, account=account, contact_id=contact.id):
        amount = f"{deal.value / 100:.2f} {deal.currency}"
        yield Item(deal.cdate, "deal", f"Deal created: {deal.title}", amount, order=deal.id)
        if deal.mdate != deal.cdate:
            status = DEAL_STATUS.get(deal.status, str(deal.status))
            yield Item(deal.mdate, "deal", f"Deal updated: {deal.title}", f"{amount}, {status}", order=deal.id)
