"""``python -m bench [--quick] [--only NAME]``: run the benchmarks, print their tables and a
summary, and exit 1 if a goal is missed (naming it)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench import (
    assignment,
    claim_file,
    cli,
    fax_packets,
    fhir,
    load,
    memory,
    mtsamples_kinds,
    network,
    ocr,
    portal,
    report,
    slots,
    text_pdf,
    triage,
)
from bench.measure import Outcome, table

BENCHMARKS: dict[str, tuple[str, Callable[[bool], Outcome]]] = {
    "text-pdf": ("Text PDF pipeline vs bare pypdfium2", text_pdf.run),
    "memory": ("Peak memory, 1,000 and 5,000 pages", memory.run),
    "ocr": ("OCR overhead over bare rapidocr", ocr.run),
    "triage": ("Triage without records", triage.run),
    "assignment": ("Batch assignment, OR-Tools vs greedy", assignment.run),
    "network": ("Physician network: import, match in process and as a process", network.run),
    "kinds": ("Document kinds on every note of the MTSamples categories", mtsamples_kinds.run),
    "fhir": ("A FHIR bulk export's notes read", fhir.run),
    "cli": ("The command line as whole processes: --help, a few records, 600 pages", cli.run),
    "fax-packets": (
        "Fax packets of MTSamples notes: starts, kinds, dates, copies",
        fax_packets.run,
    ),
    "report": ("A review's report as a PDF: 20 questions, 200 citations", report.run),
    "portal": ("The physician's portal and the report, as requests", portal.run),
    "claim-file": ("The claim file of 600 pages of records, as a request", claim_file.run),
    "slots": ("The earliest lawful IME slots of 1,000 examiners' hours, as a request", slots.run),
    "load": ("Proof under load: serve on PostgreSQL, driven by locust; OCR by workers", load.run),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes (CI smoke test)")
    parser.add_argument("--only", choices=list(BENCHMARKS), help="run one benchmark")
    args = parser.parse_args(argv)
    names = [args.only] if args.only else list(BENCHMARKS)
    print(f"medreview {_commit()}; {os.cpu_count()} cores; {_load()}")
    outcomes = []
    for name in names:
        title, run = BENCHMARKS[name]
        print(f"\n== {name}: {title}{' (quick)' if args.quick else ''}", flush=True)
        started = time.perf_counter()
        outcome = run(args.quick)
        print(table(("measure", "value"), outcome.rows))
        for note in outcome.notes:
            print(f"note: {note}")
        print(f"({time.perf_counter() - started:.0f} s; {_load()})", flush=True)
        outcomes.append(outcome)
    print(f"\n== summary ({_load()})")
    print(
        table(
            ("benchmark", "figure", "goal", "result"),
            [(o.name, o.figure, o.goal, "pass" if o.passed else "FAIL") for o in outcomes],
        )
    )
    missed = [o.name for o in outcomes if not o.passed]
    if missed:
        print(f"\ngoal missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


def _commit() -> str:
    """The commit measured (and whether src/ differs from it), for the record."""
    try:
        git = ["git", "-C", str(Path(__file__).resolve().parent.parent)]
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run([*git, "diff", "--quiet", "HEAD", "--", "src"]).returncode != 0
    except (OSError, subprocess.CalledProcessError):
        return "(not a git checkout)"
    return f"at {head}{' + uncommitted changes in src/' if dirty else ''}"


def _load() -> str:
    """The load average: other processes on the machine skew every figure."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min)"


if __name__ == "__main__":
    sys.exit(main())
