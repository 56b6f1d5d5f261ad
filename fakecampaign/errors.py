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
    │   ├── HostNotAllowed           403  (a Host header naming another site: DNS rebinding)
    │   ├── CrossSiteRefused         403  (control plane: a call from another site's page)
    │   ├── UnsupportedMediaType     415  (control plane: a write whose body is not JSON)
    │   ├── SeedPathRefused          403  (control plane: a seed path outside the seed directory)
    │   ├── TooManyFaultRules        409  (control plane only)
    │   ├── RateLimited              429  (only with FAKECAMPAIGN_RATE_LIMIT or a per-account limit)
    │   └── InternalError            500  (a bug; never expected)
    ├── UnprocessableEntity      envelope "errors":  422 {"errors": [{title, detail, code, source.pointer}]}
    │   ├── DuplicateEmail
    │   ├── InvalidEmail
    │   └── DuplicateEventName
    ├── ShapedError              envelope "raw": a body AC prints for one call only (contactTags, fields, tags)
    │   ├── ContactNotFoundForTag    404  {"errors":[{"status":404,"title":"Not Found","detail":"Contact not found"}]}
    │   ├── MissingAttribute         422  {"errors":[{"status":422,"title":"Missing attribute","source":{...}}]}
    │   ├── DuplicateEntry           422  {"message":"Could not process request","error":"Duplicate entry ..."}
    │   ├── DuplicateField           422  {"errors":[{"title","detail","code":"duplicate"}]}
    │   └── BulkOptionsFailed        422  {"errors":"Bulk operation failed. ..."} (a string, not a list)
    ├── BadRequest               envelope "empty":   400 {} (AC documents bare {} for its 400s)
    └── TrackError               envelope "track":   {"success": 0, "message": "..."} (trackcmp.net/event)

Every error also carries a ``hint`` that says how to fix the call; it is sent in the
``X-Fakecampaign-Error`` header so the body can stay exactly AC's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

Envelope = Literal["empty", "message", "errors", "track", "raw"]


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


class NoResultFoundForbidden(NoResultFound):
    """The same "No Result found" body, documented with 403 on a few calls (breadth §1.3): DELETE /lists/{id},
    GET /fieldValues/{id}."""

    status_code = 403


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

    def __init__(self, source: str, pointer: str, problem: str, *, more: Sequence[tuple[str, str]] = ()) -> None:
        """One problem, plus ``more`` (pointer, problem) pairs: a file with several mistakes reports them all."""
        self.source = source
        self.entries = [(pointer, problem), *more]
        super().__init__([FieldProblem("Invalid fixture", "invalid_fixture", p, m) for p, m in self.entries])
        self.lines = [f"{source}: {p or '/'}: {m}" for p, m in self.entries]
        self.hint = "; ".join(self.lines)  # one line: it travels in the X-Fakecampaign-Error header

    @classmethod
    def of(cls, source: str, problems: Sequence[tuple[str, str]]) -> InvalidFixture:
        (pointer, problem), *more = problems
        return cls(source, pointer, problem, more=more)

    def __str__(self) -> str:
        if len(self.lines) == 1:
            return self.lines[0]
        return f"{len(self.lines)} problems in {self.source}:\n" + "\n".join(f"  {line}" for line in self.lines)


class ShapedError(ACError):
    """An error whose body AC documents for one call only; ``body()`` is that body, exactly."""

    envelope = "raw"

    def body(self) -> dict[str, Any]:
        raise NotImplementedError


class ContactNotFoundForTag(ShapedError):
    # POST /contactTags for an unknown contact (breadth §1.3, Summary 5).
    status_code = 404
    template = "Contact not found"

    def body(self) -> dict[str, Any]:
        return {"errors": [{"status": 404, "title": "Not Found", "detail": "Contact not found"}]}


class MissingAttribute(ShapedError):
    # POST /contactTags without contact or tag (breadth §1.3).
    status_code = 422
    template = "Missing attribute {attribute}"

    def body(self) -> dict[str, Any]:
        pointer = f"/data/attributes/{self.fields['attribute']}"
        return {"errors": [{"status": 422, "title": "Missing attribute", "source": {"pointer": pointer}}]}


class DuplicateEntry(ShapedError):
    # G40: the body observed for a duplicate tag name ([FORMIE#1389]); its status is unknown, 422 is guessed.
    status_code = 422
    template = "Duplicate entry '{entry}' for key '{key}'"

    def body(self) -> dict[str, Any]:
        return {"message": "Could not process request", "error": self.message}


class DuplicateField(ShapedError):
    # POST /fields with a title the account already has (breadth §4.1).
    status_code = 422
    template = "There is already a field named '{title}' -- choose another name"

    def body(self) -> dict[str, Any]:
        title = "There is already a field with this title"
        return {"errors": [{"title": title, "detail": self.message, "code": "duplicate"}]}


class BulkOptionsFailed(ShapedError):
    # POST /fieldOption/bulk without an array of options (breadth §1.3): here ``errors`` is a string.
    status_code = 422
    template = "Bulk operation failed. Request must contain an array of fieldOption objects."

    def body(self) -> dict[str, Any]:
        return {"errors": self.message}


class BadRequest(ACError):
    """AC's documented 400 ``{}``; the hint says what was wrong."""


class TrackError(ACError):
    """A trackcmp.net/event refusal. ``reason`` is what the event journal records."""

    # G5: trackcmp's status for a refusal is unknown; its legacy API answers 200 with a success flag.
    status_code = 200
    envelope = "track"
    reason: ClassVar[str] = "invalid"
    account_name: str | None = None  # the account the actid named, when it named one (for the request journal)
    account_id: int | None = None


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


class EventDataTooLong(TrackError):
    template = "Event data must be at most {limit} characters."
    reason = "eventdata_too_long"


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


class HostNotAllowed(MessageError):
    """A request to a loopback server whose Host names another site: a DNS-rebinding page (api/guards.py)."""

    status_code = 403
    template = "Forbidden: Host {host!r} is not allowed here (set FAKECAMPAIGN_ALLOWED_HOSTS to allow it)"


class CrossSiteRefused(MessageError):
    """A control-plane call made by another site's page (Origin / Sec-Fetch-Site): CSRF (api/guards.py)."""

    status_code = 403
    template = "Forbidden: the control plane does not take calls from another site's page"


class UnsupportedMediaType(MessageError):
    """A control-plane write whose body is not JSON: forms and text/plain are what a cross-site page can send
    without a CORS preflight, so refusing them closes that door (api/guards.py)."""

    status_code = 415
    template = "Control-plane bodies must be JSON (Content-Type: application/json), not {content_type!r}"


class CouldNotEnroll(MessageError):
    """POST /contactAutomations for a contact or automation the account does not have [DOC-OAS]."""

    status_code = 403
    template = "Could not create SubscriberSeries"
