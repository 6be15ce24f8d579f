"""The rules' view of a case: the referral, the documents as classified, gaps and the triage.

These are plain frozen dataclasses, built by the pipeline from a case folder (or by the web
application from its database) and handed to the rule functions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from medreview.rules.language import Mention

if TYPE_CHECKING:
    from medreview.reader.dedup import Fingerprint

QUESTION_TYPES = (
    "causation",
    "medical_necessity",
    "treatment_appropriateness",
    "diagnosis_support",
    "billing_alignment",
    "future_care",
    "apportionment",
    "mmi",
    "work_status",
    "functional_capacity",
    "impairment_rating",
    "neurological_evaluation",
    "range_of_motion",
)
PATHS = ("peer_review_first", "ime_first", "obtain_records_first", "concurrent")


@dataclass(frozen=True)
class Provider:
    """A treating provider named in the referral."""

    name: str
    npi: str | None = None
    specialty: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: str
    treatment: str | None = None


@dataclass(frozen=True)
class BillLine:
    """A billed service: from the referral's `bills`, or read off a billing document's page."""

    date: date
    code: str
    description: str | None = None
    provider: str | None = None
    units: int | None = None
    amount: float | None = None
    file: str | None = None
    page: int | None = None


@dataclass(frozen=True)
class Referral:
    """What the client sent (contracts/referral.schema.json), as the rules need it."""

    claim_number: str
    line_of_business: str
    jurisdiction: str
    questions: tuple[Question, ...]
    received: date
    due: date | None = None
    date_of_injury: date | None = None
    body_parts: tuple[str, ...] = ()
    providers: tuple[Provider, ...] = ()
    bills: tuple[BillLine, ...] = ()
    requested_service: str = "triage"
    claimant_zip: str | None = None
    claimant_language: str | None = None
    # ERISA appeal: the professionals consulted on the first decision (never its reviewer).
    first_decision_npis: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A record after classification: what it is, when, by whom, and what it says."""

    name: str
    file: str
    kind: str
    date: date | None
    provider: str | None
    pages: tuple[int, ...]  # page numbers in the file
    split: bool = False
    duplicate_of: str | None = None
    error: str | None = None
    ocr: bool = False
    summary: str = ""
    mentions: tuple[Mention, ...] = ()
    specialties: frozenset[str] = frozenset()
    studies: frozenset[str] = frozenset()  # for reports: the modalities they report on
    body_parts: frozenset[str] = frozenset()
    bill_lines: tuple[BillLine, ...] = ()
    fhir: bool = False
    text: str = field(default="", repr=False)
    fingerprint: Fingerprint | None = field(default=None, repr=False)  # for folding duplicates

    @property
    def first_page(self) -> int:
        return self.pages[0] if self.pages else 1

    @property
    def live(self) -> bool:
        """Readable and not a copy of another document: the ones the rules count."""
        return self.error is None and self.duplicate_of is None


@dataclass(frozen=True)
class Gap:
    kind: str
    detail: str
    file: str | None
    page: int | None

    @property
    def key(self) -> str:
        """A stable name for the gap: its kind, its source, and a digest of what it says."""
        return gap_key(self.kind, self.file, self.page, self.detail)


def gap_key(kind: str, file: str | None, page: int | None, detail: str) -> str:
    """A gap's stable name, the same from the dataclass and from its JSON (where a gap with a
    file cites page 1 when no page is known)."""
    digest = hashlib.sha256(detail.encode()).hexdigest()[:12]
    cited = (page or 1) if file else ""
    return f"{kind}|{file or ''}|{cited}|{digest}"


@dataclass(frozen=True)
class Corrections:
    """People's corrections of the engine's judgements (DESIGN.md section 2, step 2), which
    win over its own: a document's kind or date of service (by document name), and gaps
    dismissed (by `Gap.key`)."""

    kinds: Mapping[str, str] = field(default_factory=dict)
    dates: Mapping[str, date | None] = field(default_factory=dict)
    dismissed_gaps: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Settings:
    """The thresholds of DESIGN.md sections 3 and 4, all settings."""

    recent_exam_days: int = 90
    min_business_days_to_obtain_records: int = 10
    min_clinical_documents: int = 2
    peer_review_turnaround_days: int = 3
    ime_lead_time_days: int = 15
    treatment_gap_days: int = 45


@dataclass(frozen=True)
class QuestionRoute:
    id: str
    type: str
    route: str  # records | exam
    reason: str


@dataclass(frozen=True)
class Triage:
    path: str
    rationale: tuple[str, ...]
    questions: tuple[QuestionRoute, ...]
    business_days_to_due: int | None
