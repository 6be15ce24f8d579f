"""The medical chronology: every dated document and clinical fact, in date order, each citing
the file and page it comes from (docs/workflow.md, "Records audit")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from medreview.core.reading.model import Fact
from medreview.core.records.model import Document
from medreview.core.records.text import header_zone, unflatten

_SECTION = re.compile(
    r"^\s*(?:[A-Z]\s*:|(?:assessment(?: and plan)?|impression|diagnos[ie]s|final diagnos[ie]s|"
    r"discharge diagnos[ie]s|postoperative diagnos[ie]s|conclusions?|summary|a)\s*[:,-])\s*",
    re.IGNORECASE | re.MULTILINE,
)
# The same sections as a heading alone on its line ("ASSESSMENT", "DIAGNOSES"), their text on
# the lines below.
_HEADING = re.compile(
    r"^[ \t]*(?:assessment(?: and plan)?|impressions?|diagnos[ie]s|final diagnos[ie]s|"
    r"discharge diagnos[ie]s|postoperative diagnos[ie]s|interpretation|conclusions?|summary)"
    r"[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# What a record repeats at the top of each page, between a heading and its text.
_PAGE_HEADER = re.compile(r"^\s*(patient|name|claim\s*#|page \d)\b|\bpage \d+ of \d+\b", re.I)
# A title names the record ("EMERGENCY DEPARTMENT RECORD"), where a letterhead names the
# practice ("CLAYTON RIDGE MEDICAL CENTER") that sent it.
_RECORD_WORD = re.compile(
    r"\b(report|note|record|visit|consult\w*|summary|evaluation|exam\w*|study|studies|"
    r"procedure|operative|discharge|form|history|progress|follow-?up|assessment)\b",
    re.IGNORECASE,
)
_LIMIT = 220


@dataclass(frozen=True)
class Entry:
    date: date
    kind: str
    provider: str | None
    summary: str
    file: str
    page: int


def summarize(text: str, kind: str) -> str:
    """One line for the chronology: the assessment or impression (written after its label on
    the same line, or below it as a heading), else the document's title, never the
    letterhead of the practice that sent it."""
    text = unflatten(text)
    found = [
        (m.start(), text[m.end() :])
        for m in _SECTION.finditer(text)
        if not (m.group(0).strip().upper() in ("A:", "A,") and kind == "imaging_report")
    ]
    found += [(m.start(), _below(text[m.end() :])) for m in _HEADING.finditer(text)]
    for _, rest in sorted(found, key=lambda f: f[0]):
        line = _first_sentence(rest.strip())
        if len(line) > 8:
            return _clip(line)
    return _clip(_title(text))


def _below(text: str) -> str:
    """The text under a heading, without the page header a page break put in between."""
    lines = text.splitlines()
    while lines and (not lines[0].strip() or _PAGE_HEADER.search(lines[0])):
        lines.pop(0)
    return "\n".join(lines)


def _title(text: str) -> str:
    head = [ln.strip() for ln in header_zone(text, lines=6).splitlines() if ln.strip()]
    titles = [ln for ln in head if ln.isupper() and len(ln) > 6]
    named = next((ln for ln in titles if _RECORD_WORD.search(ln)), None)
    return named or (titles[0] if titles else head[0] if head else "")


def _first_sentence(text: str) -> str:
    text = re.sub(r"^\s*(?:\d{1,2}[.)]|-)\s*", "", text)
    block = text.split("\n\n")[0]
    joined = " ".join(block.split())
    m = re.search(r"(?<=[a-z0-9)])\.\s", joined)
    return joined[: m.start() + 1] if m else joined


def _clip(s: str) -> str:
    s = " ".join(s.split())
    return s if len(s) <= _LIMIT else s[: _LIMIT - 1].rstrip() + "…"


def build(documents: Sequence[Document], facts: Sequence[Fact]) -> tuple[Entry, ...]:
    entries = [
        Entry(d.date, d.kind, d.provider, d.summary, d.file, d.first_page)
        for d in documents
        if d.live and d.date is not None
    ]
    covered = {(d.file, d.date) for d in documents if d.fhir}
    for f in facts:
        if f.date is None:
            continue
        if f.kind == "encounter" and (f.file, f.date) in covered:
            continue  # the note of that visit is already in the chronology
        label = {
            "encounter": "Visit",
            "procedure": "Procedure",
            "condition": "Diagnosis",
            "diagnostic_report": "Report",
        }.get(f.kind, f.kind.title())
        code = f" ({f.code})" if f.code and f.kind == "condition" else ""
        entries.append(
            Entry(f.date, f.kind, f.provider, _clip(f"{label}: {f.text}{code}"), f.file, 1)
        )
    entries.sort(key=lambda e: (e.date, e.file, e.page))
    return tuple(entries)
