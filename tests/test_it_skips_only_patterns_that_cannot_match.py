"""Trigger words and search windows (rules.keywords) only skip work: every pattern of the rules
finds exactly what a plain search finds, on the project's records and on real transcriptions."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from medreview.rules import keywords
from medreview.rules.classify import _cues
from medreview.rules.language import CATEGORIES, vocabulary
from medreview.rules.text import unflatten

ROOT = Path(__file__).resolve().parents[1]


def patterns() -> list[re.Pattern[str]]:
    found = [cue.regex for cue in _cues()[0]]
    v = vocabulary()
    found += [p for group in (*CATEGORIES, "specialty", "body_part") for p in v[group].values()]
    return found


def texts_of_the_project() -> list[str]:
    sources = sorted((ROOT / "examples").rglob("*.txt"))
    return [unflatten(p.read_text(errors="replace")) for p in sources]


def assert_same_answers(texts: list[str]) -> None:
    compiled = [(p, keywords.triggers(p.pattern)) for p in patterns()]
    for text in texts:
        lowered = text.lower()
        words = keywords.words_of(lowered)
        for regex, found in compiled:
            plain = [(m.start(), m.end()) for m in regex.finditer(text)]
            gated = keywords.finditer(regex, text, lowered, found) if words.any_of(found) else []
            assert sorted(set(gated)) == plain, (regex.pattern[:80], text[:80])
            assert keywords.search(regex, text, lowered, found) == bool(plain) or not words.any_of(
                found
            )


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # word beginnings, cut at 8 letters; "=" marks a whole word
        (r"\bimpression\s*:", {"impressi"}),
        (r"\b(is|is not|are not|not) medically necessary\b", {"medicall"}),  # the rarest word
        (r"\bestimated blood loss\b|\bebl\b", {"estimate", "=ebl"}),  # the parser's shared "e"
        (r"(^|,)\s*subjective\s*[:,-]", {"subjecti"}),
        (r"\b(micro)?discectomy\b", {"micro", "discecto"}),  # the optional word, or what follows
        (r"\b\d+ mg\b", {"=mg"}),
        (r"\bx-?rays?\b", {"x"}),
    ],
)
def test_it_derives_the_words_a_match_must_contain(pattern: str, expected: set[str]) -> None:
    assert keywords.triggers(pattern) == frozenset(expected)


def test_a_pattern_without_words_always_runs() -> None:
    assert keywords.triggers(r"\b\d+(\.\d+)?\b") is None
    assert keywords.words_of("anything").any_of(None)


def test_it_changes_no_answer_on_the_projects_records() -> None:
    texts = texts_of_the_project()
    assert len(texts) > 20
    assert_same_answers(texts)


def test_it_changes_no_answer_on_real_transcriptions(shared_dir: Path) -> None:
    with (shared_dir / "data" / "mtsamples" / "mtsamples.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert_same_answers(
        [unflatten(r["transcription"]) for r in rows[::5] if r["transcription"].strip()]
    )
