"""Building small case folders for tests: a referral.json and records, in a temporary folder."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

from medreview.core.case.pipeline import CaseResult, triage_folder
from medreview.core.case.triage_json import to_json

TODAY = date(2026, 11, 23)

REFERRAL: dict[str, Any] = {
    "claim": {
        "number": "WC-TEST-0001",
        "line_of_business": "workers_comp",
        "jurisdiction": "CA",
        "date_of_injury": "2026-03-02",
        "body_parts": ["right knee"],
    },
    "claimant": {"name": "Test Claimant", "zip": "94110", "language": "en"},
    "treating_providers": [
        {
            "name": "Maren Holt, MD",
            "specialty": "Orthopaedic Surgery",
            "group": "Bayline Orthopedics",
        },
        {"name": "Owen Price, PT, DPT", "specialty": "Physical Therapist", "group": "Harbor PT"},
    ],
    "questions": [
        {"id": "q1", "type": "medical_necessity", "text": "Is further physical therapy necessary?"}
    ],
    "received": "2026-06-01",
    "due": "2026-07-10",
}


def referral(**changes: Any) -> dict[str, Any]:
    """The base referral with top-level keys replaced; `claim`/`claimant` dicts are merged."""
    data = copy.deepcopy(REFERRAL)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key].update(value)
        else:
            data[key] = value
    return data


def write_case(
    root: Path, referral_data: dict[str, Any] | str, records: dict[str, str | bytes]
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    text = referral_data if isinstance(referral_data, str) else json.dumps(referral_data, indent=2)
    (root / "referral.json").write_text(text)
    for name, content in records.items():
        path = root / "records" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


def run(root: Path) -> CaseResult:
    return triage_folder(root, today=TODAY)


def run_json(root: Path) -> dict[str, Any]:
    return to_json(run(root))


def gaps_of(result: CaseResult) -> set[tuple[str, str | None, int | None]]:
    return {(g.kind, g.file, g.page) for g in result.gaps}


def note(
    kind_title: str, day: str, author: str, body: str, facility: str = "BAYLINE ORTHOPEDICS"
) -> str:
    """A plain-text clinical note with a header, a date of service and a signature."""
    return (
        f"{facility}\n100 Test Street, San Francisco, CA 94110\n\n{kind_title}\n"
        f"Patient: Test Claimant   Claim: WC-TEST-0001\nDate of service: {day}   Provider: {author}\n\n"
        f"{body}\n\n{author}\n"
    )


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


def medreview(home: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`medreview ARGS` as a user runs it: a process of its own, with its own MEDREVIEW_HOME."""
    env = {**os.environ, "MEDREVIEW_HOME": str(home)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)  # each test home has its own SQLite database
    return subprocess.run(
        [sys.executable, "-m", "medreview.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
