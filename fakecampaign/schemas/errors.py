"""AC's error envelopes as models, so the OpenAPI document shows them."""

from __future__ import annotations

from fakecampaign.schemas.common import Wire


class MessageErrorOut(Wire):
    """``{"message": "..."}``: AC's 403 and 404 bodies."""

    message: str


class ErrorSource(Wire):
    pointer: str


class ErrorItem(Wire):
    title: str
    detail: str
    code: str
    source: ErrorSource


class ErrorsOut(Wire):
    """``{"errors": [...]}``: AC's 422 body."""

    errors: list[ErrorItem]
