"""`medreview demo`: triage the project's example cases and show what medreview recommends.

Until the web application exists (issue 3), the demo is the command line: it runs every
example case folder of `examples/`, prints one line per case, then the full report of one.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

from medreview.pipeline import triage_folder
from medreview.report import render


def examples_dir() -> Path | None:
    configured = os.environ.get("MEDREVIEW_EXAMPLES")
    candidates = [Path(configured)] if configured else []
    candidates += [Path.cwd() / "examples", Path(__file__).resolve().parents[2] / "examples"]
    return next((p for p in candidates if p.is_dir()), None)


def run_demo(case: str | None = None) -> int:
    folder = examples_dir()
    if folder is None:
        print("medreview: no examples/ folder found (set MEDREVIEW_EXAMPLES)", file=sys.stderr)
        return 2
    cases = sorted(p for p in folder.iterdir() if (p / "referral.json").is_file())
    if case:
        cases = [p for p in cases if p.name == case or p.name.startswith(case)]
        if not cases:
            print(f"medreview: no example case named {case!r} in {folder}", file=sys.stderr)
            return 2
    print(f"medreview demo: triaging {len(cases)} example case(s) from {folder}\n")
    print(f"{'case':34} {'recommendation':22} {'gaps':>4} {'docs':>4} {'time':>6}")
    shown = None
    for path in cases:
        started = time.perf_counter()
        result = triage_folder(path, today=date.today())
        took = time.perf_counter() - started
        print(
            f"{path.name:34} {result.triage.path:22} {len(result.gaps):>4} "
            f"{len(result.documents):>4} {took:>5.1f}s"
        )
        if shown is None or len(result.gaps) > len(shown[1].gaps):
            shown = (path, result)
    if shown is not None:
        print(f"\nThe full report of {shown[0].name} (medreview triage {shown[0]}):\n")
        print(render(shown[1]))
    print(
        "Run `medreview triage CASE_DIR` on any case folder, or `--json` for the contract output."
    )
    return 0
