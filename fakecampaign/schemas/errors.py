"""AC's error envelopes as models, so the OpenAPI document shows them."""

from __future__ import annotations

from pydantic import ConfigDict

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


class ShapedErrorOut(Wire):
    """A body AC documents for one call only (e.g. POST /contactTags' JSON:API-style 404), kept exactly."""

    model_config = ConfigDict(extra="allow")
