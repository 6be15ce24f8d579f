"""Benchmark: document kinds on every note of the MTSamples categories that map to a kind.

MTSamples (../shared/data/mtsamples/mtsamples.csv, CC0) files each transcription under a
category (`medical_specialty`) and a name (`sample_name`). The kind a note truly is comes from
the map below: its category's kind, unless the note's own name says it is another kind (a rule
of its category, stated once: never a list of particular notes). Categories that mix kinds
beyond what the names tell are left out, with the reason. A transcription filed under several
included categories is measured once; if its categories (and names) give it different kinds,
the source contradicts itself and it is counted apart, not measured. A transcription of fewer
than `MIN_WORDS` words (a heading whose text was lost) has nothing to read and is counted apart
too.

Printed: accuracy per kind and overall, the confusion matrix (true kind x predicted kind), the
notes per category (filed, measured, counted apart), and the total time `classify_kind` takes
over the measured notes (best of three runs). Goal: at least 90% overall. Without ../shared
the benchmark is skipped (passed, saying so).
"""

from __future__ import annotations

import csv
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.measure import Outcome, skipped, table

MTSAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "mtsamples" / "mtsamples.csv"
GOAL = 0.90
MIN_WORDS = 20

# Name rules: the kind a note's own name states. Each category below applies the ones that
# fit what it holds, in its own order (the first that matches decides).
THERAPY = re.compile(r"\b(physical|occupational|speech) therapy\b|\bchiropractic\b(?! IME)", re.I)
DISCHARGE = re.compile(r"\b(discharge|death|transfer) summary\b", re.I)
EMERGENCY = re.compile(r"\bER (visit|report)\b|\bemergency visit\b|\burgent care visit\b", re.I)
CONSULT = re.compile(r"\bconsult(ation)?\b|\bsecond opinion\b", re.I)
FOLLOW_UP = re.compile(r"\bfollow-?up\b", re.I)
# Studies interpreted: electrodiagnosis, EEG, echocardiography, cardiac stress testing (with
# or without nuclear imaging), sleep studies.
STUDY = re.compile(
    r"\bEMG\b|\bnerve conduction\b|\bEEG\b|\belectroencephalogra|\belectronystagmogra|"
    r"\bechocardiogra|\b2-D (doppler|echo)|\bstress (test|report)\b|\bnuclear cardiac\b|"
    r"\bperfusion (imaging|scan|study)\b|"
    r"\bmyoview\b|\bmayoview\b|\b(adenosine|lexiscan) nuclear\b|\bholter\b|\bpolysomno",
    re.I,
)
# Procedures: interventional radiology (biopsy, catheter angiography, placement, ablation,
# injection, drainage) and procedures done in the emergency room.
PROCEDURE = re.compile(
    r"\bbiops|\bplacement\b|\bcatheter\b|\bcath\b|(?<!CT )(?<!CT-)\b(angiogra(m|phy)|arteriogra)|"
    r"\bthermocoagulation\b|\bablation\b|\bbrachytherapy\b|\binjection\b|\bparacentesis\b|"
    r"\bdiscogram\b|\binfusion\b|\blaparoscop|ectomy\b|\badministration\b|\bbronchoscopy\b|"
    r"\binsertion\b",
    re.I,
)
# Radiation oncology's statements of why a treatment takes more physician time (simulation,
# IMRT, hyperfractionation, brachytherapy): a treatment's justification, none of the clinical kinds.
RADIATION = re.compile(
    r"\bradiation therapy\b|\bsimulation\b|\bhyperfractionation\b|\bchemoradiotherapy\b|"
    r"\bbrachytherapy\b",
    re.I,
)
RECORDS_REVIEW = re.compile(r"^records review\b", re.I)
INSTRUCTIONS = re.compile(r"\binstructions\b", re.I)


@dataclass(frozen=True)
class Category:
    """A category's kind, why, and the rules by which a note's own name says another kind."""

    kind: str
    reason: str
    named: tuple[tuple[re.Pattern[str], str], ...] = ()
    leave_out: re.Pattern[str] | None = None  # on the text: a form that is none of the kinds
    leave_out_reason: str = ""


# In the order a note filed under several categories is reported under.
CATEGORIES: dict[str, Category] = {
    "Surgery": Category(
        "operative_report",
        "operative and procedure notes (endoscopy, catheterisation, deliveries, bedside "
        "procedures); a note named a consultation or a study is that",
        ((CONSULT, "consult_report"), (STUDY, "diagnostic_report")),
    ),
    "Radiology": Category(
        "imaging_report",
        "reports of imaging studies; a note named a study interpreted (EMG/NCS, EEG, echo, "
        "stress test) is a diagnostic_report, a radiation-oncology treatment statement other, "
        "one named an interventional procedure an operative_report",
        ((STUDY, "diagnostic_report"), (RADIATION, "other"), (PROCEDURE, "operative_report")),
        leave_out=re.compile(r"\A\s*CC\s*:"),
        leave_out_reason=(
            "neurology teaching cases (CC, HX, EXAM, COURSE: the history, examination and "
            "course, named by the study that showed the lesion), filed under Neurology too: "
            "case histories, not reports"
        ),
    ),
    "Discharge Summary": Category(
        "discharge_summary",
        "hospital discharge, death and transfer summaries; a therapy discharge is a "
        "therapy_note, an ER report an emergency_record",
        ((THERAPY, "therapy_note"), (EMERGENCY, "emergency_record")),
    ),
    "Emergency Room Reports": Category(
        "emergency_record",
        "emergency department visits; a note named a consultation, a discharge summary, a "
        "follow-up or a procedure is that",
        (
            (CONSULT, "consult_report"),
            (DISCHARGE, "discharge_summary"),
            (FOLLOW_UP, "progress_note"),
            (PROCEDURE, "operative_report"),
        ),
    ),
    "SOAP / Chart / Progress Notes": Category(
        "progress_note",
        "follow-up and office visits of the treating physician (SOAP, chart and progress "
        "notes); a therapy note or a consultation (second opinion, dietary) is that",
        ((THERAPY, "therapy_note"), (CONSULT, "consult_report")),
    ),
    "Office Notes": Category(
        "progress_note",
        "office visits and the normal examination and review-of-systems templates of one; "
        "patient instructions are other",
        ((INSTRUCTIONS, "other"), (CONSULT, "consult_report")),
    ),
    "Lab Medicine - Pathology": Category("diagnostic_report", "pathology and laboratory reports"),
    "Physical Medicine - Rehab": Category(
        "therapy_note",
        "physical, occupational and recreational therapy; its EMG/NCS studies are "
        "diagnostic_report, its rehabilitation consultations consult_report",
        ((STUDY, "diagnostic_report"), (CONSULT, "consult_report")),
    ),
    "Speech - Language": Category(
        "therapy_note", "speech therapy evaluations, swallow evaluations and discharges"
    ),
    "IME-QME-Work Comp etc.": Category(
        "ime_report",
        "independent and qualified medical evaluations (its 'Occupational Medicine Consult' "
        "notes are IMEs answering the carrier's questions); a records review is a "
        "peer_review_report",
        ((RECORDS_REVIEW, "peer_review_report"),),
    ),
}

LEFT_OUT: dict[str, str] = {
    "Consult - History and Phy.": (
        "consultations (218 of its 516 notes are named so, many never mentioning a request) "
        "beside admission H&Ps, office visits (its 54 'Gen Med Consult' notes), ER visits, "
        "well-child checks and exam templates: the name cannot sort the rest"
    ),
    "Sleep Medicine": "EEGs and sleep studies beside sleep-clinic visits named by complaint",
    "Chiropractic": "IMEs, QMEs, consultations, an MRI and chiropractic evaluations",
    "Letters": "letters to physicians and patients: consultations, follow-ups, results",
    "Autopsy": "autopsy reports: none of the 13 kinds",
    "the specialties": (
        "Cardiovascular / Pulmonary, Orthopedic, Neurology and the other specialty categories "
        "hold every kind of note of their specialty"
    ),
}


@dataclass
class Note:
    name: str
    text: str
    categories: list[str] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)


@dataclass
class Measure:
    notes: list[Note]  # measured: one kind each
    filed: Counter[str]  # category -> rows filed under it (included categories)
    measured: Counter[str]  # category -> notes measured, under their first category
    apart: dict[str, Counter[str]]  # reason -> category -> notes counted apart


def kind_of(category: Category, name: str) -> str:
    for pattern, kind in category.named:
        if pattern.search(name):
            return kind
    return category.kind


def load(path: Path = MTSAMPLES) -> Measure:
    """The notes of the included categories, each with the kind the map gives it."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_text: dict[str, Note] = {}
    filed: Counter[str] = Counter()
    apart: dict[str, Counter[str]] = {}
    for row in rows:
        name, text = row["sample_name"].strip(), row["transcription"]
        category_name = row["medical_specialty"].strip()
        category = CATEGORIES.get(category_name)
        if category is None:
            continue
        filed[category_name] += 1
        if len(text.split()) < MIN_WORDS:
            apart.setdefault("no text", Counter())[category_name] += 1
            continue
        if category.leave_out is not None and category.leave_out.search(text):
            apart.setdefault(category.leave_out_reason, Counter())[category_name] += 1
            continue
        note = by_text.setdefault(text.strip(), Note(name, text))
        note.categories.append(category_name)
        note.kinds.add(kind_of(category, name))
    order = list(CATEGORIES)
    measured: Counter[str] = Counter()
    notes = []
    for note in by_text.values():
        note.categories.sort(key=order.index)
        if len(note.kinds) > 1:
            reason = "filed under categories of different kinds"
            apart.setdefault(reason, Counter())[note.categories[0]] += 1
            continue
        measured[note.categories[0]] += 1
        notes.append(note)
    return Measure(notes, filed, measured, apart)


@dataclass
class Result:
    truth: list[str]
    predicted: list[str]
    seconds: float

    @property
    def overall(self) -> float:
        right = sum(t == p for t, p in zip(self.truth, self.predicted, strict=True))
        return right / len(self.truth)

    def per_kind(self) -> dict[str, tuple[int, int]]:
        """kind -> (right, notes)."""
        out: dict[str, tuple[int, int]] = {}
        for t, p in zip(self.truth, self.predicted, strict=True):
            right, total = out.get(t, (0, 0))
            out[t] = (right + (t == p), total + 1)
        return out

    def confusions(self) -> Counter[tuple[str, str]]:
        return Counter(zip(self.truth, self.predicted, strict=True))


def classify(notes: Sequence[Note], runs: int = 3) -> Result:
    """`classify_kind` on every note as the pipeline calls it; the best of `runs` timings."""
    from medreview.core.records.billing import count_service_lines
    from medreview.core.records.classify import classify_kind

    best = float("inf")
    predicted: list[str] = []
    for _ in range(runs):
        start = time.perf_counter()
        predicted = [
            classify_kind(n.text, billing_lines=count_service_lines(n.text)).kind for n in notes
        ]
        best = min(best, time.perf_counter() - start)
    return Result([next(iter(n.kinds)) for n in notes], predicted, best)


def run(quick: bool) -> Outcome:
    if not MTSAMPLES.is_file():
        return skipped("kinds", f">= {GOAL:.0%} overall", MTSAMPLES)
    measure = load()
    result = classify(measure.notes, runs=1 if quick else 3)
    print(report(measure, result))
    rows = [
        ("notes measured", f"{len(measure.notes):,}"),
        ("overall accuracy", f"{result.overall:.1%}"),
        ("classify_kind, all notes", f"{result.seconds * 1000:,.0f} ms"),
        ("classify_kind, per note", f"{result.seconds * 1e6 / len(measure.notes):,.0f} us"),
    ]
    return Outcome(
        name="kinds",
        figure=f"{result.overall:.1%} of {len(measure.notes):,} notes",
        goal=f">= {GOAL:.0%} overall",
        passed=result.overall >= GOAL,
        rows=rows,
    )


def report(measure: Measure, result: Result) -> str:
    """The tables: notes per category, accuracy per kind, the confusion matrix."""
    reasons = list(measure.apart)
    rows = [
        (
            name,
            category.kind,
            str(measure.filed[name]),
            str(measure.measured[name]),
            *(str(measure.apart[r].get(name, 0)) for r in reasons),
        )
        for name, category in CATEGORIES.items()
    ]
    headers = (
        "category",
        "kind",
        "filed",
        "measured",
        *(f"apart {i + 1}" for i in range(len(reasons))),
    )
    parts = [table(headers, rows)]
    parts.append(
        "  measured: distinct transcriptions, each under the first of its categories above"
    )
    parts += [f"  apart {i + 1}: {reason}" for i, reason in enumerate(reasons)]
    parts.append("categories left out:")
    parts += [f"  {name}: {reason}" for name, reason in LEFT_OUT.items()]
    per_kind = result.per_kind()
    kind_rows = [
        (kind, f"{right}/{total}", f"{right / total:.1%}")
        for kind, (right, total) in sorted(per_kind.items(), key=lambda kv: -kv[1][1])
    ]
    right = sum(r for r, _ in per_kind.values())
    kind_rows.append(("overall", f"{right}/{len(result.truth)}", f"{result.overall:.1%}"))
    parts += [
        "",
        table(("true kind", "right", "accuracy"), kind_rows),
        "",
        confusion_matrix(result),
    ]
    return "\n".join(parts)


ABBREVIATIONS = {
    "progress_note": "prog",
    "consult_report": "cons",
    "imaging_report": "img",
    "diagnostic_report": "diag",
    "operative_report": "op",
    "therapy_note": "ther",
    "fce_report": "fce",
    "emergency_record": "er",
    "discharge_summary": "disch",
    "ime_report": "ime",
    "peer_review_report": "peer",
    "billing": "bill",
    "other": "other",
}


def confusion_matrix(result: Result) -> str:
    """Rows: the true kind; columns: the kind predicted (abbreviated); cells: notes."""
    from medreview.core.records.classify import KINDS

    confusions = result.confusions()
    true_kinds = [k for k in KINDS if any(t == k for t in result.truth)]
    predicted = [k for k in KINDS if any(p == k for p in result.predicted)]
    rows = [(t, *(str(confusions.get((t, p), "")) or "." for p in predicted)) for t in true_kinds]
    return "true \\ predicted\n" + table(("", *(ABBREVIATIONS[p] for p in predicted)), rows)
