"""The records as the rules see them: documents as classified, the gaps found, and people's
corrections of both."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from medreview.core.records.language import Mention
from medreview.core.referral import BillLine

if TYPE_CHECKING:
    from medreview.core.records.duplicates import Fingerprint


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
    """People's corrections of the engine's judgements (docs/workflow.md, "Records audit"), which
    win over its own: a document's kind or date of service (by document name), and gaps
    dismissed (by `Gap.key`)."""

    kinds: Mapping[str, str] = field(default_factory=dict)
    dates: Mapping[str, date | None] = field(default_factory=dict)
    dismissed_gaps: frozenset[str] = frozenset()
