"""Every case of the hostile corpus (tests/hostile/corpus.py) gets the documented refusal: never a 5xx, an
AC-shaped JSON body, and the canary account's data exactly as it was."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.hostile.corpus import Case, corpus
from tests.hostile.harness import Target, send, target

CASES = corpus()


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Target, Any]]:
    with target() as t:
        yield t, t.canary()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_hostile_request_is_refused_cleanly(servers: tuple[Target, Any], case: Case) -> None:
    t, canary = servers
    reply = send(t, case)
    assert reply.status < 500, reply.body[:300]
    assert reply.status in case.expect, (reply.status, reply.body[:300])
    if reply.body:
        assert reply.headers.get("content-type") == "application/json", reply.headers
        parsed = json.loads(reply.body)
        assert isinstance(parsed, dict)
        assert "detail" not in parsed
        assert b"Traceback" not in reply.body
    assert t.canary() == canary, "a hostile call changed the canary account's data"


def test_the_corpus_covers_every_kind_the_issue_names() -> None:
    kinds = {c.kind for c in CASES}
    assert kinds >= {
        "bad-token",
        "bad-admin",
        "seed-path",
        "unicode",
        "json",
        "numbers",
        "event",
        "size",
        "csrf",
        "host",
        "http",
    }
    assert len(CASES) >= 555  # issue 8 tried 555 cases
