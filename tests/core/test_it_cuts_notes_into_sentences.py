"""Sentences, the unit ConText reads: a note cut at its full stops and its line ends (not at
a wrapped line, "Dr." or an initial), and a mention's sentence found from the breaks near it
with the same answer as cutting the whole note."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from medreview.core.records.text import sentence_at, sentences

NOTE = (
    "ASSESSMENT: Lumbar strain, improving.\n"
    "PLAN: Dr. Patel recommends an MRI of the lumbar spine if the pain persists beyond\n"
    "six weeks of therapy and home exercise. No EMG is indicated.\n"
    "\n"
    "- Continue ibuprofen 600 mg.\n"
)


def _texts(spans: list[tuple[int, int]], text: str) -> list[str]:
    return [text[a:b] for a, b in spans]


def test_it_cuts_at_full_stops_and_headings_but_not_at_a_wrapped_line_or_a_title() -> None:
    assert _texts(sentences(NOTE), NOTE) == [
        "ASSESSMENT: Lumbar strain, improving.",
        "PLAN: Dr. Patel recommends an MRI of the lumbar spine if the pain persists beyond\n"
        "six weeks of therapy and home exercise.",
        "No EMG is indicated.",
        "- Continue ibuprofen 600 mg.",
    ]


def test_it_finds_a_mentions_sentence_from_the_breaks_near_it() -> None:
    at = NOTE.index("MRI")
    start, end = sentence_at(NOTE, at)
    assert NOTE[start:end].startswith("PLAN: Dr. Patel")
    assert NOTE[start:end].endswith("home exercise.")
    at = NOTE.index("EMG")
    assert NOTE[slice(*sentence_at(NOTE, at))] == "No EMG is indicated."


def _every_answer_agrees(texts: list[str], rng: random.Random) -> None:
    for text in texts:
        spans = sentences(text)
        for index in rng.sample(range(len(text)), min(30, len(text))):
            holding = [(a, b) for a, b in spans if a <= index < b]
            assert sentence_at(text, index) == (holding[0] if holding else (index, index + 1))


def test_it_finds_the_same_sentence_as_cutting_the_whole_note() -> None:
    rng = random.Random(5)
    pieces = [
        "Pain 5/10. ",
        "Dr. Lee",
        "\n",
        "\n\n",
        " ",
        "MRI ordered.",
        "PLAN:",
        "- item",
        "x" * 60,
    ]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 80))) for _ in range(400)]
    _every_answer_agrees([NOTE, *texts, "x" * 3000 + ". " + "y" * 3000], rng)


def test_it_finds_the_same_sentence_on_real_transcriptions(shared_dir: Path) -> None:
    from medreview.core.records.text import unflatten

    with (shared_dir / "data" / "mtsamples" / "mtsamples.csv").open(newline="") as f:
        texts = [unflatten(r["transcription"]) for r in csv.DictReader(f)][::4]
    _every_answer_agrees([t for t in texts if t], random.Random(6))
