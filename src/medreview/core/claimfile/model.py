"""What a claim file holds, as the PDF's sections read it: the referral as sent, the triage and
every decision on it, the gaps and records requests, the chronology, the reviews and their
reports, the IME, the audit trail and the original documents.

Frozen dataclasses of plain values, gathered from the database in one place
(`medreview.web.claim_file.gather`) so that the PDF writer takes data, not models. Times are
the desk's local time; an audit event keeps its time as the hash covers it (ISO, UTC).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class Provider:
    name: str
    npi: str = ""
    specialty: str = ""
    group: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: str
    treatment: str = ""


@dataclass(frozen=True)
class Bill:
    day: str  # as sent (ISO)
    code: str
    description: str = ""
    provider: str = ""
    units: int | None = None
    amount: float | None = None


@dataclass(frozen=True)
class Referral:
    """The referral as the client sent it."""

    claim_number: str
    jurisdiction: str
    line_of_business: str
    received: date
    due: date | None
    status: str  # in words
    sent_by: str
    sent: datetime
    date_of_injury: str = ""
    body_parts: tuple[str, ...] = ()
    requested_service: str = ""
    # The claimant as sent: (label, value), e.g. ("Name", "…"), ("Date of birth", "…").
    claimant: tuple[tuple[str, str], ...] = ()
    providers: tuple[Provider, ...] = ()
    questions: tuple[Question, ...] = ()
    bills: tuple[Bill, ...] = ()


@dataclass(frozen=True)
class Route:
    """Where the triage sends one question, and why."""

    question_id: str
    type: str
    route: str
    reason: str


@dataclass(frozen=True)
class Decision:
    """A person's decision on the triage: accepted, or overridden to another path."""

    at: datetime
    by: str
    decision: str  # accept | override
    path: str
    recommended_path: str
    reason: str


@dataclass(frozen=True)
class Triage:
    path: str  # "" while the records are not read
    rationale: tuple[str, ...] = ()
    routes: tuple[Route, ...] = ()
    decisions: tuple[Decision, ...] = ()  # oldest first
    processing_error: str = ""


@dataclass(frozen=True)
class Gap:
    kind: str
    detail: str
    file: str | None
    page: int | None
    request: str = ""  # the state of its records request, in words, if one was made


@dataclass(frozen=True)
class DismissedGap:
    kind: str
    detail: str
    by: str
    at: datetime
    reason: str


@dataclass(frozen=True)
class Correction:
    """A person's correction of a document's kind or date."""

    document: str
    field: str
    value: str
    machine_value: str
    by: str
    at: datetime
    reason: str


@dataclass(frozen=True)
class RecordsRequest:
    provider: str
    item: str
    status: str  # in words
    asked_by: str
    asked: datetime
    sent_by: str = ""
    sent: datetime | None = None
    updated: datetime | None = None


@dataclass(frozen=True)
class ChronologyEntry:
    day: str  # ISO, as the records engine dated it
    kind: str
    provider: str
    summary: str
    file: str
    page: int | None


@dataclass(frozen=True)
class Assignment:
    """A review or an exam given to a physician, with the matcher's reasons kept on it."""

    id: int
    service: str
    physician: str
    npi: str
    status: str  # in words
    assigned: datetime
    assigned_by: str
    due: date
    score: float | None = None
    reasons: tuple[str, ...] = ()
    batch: int | None = None
    cancelled: datetime | None = None
    cancel_reason: str = ""
    declined: datetime | None = None
    decline_reason: str = ""
    recused: bool = False
    attested: datetime | None = None
    submitted: datetime | None = None
    delivered: datetime | None = None
    closed: datetime | None = None


@dataclass(frozen=True)
class Determination:
    assignment: int
    question_id: str
    determination: str
    rationale: str
    answered: datetime
    citations: tuple[str, ...] = ()
    disputes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Call:
    """One peer-to-peer offer, attempt or call, as the physician logged it."""

    assignment: int
    at: datetime
    with_whom: str
    outcome: str
    note: str = ""


@dataclass(frozen=True)
class QaDecision:
    assignment: int
    decision: str  # pass | return
    by: str
    at: datetime
    note: str = ""
    addendum: int | None = None
    failed: tuple[str, ...] = ()  # the checklist's items not met, in words


@dataclass(frozen=True)
class DeliveredReport:
    """A report as delivered, and the same bytes in the claim file."""

    assignment: int
    service: str
    version: int
    made: datetime
    sha256: str
    size: int
    path: str  # in the ZIP
    sha256_in_zip: str | None = None


@dataclass(frozen=True)
class Addendum:
    assignment: int
    number: int
    question_id: str
    request: str
    requested_by: str
    requested: datetime
    due: date
    status: str  # in words
    response: str = ""
    submitted: datetime | None = None
    delivered: datetime | None = None


@dataclass(frozen=True)
class ImeReferral:
    """The IME a passed peer review left (narrowed), or the IME it avoided (with its cost)."""

    status: str  # draft | confirmed | avoided
    drafted: datetime
    questions: tuple[Question, ...] = ()
    disputes: tuple[str, ...] = ()
    records: tuple[str, ...] = ()
    cost_avoided: Decimal | None = None
    fee_citation: str = ""
    confirmed_by: str = ""
    confirmed: datetime | None = None


@dataclass(frozen=True)
class Appointment:
    """An examination booked for the IME, and what became of it."""

    start: datetime  # the office's wall clock
    examiner: str
    place: str
    status: str  # in words
    booked_by: str = ""
    booked: datetime | None = None
    interpreter: bool = False
    transport: bool = False
    outcome_note: str = ""
    outcome_by: str = ""
    outcome_recorded: datetime | None = None
    fee: Decimal | None = None
    fee_citation: str = ""
    notice_sha256: str = ""  # the claimant's notice letter as sent
    notice_path: str = ""  # the letter's place in the ZIP (`notices/…`)
    rescheduled_to: datetime | None = None


@dataclass(frozen=True)
class AuditEvent:
    seq: int
    at: str  # ISO, as the hash covers it
    actor: str
    action: str
    detail: str  # the detail's JSON
    hash: str
    prev_hash: str


@dataclass(frozen=True)
class AuditTrail:
    events: tuple[AuditEvent, ...]
    verified: bool
    findings: tuple[str, ...] = ()  # what is wrong, in words, when not verified


@dataclass(frozen=True)
class OriginalDocument:
    """A record file: as received (its size and digest then), and as in the claim file."""

    name: str
    size: int
    sha256: str
    path: str  # in the ZIP
    sha256_in_zip: str | None = None


@dataclass(frozen=True)
class ClaimFile:
    """Everything the claim file's PDF says of one referral."""

    referral_id: str
    client: str
    made: datetime
    made_by: str
    referral: Referral
    triage: Triage
    gaps: tuple[Gap, ...] = ()
    dismissed_gaps: tuple[DismissedGap, ...] = ()
    corrections: tuple[Correction, ...] = ()
    requests: tuple[RecordsRequest, ...] = ()
    chronology: tuple[ChronologyEntry, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    determinations: tuple[Determination, ...] = ()
    calls: tuple[Call, ...] = ()
    qa: tuple[QaDecision, ...] = ()
    reports: tuple[DeliveredReport, ...] = ()
    addenda: tuple[Addendum, ...] = ()
    ime: ImeReferral | None = None
    appointments: tuple[Appointment, ...] = ()
    audit: AuditTrail = AuditTrail(events=(), verified=True)
    documents: tuple[OriginalDocument, ...] = ()

    @property
    def claim_number(self) -> str:
        return self.referral.claim_number
