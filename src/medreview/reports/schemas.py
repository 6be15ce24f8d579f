from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema


class RecordOut(Schema):
    name: str
    pages: int
    sha256: str


class DeterminationOut(Schema):
    question_id: str
    determination: str
    rationale: str
    citations: list[dict[str, Any]]
    disputes: list[str]
    answered: datetime


class AddendumOut(Schema):
    id: int
    number: int
    question_id: str | None
    request: str
    status: str
    due: date
    response: str


class PhysicianAssignment(Schema):
    """One of a physician's assignments: the case as far as the physician may see it."""

    id: int
    service: str
    status: str
    due: date
    assigned: datetime
    attested: datetime | None
    referral: str
    claim_number: str
    jurisdiction: str
    questions: list[dict[str, Any]]
    records: list[RecordOut]
    determinations: list[DeterminationOut]
    addenda: list[AddendumOut]
    returned_note: str | None


class PhysicianAssignments(Schema):
    items: list[PhysicianAssignment]


class AttestationIn(Schema):
    no_conflict: bool
    # The physician's own words; the standard statement when left out.
    statement: str = Field("", max_length=4000)


class DeclineIn(Schema):
    reason: str = Field(max_length=4000)
    conflict: bool = False


class StatusOut(Schema):
    id: int
    status: str


class CitationIn(Schema):
    """A record page (`file`, `page`) or a named guideline (`guideline`, `edition`,
    `section`): never a guideline's text."""

    file: str | None = Field(None, max_length=300)
    page: int | None = None
    guideline: str | None = Field(None, max_length=300)
    edition: str | None = Field(None, max_length=100)
    section: str | None = Field(None, max_length=100)


class DeterminationIn(Schema):
    question_id: str = Field(max_length=64)
    determination: Literal["supported", "not_supported", "partially_supported", "needs_exam"]
    rationale: str = Field("", max_length=20000)
    citations: list[CitationIn] = Field(default_factory=list, max_length=200)
    disputes: list[str] = Field(default_factory=list, max_length=20)


class PeerToPeerIn(Schema):
    at: datetime
    with_: str = Field(alias="with", max_length=200)
    outcome: Literal["offered", "reached", "no_answer", "declined"]
    note: str = Field("", max_length=20000)


class Created(Schema):
    id: int


class QaIn(Schema):
    decision: Literal["pass", "return"]
    note: str = Field("", max_length=20000)


class CheckItemOut(Schema):
    label: str
    ok: bool
    detail: str


class QaOut(Schema):
    id: int
    status: str
    decision: str
    checklist: list[CheckItemOut]


class AddendumIn(Schema):
    question_id: str | None = Field(None, max_length=64)
    request: str = Field(max_length=20000)


class AddendumCreated(Schema):
    id: int
    number: int
    due: date


class AddendumAnswerIn(Schema):
    response: str = Field(max_length=20000)
    citations: list[CitationIn] = Field(default_factory=list, max_length=200)


class ImeReferralOut(Schema):
    status: str
    ime_avoided: bool
    questions: list[dict[str, Any]]
    disputes: list[str]
    records: list[str]
    cost_avoided: float | None
    fee_citation: str | None
    confirmed: datetime | None


class CloseIn(Schema):
    reason: str = Field(max_length=2000)
