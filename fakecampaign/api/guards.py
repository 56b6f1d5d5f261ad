"""Checks on a request the middleware runs before any route sees it (issue 8, "Harden it").

Each guard is a small function of the raw ASGI scope or body, so the middleware stays one readable pass and a
guard can be tested alone. A guard raises an ``ACError``; the middleware renders it as AC would.
"""

from __future__ import annotations

import json
from typing import Any

from fakecampaign.errors import BadRequest


def refuse_lone_surrogates(body: bytes) -> None:
    """A JSON string escape like ``"\\ud800"`` (half of a UTF-16 pair, alone) is not text: Python parses it,
    but SQLite cannot store it, so it once gave a 500 on every JSON route. AC's PHP ``json_decode`` fails on
    it too (JSON_ERROR_UTF16), and AC answers an unreadable body with ``400 {}`` (G18).

    Only bodies that contain an escape at all are parsed again, so ordinary calls pay one substring search.
    """
    if b"\\u" not in body:
        return
    try:
        parsed: Any = json.loads(body)
    except (ValueError, RecursionError):
        return  # not JSON at all: the route's own parser answers for it
    try:
        json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(hint="The body holds a lone UTF-16 surrogate escape (like \\ud800); it is not text") from None
    except RecursionError:
        return
