"""Benchmark 7: the command line as a user runs it, every figure a whole process.

Goals (bench/README.md, issue 10): `medreview --help` in under 0.3 s; `medreview triage` of a
case of a few short records in under 1.5 s, imports included; the 600-page text PDF triaged
at least half as fast as bare pypdfium2 extracts its text, both sides a process of their own
(bare: a Python process that imports pypdfium2 and reads every page's text layer, as
`text_pdf.bare_extract` does; medreview: `medreview triage` on a case folder holding only
that PDF, on the machine's cores as a user runs it).

Each command runs once untimed (the operating system's file cache, and medreview's compiled
pattern cache on a new machine), then the commands run in turn, at least 3 times and until
each one's best run is confirmed by another within 5% (at most 8). A command's figure is its
best run; every run's range is printed too, as a shared machine only ever slows runs down.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench import inputs
from bench.measure import Outcome, enough_runs, steady

HELP_GOAL = 0.3
FEW_GOAL = 1.5
PDF_GOAL = 0.5
ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT.parent / "shared" / "samples" / "s01"
# Cases of a few short records without scanned pages: OCR takes its 2 s a page whatever
# else happens (the `ocr` benchmark), and "answers at once" is not about it.
EXAMPLES = ("e02_lumbar_exam_questions", "e05_knee_fhir_concurrent", "e08_concussion_bad_files")
# Bare pypdfium2 as its own process: the loop of `text_pdf.bare_extract`, with nothing else
# imported (the benchmark's own modules would weigh on the bare side).
BARE = """
import sys
import pypdfium2 as pdfium

pdf = pdfium.PdfDocument(sys.argv[1])
for index in range(len(pdf)):
    page = pdf[index]
    textpage = page.get_textpage()
    textpage.get_text_range()
    textpage.close()
    page.close()
pdf.close()
"""


def medreview() -> list[str]:
    """The `medreview` command of this environment, as a user types it."""
    script = Path(sys.executable).with_name("medreview")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "medreview"]


def wall(command: list[str]) -> float:
    """Seconds from starting the process to its exit; it must succeed."""
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-500:]}")
    return seconds


def measure(commands: dict[str, list[str]]) -> dict[str, list[float]]:
    """Every command timed in turn, until each one's best run is confirmed."""
    for command in commands.values():
        wall(command)
    runs: dict[str, list[float]] = {name: [] for name in commands}
    while not enough_runs(*runs.values()):
        for name, command in commands.items():
            runs[name].append(wall(command))
    return runs


def run(quick: bool) -> Outcome:
    pages = 120 if quick else 600
    folder = inputs.text_case(pages)
    few = {f"triage {SAMPLE.name}": SAMPLE} if SAMPLE.is_dir() else {}
    few.update({f"triage {name[:3]}": ROOT / "examples" / name for name in EXAMPLES})
    commands = {"medreview --help": [*medreview(), "--help"]}
    commands.update({name: [*medreview(), "triage", str(case)] for name, case in few.items()})
    commands["bare pypdfium2"] = [sys.executable, "-c", BARE, str(inputs.pdf_of(folder))]
    commands[f"triage {pages}-page PDF"] = [*medreview(), "triage", str(folder)]
    runs = measure(commands)

    best = {name: min(walls) for name, walls in runs.items()}
    help_ok = best["medreview --help"] < HELP_GOAL
    slowest_few = max(best[name] for name in few)
    few_ok = slowest_few < FEW_GOAL
    ratio = best["bare pypdfium2"] / best[f"triage {pages}-page PDF"]
    pdf_ok = ratio >= PDF_GOAL
    count = len(runs["medreview --help"])
    rows = [
        (f"{name} ({count} runs)", f"best {s(min(walls))}, slowest {s(max(walls))}")
        for name, walls in runs.items()
    ]
    rows += [
        ("--help against its goal", f"{s(best['medreview --help'])} (goal < {HELP_GOAL} s)"),
        (
            "few-record triage against its goal",
            f"slowest case's best {s(slowest_few)} (goal < {FEW_GOAL} s)",
        ),
        (
            f"{pages}-page PDF, speed ratio bare/medreview",
            f"{ratio:.3f}x (goal >= {PDF_GOAL}x; {pages / best[f'triage {pages}-page PDF']:,.0f}"
            " pages/s as a process)",
        ),
        ("processes a case may use (MEDREVIEW_CASE_PROCESSES)", _processes()),
    ]
    notes = []
    if not all(steady(walls) for walls in runs.values()):
        notes.append(
            f"no steady best run after {count} runs (the machine is busy): the figures are "
            "uncertain; run again when it is quiet"
        )
    if not SAMPLE.is_dir():
        notes.append(f"{SAMPLE} is not there: the few-record cases are the examples alone")
    return Outcome(
        name="cli",
        figure=(
            f"--help {s(best['medreview --help'])}, few records {s(slowest_few)}, "
            f"{pages} pages {ratio:.2f}x bare"
        ),
        goal=f"< {HELP_GOAL} s, < {FEW_GOAL} s, >= {PDF_GOAL}x",
        passed=help_ok and few_ok and pdf_ok,
        rows=rows,
        notes=notes,
    )


def s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _processes() -> str:
    from medreview.core.config import case_processes

    return str(case_processes(os.environ))
