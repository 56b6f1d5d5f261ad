"""Personalization tags in an automation's email: ``%FIRSTNAME%``, ``%EVENT: name%``, custom-field perstags.

AC's tags are ``%NAME%`` tokens (ac-api-facts-breadth.md §5.3.4); the event tag is the guide's
``%EVENT: file download request%`` ("Using Events"), replaced by the eventdata the app posted.
A tag fakecampaign does not know is left as written (G83), so a typo shows in the outbox.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

TAG = re.compile(r"%([^%\r\n]{1,120})%")
EVENT_PREFIX = "EVENT:"


def render(template: str, values: Mapping[str, str], event: Callable[[str], str | None]) -> str:
    """``template`` with each known tag replaced; ``values`` keyed by upper-case tag, ``event(name)`` gives
    the eventdata for ``%EVENT: name%`` (None: left as written)."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(1)
        if token.upper().startswith(EVENT_PREFIX):
            data = event(token[len(EVENT_PREFIX) :].strip())
            return match.group(0) if data is None else data
        found = values.get(token.strip().upper())
        return match.group(0) if found is None else found

    return TAG.sub(replace, template)
