"""The memory benchmark's child process: triage one case folder and report what it cost.

Run as ``python -m bench.child FOLDER``; prints one JSON line: the resident set after imports
and the language model's warm-up (the baseline every case pays), the peak resident set
(`ru_maxrss` of this process), and the pages, documents and seconds of the run. The parent
reads the peak again from `os.wait4`, so the figure does not rest on the child's word.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def _rss_kib() -> int:
    """The current resident set in KiB, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main(folder: Path) -> None:
    from bench.story import TODAY
    from medreview.core.case.pipeline import triage_folder
    from medreview.core.records import language

    language.warm_up()
    baseline = _rss_kib()
    start = time.perf_counter()
    result = triage_folder(folder, today=TODAY)
    seconds = time.perf_counter() - start
    report = {
        "baseline_kib": baseline,
        "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "after_kib": _rss_kib(),
        "pages": sum(len(d.pages) for d in result.documents),
        "documents": len(result.documents),
        "seconds": seconds,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
