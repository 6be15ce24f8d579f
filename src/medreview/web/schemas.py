"""The shape of a whole referral, as `GET /api/v1/referrals/{id}` answers it (docs/api.md):
what the claims, records and triage apps each hold of it, its triage in the shape of
`data/triage-output.schema.json`; and the `{"detail"}` of every error answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict

from medreview.core import vocabulary


def _one_of(codes: Iterable[str], description: str) -> Any:
    # The codes are described, not enforced: the answer is the stored triage as the engine
    # wrote it, and a code added to the vocabulary must never turn a read into an error.
    return Field(description=description, json_schema_extra={"enum": list(codes)})


class _Stored(BaseModel):
    # A triage stored by an older engine may hold fields this shape does not name: they are
    # answered as stored (and, with `exclude_unset`, nothing absent is added). Pydantic's own
    # model, as Ninja's `Schema` reads objects by attribute and drops such fields.
    model_config = ConfigDict(extra="allow")


class CitedPage(_Stored):
    file: str = Field(description="the record file, `records/…`")
    page: int | None = Field(None, description="the page of the file, from 1")


class TriageQuestion(_Stored):
    id: str
    type: str = _one_of(vocabulary.QUESTION_TYPES, "the question's type")
    route: str = _one_of(vocabulary.ROUTES, "answered from the records, or needs an exam")
    reason: str


class TriageGap(_Stored):
    kind: str = _one_of(vocabulary.GAP_KINDS, "the kind of documentation gap")
    detail: str
    source: CitedPage | None = Field(
        description="the page that revealed the gap; null only for gaps no single page "
        "reveals (no_treating_evaluation)"
    )


class TriageDocument(_Stored):
    file: str = Field(description="the record file, `records/…` (and `#pages` for a packet)")
    kind: str = _one_of(vocabulary.DOCUMENT_KINDS, "the document's kind")
    date: dt.date | None = Field(description="the date of service")
    provider: str | None
    pages: int = Field(ge=1)
    duplicate_of: str | None = Field(
        description="the document (file, and #page range for packets) this one repeats"
    )
    error: str | None = Field(description="why the file could not be read; it is still listed")
    first_page: int | None = Field(None, description="for a split packet: its first page")
    last_page: int | None = Field(None, description="for a split packet: its last page")
    ocr: bool | None = Field(None, description="true when its text was read by OCR")


class ChronologyEntry(_Stored):
    date: dt.date
    kind: str
    provider: str | None
    summary: str
    source: CitedPage


class Triage(_Stored):
    """The triage of the records, as `medreview triage --json` prints it."""

    path: str = _one_of(vocabulary.PATHS, "the recommended path")
    rationale: list[str] = Field(description="the rules that decided, in words, with their facts")
    questions: list[TriageQuestion]
    gaps: list[TriageGap]
    documents: list[TriageDocument]
    chronology: list[ChronologyEntry]
    business_days_to_due: int | None = Field(
        None,
        description="business days from received to due (weekends and the jurisdiction's "
        "holidays skipped); null without a due date",
    )


class ReferralDetail(Schema):
    id: str
    status: str
    claim: dict[str, Any]
    questions: list[dict[str, Any]]
    triage: Triage | None = Field(description="null until the records are read")
    decision: dict[str, Any] | None
    records: list[dict[str, Any]]
    corrections: list[dict[str, Any]]
    records_requests: list[dict[str, Any]]
    processing_error: str | None


class Detail(Schema):
    """The answer of every refusal and error."""

    detail: str = Field(description="what went wrong, in words, naming the field at fault")
