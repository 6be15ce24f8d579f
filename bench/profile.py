"""``python -m bench.profile [--pages N] [--top N]``: where the text-PDF pipeline spends its time.

Runs the pipeline of benchmark 1 once under cProfile (after the same warm-up, with the
sentence cache emptied) and prints the functions that take the most time, by own time and by
cumulative time, with their cost per page. cProfile slows Python code by about half as much
again, so read the shares, not the absolute times.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
from typing import Any

from bench import inputs
from bench.measure import forget_content_caches, table
from bench.story import TODAY


def _rows(stats: Any, key: int, top: int, pages: int) -> list[tuple[str, str, str, str]]:
    entries = sorted(stats.stats.items(), key=lambda kv: kv[1][key], reverse=True)[:top]
    rows = []
    for (path, line, name), (_cc, calls, own, cumulative, _callers) in entries:
        where = f"{path.split('site-packages/')[-1].split('/src/')[-1]}:{line}({name})"
        rows.append(
            (
                where[-90:],
                f"{calls:,}",
                f"{(own if key == 2 else cumulative) * 1000:,.0f} ms",
                f"{(own if key == 2 else cumulative) / pages * 1000:.3f}",
            )
        )
    return rows


def main() -> None:
    from medreview.core.case.pipeline import triage_folder
    from medreview.core.records import language

    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    folder = inputs.text_case(args.pages)
    language.warm_up()
    triage_folder(inputs.text_case(4, seed=99), today=TODAY)
    forget_content_caches()
    profiler = cProfile.Profile()
    profiler.enable()
    triage_folder(folder, today=TODAY)
    profiler.disable()
    stats: Any = pstats.Stats(profiler)
    total = stats.total_tt
    print(f"pipeline on {args.pages:,} pages under cProfile: {total:,.2f} s")
    for title, key in (("own time", 2), ("cumulative time", 3)):
        print(f"\n-- top {args.top} by {title}")
        headers = ("function", "calls", title, "ms/page")
        print(table(headers, _rows(stats, key, args.top, args.pages)))


if __name__ == "__main__":
    main()
