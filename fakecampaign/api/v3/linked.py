"""What a relation row's ``links.contact`` (or a field value's ``links.owner``) answers, for every resource that
has one (contactLists, contactTags, fieldValues, deals): ``{"contact": {...}}``, the contact the row names."""

from __future__ import annotations

from fakecampaign.api.deps import Caller
from fakecampaign.schemas.contacts import ContactOnlyEnvelope, ContactOut
from fakecampaign.services import contacts


def contact(caller: Caller, contact_id: int) -> ContactOnlyEnvelope:
    found = contacts.get(caller.store, account=caller.account, contact_id=contact_id)
    return ContactOnlyEnvelope(contact=ContactOut.of(found, caller.base_url))
