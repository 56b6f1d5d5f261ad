"""The plugin's side of faults: the marker's rate_limit= and faults=, fault(), add_fault(), the call assertions."""

from __future__ import annotations

import pytest

from fakecampaign.testing import FakecampaignAccount

pytest_plugins = ["pytester"]

CONTACTS = "/api/3/contacts"


@pytest.mark.fakecampaign(faults=[{"path": CONTACTS, "status": 502, "times": 1}], rate_limit=3)
def test_marker_faults_and_rate_limit_configure_the_account(fakecampaign: FakecampaignAccount) -> None:
    [rule] = fakecampaign.faults()
    assert (rule["account"], rule["status"], rule["remaining"]) == (fakecampaign.name, 502, 1)
    statuses = [fakecampaign.client.get(CONTACTS).status_code for _ in range(5)]
    assert statuses == [502, 200, 200, 200, 429]  # the 502 answered before the limiter counted it


def test_fault_lives_for_the_block_and_keeps_its_counts(fakecampaign: FakecampaignAccount) -> None:
    with fakecampaign.fault(CONTACTS, method="GET", status=500) as rule:
        assert fakecampaign.client.get(CONTACTS).status_code == 500
        assert fakecampaign.client.get(CONTACTS).status_code == 500
    assert (rule.hits, rule.remaining) == (2, None)
    assert fakecampaign.faults() == []
    assert fakecampaign.client.get(CONTACTS).status_code == 200


def test_add_fault_with_latency_range_and_clear(fakecampaign: FakecampaignAccount) -> None:
    rule = fakecampaign.add_fault(CONTACTS, latency_ms=(1, 2), times=1)
    assert rule.rule["latency_ms"] == [1, 2]
    assert fakecampaign.client.get(CONTACTS).status_code == 200
    assert rule.hits == 1
    assert fakecampaign.clear_faults() == 1


def test_set_rate_limit_and_calls(fakecampaign: FakecampaignAccount) -> None:
    fakecampaign.set_rate_limit(1)
    assert [fakecampaign.client.get(CONTACTS).status_code for _ in range(2)] == [200, 429]
    fakecampaign.set_rate_limit(None)
    assert fakecampaign.client.get(f"{CONTACTS}/999").status_code == 404
    calls = fakecampaign.calls(path="/api/3/contacts*")
    assert [(c["path"], c["status"], c["fault"]) for c in calls] == [
        (CONTACTS, 200, None),
        (CONTACTS, 429, "rate_limit"),
        (f"{CONTACTS}/999", 404, None),
    ]
    assert len(fakecampaign.call_gaps(path="/api/3/contacts*")) == 2
    assert fakecampaign.calls(path=CONTACTS, status=429)[0]["fault"] == "rate_limit"


def test_assert_called_failure_says_what_was_called(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_it(fakecampaign):
            with fakecampaign.fault("/api/3/contacts", status=503, times=1):
                fakecampaign.client.get("/api/3/contacts")
                fakecampaign.client.get("/api/3/contacts")
            fakecampaign.assert_called("GET", "/api/3/contacts", times=3, min_gap=5)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E*GET /api/3/contacts: called 2 times, expected 3; calls 5 s apart at least, but the gaps were [[]0.*[]]",
            "E*GET /api/3/contacts -> 503  (fault fault-*)",
            "E*GET /api/3/contacts -> 200",
        ]
    )


def test_assert_called_passes_and_returns_the_calls(fakecampaign: FakecampaignAccount) -> None:
    fakecampaign.client.get(CONTACTS)
    [call] = fakecampaign.assert_called("get", CONTACTS, times=1)
    assert call["status"] == 200
    with pytest.raises(AssertionError, match="called 0 times, expected at least 1"):
        fakecampaign.assert_called("POST", CONTACTS)


def test_a_reset_inside_the_block_takes_the_rule_away_quietly(fakecampaign: FakecampaignAccount) -> None:
    with fakecampaign.fault(CONTACTS, status=500) as rule:
        assert fakecampaign.client.get(CONTACTS).status_code == 500
        assert rule.hits == 1
        fakecampaign.reset()  # back to what the account was created with: no rules
        assert fakecampaign.client.get(CONTACTS).status_code == 200
    assert rule.hits == 1  # the last counts read while it lived
