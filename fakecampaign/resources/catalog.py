"""RESOURCES: the one list everything that iterates resources reads (fakecampaign/registry.py says what).

Order matters twice: parents come before the resources whose rows point at them (a reset deletes in
reverse), and ``hot`` resources' routes are tried first.
"""

from __future__ import annotations

from fakecampaign.db import Transaction
from fakecampaign.registry import Resource
from fakecampaign.resources.contact_lists import service as contact_lists
from fakecampaign.resources.contact_tags import service as contact_tags
from fakecampaign.resources.deal_notes import service as deal_notes
from fakecampaign.resources.deals import service as deals
from fakecampaign.resources.field_values import service as field_values
from fakecampaign.resources.fields import service as fields
from fakecampaign.resources.list_groups import service as list_groups
from fakecampaign.resources.lists import service as lists
from fakecampaign.resources.pipelines import service as pipelines
from fakecampaign.resources.tags import service as tags
from fakecampaign.services import automations, webhooks
from fakecampaign.services.contacts import DELETE_ACTIVITIES, DELETE_LOGS
from fakecampaign.tables import (
    ACTIVITIES,
    AUTOMATION_JOURNAL,
    AUTOMATION_RUNS,
    AUTOMATIONS,
    CONTACTS,
    EVENT_JOURNAL,
    EVENT_NAMES,
    OUTBOX,
    TRACKING_LOGS,
    WEBHOOK_DELIVERIES,
    WEBHOOKS,
)


def _tracking_cascade(tx: Transaction, account_id: int, contact_id: int) -> None:
    # The tracking tables carry no foreign key on purpose: cascading needs an index led by contact_id, one
    # more index for every POST /event to maintain. Their (account_id, contact_id, ...) indexes serve these.
    tx.execute(DELETE_LOGS, aid=account_id, cid=contact_id)
    tx.execute(DELETE_ACTIVITIES, aid=account_id, cid=contact_id)


RESOURCES: tuple[Resource, ...] = (
    Resource("contacts", (CONTACTS,), http=("fakecampaign.api.v3.contacts",), hot=True),
    Resource(
        "tracking",
        (EVENT_NAMES, TRACKING_LOGS, ACTIVITIES, EVENT_JOURNAL),
        http=("fakecampaign.api.v3.logs", "fakecampaign.api.v3.tracking"),
        contact_cascade=_tracking_cascade,
    ),
    Resource("token checks", (), http=("fakecampaign.api.v3.misc",)),
    Resource("tags", (tags.T,), http=("fakecampaign.resources.tags.routes",), dump=tags.dump, seed=tags.seed),
    Resource(
        "contactTags",
        (contact_tags.T,),
        http=("fakecampaign.resources.contact_tags.routes",),
        dump=contact_tags.dump,
        seed=contact_tags.seed,
        sideload=lambda tx, aid, cid: {"contactTags": contact_tags.for_contact(tx, aid, cid)},
        sideload_table=contact_tags.T,
        sideload_wire="fakecampaign.resources.contact_tags.schemas",
    ),
    Resource("lists", (lists.T,), http=("fakecampaign.resources.lists.routes",), dump=lists.dump, seed=lists.seed),
    Resource("listGroups", (list_groups.T,), http=("fakecampaign.resources.list_groups.routes",)),
    Resource(
        "contactLists",
        (contact_lists.T,),
        http=("fakecampaign.resources.contact_lists.routes",),
        dump=contact_lists.dump,
        seed=contact_lists.seed,
        sideload=lambda tx, aid, cid: {"contactLists": contact_lists.for_contact(tx, aid, cid)},
        sideload_table=contact_lists.T,
        sideload_wire="fakecampaign.resources.contact_lists.schemas",
    ),
    Resource(
        "fields",
        (fields.T, fields.OPTIONS, fields.RELS),
        http=("fakecampaign.resources.fields.routes",),
        dump=fields.dump,
        seed=fields.seed,
    ),
    Resource(
        "fieldValues",
        (field_values.T,),
        http=("fakecampaign.resources.field_values.routes",),
        dump=field_values.dump,
        seed=field_values.seed,
        sideload=lambda tx, aid, cid: {"fieldValues": field_values.for_contact(tx, aid, cid)},
        sideload_table=field_values.T,
        sideload_wire="fakecampaign.resources.field_values.schemas",
    ),
    Resource(
        "pipelines",
        (pipelines.GROUPS, pipelines.STAGES),
        http=("fakecampaign.resources.pipelines.routes",),
        dump=pipelines.dump,
        seed=pipelines.seed,
    ),
    # Deal notes' routes before deals.relation (/deals/{id}/{name}), which would answer /notes empty.
    Resource("dealNotes routes", (), http=("fakecampaign.resources.deal_notes.routes",)),
    Resource(
        "deals",
        (deals.DEALS,),
        http=("fakecampaign.resources.deals.routes",),
        dump=deals.dump,
        seed=deals.seed,
        sideload=lambda tx, aid, cid: {"deals": deals.for_contact(tx, aid, cid)},
        sideload_table=deals.DEALS,
        sideload_wire="fakecampaign.resources.deals.schemas",
    ),
    # Its table after the deals it points at.
    Resource("dealNotes", (deal_notes.T,)),
    # The engine's (issue 9): automations are defined by fixtures (AccountSeed.automations, applied last).
    Resource(
        "automations",
        (AUTOMATIONS, AUTOMATION_RUNS, AUTOMATION_JOURNAL, OUTBOX),
        http=("fakecampaign.api.v3.automations",),
        dump=automations.dump,
        contact_cascade=lambda tx, aid, cid: automations.forget_contact(tx, account_id=aid, contact_id=cid),
    ),
    Resource(
        "webhooks",
        (WEBHOOKS, WEBHOOK_DELIVERIES),
        http=("fakecampaign.api.v3.webhooks",),
        dump=webhooks.dump,
    ),
    # Collections not emulated answer empty (G130), after every route that emulates one.
    Resource("collections not emulated", (), http=("fakecampaign.api.v3.unemulated",)),
    # Last: answers every link to a relation not emulated, after any route that emulates it.
    Resource("relations", (), http=("fakecampaign.api.v3.relations",)),
)

# (resource name, hook, probed table) for GET /contacts/{id}'s sideloads, computed once: that GET is a hot path.
SIDELOADS = tuple((r.name, r.sideload, r.sideload_table) for r in RESOURCES if r.sideload is not None)
