"""Reading fixtures files: JSON in the documented format, checked whole before anything is loaded.

Loading what was read is services/seeding.py's job; this module only turns text into checked values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from fakecampaign import sandbox
from fakecampaign.errors import InvalidFixture
from fakecampaign.schemas.fixtures import AccountData, FixtureFile
from fakecampaign.services.seeding import AccountSpec

__all__ = ["InvalidFixture", "parse_account_data", "parse_file", "read_file", "read_specs", "read_specs_within"]


def read_file(path: Path) -> FixtureFile:
    """Read and check a fixtures file; every problem names the file and the entry."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError) as error:  # ValueError: undecodable text, or a NUL in the path
        raise InvalidFixture(str(path), "", f"cannot read the file: {error}") from None
    return parse_file(text, source=str(path))


def parse_file(text: str, *, source: str) -> FixtureFile:
    return _validated(FixtureFile, _json(text, source), source)


def parse_account_data(raw: Any, *, source: str) -> AccountData:
    return _validated(AccountData, raw, source)


def _json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        raise InvalidFixture(source, "", f"not valid JSON: {error}") from None


M = TypeVar("M", FixtureFile, AccountData)


def _validated(model: type[M], raw: Any, source: str) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        problems = [("/" + "/".join(str(part) for part in e["loc"]), e["msg"]) for e in error.errors()]
        raise InvalidFixture.of(source, problems) from None


def read_specs(path: Path) -> list[AccountSpec]:
    """The accounts of a fixtures file, ready for ``seeding.load_accounts``."""
    return [entry.to_spec() for entry in read_file(path).accounts]


def read_specs_within(root: Path | None, requested: str, *, max_bytes: int) -> list[AccountSpec]:
    """The accounts of a fixtures file a request named: confined to ``root`` (fakecampaign/sandbox.py)."""
    text = sandbox.read_within(root, requested, max_bytes=max_bytes)
    return [entry.to_spec() for entry in parse_file(text, source=requested).accounts]
