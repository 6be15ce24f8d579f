"""From a case's records to its triage: read, split, classify, fold duplicates, audit, triage.

This is the one path every entry point takes (the command line, and the web application's
background tasks), so a case gives the same answer wherever it is run. It imports no
Django: it takes a `ReferralData` and files, and returns a `CaseResult` of frozen dataclasses.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from medreview.core.case.folder import load_referral_file, record_files
from medreview.core.case.processes import (
    PARALLEL_DOCUMENTS,
    PARALLEL_PAGES,
    pool,
    read_and_build,
    read_sentences,
)
from medreview.core.reading import Fact, SourceDocument, read_file
from medreview.core.reading.pdf import UnreadablePdf, page_count
from medreview.core.records import chronology, gaps, language
from medreview.core.records.billing import count_service_lines, read_bill_lines
from medreview.core.records.classify import classify_kind, extract_provider, single_date
from medreview.core.records.dates import filename_date, service_date
from medreview.core.records.duplicates import Comparable, find_duplicates, fingerprint
from medreview.core.records.heads import without_head
from medreview.core.records.model import Corrections, Document, Gap
from medreview.core.records.split import split_packet
from medreview.core.records.text import header_zone, unflatten
from medreview.core.referral import ReferralData
from medreview.core.thresholds import Thresholds
from medreview.core.triage.calendars import holidays_for
from medreview.core.triage.model import Triage
from medreview.core.triage.recommend import triage

# A report's own study is named in its header, before these sections cite earlier studies.
_REPORT_BODY = re.compile(
    r"^\s*(comparison|findings|technique|indication|clinical (history|indication)|history|impression)\b",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class CaseResult:
    referral: ReferralData
    documents: tuple[Document, ...]
    facts: tuple[Fact, ...]
    gaps: tuple[Gap, ...]
    triage: Triage
    chronology: tuple[chronology.Entry, ...]


def triage_folder(
    folder: Path,
    *,
    today: date,
    settings: Thresholds | None = None,
    ocr: bool = True,
    processes: int = 1,
) -> CaseResult:
    """Triage a case folder; raises `CaseFolderError` for a bad folder, never for a bad record."""
    referral = load_referral_file(folder, today=today)
    return analyse(
        referral,
        record_files(folder),
        settings=settings or Thresholds(),
        ocr=ocr,
        processes=processes,
    )


def analyse(
    referral: ReferralData,
    files: Iterable[tuple[Path, str]],
    *,
    settings: Thresholds,
    ocr: bool = True,
    processes: int = 1,
    corrections: Corrections | None = None,
) -> CaseResult:
    """The whole triage of a case; with `processes` > 1, large files use that many processes.
    People's `corrections` (kinds, dates, dismissed gaps) win over the engine's judgements."""
    corrections = corrections or Corrections()
    files = list(files)
    known = tuple(p.name for p in referral.providers)
    counts = _pdf_pages(files) if processes > 1 else {}
    large = len(files) >= 4 * PARALLEL_DOCUMENTS or any(
        n >= PARALLEL_PAGES for n in counts.values()
    )
    work = functools.partial(build_document, referral=referral, known=known)
    with pool(processes if large else 1) as executor:
        if executor is None:
            sources, facts = read_records(files, ocr=ocr)
            built = [work(s) for s in sources]
            _read_ahead(built)
        else:
            reader = functools.partial(read_one, ocr=ocr)
            built, facts = read_and_build(
                executor, files, work, reader, ocr=ocr, page_counts=counts, on_built=_read_ahead
            )
        documents = fold_duplicates(_corrected(built, corrections))
        # The gap audit and the triage read what they need with ConText, on the workers if any
        # (unless a helper process reads them already: `helper.context_in_a_helper`).
        with (
            language.reading_elsewhere(functools.partial(read_sentences, executor))
            if executor is not None and not language.reads_elsewhere()
            else contextlib.nullcontext()
        ):
            found = tuple(
                g
                for g in gaps.audit(documents, facts, referral, settings)
                if g.key not in corrections.dismissed_gaps
            )
            due = referral.due or referral.received
            holidays = holidays_for(referral.jurisdiction, referral.received.year, due.year)
            decision = triage(referral, documents, found, holidays, settings)
    return CaseResult(
        referral, documents, tuple(facts), found, decision, chronology.build(documents, facts)
    )


def _read_ahead(documents: Sequence[Document]) -> None:
    """The sentences the gap audit may ask ConText about, handed over as soon as their
    documents are built (where ConText reads in a helper process, it reads them meanwhile)."""
    language.read_ahead(m.sentence for d in documents for m in gaps.may_ask(d) if not m.read)


def _corrected(documents: Sequence[Document], corrections: Corrections) -> Sequence[Document]:
    if not corrections.kinds and not corrections.dates:
        return documents
    out = []
    for d in documents:
        if d.name in corrections.kinds:
            d = replace(d, kind=corrections.kinds[d.name])
        if d.name in corrections.dates:
            d = replace(d, date=corrections.dates[d.name])
        out.append(d)
    return out


def _pdf_pages(files: Sequence[tuple[Path, str]]) -> dict[Path, int]:
    """The page count of each readable PDF: a case is worth workers if one is a long packet."""
    counts = {}
    for path, _ in files:
        if path.suffix.lower() == ".pdf":
            try:
                counts[path] = page_count(path)
            except UnreadablePdf:
                continue  # the reader names the problem when it reads the file
    return counts


def read_records(
    files: Iterable[tuple[Path, str]], *, ocr: bool = True
) -> tuple[list[SourceDocument], list[Fact]]:
    sources: list[SourceDocument] = []
    facts: list[Fact] = []
    for path, name in files:
        found, found_facts = read_one(path, name, ocr=ocr)
        sources += found
        facts += found_facts
    return sources, facts


def read_one(path: Path, name: str, *, ocr: bool = True) -> tuple[list[SourceDocument], list[Fact]]:
    """One record file read: its documents (a packet split into its page ranges) and facts."""
    read = read_file(path, name, ocr=ocr)
    sources: list[SourceDocument] = []
    if not read.documents and not read.facts:
        sources.append(
            SourceDocument(name, name, (), error="no clinical document or fact in this file")
        )
    for doc in read.documents:
        sources.extend(split_packet(doc) if len(doc.pages) > 1 and "#" not in doc.name else (doc,))
    return sources, list(read.facts)


def build_document(
    src: SourceDocument, referral: ReferralData, known: tuple[str, ...] = ()
) -> Document:
    """Classify one document and find what it mentions (the gap audit reads, with ConText,
    the mentions it needs)."""
    page_numbers = tuple(p.number for p in src.pages)
    fhir = "#" in src.name and not src.name.split("#", 1)[1].startswith("pages=")
    if src.error is not None and not src.pages:
        return Document(
            src.name,
            src.file,
            "other",
            None,
            None,
            page_numbers or (1,),
            error=src.error,
            fhir=fhir,
        )
    text = "\f".join(p.text for p in src.pages)
    service_lines = count_service_lines(text)
    kind = classify_kind(without_head(text), billing_lines=service_lines, hint=src.hints.kind).kind
    bill_lines = (
        read_bill_lines([(p.number, p.text) for p in src.pages], src.file)
        if kind == "billing"
        else ()
    )
    if kind == "billing":
        day = single_date([b.date for b in bill_lines]) if bill_lines else service_date(text)
    else:
        day = src.hints.date or service_date(text, discharge=kind == "discharge_summary")
        if day is None and src.first_page is None and not fhir:
            day = filename_date(src.file)
    provider = src.hints.provider or extract_provider(text, known)
    mentions = (
        () if kind == "billing" else language.scan_mentions([(p.number, p.text) for p in src.pages])
    )
    head = header_zone(unflatten(text), lines=6, chars=600)
    specialties = language.specialties(head) | _provider_specialties(provider, referral)
    studies: frozenset[str] = frozenset()
    parts: frozenset[str] = frozenset()
    if kind in ("imaging_report", "diagnostic_report"):
        report_head = _report_header(text)
        studies = frozenset(
            name for name, p in language.vocabulary()["study"].items() if p.search(report_head)
        )
        parts = language.body_parts(report_head)
    return Document(
        name=src.name,
        file=src.file,
        kind=kind,
        date=day,
        provider=provider,
        pages=page_numbers,
        split=src.first_page is not None,
        error=src.error,
        ocr=src.ocr,
        summary=chronology.summarize(text, kind),
        mentions=mentions,
        specialties=specialties,
        studies=studies,
        body_parts=parts,
        bill_lines=bill_lines,
        fhir=fhir,
        text=text,
        fingerprint=fingerprint(text),
    )


def _report_header(text: str) -> str:
    head = header_zone(unflatten(text), lines=14, chars=1200)
    cut = _REPORT_BODY.search(head)
    return head[: cut.start()] if cut else head


def _provider_specialties(provider: str | None, referral: ReferralData) -> frozenset[str]:
    from medreview.core.records.classify import same_provider

    for p in referral.providers:
        if p.specialty and same_provider(provider, p.name):
            return language.specialties(p.specialty)
    return frozenset()


def fold_duplicates(documents: Sequence[Document]) -> tuple[Document, ...]:
    """Mark exact and near duplicates, which take the kind and date of the document they repeat."""
    candidates = [
        Comparable(d.name, d.text, d.date, d.ocr, d.file, d.first_page, d.fingerprint)
        for d in documents
        if d.error is None and d.text
    ]
    repeats = find_duplicates(candidates)
    by_name = {d.name: d for d in documents}
    out = []
    for d in documents:
        original = repeats.get(d.name)
        if original is None:
            out.append(d)
        else:
            o = by_name[original]
            out.append(
                replace(
                    d,
                    duplicate_of=original,
                    kind=o.kind,
                    date=o.date,
                    provider=o.provider or d.provider,
                )
            )
    return tuple(out)
