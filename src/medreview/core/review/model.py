"""A physician's review as the rules read it: the questions, the answers with their
citations, the peer-to-peer log, and what the report says of the reviewer (docs/workflow.md,
"Peer review"). Frozen dataclasses, built by the apps from their rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# The answers that deny or limit what the treating provider asked for.
ADVERSE = frozenset({"not_supported", "partially_supported"})


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: str


@dataclass(frozen=True)
class Citation:
    """A record page (`file`, `page`) or a named guideline (`guideline`, with its edition and
    section): never a guideline's text."""

    file: str = ""
    page: int | None = None
    guideline: str = ""
    edition: str = ""
    section: str = ""

    @property
    def is_page(self) -> bool:
        return bool(self.file) and self.page is not None

    def words(self) -> str:
        if self.is_page:
            return f"{self.file}, page {self.page}"
        parts = [self.guideline, self.edition, self.section and f"section {self.section}"]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class Answer:
    """The physician's determination of one question."""

    question_id: str
    determination: str
    rationale: str
    citations: tuple[Citation, ...] = ()
    disputes: tuple[str, ...] = ()  # what an examination should settle, in the reviewer's words
    answered: datetime | None = None

    @property
    def adverse(self) -> bool:
        return self.determination in ADVERSE


@dataclass(frozen=True)
class PeerToPeer:
    """One offer, attempt or call with a treating provider."""

    at: datetime
    with_whom: str
    outcome: str
    note: str = ""


@dataclass(frozen=True)
class Reviewer:
    name: str
    npi: str
    specialties: tuple[str, ...]  # in words
    licences: tuple[str, ...]  # "NY, expires 2027-06-30"
    board_certified: bool


@dataclass(frozen=True)
class Addendum:
    number: int
    request: str
    question_id: str | None
    response: str
    citations: tuple[Citation, ...] = ()
    requested: date | None = None
    answered: date | None = None


@dataclass(frozen=True)
class Review:
    """Everything one assignment's review holds, as its report and its rules read it."""

    service: str  # peer_review | ime
    jurisdiction: str
    claim_number: str
    claimant: str
    questions: tuple[Question, ...]
    answers: tuple[Answer, ...]
    records: tuple[str, ...]  # the names of the record files reviewed
    pages: dict[str, int]  # pages of each record file: a page citation must resolve
    reviewer: Reviewer
    attested: datetime | None = None
    attestation: str = ""
    peer_to_peer: tuple[PeerToPeer, ...] = ()
    assigned: date | None = None
    submitted: date | None = None
    delivered: date | None = None
    addenda: tuple[Addendum, ...] = field(default_factory=tuple)

    def answer_to(self, question_id: str) -> Answer | None:
        return next((a for a in self.answers if a.question_id == question_id), None)
