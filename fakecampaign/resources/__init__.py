"""RESOURCES: the one list everything that iterates resources reads (fakecampaign/registry.py says what).

Order matters twice: parents come before the resources whose rows point at them (a reset deletes in
reverse), and ``hot`` resources' routes are tried first.
"""

from __future__ import annotations

from fakecampaign.db import Transaction
from fakecampaign.registry import Resource
from fakecampaign.services.contacts import DELETE_ACTIVITIES, DELETE_LOGS
from fakecampaign.tables import Activity, Contact, EventJournal, EventName, TrackingLog, table


def _tracking_cascade(tx: Transaction, account_id: int, contact_id: int) -> None:
    # The tracking tables carry no foreign key on purpose: cascading needs an index led by contact_id, one
    # more index for every POST /event to maintain. Their (account_id, contact_id, ...) indexes serve these.
    tx.execute(DELETE_LOGS, aid=account_id, cid=contact_id)
    tx.execute(DELETE_ACTIVITIES, aid=account_id, cid=contact_id)


RESOURCES: tuple[Resource, ...] = (
    Resource("contacts", (table(Contact),), http=("fakecampaign.api.v3.contacts",), hot=True),
    Resource(
        "tracking",
        tuple(table(t) for t in (EventName, TrackingLog, Activity, EventJournal)),
        http=("fakecampaign.api.v3.logs", "fakecampaign.api.v3.tracking"),
        contact_cascade=_tracking_cascade,
    ),
    Resource("token checks", (), http=("fakecampaign.api.v3.misc",)),
)
