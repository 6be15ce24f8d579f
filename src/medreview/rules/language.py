"""Reading clinical language as a clinician would: what a note orders, cites, plans or rules out.

Studies, surgeries, specialist referrals, functional capacity evaluations and releases from
care are found with medspaCy's target matcher (vocabulary in `data/clinical_terms.toml`), and
whether each is negated, hedged, ordered or done comes from medspaCy's ConText: its default
rules ("no MRI is indicated") plus the project's own (`data/context_rules.json`: "will consider
EMG if symptoms persist", "patient declined surgery", "options reviewed ... versus ...").

Only sentences that name a target go through spaCy, and each distinct sentence is read once:
a 5,000-page packet costs a regular-expression pass plus a few thousand short sentences.
"""

from __future__ import annotations

import json
import logging
import re
import tomllib
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from medreview.rules.dates import find_dates
from medreview.rules.text import sentences, unflatten

CATEGORIES = ("study", "fce", "surgery", "referral", "release", "opinion")


@dataclass(frozen=True)
class Mention:
    """One thing a record says about a study, surgery, referral, FCE or release from care."""

    category: str  # study | fce | surgery | referral | release | opinion
    subtype: str  # modality, surgery family, specialty family, "fce", "release"
    status: str  # negated | hypothetical | done | ordered | mentioned
    page: int
    phrase: str
    sentence: str
    date: date | None
    body_parts: frozenset[str]
    historical: bool = False
    doctor: str | None = None  # referral: the named physician's surname


@dataclass(frozen=True)
class _Found:
    category: str
    subtype: str
    status: str
    phrase: str
    start: int
    end: int
    historical: bool
    target: str


@lru_cache(maxsize=1)
def terms() -> dict[str, Any]:
    raw = resources.files("medreview.data").joinpath("clinical_terms.toml").read_text()
    return tomllib.loads(raw)


def _compile(patterns: dict[str, str]) -> dict[str, re.Pattern[str]]:
    return {name: re.compile(p, re.IGNORECASE) for name, p in patterns.items()}


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, dict[str, re.Pattern[str]]]:
    t = terms()
    return {
        "study": _compile(t["study"]),
        "fce": _compile(t["fce"]),
        "surgery": _compile(t["surgery"]),
        "referral": _compile(t["referral"]),
        "release": _compile(t["release"]),
        "opinion": _compile(t["opinion"]),
        "specialty": _compile(t["specialty"]),
        "not_specialist": _compile(t["not_specialist"]),
        "body_part": _compile(t["body_part"]),
    }


@lru_cache(maxsize=1)
def _prefilter() -> re.Pattern[str]:
    v = vocabulary()
    parts = [p.pattern for cat in CATEGORIES for p in v[cat].values()]
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


@lru_cache(maxsize=1)
def _nlp() -> Any:
    # spaCy and PyRuSH log and warn at import; a case run must not print them.
    logging.getLogger("spacy").setLevel(logging.ERROR)
    try:
        from loguru import logger

        logger.disable("PyRuSH")
    except ImportError:  # pragma: no cover - loguru comes with PyRuSH
        pass
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import medspacy
        from medspacy.context import ConTextRule
        from medspacy.ner import TargetRule

        nlp = medspacy.load(medspacy_enable=["medspacy_target_matcher", "medspacy_context"])
    nlp.add_pipe("sentencizer", first=True)
    matcher = nlp.get_pipe("medspacy_target_matcher")
    v = vocabulary()
    rules = []
    for category in CATEGORIES:
        for subtype, pattern in v[category].items():
            rules.append(TargetRule(subtype, category.upper(), pattern=pattern.pattern))
    matcher.add(rules)
    context = nlp.get_pipe("medspacy_context")
    path = resources.files("medreview.data").joinpath("context_rules.json")
    data = json.loads(path.read_text())
    context.add([ConTextRule.from_dict(r) for r in data["context_rules"]])
    return nlp


def warm_up() -> None:
    """Load the language pipeline now (about a second) rather than on the first record."""
    _nlp()


def find_mentions(pages: Iterable[tuple[int, str]]) -> tuple[Mention, ...]:
    """Every study, surgery, referral, FCE and release the pages mention, with its status."""
    prefilter = _prefilter()
    candidates: list[tuple[int, str]] = []
    for number, text in pages:
        text = unflatten(text)
        for start, end in sentences(text):
            sentence = " ".join(text[start:end].split())
            if prefilter.search(sentence):
                candidates.append((number, sentence))
    if not candidates:
        return ()
    _analyse_batch([s for _, s in candidates])
    mentions = []
    for number, sentence in candidates:
        for found in _analyse(sentence):
            mentions.append(_mention(found, number, sentence))
    return tuple(mentions)


def _analyse_batch(texts: list[str]) -> None:
    todo = [t for t in dict.fromkeys(texts) if t not in _cache]
    if not todo:
        return
    nlp = _nlp()
    with warnings.catch_warnings():
        # medspaCy's empty token matcher warns (W036) on every document it is not given rules for.
        warnings.simplefilter("ignore")
        for text, doc in zip(todo, nlp.pipe(todo, batch_size=256), strict=True):
            _cache[text] = _read_doc(doc)
    if len(_cache) > 100_000:
        _cache.clear()


_cache: dict[str, tuple[_Found, ...]] = {}


def _analyse(sentence: str) -> tuple[_Found, ...]:
    if sentence not in _cache:
        _analyse_batch([sentence])
    return _cache[sentence]


def _read_doc(doc: Any) -> tuple[_Found, ...]:
    found = []
    for ent in doc.ents:
        categories = {m.category for m in ent._.modifiers}
        category = ent.label_.lower()
        found.append(
            _Found(
                category=category,
                subtype=ent._.literal,
                status=_status(category, _nearest(ent)),
                phrase=ent.text,
                start=ent.start_char,
                end=ent.end_char,
                historical="HISTORICAL" in categories,
                target=doc.text[ent.start_char : ent.end_char],
            )
        )
    return tuple(found)


_DECISIVE = ("NEGATED_EXISTENCE", "HYPOTHETICAL", "POSSIBLE_EXISTENCE", "DONE", "RESULT", "ORDERED")


def _nearest(ent: Any) -> set[str]:
    """The categories of the modifiers nearest the target.

    When a sentence carries conflicting modifiers ("Radiographs ... obtained: no fracture"),
    the one closest to the target is the one that speaks of it.
    """
    by_distance: dict[int, set[str]] = {}
    for m in ent._.modifiers:
        if m.category not in _DECISIVE:
            continue
        start, end = m.modifier_span
        distance = (
            start - ent.end if start >= ent.end else ent.start - end if end <= ent.start else 0
        )
        by_distance.setdefault(distance, set()).add(m.category)
    if not by_distance:
        return set()
    return by_distance[min(by_distance)]


def _status(category: str, modifiers: set[str]) -> str:
    if "NEGATED_EXISTENCE" in modifiers:
        return "negated"
    if "HYPOTHETICAL" in modifiers or "POSSIBLE_EXISTENCE" in modifiers:
        return "hypothetical"
    if category == "surgery":
        # "surgery is scheduled", "she reports surgery is planned": planned, not done.
        if "ORDERED" in modifiers:
            return "ordered"
        return "done" if "DONE" in modifiers else "mentioned"
    if "DONE" in modifiers or "RESULT" in modifiers:
        return "done"
    if "ORDERED" in modifiers:
        return "ordered"
    return "mentioned"


_DOCTOR = re.compile(r"\bDr\.?\s+(?:[A-Z][a-z]+\s+)?(?P<surname>[A-Z][A-Za-z'-]+)")


def _mention(found: _Found, page: int, sentence: str) -> Mention:
    mentioned_date = _date_near(sentence, found.start, found.end)
    status = found.status
    if status == "mentioned" and found.category in ("study", "fce") and mentioned_date is not None:
        # "(MRI 04/20/2026)": a study cited with its date has been done.
        status = "done"
    subtype = found.subtype
    doctor = None
    if found.category == "referral":
        subtype, doctor = _referral_target(found.target)
    return Mention(
        category=found.category,
        subtype=subtype,
        status=status,
        page=page,
        phrase=found.phrase,
        sentence=sentence,
        date=mentioned_date,
        body_parts=body_parts(sentence),
        historical=found.historical,
        doctor=doctor,
    )


def _date_near(sentence: str, start: int, end: int) -> date | None:
    """The date written right after a mention ("MRI of 05/28/2026"), or just before it."""
    best: tuple[int, date] | None = None
    for d in find_dates(sentence):
        if d.start >= end:
            distance = d.start - end
            if distance <= 60 and (best is None or distance < best[0]):
                best = (distance, d.value)
        elif d.end <= start:
            distance = start - d.end
            if distance <= 25 and (best is None or distance < best[0]):
                best = (distance, d.value)
    return best[1] if best else None


def _referral_target(target: str) -> tuple[str, str | None]:
    """The specialty family a referral sends to ("" when it is not a physician specialist)."""
    v = vocabulary()
    doctor_match = _DOCTOR.search(target)
    doctor = doctor_match.group("surname") if doctor_match else None
    for family, pattern in v["specialty"].items():
        if pattern.search(target):
            return family, doctor
    if doctor:
        return "named_physician", doctor
    return "", None


def is_therapy_target(text: str) -> bool:
    return any(p.search(text) for p in vocabulary()["not_specialist"].values())


@lru_cache(maxsize=20_000)
def body_parts(text: str) -> frozenset[str]:
    """The body regions a text names."""
    return frozenset(name for name, p in vocabulary()["body_part"].items() if p.search(text))


def specialties(text: str) -> frozenset[str]:
    """The specialty families a text names."""
    return frozenset(name for name, p in vocabulary()["specialty"].items() if p.search(text))


def expand_regions(parts: Iterable[str]) -> frozenset[str]:
    """Regions with the broad ones ("upper extremity", "spine") opened into what they hold."""
    groups: dict[str, list[str]] = terms()["region_groups"]
    out: set[str] = set()
    for part in parts:
        key = part.lower().replace(" ", "_")
        out.update(groups.get(key, [key]))
    return frozenset(out)
