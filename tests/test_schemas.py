"""``Wire.build`` (the fast constructor for trusted records) gives exactly what pydantic's own would."""

from __future__ import annotations

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
