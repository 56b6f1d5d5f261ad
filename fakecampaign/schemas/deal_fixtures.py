"""The deals part of the fixtures format (README "Fixtures format"): pipelines with their stages, and deals
naming their contact by email and their pipeline and stage by title. Loaded by the deals resource's seed hook."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

DealStatus = Literal["open", "won", "lost"]
DEAL_STATUS_CODES = {"open": 0, "won": 1, "lost": 2}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a typo in a fixtures file must fail loudly


class PipelineFixture(_Strict):
    title: str = Field(min_length=1)
    currency: str = "usd"
    stages: list[str] | None = None  # None: AC's default stages (To Contact, In Contact, Follow Up)


class DealFixture(_Strict):
    title: str = Field(min_length=1)
    contact: str  # the contact's email
    value: int = Field(default=0, ge=0)  # cents
    currency: str | None = None  # default: the pipeline's
    pipeline: str | None = None  # a title; default: the account's first pipeline
    stage: str | None = None  # a title in that pipeline; default: its first stage
    status: DealStatus = "open"
    description: str = ""


class DealsData(_Strict):
    pipelines: list[Annotated[str, Field(min_length=1)] | PipelineFixture] = Field(default_factory=list)
    deals: list[DealFixture] = Field(default_factory=list)

    def deal_resources(self) -> dict[str, Any]:
        """The pipelines and deals resources' seed hook inputs, keyed by resource name (only non-empty parts)."""
        pipelines = [PipelineFixture(title=p) if isinstance(p, str) else p for p in self.pipelines]
        deals = [{**d.model_dump(), "status": DEAL_STATUS_CODES[d.status]} for d in self.deals]
        parts = {"pipelines": [p.model_dump() for p in pipelines], "deals": deals}
        return {name: part for name, part in parts.items() if part}
