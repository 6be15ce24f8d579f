"""What kind of record a document is, which day it is of, and who wrote it.

The kind comes from weighted cues kept as data (`data/document_kinds.toml`, DESIGN.md
section 4): a document's title and header weigh most, its sections and phrasing less, and a
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

from medreview.rules.keywords import Words, search, triggers, words_of
from medreview.rules.text import header_zone, is_title_line, unflatten

KINDS = (
    "progress_note",
    "consult_report",
    "imaging_report",
    "diagnostic_report",
    "operative_report",
    "therapy_note",
    "fce_report",
    "emergency_record",
    "discharge_summary",
    "ime_report",
    "peer_review_report",
    "billing",
    "other",
)
# Treatment documents for the treatment-gap rule (DESIGN.md section 4).
TREATMENT_KINDS = frozenset(
    {"progress_note", "consult_report", "therapy_note", "operative_report", "emergency_record",
     "discharge_summary"}
)  # fmt: skip
# A treating physician's evaluation (DESIGN.md section 3, rule 1).
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
    triggers: frozenset[str] | None


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
                triggers(item["pattern"]),
            )
        )
    return tuple(cues), int(raw["min_score"])


def classify_kind(
    text: str, *, billing_lines: int = 0, hint: str | None = None, words: Words | None = None
) -> KindDecision:
    """The document kind of a record's text; `hint` (a structured source's type) wins.

    `words` are the text's words if the caller has them already (a superset will do).
    """
    if hint in KINDS:
        return KindDecision(hint, 100, None)
    text = unflatten(text)
    head = header_zone(text)
    head_lower = head.lower()
    head_words = words_of(head_lower)
    cues, min_score = _cues()
    title_scores: dict[str, int] = defaultdict(int)
    for cue in cues:
        if (
            cue.title
            and head_words.any_of(cue.triggers)
            and search(cue.regex, head, head_lower, cue.triggers)
        ):
            for kind in cue.kinds:
                title_scores[kind] += cue.weight
    # Most records say what they are in their title and first lines: read further only when
    # the first page leaves two kinds close.
    ranked: list[tuple[str, int]] = []
    for limit in (FIRST_CHARS, BODY_CHARS):
        body = text[:limit]
        # The caller's words (the whole text's) are a superset: they only skip less.
        body_words = words if words is not None else words_of(body.lower())
        scores = _body_scores(cues, body, body.lower(), body_words, title_scores, billing_lines)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], KINDS.index(kv[0])))
        if len(text) <= limit or _decisive(ranked):
            break
    if not ranked or ranked[0][1] < min_score:
        top = ranked[0] if ranked else (None, 0)
        return KindDecision("other", top[1], top[0], tuple(ranked))
    runner_up = ranked[1][0] if len(ranked) > 1 else None
    return KindDecision(ranked[0][0], ranked[0][1], runner_up, tuple(ranked))


FIRST_CHARS = 1500
DECISIVE_SCORE = 16
DECISIVE_MARGIN = 9


def _decisive(ranked: list[tuple[str, int]]) -> bool:
    if not ranked or ranked[0][1] < DECISIVE_SCORE:
        return False
    return len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= DECISIVE_MARGIN


def _body_scores(
    cues: tuple[Cue, ...],
    body: str,
    lowered: str,
    words: Words,
    title_scores: dict[str, int],
    billing_lines: int,
) -> dict[str, int]:
    scores: dict[str, int] = defaultdict(int, title_scores)
    for cue in cues:
        if cue.title or not words.any_of(cue.triggers):
            continue
        if search(cue.regex, body, lowered, cue.triggers):
            for kind in cue.kinds:
                scores[kind] += cue.weight
    if billing_lines >= 2:
        scores["billing"] += 8 + billing_lines
    elif billing_lines == 1:
        scores["billing"] += 3
    return scores


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
_PROVIDER_LABEL = re.compile(
    r"(?<![A-Za-z])(?i:(?:(?:treating|attending|rendering|examining|consulting|primary treating|ED|ER|"
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
    scores: dict[str, int] = defaultdict(int)
    for cue in cues:
        if cue.title and cue.regex.search(head):
            for kind in cue.kinds:
                scores[kind] += cue.weight
    if not scores:
        return None, 0
    kind, score = max(scores.items(), key=lambda kv: kv[1])
    return kind, score
