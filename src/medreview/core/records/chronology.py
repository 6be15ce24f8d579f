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
    """One line for the chronology: the assessment or impression, else the document's title."""
    text = unflatten(text)
    for m in _SECTION.finditer(text):
        if m.group(0).strip().upper() in ("A:", "A,") and kind == "imaging_report":
            continue
        rest = text[m.end() :].strip()
        line = _first_sentence(rest)
        if len(line) > 8:
            return _clip(line)
    head = [ln.strip() for ln in header_zone(text, lines=4).splitlines() if ln.strip()]
    title = next((ln for ln in head if ln.isupper() and len(ln) > 6), head[0] if head else "")
    return _clip(title)


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
