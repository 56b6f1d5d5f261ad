"""``Wire.build`` (the fast constructor for trusted records) gives exactly what pydantic's own would."""

from __future__ import annotations

from dataclasses import replace

import pytest

from fakecampaign.schemas.common import iso, plain
from fakecampaign.schemas.contacts import ContactDetailEnvelope, ContactEnvelope, ContactOut
from fakecampaign.schemas.tracking import ActivityOut, TrackingLogOut
from fakecampaign.services.records import ActivityRecord, ContactRecord, TrackingLogRecord

BASE = "http://fake.test/"
CONTACT = ContactRecord(
    id=7,
    account_id=1,
    email="Zoë@example.com",
    email_key="zoë@example.com",
    first_name="Zoë",
    last_name="Ng",
    first_name_key="zoë",
    last_name_key="ng",
    phone="+1 555",
    hash="a" * 32,
    cdate=1_700_000_000,
    udate=1_700_000_100,
)
LOG = TrackingLogRecord(id=3, account_id=1, contact_id=7, type="login", value=None, tstamp=1_700_000_000, hash="b" * 40)
ACTIVITY = ActivityRecord(
    id=9,
    account_id=1,
    contact_id=7,
    reference_id=3,
    reference_type="TrackingLog",
    reference_action="login",
    tstamp=5,
)


def test_build_matches_validation_for_a_contact() -> None:
    built = ContactOut.of(CONTACT, BASE)
    assert ContactOut.model_validate(built.model_dump()) == built
    assert built.model_dump_json() == ContactOut.model_validate(built.model_dump()).model_dump_json()


def test_build_sets_only_the_given_fields_and_fresh_lists() -> None:
    one, two = ContactOut.of(CONTACT, BASE), ContactOut.of(CONTACT, BASE)
    assert one.scoreValues == []
    assert one.scoreValues is not two.scoreValues
    assert "orgid" not in one.model_fields_set
    assert {"email", "id", "links"} <= one.model_fields_set
    assert one.model_dump(exclude_unset=True).keys() == one.model_fields_set


def test_envelopes_serialize_like_validated_ones() -> None:
    for envelope in (ContactEnvelope.of(CONTACT, BASE), ContactDetailEnvelope.of(CONTACT, BASE)):
        validated = type(envelope).model_validate(envelope.model_dump())
        assert envelope.model_dump_json() == validated.model_dump_json()


def test_tracking_log_and_activity_serialize_like_validated_ones() -> None:
    for built in (TrackingLogOut.of(LOG, BASE), ActivityOut.of(ACTIVITY, BASE)):
        assert built.model_dump_json() == type(built).model_validate(built.model_dump()).model_dump_json()


def test_build_keeps_the_declared_order_and_drops_names_the_shape_lacks() -> None:
    given = ContactOut.of(CONTACT, BASE).model_dump(exclude_unset=True)
    built = ContactOut.build(**dict(reversed(given.items())), unknown="x")
    assert list(built.__dict__) == list(ContactOut.model_fields)  # the order AC's keys are serialized in
    assert built.model_dump_json() == ContactOut.of(CONTACT, BASE).model_dump_json()
    with pytest.raises(KeyError, match="hash"):
        ContactOut.build(**{k: v for k, v in given.items() if k != "hash"})


@pytest.mark.parametrize("udate", [CONTACT.cdate, CONTACT.udate])
def test_a_contacts_times_show_each_timestamp_both_ways(udate: int) -> None:
    shown = ContactOut.of(replace(CONTACT, udate=udate), BASE)
    assert (shown.cdate, shown.created_timestamp, shown.created_utc_timestamp) == (
        iso(CONTACT.cdate),
        plain(CONTACT.cdate),
        plain(CONTACT.cdate),
    )
    assert (shown.udate, shown.updated_timestamp, shown.updated_utc_timestamp) == (
        iso(udate),
        plain(udate),
        plain(udate),
    )
