"""The UI is behind the admin token when one is set, like the rest of /_fakecampaign/ (api/deps.py).

A browser cannot add a header to a page load, so the token is given once on the login page and kept in a
cookie scoped to the UI's path (HttpOnly, SameSite=Strict). The header and Bearer forms work too (curl, tests).
"""

from __future__ import annotations

import secrets

from fastapi import Request

from fakecampaign.config import Settings

COOKIE = "fakecampaign_admin_token"
HEADER = "x-fakecampaign-admin-token"


def required_token(request: Request) -> str | None:
    settings: Settings = request.app.state.settings
    return settings.admin_token


def given_token(request: Request) -> str | None:
    bearer = request.headers.get("authorization", "")
    scheme, _, value = bearer.partition(" ")
    return (
        request.headers.get(HEADER)
        or (value.strip() if scheme.lower() == "bearer" else None)
        or (request.cookies.get(COOKIE))
    )


def matches(expected: str, given: str | None) -> bool:
    return bool(given) and secrets.compare_digest(str(given).encode(), expected.encode())


def admitted(request: Request) -> bool:
    expected = required_token(request)
    return expected is None or matches(expected, given_token(request))
