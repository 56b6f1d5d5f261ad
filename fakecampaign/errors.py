"""The ActiveCampaign error hierarchy. Services raise these; ``api/errors.py`` renders them, in one place.

AC answers failures in four envelopes, so each class names the one it uses
(https://developers.activecampaign.com/reference/errors, ../shared/reference/ac-api-facts.md §1):

    ACError                      envelope "empty":   400 {}
    ├── MessageError             envelope "message": {"message": "..."}
    │   ├── AuthenticationFailed     403
    │   ├── AdminTokenRequired       403  (control plane, when FAKECAMPAIGN_ADMIN_TOKEN is set)
    │   ├── NoResultFound            404  "No Result found for <Resource> with id <id>"
    │   ├── ContactDeleteNotFound    404  "No result found for contact with id <id>"  (DELETE's own wording)
    │   ├── UnknownRoute             404
    │   ├── MethodNotAllowed         405
    │   ├── Conflict                 409  (control plane only)
    │   ├── PayloadTooLarge          413
    │   ├── BodyTimeout              408  (the body did not arrive within body_read_timeout)
    │   ├── SeedPathRefused          403  (control plane: a seed path outside the seed directory)
    │   ├── TooManyFaultRules        409  (control plane only)
    │   ├── RateLimited              429  (only with FAKECAMPAIGN_RATE_LIMIT or a per-account limit)
    │   └── InternalError            500  (a bug; never expected)
    ├── UnprocessableEntity      envelope "errors":  422 {"errors": [{title, detail, code, source.pointer}]}
    │   ├── DuplicateEmail
    │   ├── InvalidEmail
    │   └── DuplicateEventName
    ├── BadRequest               envelope "empty":   400 {} (AC documents bare {} for its 400s)
    └── TrackError               envelope "track":   {"success": 0, "message": "..."} (trackcmp.net/event)

Every error also carries a ``hint`` that says how to fix the call; it is sent in the
``X-Fakecampaign-Error`` header so the body can stay exactly AC's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

Envelope = Literal["empty", "message", "errors", "track"]


class ACError(Exception):
    """Base of every error fakecampaign answers with; renders as AC's bare ``400 {}``."""

    status_code: ClassVar[int] = 400
    envelope: ClassVar[Envelope] = "empty"
    template: ClassVar[str] = "Bad request"

    def __init__(self, hint: str | None = None, **fields: Any) -> None:
        self.fields = fields
        self.message = self.template.format(**fields)
        self.hint = hint or self.message
        super().__init__(self.hint)


class MessageError(ACError):
    envelope = "message"


class AuthenticationFailed(MessageError):
    # G1 (README "Where we guessed"): AC documents the 403 but not its body; this one names the header.
    status_code = 403
    template = "Forbidden: send your API key in the Api-Token header (Api-Token: <your key>)"


class AdminTokenRequired(MessageError):
    status_code = 403
    template = (
        "Forbidden: this fakecampaign's control plane needs its admin token "
        "(Authorization: Bearer <FAKECAMPAIGN_ADMIN_TOKEN>)"
    )


class NoResultFound(MessageError):
    status_code = 404
    template = "No Result found for {resource} with id {id}"


class ContactDeleteNotFound(MessageError):
    status_code = 404
    template = "No result found for contact with id {id}"


class UnknownRoute(MessageError):
    # G19: AC's answer for an unknown URL is undocumented; its usual {"message"} envelope, stripe-mock's wording.
    status_code = 404
    template = "Unrecognized request URL ({method} {path})"


class MethodNotAllowed(MessageError):
    status_code = 405
    template = "Method {method} is not allowed on {path}"


class Conflict(MessageError):
    status_code = 409
    template = "{what} already exists"


class InternalError(MessageError):
    status_code = 500
    template = "Internal error in fakecampaign; this is a bug, please report it"


class PayloadTooLarge(MessageError):
    status_code = 413
    template = "Request body is larger than {limit} bytes"


class TooManyFaultRules(MessageError):
    status_code = 409
    template = "A fakecampaign server holds at most {limit} fault rules; clear some first"


class RateLimited(MessageError):
    # G100 (README "Where we guessed"): AC documents the 429 and its Retry-After header but not its body; this
    # is its usual {"message"} envelope with the wording of HTTP's reason phrase.
    status_code = 429
    template = "Too Many Requests"


@dataclass(frozen=True)
class FieldProblem:
    """One entry of AC's 422 ``errors`` list."""

    title: str
    code: str
    pointer: str
    detail: str = ""


class UnprocessableEntity(ACError):
    status_code = 422
    envelope = "errors"

    def __init__(self, problems: list[FieldProblem], hint: str | None = None) -> None:
        self.problems = problems
        super().__init__(hint or "; ".join(f"{p.pointer}: {p.title} {p.detail}".strip() for p in problems))


class _OneProblem(UnprocessableEntity):
    title: ClassVar[str]
    code: ClassVar[str]
    pointer: ClassVar[str]

    def __init__(self, detail: str = "", hint: str | None = None) -> None:
        super().__init__([FieldProblem(self.title, self.code, self.pointer, detail)], hint)


class DuplicateEmail(_OneProblem):
    title = "Email address already exists in the system"
    code = "duplicate"
    pointer = "/data/attributes/email"


class InvalidEmail(_OneProblem):
    title = "Contact Email Address is not valid."
    code = "email_invalid"
    pointer = "/data/attributes/email"


class DuplicateEventName(_OneProblem):
    title = "An event with this name already exists"
    code = "duplicate"
    pointer = "/data/attributes/name"


class InvalidFixture(UnprocessableEntity):
    """A fixtures entry that cannot be loaded; names the file, the entry (a JSON pointer) and the problem."""

    def __init__(self, source: str, pointer: str, problem: str) -> None:
        self.source = source
        super().__init__([FieldProblem("Invalid fixture", "invalid_fixture", pointer, problem)])
        self.hint = f"{source}: {pointer or '/'}: {problem}"

    def __str__(self) -> str:
        return self.hint


class BadRequest(ACError):
    """AC's documented 400 ``{}``; the hint says what was wrong."""


class TrackError(ACError):
    """A trackcmp.net/event refusal. ``reason`` is what the event journal records."""

    # G5: trackcmp's status for a refusal is unknown; its legacy API answers 200 with a success flag.
    status_code = 200
    envelope = "track"
    reason: ClassVar[str] = "invalid"
    account_name: str | None = None  # the account the actid named, when it named one (for the request journal)


class MissingActid(TrackError):
    template = "An account ID must be provided."
    reason = "missing_actid"


class UnknownActid(TrackError):
    template = "Invalid account ID: no account has actid {actid}."
    reason = "unknown_account"


class BadEventKey(TrackError):
    template = "Invalid event key for this account."
    reason = "bad_key"


class MissingEvent(TrackError):
    template = "An event name must be provided."
    reason = "missing_event"


class EventNameTooLong(TrackError):
    template = "Event name must be at most {limit} characters."
    reason = "event_too_long"


class BadVisit(TrackError):
    template = 'The visit parameter must be JSON with an email, like {{"email":"someone@example.com"}}.'
    reason = "bad_visit"


class MalformedForm(TrackError):
    template = "The request body could not be read as form data."
    reason = "malformed_form"


class SeedPathRefused(MessageError):
    """POST /_fakecampaign/seed named a file outside the seed directory (``fakecampaign/sandbox.py``)."""

    status_code = 403
    template = "Forbidden: {reason}"


class BodyTimeout(MessageError):
    """The request body did not arrive in time (``body_read_timeout``): a stalled client holds nothing long."""

    status_code = 408
    template = "Request body did not arrive within {seconds} seconds"
