"""API version 1 (docs/api.md): one Ninja API, a router per app, and the whole referral
(`GET /api/v1/referrals/{id}`), which composes what several apps hold of it.

Callers authenticate with `Authorization: Bearer TOKEN` (integrations) or their session (the
pages, with CSRF). Every error answers JSON `{"detail": "…"}`; nothing of a stack trace, nor
any patient data, reaches a client.
"""

from __future__ import annotations

import json
import logging
from importlib import resources
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Router, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.responses import Status
from ninja.security import APIKeyCookie, HttpBearer

from medreview.claims.access import referral_or_404
from medreview.claims.actions import do_view_referral
from medreview.claims.errors import ActionError
from medreview.claims.models import ApiToken, Referral
from medreview.claims.permissions import Permission, require
from medreview.claims.schemas import ReferralList, ReferralSummary
from medreview.records.actions import (
    MAX_FILES,
    MAX_REFERRAL_BYTES,
    Upload,
    check_file_size,
    do_create_referral,
    referral_text_of,
)
from medreview.records.schemas import Created
from medreview.web import unavailable
from medreview.web.schemas import Detail, ReferralDetail

log = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.objects.user_for(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The pages' session, with Django's CSRF check on every unsafe method."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


class JsonBody(Parser):
    """A body read as JSON only when it says it is JSON: any other media type is refused (415)
    rather than read as if it were, and a body that is not JSON is named as such (400)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        # Ninja turns whatever this raises into a 400 "Cannot parse request body"; the
        # ActionError it keeps as the cause is what `_http_error` answers instead.
        if request.content_type != "application/json":
            raise ActionError(
                f"send the body as JSON, with Content-Type: application/json, not"
                f" {request.content_type or 'no Content-Type'}",
                status=415,
            )
        try:
            return super().parse_body(request)
        except UnicodeDecodeError:
            raise ActionError("the body is not UTF-8 JSON", status=400) from None
        except json.JSONDecodeError as e:
            raise ActionError(
                f"the body is not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}",
                status=400,
            ) from None


class Api(NinjaAPI):
    """API v1, whose OpenAPI schema also describes the error answers of each operation."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        describe_errors(schema)
        return schema


api = Api(
    title="medreview",
    version="1",
    urls_namespace="api-v1",
    auth=[BearerToken(), SessionAuth()],
    parser=JsonBody(),
    docs_url="/docs",
    # No online validator badge: the page would send the schema's address to another host.
    docs=Swagger(settings={"validatorUrl": None}),
    openapi_url="/openapi.json",
)


def _detail(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(ActionError)
def _action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
    message = (
        f"{exc.field}: {exc}" if exc.field and not str(exc).startswith(exc.field) else str(exc)
    )
    return _detail(request, message, exc.status)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    parts = []
    for error in exc.errors:
        where = ".".join(
            str(p)
            for p in error.get("loc", ())
            if p not in ("body", "payload", "form", "query", "path")
        )
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", ""))
    return _detail(request, "; ".join(parts) or "invalid request", 422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _detail(request, "authentication required: send Authorization: Bearer TOKEN", 401)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _detail(request, "not found", 404)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, ActionError):  # a body `JsonBody` refused
        return _action_error(request, exc.__cause__)
    return _detail(request, str(exc), exc.status_code)


# What Django refuses while it reads a body, before any view sees it: without these, the
# catch-all below would answer a malformed or oversized request as a server error.
@api.exception_handler(MultiPartParserError)
def _bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return _detail(request, f"the multipart body cannot be read: {exc}", 400)


@api.exception_handler(RequestDataTooBig)
def _body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return _detail(request, f"the body (apart from files) is larger than {limit} MB", 413)


@api.exception_handler(TooManyFilesSent)
def _too_many_files(request: HttpRequest, exc: TooManyFilesSent) -> HttpResponse:
    return _detail(request, f"records: at most {MAX_FILES} record files per referral", 422)


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    if unavailable.is_unavailable(exc):  # the database restarting: no fault of the request
        return unavailable.answer(request)
    # Logged by type and place only: an exception's message may quote a record.
    log.error("API error %s at %s", type(exc).__name__, request.path)
    return _detail(request, "internal error", 500)


# The referrals themselves: sent with their records (`records`), listed (`claims`), read whole.
whole = Router(tags=["referrals"])
PAGE_SIZE = 50


# The body as the view reads it (no declared parameter describes a part that may be text or
# a file): the referral, and the records.
REFERRAL_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "title": "ReferralWithRecords",
                "type": "object",
                "required": ["referral"],
                "properties": {
                    "referral": {
                        "description": "The referral JSON (referral.schema.json) as a text field"
                        " or as a file part (curl -F referral=@referral.json); UTF-8, a"
                        " byte-order mark allowed, at most 5 MB.",
                        "anyOf": [
                            {
                                "title": "text",
                                "type": "string",
                                "contentMediaType": "application/json",
                                "contentSchema": {"$ref": "#/components/schemas/ReferralJson"},
                            },
                            {"title": "file", "type": "string", "format": "binary"},
                        ],
                    },
                    "records": {
                        "description": "The record files (PDF, scans, images, text, FHIR R4"
                        " JSON or NDJSON): the field repeated once per file, at most"
                        f" {MAX_FILES} files of 200 MB each (MEDREVIEW_MAX_FILE_MB), 1 GB in all"
                        " (MEDREVIEW_MAX_REQUEST_MB).",
                        "type": "array",
                        "items": {"type": "string", "format": "binary"},
                    },
                },
            }
        }
    },
}


@whole.post(
    "",
    response={201: Created},
    summary="Send a referral and its records",
    openapi_extra={"requestBody": REFERRAL_BODY},
)
def create_referral(request: HttpRequest) -> Status[Created]:
    # Both parts are read from the request itself: `referral` may come as a text field or as
    # a file part (curl's `-F referral=@referral.json`), which no one declared parameter
    # takes, and `records` is any number of files.
    user = request.user
    # Who may send, and how large each file is, before any file is read.
    require(user, Permission.SEND_REFERRAL)
    if request.content_type != "multipart/form-data":
        raise ActionError(
            "send the referral and its records as multipart/form-data (curl -F), not"
            f" {request.content_type or 'no Content-Type'}",
            status=415,
        )
    files = request.FILES.getlist("records")
    for f in files:
        check_file_size(f.name or "record", f.size or 0)
    uploads = [Upload(f.name or "record", f.read()) for f in files]
    made = do_create_referral(
        user.organisation,  # type: ignore[union-attr]
        actor=user,  # type: ignore[arg-type]
        referral_text=_referral_part(request),
        uploads=uploads,
    )
    return Status(201, Created(id=str(made.pk), status=made.status))


def _referral_part(request: HttpRequest) -> str:
    texts, files = request.POST.getlist("referral"), request.FILES.getlist("referral")
    if len(texts) + len(files) > 1:
        raise ActionError(
            "send the referral once, as a text field or as a file, not both", field="referral"
        )
    if texts:
        return str(texts[0])
    if files:
        if files[0].size > MAX_REFERRAL_BYTES:  # refused before it is read into memory
            raise ActionError("the referral file is larger than 5 MB", field="referral")
        return referral_text_of(files[0].read())
    raise ActionError(
        "missing: send the referral JSON as the multipart field `referral`, as text or as a"
        " file (curl -F referral=@referral.json)",
        field="referral",
    )


@whole.get("", response=ReferralList, summary="The caller's referrals")
def list_referrals(
    request: HttpRequest,
    claim_number: str | None = None,
    status: str | None = None,
    page: int = 1,
) -> ReferralList:
    if page < 1:
        raise ActionError("page starts at 1", field="page")
    found = Referral.objects.visible_to(request.user)
    if claim_number:
        found = found.filter(claim_number=claim_number)
    if status:
        if status not in dict(Referral.STATUSES):
            raise ActionError(f"unknown status {status!r}", field="status")
        found = found.filter(status=status)
    count = found.count()
    rows = found.order_by("-created")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return ReferralList(
        items=[
            ReferralSummary(
                id=str(r.pk),
                claim_number=r.claim_number,
                status=r.status,
                jurisdiction=r.jurisdiction,
                received=r.received,
                due=r.due,
                path=r.path_in_force or None,
                created=r.created,
            )
            for r in rows
        ],
        count=count,
    )


# exclude_unset: the triage is answered as stored, without the optional fields it lacks.
@whole.get(
    "/{referral_id}",
    response=ReferralDetail,
    summary="One referral and its triage",
    exclude_unset=True,
)
def get_referral(request: HttpRequest, referral_id: str) -> ReferralDetail:
    referral = referral_or_404(request.user, referral_id)
    do_view_referral(referral, actor=request.user, via="api")
    decision = referral.triage_decisions.first()
    return ReferralDetail(
        id=str(referral.pk),
        status=referral.status,
        claim=dict(referral.payload.get("claim", {})),
        questions=referral.questions,
        triage=referral.triage,
        decision=None
        if decision is None
        else {
            "decision": decision.decision,
            "path": decision.path,
            "recommended_path": decision.recommended_path,
            "reason": decision.reason,
            "by": decision.decided_by.email,
            "at": decision.decided.isoformat(),
        },
        records=[
            {"name": f.name, "size": f.size, "sha256": f.sha256}
            for f in referral.record_files.all()
        ],
        corrections=[
            {
                "target": c.target,
                "key": c.key,
                "field": c.field,
                "value": c.value,
                "machine_value": c.machine_value,
                "reason": c.reason,
                "by": c.made_by.email,
                "at": c.made.isoformat(),
            }
            for c in referral.corrections.select_related("made_by")
        ],
        records_requests=[
            {
                "provider": q.provider,
                "item": q.item,
                "status": q.status,
                "requested": q.requested.isoformat(),
            }
            for q in referral.records_requests.all()
        ],
        processing_error=referral.processing_error or None,
    )


# The error answers each operation can give, each `{"detail"}` (`Detail`), in the words of the
# OpenAPI schema. Every operation is listed: a test fails for one that is not.
_UNAUTHENTICATED = "No valid token (send Authorization: Bearer TOKEN) and no session"
_NOT_FOUND = "No such referral, or one outside your reach: the same answer for both"
_REFUSED = "Your role may not do this, or a session's request lacks its CSRF token"
_PHYSICIANS = "Only a physician answers its assignments"
_NO_ASSIGNMENT = "No such assignment of yours: another physician's answers the same"
_NOT_A_NUMBER = "An id in the path that is not a whole number (named)"
ERRORS: dict[str, dict[int, str]] = {
    "POST /referrals": {
        401: _UNAUTHENTICATED,
        403: "Only a client organisation's users send referrals, or a session's request"
        " lacks its CSRF token",
        413: "The request or a record file is larger than its limit (checked before it is read)",
        422: "The referral is missing, sent twice, not UTF-8 or not valid (each wrong field"
        " named), or a record file is empty, nameless or too large",
        507: "The server's disk is full: nothing of the referral was saved; send it again later",
    },
    "GET /referrals": {
        401: _UNAUTHENTICATED,
        422: "A page below 1 or not a number, or an unknown status",
    },
    "GET /referrals/{referral_id}": {401: _UNAUTHENTICATED, 404: _NOT_FOUND},
    "GET /referrals/{referral_id}/audit": {401: _UNAUTHENTICATED, 404: _NOT_FOUND},
    "POST /referrals/{referral_id}/triage-decision": {
        401: _UNAUTHENTICATED,
        403: _REFUSED,
        404: _NOT_FOUND,
        409: "The records are still being read: there is no triage to decide on yet",
        422: "An unknown decision or path, or an override without a reason",
    },
    "GET /referrals/{referral_id}/candidates": {
        401: _UNAUTHENTICATED,
        403: "Only the review desk sees the physician network",
        404: _NOT_FOUND,
        422: "A service other than peer_review or ime, top outside 1 to 100, or a referral"
        " that lacks what the match needs",
    },
    "POST /referrals/{referral_id}/assignments": {
        401: _UNAUTHENTICATED,
        403: _REFUSED,
        404: _NOT_FOUND,
        409: "The physician breaks a hard rule (named), the service is already assigned, the"
        " records are still being read, the referral lacks what the match needs, or it is"
        " closed",
        422: "An unknown service, or no active physician of the network with that NPI",
    },
    "POST /assignment-batches": {
        401: _UNAUTHENTICATED,
        403: "Only a coordinator proposes assignment batches",
    },
    "GET /assignment-batches/{batch_id}": {
        401: _UNAUTHENTICATED,
        403: "Only the review desk sees assignment batches",
        404: "No such batch",
        422: _NOT_A_NUMBER,
    },
    "POST /assignment-batches/{batch_id}/apply": {
        401: _UNAUTHENTICATED,
        403: "Only a coordinator applies assignment batches",
        404: "No such batch",
        409: "The proposal is not ready, was applied already, or something changed since it was"
        " made (every change named; nothing applied)",
        422: _NOT_A_NUMBER,
    },
    "GET /assignments": {401: _UNAUTHENTICATED, 403: _PHYSICIANS},
    "GET /assignments/{assignment_id}": {
        401: _UNAUTHENTICATED,
        403: _PHYSICIANS,
        404: _NO_ASSIGNMENT,
        422: _NOT_A_NUMBER,
    },
    "POST /assignments/{assignment_id}/attestation": {
        401: _UNAUTHENTICATED,
        403: _PHYSICIANS,
        404: _NO_ASSIGNMENT,
        409: "The assignment is attested already, declined, cancelled or closed",
        422: "No conflict not attested",
    },
    "POST /assignments/{assignment_id}/peer-to-peer": {
        401: _UNAUTHENTICATED,
        403: _PHYSICIANS,
        404: _NO_ASSIGNMENT,
        409: "The attestation is not signed yet, or the assignment is closed",
        422: "An unknown outcome, no provider named, or a time in the future",
    },
    "POST /assignments/{assignment_id}/determinations": {
        401: _UNAUTHENTICATED,
        403: _PHYSICIANS,
        404: _NO_ASSIGNMENT,
        409: "The attestation is not signed yet, or the review is submitted or closed",
        422: "An unknown question or determination, or a citation of a page the records do not"
        " have",
    },
    "POST /assignments/{assignment_id}/submit": {
        401: _UNAUTHENTICATED,
        403: _PHYSICIANS,
        404: _NO_ASSIGNMENT,
        409: "Something is missing (each named: the attestation, an unanswered question, an"
        " answer without rationale or citation, a peer-to-peer the jurisdiction requires), or"
        " the review is submitted already",
        422: _NOT_A_NUMBER,
    },
    "POST /assignments/{assignment_id}/decline": {
        401: _UNAUTHENTICATED,
        403: _PHYSICIANS,
        404: _NO_ASSIGNMENT,
        409: "The review is submitted, delivered, declined or cancelled",
        422: "No reason given",
    },
    "POST /assignments/{assignment_id}/addenda/{number}": {
        401: _UNAUTHENTICATED,
        403: _PHYSICIANS,
        404: "No such assignment or addendum of yours",
        409: "The addendum is not waiting for an answer",
        422: "No answer written, or a citation of a page the records do not have",
    },
    "POST /assignments/{assignment_id}/qa": {
        401: _UNAUTHENTICATED,
        403: "Only a QA nurse passes or returns reviews, and never a physician its own",
        404: "No such assignment",
        409: "Nothing waits for QA, or a pass while an item of the checklist fails (named)",
        422: "An unknown decision, or a return without a note",
    },
    "GET /referrals/{referral_id}/ime-referral": {
        401: _UNAUTHENTICATED,
        403: "Your role does not see IME referrals",
        404: _NOT_FOUND,
        409: "No peer review of this referral has passed QA yet",
    },
    "POST /referrals/{referral_id}/ime-referral/confirm": {
        401: _UNAUTHENTICATED,
        403: "Only a coordinator confirms an IME referral",
        404: _NOT_FOUND,
        409: "No IME referral was drafted, it is confirmed already, or the IME was avoided",
    },
    "POST /referrals/{referral_id}/close": {
        401: _UNAUTHENTICATED,
        403: "Only a coordinator closes a referral",
        404: _NOT_FOUND,
        409: "The referral is closed already, or work of it is still open (named)",
        422: "No reason given",
    },
    "GET /referrals/{referral_id}/report.pdf": {
        401: _UNAUTHENTICATED,
        403: "Your role does not see reports",
        404: "No such referral, or no report of it has passed QA yet",
    },
    "POST /referrals/{referral_id}/addenda": {
        401: _UNAUTHENTICATED,
        403: "Only the client who ordered the review asks for an addendum",
        404: _NOT_FOUND,
        409: "No report was delivered yet, or an addendum of it is still open",
        422: "No request written, or an unknown question",
    },
    "GET /referrals/{referral_id}/ime/slots": {
        401: _UNAUTHENTICATED,
        403: "Only the review desk's schedulers, coordinators and administrators schedule exams",
        404: _NOT_FOUND,
        409: "The referral has no confirmed IME referral",
        422: "An npi or an interpreter that is not one",
    },
    "POST /referrals/{referral_id}/ime/appointments": {
        401: _UNAUTHENTICATED,
        403: "Only the review desk's schedulers, coordinators and administrators schedule exams",
        404: _NOT_FOUND,
        409: "The referral has no confirmed IME referral, is closed, or has an exam booked"
        " already; or the IME's examiner has handed in the report",
        422: "The booking breaks a rule, each named with its citation (the notice period, the"
        " exam window, a frequency limit, the examiner's licence, certification or language,"
        " the office's distance, the examiner's hours, the peer reviewer kept out, the"
        " matcher's rules), no active physician has the NPI, or a start with an offset",
    },
    "GET /referrals/{referral_id}/claim-file.zip": {
        401: _UNAUTHENTICATED,
        403: "Only the client's users, a coordinator or an administrator download the claim file",
        404: _NOT_FOUND,
        409: "A record file or report cannot be read back from the store (named): no claim"
        " file without it",
    },
    "POST /appointments/{appointment_id}/outcome": {
        401: _UNAUTHENTICATED,
        403: "Only the review desk's schedulers, coordinators and administrators schedule exams",
        404: "No such appointment, or one of a referral outside your reach",
        409: "The appointment's outcome is recorded already",
        422: "An unknown outcome, a new start given without rescheduled, or a new start that"
        " breaks a rule (named with its citation); or an id that is not a whole number",
    },
}


def describe_errors(schema: dict[str, Any]) -> None:
    """Add to each operation of the schema its error answers (`ERRORS`)."""
    schema["components"]["schemas"]["Detail"] = Detail.model_json_schema()
    schema["components"]["schemas"]["ReferralJson"] = _referral_json_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            key = f"{method.upper()} {path.removeprefix('/api/v1')}"
            for status, why in {**_body_errors(operation), **ERRORS.get(key, {})}.items():
                operation["responses"][status] = {
                    "description": why,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Detail"}}
                    },
                }


def _body_errors(operation: dict[str, Any]) -> dict[int, str]:
    """What any operation that takes a body may answer about the body itself (`JsonBody`,
    the handlers of what Django refuses while reading it, `web/limits.py`), and one that takes
    a query about its values (a NUL character, `web/limits.RefuseNulCharacters`)."""
    media = " or ".join(operation.get("requestBody", {}).get("content", {}))
    if not media:
        queried = any(p.get("in") == "query" for p in operation.get("parameters", []))
        return {400: "A query value holds a NUL character (\\u0000)"} if queried else {}
    return {
        400: f"The body cannot be read as {media} (what is wrong named)",
        413: "The body is larger than its limit (checked before it is read)",
        415: f"The body is not sent as {media} (its Content-Type)",
    }


def _referral_json_schema() -> dict[str, Any]:
    text = resources.files("medreview.data").joinpath("referral.schema.json").read_text()
    found: dict[str, Any] = json.loads(text)
    found.pop("$schema", None)  # the OpenAPI document's own dialect applies
    return found


def _mount() -> None:
    from medreview.claims.api import router as claims_router
    from medreview.exams.api import appointments as exams_appointments
    from medreview.exams.api import referrals as exams_referrals
    from medreview.reports.api import assignments as reports_assignments
    from medreview.reports.api import referrals as reports_referrals
    from medreview.reviews.api import batches as batches_router
    from medreview.reviews.api import router as reviews_router
    from medreview.triage.api import router as triage_router
    from medreview.web.claim_file import router as claim_file_router

    api.add_router("/referrals", claims_router)
    api.add_router("/referrals", whole)
    api.add_router("/referrals", triage_router)
    api.add_router("/referrals", reviews_router)
    api.add_router("/referrals", reports_referrals)
    api.add_router("/assignments", reports_assignments)
    api.add_router("/assignment-batches", batches_router)
    api.add_router("/referrals", exams_referrals)
    api.add_router("/appointments", exams_appointments)
    api.add_router("/referrals", claim_file_router)


_mount()
