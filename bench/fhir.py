"""Benchmark: a FHIR bulk export's notes read (Synthea, ../shared/data/fhir).

Goal: the 1,215 DocumentReference notes of the ten-patient bulk export (one NDJSON file,
each note's text base64-encoded) read, decoded and typed in under 5 s: `read_fhir` as the
reader calls it, best of 3 runs (1 with --quick). Without ../shared the benchmark is skipped
(passed, saying so).
"""

from __future__ import annotations

from pathlib import Path

from bench.measure import Outcome, skipped, timed

EXPORT = (
    Path(__file__).resolve().parents[2]
    / "shared/data/fhir/synthea_bulk_10_patients/DocumentReference.000.ndjson"
)
GOAL_S = 5.0


def run(quick: bool) -> Outcome:
    if not EXPORT.is_file():
        return skipped("fhir", f"< {GOAL_S:.0f} s", EXPORT)
    from medreview.core.reading.fhir import read_fhir

    data = EXPORT.read_bytes()
    runs = [
        timed(lambda: read_fhir(data, "records/DocumentReference.000.ndjson", ndjson=True))
        for _ in range(1 if quick else 3)
    ]
    best = min(seconds for seconds, _ in runs)
    notes = len(runs[0][1].documents)
    return Outcome(
        name="fhir",
        figure=f"{notes:,} notes in {best:.2f} s",
        goal=f"< {GOAL_S:.0f} s",
        passed=best < GOAL_S,
        rows=[
            ("export", f"{len(data) / 1e6:,.1f} MB, {notes:,} notes"),
            ("read_fhir, best run", f"{best:.2f} s ({best * 1000 / notes:,.2f} ms a note)"),
        ],
    )
