"""The documentation-gap audit (docs/rules.md, "Gap kinds"), each gap citing the page that
revealed it.

What reveals each gap is read from `data/clinical_terms.toml` (studies, surgeries, referrals,
releases) and `data/cpt_services.csv` (billed services). Orders and citations come
from `language.find_mentions`, read as a clinician reads them: negated and hedged mentions
("no MRI is indicated", "will consider EMG") order nothing; a report present under any file
name answers its order; a study or surgery dated before the injury belongs to another story.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from medreview.core.reading.model import Fact
from medreview.core.records.billing import (
    CLINICAL_EXCLUDED,
    documents_service,
    merge_bill_lines,
    provider_matches,
)
from medreview.core.records.classify import (
    TREATING_EVALUATION_KINDS,
    TREATMENT_KINDS,
    same_provider,
)
from medreview.core.records.language import Mention, expand_regions, read_mentions
from medreview.core.records.model import Document, Gap
from medreview.core.referral import BillLine, ReferralData
from medreview.core.thresholds import Thresholds

ACTIVE = frozenset({"ordered", "done"})
REPORT_KINDS = {
    "mri": "imaging_report",
    "ct": "imaging_report",
    "xray": "imaging_report",
    "ultrasound": "imaging_report",
    "bone_scan": "imaging_report",
    "emg_ncs": "diagnostic_report",
    "labs": "diagnostic_report",
}
STUDY_NAMES = {
    "mri": "MRI",
    "ct": "CT",
    "xray": "radiographs",
    "ultrasound": "ultrasound",
    "bone_scan": "bone scan",
    "emg_ncs": "EMG/NCS",
    "labs": "laboratory studies",
}
# Reports never order their own study; bills and forms do not order anything.
NO_ORDERS_IN = frozenset({"imaging_report", "diagnostic_report", "billing", "other", "fce_report"})
# A referral is answered by the specialist's own evaluation or surgery.
ANSWERS_REFERRAL = frozenset(
    {"consult_report", "progress_note", "operative_report", "emergency_record"}
)
SPECIALTY_KIN = {
    "orthopedics": {"orthopedics", "hand_surgery", "spine_surgery"},
    "hand_surgery": {"hand_surgery", "orthopedics", "plastic_surgery"},
    "spine_surgery": {"spine_surgery", "orthopedics", "neurosurgery"},
    "neurosurgery": {"neurosurgery", "spine_surgery"},
    "pain_management": {"pain_management", "physiatry"},
    "physiatry": {"physiatry", "pain_management"},
    "podiatry": {"podiatry", "orthopedics"},
}
DOCUMENT_WINDOW = timedelta(days=7)
SURGERY_WINDOW = timedelta(days=3)


@dataclass(frozen=True)
class _Cited:
    mention: Mention
    doc: Document


def audit(
    documents: Sequence[Document],
    facts: Sequence[Fact],
    referral: ReferralData,
    settings: Thresholds,
) -> tuple[Gap, ...]:
    """Every documentation gap in the records, in the order of docs/rules.md, "Gap kinds"."""
    live = [d for d in documents if d.live]
    # What the rules below read with ConText, read at once: one batch (shared out among the
    # worker processes of a large case) rather than one per rule.
    read_mentions(
        c.mention
        for c in (
            *_unanswered_studies(live, referral),
            *_unanswered_surgeries(live, referral),
            *_unanswered_referrals(live),
            *_candidates(live, "fce"),
        )
    )
    gaps: list[Gap] = []
    if not any(d.kind in TREATING_EVALUATION_KINDS for d in live):
        gaps.append(
            Gap(
                "no_treating_evaluation",
                "No evaluation by a treating physician (progress note, consult report, emergency "
                "record or discharge summary) is in the records.",
                None,
                None,
            )
        )
    gaps += missing_reports(live, referral)
    gaps += missing_operative_reports(live, referral)
    gaps += missing_consult_reports(live)
    gaps += missing_fce(live)
    gaps += treatment_gaps(live, facts, referral, settings)
    gaps += undocumented_billed_services(live, referral)
    return tuple(gaps)


def may_ask(document: Document) -> list[Mention]:
    """The mentions of one document whose status the audit may ask ConText for, known before
    the other documents are (a superset of what it asks: whether a report answers a study
    depends on them all); a case that reads them ahead reads little in vain."""
    if not document.live or document.kind in NO_ORDERS_IN:
        return []
    return [
        m
        for m in document.mentions
        if m.category in ("study", "surgery", "fce") or (m.category == "referral" and m.subtype)
        if not (m.subtype == "labs" and document.kind in ("emergency_record", "discharge_summary"))
    ]


def _candidates(docs: Iterable[Document], category: str) -> list[_Cited]:
    """The mentions of a category in documents that can order or cite, in date order, unread."""
    found = [
        _Cited(m, d)
        for d in docs
        if d.kind not in NO_ORDERS_IN
        for m in d.mentions
        if m.category == category
    ]
    found.sort(key=lambda c: (c.doc.date or date.max, c.doc.name, c.mention.page))
    return found


def _read(cited: list[_Cited]) -> list[_Cited]:
    """The same mentions with their status read (ConText runs only here, on what matters)."""
    read = read_mentions(c.mention for c in cited)
    return [_Cited(m, c.doc) for m, c in zip(read, cited, strict=True)]


def _before_injury(mention: Mention, referral: ReferralData) -> bool:
    return (
        referral.date_of_injury is not None
        and mention.date is not None
        and mention.date < referral.date_of_injury
    )


def _regions_meet(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return True
    return bool(expand_regions(a) & expand_regions(b))


# --- studies ---------------------------------------------------------------------------------


def missing_reports(docs: Sequence[Document], referral: ReferralData) -> list[Gap]:
    """missing_diagnostic_report: a study ordered or cited whose report is not in the records."""
    reports = _Reports(docs)
    groups: list[tuple[str, frozenset[str], _Cited]] = []
    for cited in _read(_unanswered_studies(docs, referral)):
        m = cited.mention
        if m.status not in ACTIVE or (m.historical and m.status == "done" and m.date is None):
            continue
        if _report_present(m, m.status, cited.doc, reports):
            continue
        if any(s == m.subtype and _regions_meet(parts, m.body_parts) for s, parts, _ in groups):
            continue
        groups.append((m.subtype, m.body_parts, cited))
    gaps = []
    for subtype, _, cited in groups:
        m, doc = cited.mention, cited.doc
        what = STUDY_NAMES.get(subtype, subtype)
        verb = "ordered" if m.status == "ordered" else "cited"
        when = f" of {m.date.isoformat()}" if m.date else ""
        gaps.append(
            Gap(
                "missing_diagnostic_report",
                f"{what}{when} {verb} in {_describe(doc)} ({_quote(m.sentence)}), "
                f"and no {what} report is in the records.",
                doc.file,
                m.page,
            )
        )
    return gaps


def _unanswered_studies(docs: Sequence[Document], referral: ReferralData) -> list[_Cited]:
    """Studies ordered or cited whose report may be missing, depending on how they are said."""
    reports = _Reports(docs)
    return [
        c
        for c in _candidates(docs, "study")
        if not _before_injury(c.mention, referral)
        # hospital records carry their own laboratory results
        and not (
            c.mention.subtype == "labs" and c.doc.kind in ("emergency_record", "discharge_summary")
        )
        and not all(_report_present(c.mention, status, c.doc, reports) for status in ACTIVE)
    ]


class _Reports:
    """The records' imaging and diagnostic reports, looked up by the study they may answer
    (each study's list and each report's regions worked out once per audit)."""

    def __init__(self, docs: Sequence[Document]) -> None:
        self._docs = [d for d in docs if d.kind in ("imaging_report", "diagnostic_report")]
        self._by_study: dict[str, list[tuple[Document, frozenset[str]]]] = {}

    def answering(self, subtype: str) -> list[tuple[Document, frozenset[str]]]:
        found = self._by_study.get(subtype)
        if found is None:
            kind = REPORT_KINDS.get(subtype, "imaging_report")
            found = [
                (d, expand_regions(d.body_parts))
                for d in self._docs
                if d.kind == kind and (not d.studies or subtype in d.studies)
            ]
            self._by_study[subtype] = found
        return found


def _report_present(m: Mention, status: str, doc: Document, reports: _Reports) -> bool:
    regions = expand_regions(m.body_parts) if m.body_parts else None
    for report, report_regions in reports.answering(m.subtype):
        # Regions meet when either side names none, or their regions overlap (_regions_meet).
        if regions is not None and report.body_parts and not report_regions & regions:
            continue
        if report.date is None:
            return True
        if m.date is not None:
            if abs(report.date - m.date) <= DOCUMENT_WINDOW:
                return True
            continue
        if status == "ordered":
            if doc.date is None or report.date >= doc.date - timedelta(days=1):
                return True
        elif doc.date is None or report.date <= doc.date + timedelta(days=1):
            return True
    return False


# --- surgeries -------------------------------------------------------------------------------


def missing_operative_reports(docs: Sequence[Document], referral: ReferralData) -> list[Gap]:
    """missing_operative_report: a surgery documented as done whose operative report is absent."""
    seen: list[tuple[date | None, frozenset[str], str]] = []
    gaps = []
    for cited in _read(_unanswered_surgeries(docs, referral)):
        m = cited.mention
        if m.status != "done" or (m.date is None and m.historical):
            continue
        if any(_same_surgery(m, d, parts, s) for d, parts, s in seen):
            continue
        seen.append((m.date, m.body_parts, m.subtype))
        when = f" on {m.date.isoformat()}" if m.date else ""
        gaps.append(
            Gap(
                "missing_operative_report",
                f"{_describe(cited.doc)} documents surgery{when} ({_quote(m.sentence)}), "
                "and no operative report is in the records.",
                cited.doc.file,
                m.page,
            )
        )
    return gaps


def _unanswered_surgeries(docs: Sequence[Document], referral: ReferralData) -> list[_Cited]:
    """Surgeries mentioned whose operative report is absent, if they were done."""
    operative = [d for d in docs if d.kind == "operative_report"]
    claim_regions = frozenset(
        region for part in referral.body_parts for region in _regions_of_phrase(part)
    )
    return [
        c
        for c in _candidates(docs, "surgery")
        if c.doc.kind != "operative_report"
        and not _before_injury(c.mention, referral)
        # a surgery of another part of the body is not this claim's
        and not (
            claim_regions
            and c.mention.body_parts
            and not _regions_meet(c.mention.body_parts, claim_regions)
        )
        and not _operative_report_present(c.mention, operative)
    ]


def _regions_of_phrase(phrase: str) -> frozenset[str]:
    from medreview.core.records.language import body_parts

    named = body_parts(phrase)
    return expand_regions(named) if named else expand_regions([phrase])


def _same_surgery(m: Mention, when: date | None, parts: frozenset[str], subtype: str) -> bool:
    if m.date is not None and when is not None:
        return abs(m.date - when) <= SURGERY_WINDOW
    return subtype == m.subtype or _regions_meet(parts, m.body_parts)


def _operative_report_present(m: Mention, operative: Sequence[Document]) -> bool:
    for report in operative:
        if m.date is None or report.date is None or abs(report.date - m.date) <= SURGERY_WINDOW:
            return True
    return False


# --- consults --------------------------------------------------------------------------------


def _unanswered_referrals(docs: Sequence[Document]) -> list[_Cited]:
    answering = [d for d in docs if d.kind in ANSWERS_REFERRAL]
    return [
        c
        for c in _candidates(docs, "referral")
        if c.mention.subtype and not _referral_answered(c.mention, c.doc, answering)
    ]


def missing_consult_reports(docs: Sequence[Document]) -> list[Gap]:
    """missing_consult_report: a referral to a specialist followed by no note of that specialty."""
    gaps = []
    seen: set[str] = set()
    for cited in _read(_unanswered_referrals(docs)):
        m = cited.mention
        # "Referral to neurosurgery." needs no verb: the referral is the order.
        if m.status in ("negated", "hypothetical"):
            continue
        key = m.subtype if m.subtype != "named_physician" else f"dr:{m.doctor}"
        if key in seen:
            continue
        seen.add(key)
        to = m.subtype.replace("_", " ") if m.subtype != "named_physician" else f"Dr. {m.doctor}"
        gaps.append(
            Gap(
                "missing_consult_report",
                f"{_describe(cited.doc)} refers the claimant to {to} ({_quote(m.sentence)}), and no "
                f"note from {to} follows in the records.",
                cited.doc.file,
                m.page,
            )
        )
    return gaps


def _referral_answered(m: Mention, source: Document, docs: Sequence[Document]) -> bool:
    wanted = SPECIALTY_KIN.get(m.subtype, {m.subtype})
    for doc in docs:
        if doc.name == source.name or doc.kind not in ANSWERS_REFERRAL:
            continue
        if doc.date is not None and source.date is not None and doc.date < source.date:
            continue
        if m.doctor and doc.provider and same_provider(doc.provider, m.doctor):
            return True
        if doc.specialties & wanted:
            return True
    return False


# --- functional capacity evaluations ---------------------------------------------------------


def missing_fce(docs: Sequence[Document]) -> list[Gap]:
    """missing_fce: a functional capacity evaluation ordered or cited, with no FCE report."""
    if any(d.kind == "fce_report" for d in docs):
        return []
    for cited in _read(_candidates(docs, "fce")):
        m = cited.mention
        if m.status not in ACTIVE:
            continue
        verb = "ordered" if m.status == "ordered" else "cited"
        when = f" of {m.date.isoformat()}" if m.date else ""
        return [
            Gap(
                "missing_fce",
                f"A functional capacity evaluation{when} is {verb} in {_describe(cited.doc)} "
                f"({_quote(m.sentence)}), and no FCE report is in the records.",
                cited.doc.file,
                m.page,
            )
        ]
    return []


# --- treatment gaps --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Visit:
    day: date
    file: str
    page: int
    label: str


def treatment_gaps(
    docs: Sequence[Document], facts: Sequence[Fact], referral: ReferralData, settings: Thresholds
) -> list[Gap]:
    """treatment_gap: more than N days between consecutive treatment documents, unless released."""
    visits = _visits(docs, facts, referral)
    limit = settings.treatment_gap_days
    gaps = []
    for before, after in pairwise(visits):
        days = (after.day - before.day).days
        if days <= limit:
            continue
        release = _release_between(docs, before.day, after.day)
        if release is not None:
            continue
        gaps.append(
            Gap(
                "treatment_gap",
                f"{days} days without treatment between {before.day.isoformat()} ({before.label}) and "
                f"{after.day.isoformat()} ({after.label}), more than {limit}, with no release from "
                "care in between.",
                after.file,
                after.page,
            )
        )
    return gaps


def _visits(
    docs: Sequence[Document], facts: Sequence[Fact], referral: ReferralData
) -> list[_Visit]:
    by_day: dict[date, _Visit] = {}
    for doc in sorted(docs, key=lambda d: (d.fhir, d.name)):
        if doc.kind in TREATMENT_KINDS and doc.date is not None:
            by_day.setdefault(doc.date, _Visit(doc.date, doc.file, doc.first_page, _describe(doc)))
    for fact in facts:
        if fact.kind == "encounter" and fact.date is not None:
            by_day.setdefault(
                fact.date, _Visit(fact.date, fact.file, 1, f"encounter in {fact.file}")
            )
    start = referral.date_of_injury
    return sorted(
        (v for v in by_day.values() if start is None or v.day >= start), key=lambda v: v.day
    )


def _release_between(docs: Sequence[Document], start: date, end: date) -> Mention | None:
    releases = [
        m
        for doc in docs
        if doc.date is not None and start <= doc.date < end
        for m in doc.mentions
        if m.category == "release"
    ]
    return next(
        (m for m in read_mentions(releases) if m.status not in ("negated", "hypothetical")), None
    )


# --- billed services -------------------------------------------------------------------------


def undocumented_billed_services(docs: Sequence[Document], referral: ReferralData) -> list[Gap]:
    """undocumented_billed_service: a billed line no clinical record of its date documents."""
    lines = merge_bill_lines(referral.bills, docs)
    clinical: dict[date, list[Document]] = defaultdict(list)
    for d in docs:
        if d.kind not in CLINICAL_EXCLUDED and d.date is not None:
            clinical[d.date].append(d)
    billing_docs = [d for d in docs if d.kind == "billing"]
    missing: dict[tuple[date, str, str | None, int | None], list[BillLine]] = {}
    for line in lines:
        same_day = [d for d in clinical.get(line.date, ()) if provider_matches(line.provider, d)]
        if any(documents_service(line, d) for d in same_day):
            continue
        file, page = line.file, line.page
        if file is None:
            file, page = _bill_listing(line, billing_docs)
        reason = (
            "a record of that date does not document it" if same_day else "no record of that date"
        )
        missing.setdefault((line.date, reason, file, page), []).append(line)
    gaps = []
    for (day, reason, file, page), group in missing.items():
        codes = ", ".join(sorted({g.code for g in group}))
        who = next((g.provider for g in group if g.provider), None)
        by = f" by {who}" if who else ""
        gaps.append(
            Gap(
                "undocumented_billed_service",
                f"Billed {codes} on {day.isoformat()}{by}: {reason} documents the service.",
                file if file is not None else "referral.json",
                page if page is not None else 1,
            )
        )
    return gaps


def _bill_listing(
    line: BillLine, billing_docs: Sequence[Document]
) -> tuple[str | None, int | None]:
    """The billing page that lists a referral's line by its date, if a bill in the records does."""
    stamp = (line.date.strftime("%m/%d/%Y"), line.date.isoformat())
    for doc in billing_docs:
        for number, text in _pages_of(doc):
            if any(s in text for s in stamp) and line.code.upper() in text.upper():
                return doc.file, number
    return None, None


def _pages_of(doc: Document) -> list[tuple[int, str]]:
    texts = doc.text.split("\f")
    return list(zip(doc.pages, texts, strict=False))


# --- wording ---------------------------------------------------------------------------------


def _describe(doc: Document) -> str:
    kind = doc.kind.replace("_", " ")
    when = f" of {doc.date.isoformat()}" if doc.date else ""
    return f"the {kind}{when} ({doc.name})"


def _quote(sentence: str, limit: int = 140) -> str:
    s = " ".join(sentence.split())
    return f'"{s[: limit - 1]}…"' if len(s) > limit else f'"{s}"'
