"""The eight sample case folders of ../shared/samples give the results in their expected.json,
and every output is valid against contracts/triage-output.schema.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cases import TODAY
from jsonschema import Draft202012Validator, FormatChecker

from medreview.output import to_json
from medreview.pipeline import triage_folder

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
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


def compare(out: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """The differences a reviewer would care about, in words."""
    problems = []
    if out["path"] != expected["path"]:
        problems.append(f"path {out['path']} != {expected['path']}")
    routes = {q["id"]: q["route"] for q in out["questions"]}
    problems += [
        f"route {k}: {routes.get(k)} != {v}"
        for k, v in expected["routes"].items()
        if routes.get(k) != v
    ]
    got = {
        (g["kind"], (g["source"] or {}).get("file"), (g["source"] or {}).get("page"))
        for g in out["gaps"]
    }
    want = {(g["kind"], g["file"], g["page"]) for g in expected["gaps"]}
    problems += [f"extra gap {g}" for g in sorted(got - want, key=str)]
    problems += [f"missing gap {g}" for g in sorted(want - got, key=str)]
    docs = {}
    for d in out["documents"]:
        key = (
            d["file"]
            if "first_page" not in d
            else f"{d['file']}#pages={d['first_page']}-{d['last_page']}"
        )
        docs[key] = d
    for name, e in expected["documents"].items():
        d = docs.get(name)
        if d is None:
            problems.append(f"document {name} not listed")
            continue
        if d["kind"] != e["kind"]:
            problems.append(f"{name}: kind {d['kind']} != {e['kind']}")
        if e.get("date") is not None and d["date"] != e["date"]:
            problems.append(f"{name}: date {d['date']} != {e['date']}")
    for name in expected.get("errors", []):
        if not (docs.get(name) or {}).get("error"):
            problems.append(f"{name} not listed with an error")
    return problems


@pytest.mark.parametrize("case", CASES)
def test_it_gives_the_expected_results(case: str, schema: Draft202012Validator) -> None:
    folder = SAMPLES / case
    out = to_json(triage_folder(folder, today=TODAY))
    errors = [e.message for e in schema.iter_errors(out)]
    assert errors == [], errors
    assert compare(out, json.loads((folder / "expected.json").read_text())) == []


def test_there_are_samples_to_run(shared_dir_module: Path) -> None:
    assert len(CASES) >= 8
