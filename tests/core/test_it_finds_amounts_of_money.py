"""Amounts of money, which tell a bill from a note: found only where cents are written, with
the answers of searching the whole text for the amount pattern."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from medreview.core.records.billing import _AMOUNT, count_service_lines, has_amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Total charges $125.00", True),
        ("99213  1  95.00", True),
        ("Tramadol 50 mg, ibuprofen 7.5 mg", False),
        ("Diagnosis M54.16, L4-5 disc", False),  # a code's decimals are not money
        ("ID 1234567.00", False),  # too many digits for an amount
        ("x125.00", False),
    ],
)
def test_it_tells_money_from_doses_and_codes(text: str, expected: bool) -> None:
    assert has_amount(text) is expected


def test_it_counts_no_service_lines_on_a_page_without_money() -> None:
    assert count_service_lines("05/20/2026 99213 office visit, level 3") == 0
    assert count_service_lines("05/20/2026 99213 office visit 1 $95.00") == 1


def test_it_answers_as_a_search_of_the_whole_text() -> None:
    rng = random.Random(7)
    texts = [
        "".join(rng.choice("0123456789.$ aZ-\n") for _ in range(rng.randint(1, 30)))
        for _ in range(5000)
    ]
    assert [has_amount(t) for t in texts] == [bool(_AMOUNT.search(t)) for t in texts]


def test_it_answers_as_a_search_of_the_whole_text_on_real_transcriptions(
    shared_dir: Path,
) -> None:
    with (shared_dir / "data" / "mtsamples" / "mtsamples.csv").open(newline="") as f:
        texts = [r["transcription"] for r in csv.DictReader(f)]
    assert [has_amount(t) for t in texts] == [bool(_AMOUNT.search(t)) for t in texts]
