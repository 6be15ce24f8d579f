"""What kind of record a document is, which day it is of, and who wrote it.

The kind comes from weighted cues kept as data (`data/document_kinds.toml`,
docs/rules.md, "Document kinds"): a document's title and header weigh most, its sections and phrasing less, and a
structured source's own type (a FHIR LOINC code) wins outright. The date of service comes from
`dates.service_date`; a bill's date is its single date of service, if it has only one.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from medreview.core.records.patterns import PatternSet
from medreview.core.records.text import header_zone, is_title_line, unflatten
from medreview.core.vocabulary import DOCUMENT_KINDS

KINDS = tuple(DOCUMENT_KINDS)
# Treatment documents for the treatment-gap rule (docs/rules.md, "Gap kinds").
TREATMENT_KINDS = frozenset(
    {"progress_note", "consult_report", "therapy_note", "operative_report", "emergency_record",
     "discharge_summary"}
)  # fmt: skip
# A treating physician's evaluation (docs/rules.md, "Triage paths", rule 1).
TREATING_EVALUATION_KINDS = frozenset(
    {"progress_note", "consult_report", "emergency_record", "discharge_summary"}
)
NON_CLINICAL_KINDS = frozenset({"billing", "other"})
BODY_CHARS = 6000


@dataclass(frozen=True)
class Cue:
    kinds: tuple[str, ...]
    title: bool
    weight: int
    regex: re.Pattern[str]


@dataclass(frozen=True)
class KindDecision:
    kind: str
    score: int
    runner_up: str | None
    scores: tuple[tuple[str, int], ...] = ()


@lru_cache(maxsize=1)
def _cues() -> tuple[tuple[Cue, ...], int]:
    raw = tomllib.loads(
        resources.files("medreview.data").joinpath("document_kinds.toml").read_text()
    )
    cues = []
    for item in raw["cue"]:
        kinds = tuple(item["kind"]) if isinstance(item["kind"], list) else (item["kind"],)
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise ValueError(f"document_kinds.toml: unknown kind {unknown[0]!r}")
        flags = re.MULTILINE if item.get("case") else re.IGNORECASE | re.MULTILINE
        cues.append(
            Cue(
                kinds,
                item["zone"] == "title",
                int(item["weight"]),
                re.compile(item["pattern"], flags),
            )
        )
    return tuple(cues), int(raw["min_score"])


def classify_kind(text: str, *, billing_lines: int = 0, hint: str | None = None) -> KindDecision:
    """The document kind of a record's text; `hint` (a structured source's type) wins."""
    if hint in KINDS:
        return KindDecision(hint, 100, None)
    text = unflatten(text)
    cues, min_score = _cues()
    titles, bodies = _cue_sets()
    scores: dict[str, int] = defaultdict(int)
    for zone, (indexes, patterns) in ((title_zone(text), titles), (text[:BODY_CHARS], bodies)):
        for i in patterns.matching(zone):
            cue = cues[indexes[i]]
            for kind in cue.kinds:
                scores[kind] += cue.weight
    if billing_lines >= 2:
        scores["billing"] += 8 + billing_lines
    elif billing_lines == 1:
        scores["billing"] += 3
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], KINDS.index(kv[0])))
    if not ranked or ranked[0][1] < min_score:
        top = ranked[0] if ranked else (None, 0)
        return KindDecision("other", top[1], top[0], tuple(ranked))
    runner_up = ranked[1][0] if len(ranked) > 1 else None
    return KindDecision(ranked[0][0], ranked[0][1], runner_up, tuple(ranked))


CueSet = tuple[tuple[int, ...], PatternSet]

# A run of lower-case words is a sentence, not a heading: "admitted to the emergency room by".
_PROSE = re.compile(r"[a-z][a-z,']* [a-z][a-z,']* [a-z][a-z,']* [a-z][a-z,']*")
_LABEL = re.compile(r"^[^:\n]{1,60}:")
# Why the document was made is not what it is: "REASON FOR EXAM: abnormal stress test".
_REASON_LABEL = re.compile(
    r"^\W*(reason for|indications?|clinical (history|indications?|information)|history|"
    r"chief complaint|diagnos[ie]s|pre-?operative|post-?operative)\b",
    re.IGNORECASE,
)


def title_zone(text: str) -> str:
    """The header zone without its prose: a line that runs into a sentence keeps only its
    label ("HOSPITAL COURSE:"), so that a word the body happens to use near the top ("was
    admitted through the emergency room") does not count as the document's title."""
    kept = []
    for line in header_zone(text).splitlines():
        label = _LABEL.match(line)
        if _PROSE.search(line) or (label is not None and _REASON_LABEL.match(line)):
            if label is None or _PROSE.search(label.group(0)):
                continue
            line = label.group(0)
        kept.append(line)
    return "\n".join(kept)


@lru_cache(maxsize=1)
def _cue_sets() -> tuple[CueSet, CueSet]:
    """The title cues and the body cues, each searched in one pass."""
    cues, _ = _cues()
    title = tuple(i for i, c in enumerate(cues) if c.title)
    body = tuple(i for i, c in enumerate(cues) if not c.title)
    return (
        (title, PatternSet([cues[i].regex for i in title])),
        (body, PatternSet([cues[i].regex for i in body])),
    )


# --- providers ---------------------------------------------------------------------------

CREDENTIALS = (
    r"M\.?D\.?|D\.?O\.?|MBBS|DPM|D\.?C\.?|PA-C|PA|NP|FNP(?:-C)?|APRN|CNP|PhD|Psy\.?D|"
    r"PT|DPT|MPT|MSPT|PTA|OTR/L|OTR|OTA|COTA|CHT|ATC|LAT|SLP|CCC-SLP|RN|FACS|FAAOS|FACP|MS|MPH"
)
# Names as written in signatures: capitalised words on one line ("Anand Prakash-Whitley, DO").
_NAME = (
    r"(?:Dr\.?[ \t]+)?[A-Z][a-z][A-Za-z'’-]*(?:[ \t]+[A-Z]\.)?(?:[ \t]+[A-Z][a-z][A-Za-z'’-]*){1,2}"
    rf"(?:,?[ \t]+(?:{CREDENTIALS})\b(?:,[ \t]*(?:{CREDENTIALS})\b)*)?"
)
# The label is matched in any case, the name only as names are written (capitalised).
# The lookahead names the letters a label can begin with: Python's engine then tries the
# pattern only there (several times faster over a page).
_PROVIDER_LABEL = re.compile(
    r"(?=[ACDEIPRSTacdeiprst])(?<![A-Za-z])(?i:(?:(?:treating|attending|rendering|examining|consulting|primary treating|ED|ER|"
    r"emergency)\s+)?(?:physician|provider|doctor|surgeon|therapist|clinician|consultant|examiner|"
    r"reviewer|attending|radiologist|chiropractor|interpreting physician|electronically signed by|"
    r"signed by|dictated and signed|dictated by|performed by|seen by))"
    rf"(?:\s*\([^)]*\))?(?:[ \t]*:[ \t]*|[ \t]+)(?P<name>{_NAME})",
)
_NOT_AUTHOR = re.compile(
    r"(?:referring|ordering|requesting|requested by|referred by|prescribing|primary care|pcp|"
    r"prescription|rx|copy to|cc)\s*(?:physician|provider|doctor)?\s*:?\s*$",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    rf"^\s*(?P<name>[A-Z][A-Za-z'’-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][A-Za-z'’-]+){{1,2}},\s*(?:{CREDENTIALS})\b(?:,\s*(?:{CREDENTIALS})\b)*)",
    re.MULTILINE,
)


def _clean_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" ,.-")
    return name


def _surname(name: str) -> str:
    core = re.split(r",", name)[0]
    words = [w for w in re.split(r"\s+", core) if w and not w.lower().startswith("dr")]
    return words[-1].lower() if words else ""


def extract_provider(text: str, known: tuple[str, ...] = ()) -> str | None:
    """Who wrote or performed the record: a labelled author, else the signature, else a known name.

    `known` are the treating providers of the referral: a name found that shares their
    surname is reported as the referral spells it.
    """
    text = unflatten(text)
    found: str | None = None
    for m in _PROVIDER_LABEL.finditer(text):
        before = text[max(0, m.start() - 30) : m.start()]
        if _NOT_AUTHOR.search(before):
            continue
        label = m.group(0)[: m.start("name") - m.start()].lower()
        if any(w in label for w in ("referr", "order", "request", "prescrib")):
            continue
        found = _clean_name(m.group("name"))
        break
    if found is None:
        signatures = _SIGNATURE.findall(text[-1500:])
        if signatures:
            found = _clean_name(signatures[-1])
    if found is not None:
        return _as_known(found, known)
    head = header_zone(text, lines=20, chars=1500).lower()
    for name in known:
        surname = _surname(name)
        if surname and len(surname) > 2 and surname in head:
            return name
    return None


def _as_known(name: str, known: tuple[str, ...]) -> str:
    surname = _surname(name)
    for candidate in known:
        if surname and _surname(candidate) == surname:
            return candidate
    return name


def same_provider(a: str | None, b: str | None) -> bool:
    """Whether two provider names are the same person (surnames compared)."""
    if not a or not b:
        return False
    return _surname(a) == _surname(b)


def surname(name: str) -> str:
    return _surname(name)


def single_date(dates: list[date]) -> date | None:
    distinct = set(dates)
    return next(iter(distinct)) if len(distinct) == 1 else None


def title_kind(text: str) -> tuple[str | None, int]:
    """The kind a page's own title announces, from title cues only (for splitting packets).

    Only title-like lines count: a page that begins mid-note with "MRI of 05/28 reviewed ..."
    is not a new imaging report, while "MRI RIGHT WRIST WITHOUT CONTRAST" is.
    """
    head = "\n".join(
        line
        for line in header_zone(unflatten(text), lines=6, chars=500).splitlines()
        if is_title_line(line)
    )
    cues, _ = _cues()
    (indexes, patterns), _ = _cue_sets()
    scores: dict[str, int] = defaultdict(int)
    for i in patterns.matching(head):
        for kind in cues[indexes[i]].kinds:
            scores[kind] += cues[indexes[i]].weight
    if not scores:
        return None, 0
    kind, score = max(scores.items(), key=lambda kv: kv[1])
    return kind, score
