"""``@pytest.mark.fakecampaign(fixtures=..., tracking=...)``: what a test's account is created with."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

MARKER = "fakecampaign"
MARKER_HELP = (
    "fakecampaign(fixtures=None, tracking=True): create the test's fakecampaign account with these fixtures "
    "(account data as a dict, or the path of a JSON file holding account data or a fixtures file with one "
    "account; relative to the test file) and event tracking on or off. rate_limit=N: v3 requests per second "
    "before AC's 429 (0: none); faults=[{...}]: fault rules for the account (README 'Faults and rate limits')."
)
KEYWORDS = frozenset({"fixtures", "tracking", "rate_limit", "faults"})
FAULT_KEYWORDS = ("rate_limit", "faults")  # carried in the account's fixtures, so a reset restores them
CREDENTIALS = ("name", "api_token", "actid", "event_key")  # a test's account always gets its own

AccountData = dict[str, Any]
Source = Mapping[str, Any] | str | os.PathLike[str]


class MarkerError(ValueError):
    """The marker, or the fixtures it names, cannot be used."""


def account_spec(marker: pytest.Mark | None, *, search: Sequence[Path] = ()) -> dict[str, Any]:
    """The POST /_fakecampaign/accounts body (without a name) that the marker asks for."""
    if marker is None:
        return {}
    if marker.args or not KEYWORDS.issuperset(marker.kwargs):
        given = [*map(repr, marker.args), *(f"{k}=" for k in marker.kwargs)]
        allowed = ", ".join(f"{k}=" for k in sorted(KEYWORDS))
        raise MarkerError(f"@pytest.mark.fakecampaign takes only {allowed}, got {', '.join(given)}")
    spec: dict[str, Any] = {}
    fixtures = marker.kwargs.get("fixtures")
    if fixtures is not None:
        spec["fixtures"] = load_account_data(fixtures, search=search)
        if "tracking" in spec["fixtures"]:
            # The fixtures' own switch applies unless the marker sets one.
            spec["tracking"] = spec["fixtures"]["tracking"]
    tracking = marker.kwargs.get("tracking")
    if tracking is not None:
        if not isinstance(tracking, bool):
            raise MarkerError(f"@pytest.mark.fakecampaign(tracking=...) must be True or False, got {tracking!r}")
        spec["tracking"] = tracking
    for keyword in FAULT_KEYWORDS:
        if marker.kwargs.get(keyword) is not None:
            spec.setdefault("fixtures", {})[keyword] = marker.kwargs[keyword]
    return spec


def load_account_data(source: Source, *, search: Sequence[Path] = ()) -> AccountData:
    """Account data from a dict or a JSON file (account data, or a fixtures file with exactly one account)."""
    if isinstance(source, Mapping):
        return _account_data(source, where="the fixtures dict")
    path = _find(Path(source), search)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise MarkerError(f"cannot read fixtures file {path}: {error}") from None
    if not isinstance(raw, dict):
        raise MarkerError(f"fixtures file {path}: expected a JSON object, got {type(raw).__name__}")
    return _account_data(raw, where=f"fixtures file {path}")


def _account_data(raw: Mapping[str, Any], *, where: str) -> AccountData:
    if "accounts" not in raw:
        return dict(raw)
    accounts = raw["accounts"]
    if not isinstance(accounts, list) or len(accounts) != 1 or not isinstance(accounts[0], dict):
        count = len(accounts) if isinstance(accounts, list) else "no list of"
        raise MarkerError(f"{where}: a test's account is loaded from exactly one account, found {count} accounts")
    return {k: v for k, v in accounts[0].items() if k not in CREDENTIALS}


def _find(path: Path, search: Sequence[Path]) -> Path:
    if path.is_absolute():
        return path
    candidates = [base / path for base in search] or [path]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise MarkerError(f"fixtures file {str(path)!r} not found (looked in: {tried})")
