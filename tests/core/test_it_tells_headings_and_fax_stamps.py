"""Fax stamps, page lines and heading lines: the forms fax machines print are recognised and
ordinary lines are not, and the fast checks give the answers of the plain patterns they
replace."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from medreview.core.records.duplicates import _PAGE_LINE, _is_page_line
from medreview.core.records.text import is_fax_header, is_title_line

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# The single pattern `is_fax_header` used before it tried each form only when its words are
# on the line: the reference its answers must equal.
_REFERENCE_FAX = re.compile(
    r"\bFROM\s*:|\bTO\s*:.*\bP\.?\s*\d+\s*/\s*\d+|^(?=.*\bfax\b)(?=.*\d{1,2}:\d\d)"
    r"|^\s*\d{1,2}/\d{1,2}/\d{2,4}\s+(?:[A-Z]{3}\s+)?\d{1,2}:\d\d\b.*\b\d{1,4}\s*/\s*\d{1,4}\s*$",
    re.I,
)


def reference_fax(line: str) -> bool:
    if len(line) > 200 or (":" not in line and "/" not in line):
        return False
    return bool(_REFERENCE_FAX.search(line))


def reference_title(line: str) -> bool:
    upper = sum(c.isupper() for c in line)
    letters = sum(c.isalpha() for c in line)
    if letters < 2:
        return False
    if upper / letters >= 0.6:
        return True
    words = line.split()
    return (
        len(words) <= 6
        and len(line) <= 48
        and ":" not in line
        and not any(c.isdigit() for c in line)
    )


@pytest.mark.parametrize(
    "line",
    [
        "07/08/2026 14:22 FROM: SOUTHSIDE ORTHOPAEDICS 417-555-0103 TO: CLAIMS P. 1/1",
        "07/08/2026 WED 14:22 FAX 4175550103 SOUTHSIDE ORTHOPAEDICS 002/003",
        "Received 07/08/2026 14:22 Page 3 of 9 Fax",
        "To: Claims Department   P. 3/9",
        "  7/8/26 14:22 Southside Ortho 1/4",
    ],
)
def test_it_recognises_the_stamps_fax_machines_print(line: str) -> None:
    assert is_fax_header(line)


@pytest.mark.parametrize(
    "line",
    [
        "Date of service: 05/20/2026",
        "Seen at 14:22 for follow-up of the low back.",
        "Pain 5/10, referred to physical therapy.",
        "He was transferred from the emergency department at 10:15.",
        "Fax: 417-555-0103",
    ],
)
def test_it_does_not_take_an_ordinary_line_for_a_stamp(line: str) -> None:
    assert not is_fax_header(line)


def _lines(texts: list[str]) -> list[str]:
    return [line for text in texts for line in text.splitlines()]


def _example_lines() -> list[str]:
    texts = [p.read_text() for p in EXAMPLES.rglob("*") if p.suffix in (".txt", ".md")]
    tricky = [
        "FROM\u00a0: x 1/2",
        " 2 / 5 ",
        "PAGE 3 OF 4",  # a no-break space where the pattern allows spaces
        "\u2003\u0663/4/2026 10:11 x 1/1",  # a Unicode space and an Arabic-Indic digit first
        "TO : claims p 12 / 40",
        "İSTANBUL FROM: clinic",
        "Ölçü ÇEŞME",
        "",
        "  ",
        "a",
    ]
    assert texts, "the examples hold text records"
    return _lines(texts) + tricky


def test_its_fast_checks_answer_as_the_plain_patterns_on_the_examples() -> None:
    lines = _example_lines()
    assert [is_fax_header(ln) for ln in lines] == [reference_fax(ln) for ln in lines]
    assert [is_title_line(ln) for ln in lines] == [reference_title(ln) for ln in lines]
    assert [_is_page_line(ln) for ln in lines] == [bool(_PAGE_LINE.search(ln)) for ln in lines]


def test_its_fast_checks_answer_as_the_plain_patterns_on_real_transcriptions(
    shared_dir: Path,
) -> None:
    with (shared_dir / "data" / "mtsamples" / "mtsamples.csv").open(newline="") as f:
        lines = _lines([r["transcription"].replace(",", "\n") for r in csv.DictReader(f)])
    assert len(lines) > 100_000
    assert [is_fax_header(ln) for ln in lines] == [reference_fax(ln) for ln in lines]
    assert [is_title_line(ln) for ln in lines] == [reference_title(ln) for ln in lines]
    assert [_is_page_line(ln) for ln in lines] == [bool(_PAGE_LINE.search(ln)) for ln in lines]
