"""Many patterns searched together (core.records.patterns, Hyperscan as a prefilter) give exactly the
answers of Python's own `re`, with or without Hyperscan, on every pattern of the rules."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from medreview.core.records import patterns
from medreview.core.records.classify import _cues
from medreview.core.records.dates import DATE_RE
from medreview.core.records.language import CATEGORIES, vocabulary
from medreview.core.records.patterns import PatternSet
from medreview.core.records.text import unflatten

ROOT = Path(__file__).resolve().parents[2]


def rule_patterns() -> list[re.Pattern[str]]:
    found = [cue.regex for cue in _cues()[0]]
    v = vocabulary()
    return [
        *found,
        *(p for group in (*CATEGORIES, "specialty", "body_part") for p in v[group].values()),
        DATE_RE,
    ]


def assert_same_answers(pattern_set: PatternSet, texts: list[str]) -> None:
    for text in texts:
        plain = sorted(
            (m.start(), m.end(), i)
            for i, r in enumerate(pattern_set.regexes)
            for m in r.finditer(text)
        )
        assert sorted(pattern_set.finditer(text)) == plain, text[:80]
        expected = {i for i, r in enumerate(pattern_set.regexes) if r.search(text)}
        assert pattern_set.matching(text) == expected, text[:80]


def project_texts() -> list[str]:
    return [
        unflatten(p.read_text(errors="replace")) for p in sorted((ROOT / "examples").rglob("*.txt"))
    ]


def test_hyperscan_is_there_to_make_it_fast() -> None:
    assert PatternSet(rule_patterns())._db is not None


def test_it_changes_no_answer_on_the_projects_records() -> None:
    texts = project_texts()
    assert len(texts) > 20
    assert_same_answers(PatternSet(rule_patterns()), texts)


def test_without_hyperscan_it_gives_the_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "_hs", None)
    pattern_set = PatternSet(rule_patterns())
    assert pattern_set._db is None
    assert_same_answers(pattern_set, project_texts()[:10])


def test_a_pattern_hyperscan_cannot_take_is_still_searched() -> None:
    # A backreference is beyond Hyperscan, even as a prefilter.
    pattern_set = PatternSet([re.compile(r"\b(\w+) \1\b"), re.compile(r"\bknee\b", re.I)])
    assert pattern_set.matching("the the KNEE") == {0, 1}
    assert pattern_set.matching("the knee") == {1}


def test_most_patterns_are_compiled_exactly() -> None:
    pattern_set = PatternSet(rule_patterns())
    assert len(pattern_set._exact) > 0.9 * len(pattern_set.regexes)


def test_non_ascii_text_gives_the_same_answers() -> None:
    # Accents, curly quotes, a no-break space, a Kelvin sign, and the separators Python's
    # `\s` matches and Hyperscan's does not.
    texts = [
        "ÓBJECTIVE: objective findings",
        "Seen by Dr. José Núñez, MD on 05/20/2026 for the right\xa0knee. Caf\u00e9 \u212aNEE",
        "MRI of the lumbar\x1cspine dated May\u00a020, 2026 \u2019s; l\u00e9ft shoulder",
        "Pain 8/10\u2014worse with lifting; ROM 90\u00b0; drop\ufffearm test negative.",
    ]
    assert_same_answers(PatternSet(rule_patterns()), texts + [unflatten(t) for t in texts])


def test_it_changes_no_answer_on_real_transcriptions(shared_dir: Path) -> None:
    with (shared_dir / "data" / "mtsamples" / "mtsamples.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    texts = [unflatten(r["transcription"]) for r in rows[::10] if r["transcription"].strip()]
    assert_same_answers(PatternSet(rule_patterns()), texts)
