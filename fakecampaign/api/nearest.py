"""What the 404 of an unknown URL says in ``X-Fakecampaign-Error``: that the endpoint is not emulated, and
which emulated route the path most likely meant when it looks like a typo (``/api/3/contact/5`` for
``/api/3/contacts/{contact_id}``). The body stays AC's (G19); only the header helps.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

PARAM = re.compile(r"\{[^}]*\}")
NUMERIC = re.compile(r"(?<=/)[0-9]+(?=/|$)")
SIMILAR = 0.8  # difflib ratio: one or two characters off in a path of this length, not a different resource


def not_emulated_hint(routes: Iterable[Any], method: str, path: str) -> str:
    """The header text for a 404: not emulated, plus the nearest route when one is close enough."""
    hint = f"{method} {path} is not emulated by fakecampaign (README: Endpoint coverage)"
    nearest = nearest_route(routes, method, path)
    return f"{hint}; did you mean {nearest}?" if nearest else hint


def nearest_route(routes: Iterable[Any], method: str, path: str) -> str | None:
    """``"GET /api/3/contacts/{contact_id}"`` for the closest route template, or None if nothing is close.

    Path parameters and numeric segments compare equal, so only the literal parts of a path count; routes that
    serve the request's method are preferred."""
    by_shape: dict[str, tuple[str, set[str]]] = {}
    for route in routes:
        template = getattr(route, "path", None)
        methods = getattr(route, "methods", None)
        if isinstance(template, str) and methods and getattr(route, "include_in_schema", True):
            shape = NUMERIC.sub("{}", PARAM.sub("{}", template))  # "/api/3" is numeric on both sides
            _, known = by_shape.setdefault(shape, (template, set()))
            known.update(methods)
    wanted = NUMERIC.sub("{}", path)
    for pool in ([s for s, (_, m) in by_shape.items() if method in m], list(by_shape)):
        match = difflib.get_close_matches(wanted, pool, n=1, cutoff=SIMILAR)
        if match:
            template, methods = by_shape[match[0]]
            verb = method if method in methods else "|".join(sorted(methods - {"HEAD"}))
            return f"{verb} {template}"
    return None
