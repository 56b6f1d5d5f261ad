"""The ``automations`` key of fixtures (README "Automations"): a trigger and a list of actions.

Each trigger and each action is an object with exactly one key naming its kind, e.g.
``{"event": "file download request"}`` or ``{"send_email": {"subject": ..., "body": ...}}``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fakecampaign.services.automations import AutomationSpec, StepSpec
from fakecampaign.services.events import MAX_EVENT_NAME

MAX_STEPS = 100
MAX_WAIT = 366 * 86400  # a year
MAX_TEXT = 100_000


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class TriggerFixture(Strict):
    event: str | None = Field(default=None, min_length=1, max_length=MAX_EVENT_NAME)
    eventdata: str | None = None  # with "event": only this exact eventdata starts a run
    eventdata_contains: str | None = None  # with "event": only eventdata containing this starts a run
    tag_added: str | None = Field(default=None, min_length=1)
    tag_removed: str | None = Field(default=None, min_length=1)
    list_subscribed: str | int | None = None  # list id or name
    contact_created: Literal[True] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> TriggerFixture:
        kinds = [
            k for k in ("event", "tag_added", "tag_removed", "list_subscribed", "contact_created") if _set(self, k)
        ]
        if len(kinds) != 1:
            raise ValueError(
                "a trigger names exactly one of event, tag_added, tag_removed, list_subscribed, contact_created"
            )
        if kinds[0] != "event" and (self.eventdata is not None or self.eventdata_contains is not None):
            raise ValueError("eventdata and eventdata_contains go with an event trigger only")
        return self

    def kind_and_value(self) -> tuple[str, str]:
        for kind in ("event", "tag_added", "tag_removed", "list_subscribed"):
            value = getattr(self, kind)
            if value is not None:
                return kind, str(value)
        return "contact_created", ""


class SendEmailFixture(Strict):
    subject: str = Field(min_length=1, max_length=998)
    body: str | None = Field(default=None, max_length=MAX_TEXT)  # the text part
    html: str | None = Field(default=None, max_length=MAX_TEXT)
    from_: str | None = Field(default=None, alias="from", min_length=3, max_length=255)

    @model_validator(mode="after")
    def _has_content(self) -> SendEmailFixture:
        if self.body is None and self.html is None:
            raise ValueError("send_email needs a body (text) or html, or both")
        return self


class WaitFixture(Strict):
    """Added up: ``{"days": 1, "hours": 2}``."""

    seconds: int = Field(default=0, ge=0)
    minutes: int = Field(default=0, ge=0)
    hours: int = Field(default=0, ge=0)
    days: int = Field(default=0, ge=0)

    def total(self) -> int:
        return self.seconds + 60 * self.minutes + 3600 * self.hours + 86400 * self.days

    @model_validator(mode="after")
    def _bounded(self) -> WaitFixture:
        if self.total() > MAX_WAIT:
            raise ValueError("a wait is at most a year")
        return self


class WebhookStepFixture(Strict):
    url: str = Field(pattern=r"^https?://\S+$", max_length=2048)


class UpdateFieldFixture(Strict):
    field: str | int  # the field's perstag, title or id
    value: str


ACTIONS = ("send_email", "wait", "webhook", "add_tag", "remove_tag", "subscribe", "unsubscribe", "update_field", "end")


class ActionFixture(Strict):
    send_email: SendEmailFixture | None = None
    wait: WaitFixture | None = None
    webhook: WebhookStepFixture | None = None
    add_tag: str | None = Field(default=None, min_length=1)
    remove_tag: str | None = Field(default=None, min_length=1)
    subscribe: str | int | None = None  # list id or name
    unsubscribe: str | int | None = None
    update_field: UpdateFieldFixture | None = None
    end: dict[str, Any] | bool | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> ActionFixture:
        if len([k for k in ACTIONS if _set(self, k)]) != 1:
            raise ValueError(f"an action names exactly one of {', '.join(ACTIONS)}")
        return self

    def to_step(self) -> StepSpec:
        if self.send_email is not None:
            email = self.send_email
            params = {"subject": email.subject, "body": email.body, "html": email.html, "from": email.from_}
            return StepSpec("send_email", {k: v for k, v in params.items() if v is not None})
        if self.wait is not None:
            return StepSpec("wait", {"seconds": self.wait.total()})
        if self.webhook is not None:
            return StepSpec("webhook", {"url": self.webhook.url})
        if self.update_field is not None:
            return StepSpec("update_field", {"field": str(self.update_field.field), "value": self.update_field.value})
        for kind in ("add_tag", "remove_tag", "subscribe", "unsubscribe"):
            value = getattr(self, kind)
            if value is not None:
                return StepSpec(kind, {"value": str(value)})
        return StepSpec("end", {})


class AutomationFixture(Strict):
    name: str = Field(min_length=1, max_length=255)
    trigger: TriggerFixture
    actions: list[ActionFixture] = Field(default_factory=list, max_length=MAX_STEPS)
    runs: Literal["always", "once"] = "always"  # per contact (G84)
    active: bool = True

    def to_spec(self) -> AutomationSpec:
        kind, value = self.trigger.kind_and_value()
        return AutomationSpec(
            name=self.name,
            trigger=kind,
            value=value,
            eventdata=self.trigger.eventdata,
            eventdata_contains=self.trigger.eventdata_contains,
            steps=tuple(a.to_step() for a in self.actions),
            runs=self.runs,
            active=self.active,
        )


def _set(model: BaseModel, name: str) -> bool:
    value = getattr(model, name)
    return value is not None and value is not False
