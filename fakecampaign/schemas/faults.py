"""Fault rules and rate limits on the wire: the control plane's bodies and the fixtures' ``faults`` entries."""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator

from fakecampaign.services.faults import MAX_HANG_SECONDS, MAX_LATENCY_MS, MAX_RATE_LIMIT, FaultRule, FaultSpec

Millis = int
FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "connection"})


class FaultFixture(BaseModel):
    """One rule of an account (fixtures, the marker): what it matches, what it does and how often."""

    model_config = ConfigDict(extra="forbid")

    method: str | None = Field(default=None, pattern=r"^[A-Za-z]{1,16}$", examples=["POST"])
    path: str = Field(default="*", min_length=1, max_length=500, examples=["/api/3/contacts*"])
    status: int | None = Field(default=None, ge=200, le=599, examples=[503])
    body: JsonValue = None
    headers: dict[str, str] = Field(default_factory=dict, max_length=20, examples=[{"Retry-After": "2"}])
    latency_ms: Millis | tuple[Millis, Millis] | None = Field(default=None, examples=[250, [100, 400]])
    reset: bool = False
    hang_seconds: float | None = Field(default=None, gt=0, le=MAX_HANG_SECONDS)
    times: int | None = Field(default=None, ge=1)
    probability: float = Field(default=1.0, gt=0, le=1)
    seed: int = 0

    @model_validator(mode="after")
    def _one_effect(self) -> Self:
        problem = self.problem()
        if problem is not None:
            raise ValueError(problem)
        return self

    def problem(self) -> str | None:
        """What makes the rule unusable as a whole (its fields are each fine), or None."""
        endings = [name for name in ("status", "hang_seconds") if getattr(self, name) is not None]
        endings += ["reset"] if self.reset else []
        if len(endings) > 1:
            return f"a rule has one ending: status, reset or hang_seconds, not {' and '.join(endings)}"
        if not endings and self.latency_ms is None:
            return "a rule needs an effect: status, latency_ms, reset or hang_seconds"
        low, high = self._latency() or (0, 0)
        if not 0 <= low <= high <= MAX_LATENCY_MS:
            return f"latency_ms must be 0..{MAX_LATENCY_MS}, a range as [low, high]"
        if any(not _header_safe(k) or not _header_safe(v) for k, v in self.headers.items()):
            return "headers must be printable ASCII"
        framing = sorted(k for k in self.headers if k.lower() in FRAMING_HEADERS)
        if framing:
            return f"headers may not set {', '.join(framing)}: the server frames the answer itself"
        return None

    def _latency(self) -> tuple[int, int] | None:
        value = self.latency_ms
        return (value, value) if isinstance(value, int) else value

    def to_spec(self, account: str | None = None) -> FaultSpec:
        return FaultSpec(
            account=account,
            method=self.method.upper() if self.method else None,
            path=self.path,
            status=self.status,
            body=self.body,
            headers=tuple(self.headers.items()),
            latency_ms=self._latency(),
            reset=self.reset,
            hang_seconds=self.hang_seconds,
            times=self.times,
            probability=self.probability,
            seed=self.seed,
        )


class FaultIn(FaultFixture):
    """POST /_fakecampaign/faults: a rule, for one ``account`` or (without) every account."""

    account: str | None = Field(default=None, min_length=1, max_length=100)

    @model_validator(mode="after")
    def _one_effect(self) -> Self:
        # Checked by the route instead: a whole-body error here would read as "no body" (api/errors.py).
        return self


class FaultBatchIn(BaseModel):
    """POST /_fakecampaign/faults/batch: several rules, added all or none."""

    model_config = ConfigDict(extra="forbid")

    faults: list[FaultIn] = Field(min_length=1, max_length=100)


class FaultOut(BaseModel):
    """A live rule: the rule as given, plus its id, what is left of ``times`` and how many calls it hit."""

    id: str
    account: str | None
    method: str | None
    path: str
    effect: str  # status, latency, reset or hang
    status: int | None
    body: Any
    headers: dict[str, str]
    latency_ms: list[int] | None
    hang_seconds: float | None
    times: int | None
    remaining: int | None  # None: no limit; 0: spent, it matches nothing any more
    probability: float
    seed: int
    hits: int

    @classmethod
    def of(cls, rule: FaultRule) -> FaultOut:
        s = rule.spec
        return cls(
            id=rule.id,
            account=s.account,
            method=s.method,
            path=s.path,
            effect=rule.effect,
            status=s.status,
            body=s.body,
            headers=dict(s.headers),
            latency_ms=None if s.latency_ms is None else list(s.latency_ms),
            hang_seconds=s.hang_seconds,
            times=s.times,
            remaining=rule.remaining,
            probability=s.probability,
            seed=s.seed,
            hits=rule.hits,
        )


class FaultEnvelope(BaseModel):
    fault: FaultOut


class FaultsOut(BaseModel):
    faults: list[FaultOut]


class ClearedOut(BaseModel):
    deleted: int


class RateLimitIn(BaseModel):
    """PUT /_fakecampaign/rate-limit: v3 requests per second (0: none); null goes back to the server's."""

    model_config = ConfigDict(extra="forbid")

    limit: int | None = Field(ge=0, le=MAX_RATE_LIMIT)


class RateLimitOut(BaseModel):
    account: str | None  # None: the server's default
    limit: int | None  # what applies now; None: no limit


def _header_safe(text: str) -> bool:
    return bool(text) and all(" " <= c <= "~" for c in text)
