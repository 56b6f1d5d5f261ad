"""services/faults.py and its part in loading fixtures: the sliding-window rate limit, rule matching, times,
probability and bounds."""

from __future__ import annotations

import pytest

from fakecampaign.app import create_app
from fakecampaign.config import Settings
from fakecampaign.errors import InvalidFixture, NoResultFound, TooManyFaultRules
from fakecampaign.services import seeding
from fakecampaign.services.faults import MAX_RULES, FaultRegistry, FaultSpec
from fakecampaign.services.seeding import AccountSeed, AccountSpec, SeedEvent

T0 = 1_800_000_000.0


def test_nothing_configured_is_inactive_and_goes_back_to_inactive() -> None:
    registry = FaultRegistry()
    assert registry.active is False
    rule = registry.add(FaultSpec(status=500))
    registry.set_limit("a", 3)
    assert registry.active is True
    registry.remove(rule.id)
    registry.forget(["a"])
    assert registry.active is False
    registry.set_default_limit(5)
    assert registry.active is True
    registry.set_default_limit(0)
    assert registry.active is False


def test_limit_lets_n_calls_through_in_any_second_and_counts_no_refusal() -> None:
    registry = FaultRegistry(default_limit=5)
    answers = [registry.admit("a", T0 + i * 0.01) for i in range(8)]
    assert [a.allowed for a in answers if a] == [True] * 5 + [False] * 3
    assert [a.remaining for a in answers if a][:5] == [4, 3, 2, 1, 0]
    refused = answers[-1]
    assert refused is not None
    assert (refused.limit, refused.remaining, refused.retry_after) == (5, 0, 1)
    # The window slides: the first call leaves it exactly one second after it came in.
    late = registry.admit("a", T0 + 0.999)
    assert late is not None
    assert not late.allowed
    again = registry.admit("a", T0 + 1.0)
    assert again is not None
    assert again.allowed


def test_retry_after_is_whole_seconds_until_a_call_would_pass() -> None:
    registry = FaultRegistry(default_limit=1)
    registry.admit("a", T0)
    refused = registry.admit("a", T0 + 0.2)
    assert refused is not None
    assert refused.retry_after == 1


def test_accounts_have_their_own_windows_and_overrides() -> None:
    registry = FaultRegistry(default_limit=1)
    assert registry.admit("a", T0).allowed  # type: ignore[union-attr]
    assert not registry.admit("a", T0).allowed  # type: ignore[union-attr]
    assert registry.admit("b", T0).allowed  # type: ignore[union-attr]
    registry.set_limit("c", 0)  # no limit for c, whatever the server's
    assert registry.admit("c", T0) is None
    assert registry.limit_of("c") is None
    registry.set_limit("c", None)
    assert registry.limit_of("c") == 1


def test_rules_match_method_path_glob_and_account() -> None:
    registry = FaultRegistry()
    rule = registry.add(FaultSpec(account="a", method="post", path="/api/3/contacts/*", status=500))
    assert registry.pick("POST", "/api/3/contacts/1", "a") is rule
    assert registry.pick("GET", "/api/3/contacts/1", "a") is None
    assert registry.pick("POST", "/api/3/contacts", "a") is None
    assert registry.pick("POST", "/api/3/contacts/1", "b") is None
    assert registry.pick("POST", "/api/3/contacts/1", None) is None
    anyone = registry.add(FaultSpec(path="/event", status=500))
    assert registry.pick("POST", "/event", None) is anyone


def test_times_spends_a_rule_and_the_next_one_matches() -> None:
    registry = FaultRegistry()
    first = registry.add(FaultSpec(status=503, times=2))
    second = registry.add(FaultSpec(status=500))
    picked = [registry.pick("GET", "/api/3/contacts", "a") for _ in range(3)]
    assert picked == [first, first, second]
    assert (first.hits, first.remaining, second.hits, second.remaining) == (2, 0, 1, None)


def test_probability_repeats_under_the_same_seed_and_differs_under_another() -> None:
    def pattern(seed: int) -> list[bool]:
        registry = FaultRegistry()
        registry.add(FaultSpec(status=500, probability=0.5, seed=seed))
        return [registry.pick("GET", "/api/3/x", "a") is not None for _ in range(40)]

    assert pattern(7) == pattern(7)
    assert pattern(7) != pattern(8)
    assert 5 < sum(pattern(7)) < 35


def test_latency_range_draws_within_bounds() -> None:
    rule = FaultRegistry().add(FaultSpec(latency_ms=(100, 200), seed=1))
    delays = [rule.latency() for _ in range(50)]
    assert all(0.1 <= d <= 0.2 for d in delays)
    assert len(set(delays)) > 1


def test_clear_per_account_or_all_and_forget_removed_accounts() -> None:
    registry = FaultRegistry()
    registry.add(FaultSpec(account="a", status=500))
    registry.add(FaultSpec(account="b", status=500))
    everyone = registry.add(FaultSpec(status=500))
    assert registry.clear("a") == 1
    assert [r.spec.account for r in registry.rules()] == ["b", None]
    registry.forget(["b"])
    assert registry.rules() == [everyone]
    assert registry.clear() == 1
    assert registry.rules() == []


def test_unknown_rule_is_acs_404() -> None:
    with pytest.raises(NoResultFound, match="No Result found for Fault with id fault-9"):
        FaultRegistry().remove("fault-9")


def test_rules_are_bounded() -> None:
    registry = FaultRegistry()
    for _ in range(MAX_RULES):
        registry.add(FaultSpec(status=500))
    with pytest.raises(TooManyFaultRules):
        registry.add(FaultSpec(status=500))


def test_atomic_undoes_rules_and_limits_added_in_a_failed_block() -> None:
    registry = FaultRegistry()
    kept = registry.add(FaultSpec(status=500))

    def load_then_fail() -> None:
        with registry.atomic():
            registry.extend("a", rate_limit=2, faults=[FaultSpec(status=503)])
            raise RuntimeError

    with pytest.raises(RuntimeError):
        load_then_fail()
    assert registry.rules() == [kept]
    assert registry.limit_of("a") is None


def test_spec_survives_its_json_form() -> None:
    spec = FaultSpec(
        account="a", method="POST", path="/x*", status=429, body={"m": [1]}, headers=(("Retry-After", "2"),)
    )
    assert FaultSpec.from_json(spec.to_json()) == spec
    timed = FaultSpec(latency_ms=(5, 9), hang_seconds=None, times=3, probability=0.25, seed=4)
    assert FaultSpec.from_json(timed.to_json()) == timed


def test_a_fixtures_file_with_a_bad_entry_leaves_no_rules_or_limits() -> None:
    store = create_app(Settings()).state.store
    good = AccountSpec(name="good", seed=AccountSeed(rate_limit=2, faults=(FaultSpec(status=503),)))
    bad = AccountSpec(name="bad", seed=AccountSeed(events=(SeedEvent("nobody@example.com", "login"),)))
    with pytest.raises(InvalidFixture):
        seeding.load_accounts(store, specs=[good, bad], source="test")
    assert store.faults.rules() == []
    assert store.faults.limit_of("good") is None
    assert store.faults.active is False
