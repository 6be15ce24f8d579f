"""Benchmark 2: peak memory of the pipeline on 1,000- and 5,000-page packets.

Goal (bench/README.md): memory flat in the number of pages, a 5,000-page file in well
under 1 GB. Each size runs in a fresh child process (`bench.child`); its peak resident set is
read with `os.wait4`, which reports that child alone (RUSAGE_CHILDREN would keep the largest
child seen so far). Flat means the 5,000-page peak is not near 5 times the 1,000-page peak:
the goal is a ratio under 2 and a 5,000-page peak under 1 GiB. The per-page growth between
the two sizes, the growth above the baseline every run pays (imports and language model), and
the run times (pages/s at each size, which shows any worse-than-linear stage) are printed too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench import inputs
from bench.measure import Outcome

LIMIT_MIB = 1024
FLAT_RATIO = 2.0
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ChildRun:
    pages: int
    peak_mib: float
    baseline_mib: float
    documents: int
    seconds: float


def run_child(folder: Path) -> ChildRun:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.child", str(folder)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"bench.child failed on {folder} (exit {proc.returncode})")
    report = json.loads(out.decode().strip().splitlines()[-1])
    return ChildRun(
        pages=report["pages"],
        peak_mib=usage.ru_maxrss / 1024,  # KiB on Linux
        baseline_mib=report["baseline_kib"] / 1024,
        documents=report["documents"],
        seconds=report["seconds"],
    )


def run(quick: bool) -> Outcome:
    small_pages, large_pages = (200, 1000) if quick else (1000, 5000)
    small = run_child(inputs.text_case(small_pages))
    large = run_child(inputs.text_case(large_pages))
    ratio = large.peak_mib / small.peak_mib
    per_page = (large.peak_mib - small.peak_mib) * 1024 / (large.pages - small.pages)
    above = (large.peak_mib - large.baseline_mib) / max(1.0, small.peak_mib - small.baseline_mib)
    rows = []
    for r in (small, large):
        rows.append(
            (
                f"{r.pages:,} pages ({r.documents:,} documents)",
                f"peak {r.peak_mib:,.0f} MiB (baseline after warm-up {r.baseline_mib:,.0f} MiB), "
                f"{r.seconds:,.1f} s, {r.pages / r.seconds:,.0f} pages/s",
            )
        )
    rows += [
        (
            f"peak ratio {large_pages:,}/{small_pages:,} pages",
            f"{ratio:.2f}x (goal < {FLAT_RATIO}x)",
        ),
        ("growth between the two sizes", f"{per_page:,.1f} KiB per page"),
        (
            "above the warm-up baseline",
            f"{small.peak_mib - small.baseline_mib:,.0f} -> "
            f"{large.peak_mib - large.baseline_mib:,.0f} MiB ({above:.1f}x for "
            f"{large.pages / small.pages:.0f}x the pages)",
        ),
        (
            "time ratio (pages/s, large vs small)",
            f"{(large.pages / large.seconds) / (small.pages / small.seconds):.2f}x",
        ),
    ]
    passed = large.peak_mib < LIMIT_MIB and ratio < FLAT_RATIO
    notes = []
    if above > 0.6 * large.pages / small.pages:
        notes.append(
            "the memory above the baseline grows about in proportion to the pages: the total "
            f"stays under the goal only because the baseline ({large.baseline_mib:,.0f} MiB) "
            "is large"
        )
    return Outcome(
        name="memory",
        figure=f"{large.peak_mib:,.0f} MiB at {large_pages:,} pages, {ratio:.2f}x the {small_pages:,}-page peak",
        goal=f"< {LIMIT_MIB:,} MiB and < {FLAT_RATIO}x",
        passed=passed,
        rows=rows,
        notes=notes,
    )
