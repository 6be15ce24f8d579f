"""What the record reader hands to the rules: files, pages, documents and dated facts.

The reader turns every file of a claim's records into `SourceDocument`s made of `Page`s.
A file is one document, a packet split into page ranges, or (FHIR) one document per
DocumentReference or DiagnosticReport; structured FHIR resources that are not documents
(Encounter, Procedure, Condition) become `Fact`s. A file that cannot be read becomes one
`SourceDocument` with its `error` set, so nothing is ever silently dropped
(docs/case-folder.md, "The output").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Page:
    """One page of a file: its 1-based number in the file and its text."""

    number: int
    text: str
    ocr: bool = False


@dataclass(frozen=True)
class Hints:
    """What a structured source states outright (FHIR type, date, author), ahead of any guess."""

    kind: str | None = None
    date: date | None = None
    provider: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class SourceDocument:
    """A document as read: a whole file, a page range of a packet, or a FHIR resource.

    `name` is how the contract names it: `records/a.pdf`, `records/b.json#DocumentReference/id`.
    `first_page`/`last_page` are set only when a packet file was split.
    """

    name: str
    file: str
    pages: tuple[Page, ...]
    first_page: int | None = None
    last_page: int | None = None
    error: str | None = None
    hints: Hints = field(default_factory=Hints)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages)

    @property
    def ocr(self) -> bool:
        return any(p.ocr for p in self.pages)


@dataclass(frozen=True)
class Fact:
    """A dated clinical fact from structured data (FHIR Encounter, Procedure, Condition...)."""

    kind: str  # encounter | procedure | condition | diagnostic_report
    date: date | None
    text: str
    file: str
    ref: str  # ResourceType/id
    provider: str | None = None
    code: str | None = None
    surgical: bool = False
    encounter_class: str | None = None


@dataclass(frozen=True)
class ReadFile:
    """Everything read from one file."""

    file: str
    documents: tuple[SourceDocument, ...]
    facts: tuple[Fact, ...] = ()
