"""The eight sample case folders of ../shared/samples give the results in their expected.json,
and every output is valid against contracts/triage-output.schema.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cases import TODAY, compare
from jsonschema import Draft202012Validator, FormatChecker

from medreview.core.case.pipeline import triage_folder
from medreview.core.case.triage_json import to_json

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
CASES = (
    sorted(p.name for p in SAMPLES.glob("s*") if (p / "expected.json").is_file())
    if SAMPLES.is_dir()
    else []
)


@pytest.fixture(scope="module")
def schema(shared_dir_module: Path) -> Draft202012Validator:
    data = json.loads((shared_dir_module / "contracts" / "triage-output.schema.json").read_text())
    return Draft202012Validator(data, format_checker=FormatChecker())


@pytest.fixture(scope="module")
def shared_dir_module() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"../shared is not beside the project: {SAMPLES} does not exist")
    return SAMPLES.parent


@pytest.mark.parametrize("case", CASES)
def test_it_gives_the_expected_results(case: str, schema: Draft202012Validator) -> None:
    folder = SAMPLES / case
    out = to_json(triage_folder(folder, today=TODAY))
    errors = [e.message for e in schema.iter_errors(out)]
    assert errors == [], errors
    assert compare(out, json.loads((folder / "expected.json").read_text())) == []


def test_there_are_samples_to_run(shared_dir_module: Path) -> None:
    assert len(CASES) >= 8
