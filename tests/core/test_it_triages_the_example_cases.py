"""The project's own example cases (examples/, written independently of ../shared) give the
results in their expected.json, valid against the triage output schema shipped in the package."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from cases import TODAY, compare
from jsonschema import Draft202012Validator, FormatChecker

from medreview.core.case.pipeline import triage_folder
from medreview.core.case.triage_json import to_json

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CASES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "expected.json").is_file())
SCHEMA = Draft202012Validator(
    json.loads(resources.files("medreview.data").joinpath("triage-output.schema.json").read_text()),
    format_checker=FormatChecker(),
)


@pytest.mark.parametrize("case", CASES)
def test_it_gives_the_expected_results(case: str) -> None:
    out = to_json(triage_folder(EXAMPLES / case, today=TODAY))
    assert [e.message for e in SCHEMA.iter_errors(out)] == []
    assert compare(out, json.loads((EXAMPLES / case / "expected.json").read_text())) == []


def test_the_examples_cover_every_path_and_gap_kind() -> None:
    paths, gaps = set(), set()
    for case in CASES:
        expected = json.loads((EXAMPLES / case / "expected.json").read_text())
        paths.add(expected["path"])
        gaps.update(g["kind"] for g in expected["gaps"])
    assert paths == {"peer_review_first", "ime_first", "obtain_records_first", "concurrent"}
    assert len(gaps) == 7


def test_a_packet_is_split_and_its_refaxed_copy_points_back_to_the_original() -> None:
    out = to_json(triage_folder(EXAMPLES / "e06_wrist_records_packet", today=TODAY))
    parts = [d for d in out["documents"] if "first_page" in d]
    assert len(parts) >= 5
    copies = [d for d in parts if d["duplicate_of"]]
    assert len(copies) == 1
    original = next(
        d
        for d in parts
        if copies[0]["duplicate_of"].endswith(f"#pages={d['first_page']}-{d['last_page']}")
    )
    assert original["first_page"] < copies[0]["first_page"]
