"""Wire shapes of the collections fakecampaign does not emulate (G130): AC's list envelope, always empty."""

from __future__ import annotations

from typing import Any

from pydantic import Field, create_model

from fakecampaign.schemas.common import StringTotal, Wire
from fakecampaign.schemas.misc import UserOut


def empty_envelope(name: str) -> type[Wire]:
    """``{"<name>": [], "meta": {"total": "0"}}`` as a model, so /docs shows it like every other list."""
    fields: dict[str, Any] = {
        name: (list[dict[str, Any]], Field(default_factory=list)),
        "meta": (StringTotal, StringTotal(total="0")),
    }
    model: type[Wire] = create_model(f"{name[0].upper()}{name[1:]}Envelope", __base__=Wire, **fields)
    return model


class UsersEnvelope(Wire):
    """GET /users: the account's one user."""

    users: list[UserOut]
    meta: StringTotal
