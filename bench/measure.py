"""What every benchmark shares: its outcome, timing helpers and the tables it prints."""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome:
    """One benchmark's verdict: its headline figure against its goal, and the rows behind it."""

    name: str
    figure: str
    goal: str
    passed: bool
    rows: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def skipped(name: str, goal: str, missing: Path) -> Outcome:
    """The outcome of a benchmark whose input lives in ../shared, when ../shared is absent."""
    return Outcome(
        name=name,
        figure="skipped",
        goal=goal,
        passed=True,
        notes=[f"../shared is absent: {missing} does not exist"],
    )


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """Seconds taken by one call (after a garbage collection, so none lands inside it)."""
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def timed_cpu(fn: Callable[[], T]) -> tuple[float, float, T]:
    """Wall-clock and CPU seconds (this process, all its threads) taken by one call."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


MIN_RUNS, MAX_RUNS = 3, 8
STEADY = 0.05  # the best run is confirmed by another within 5%


def steady(walls: Sequence[float]) -> bool:
    """Whether the fastest run has been repeated: a busy machine only ever slows runs down,
    so a best run confirmed by a second is the machine's own speed, not a lull or a burst."""
    ordered = sorted(walls)
    return len(ordered) >= 2 and ordered[1] <= ordered[0] * (1 + STEADY)


def enough_runs(*sides: Sequence[float]) -> bool:
    """At least MIN_RUNS, then until every side's best run is confirmed (at most MAX_RUNS)."""
    count = len(sides[0])
    return count >= MAX_RUNS or (count >= MIN_RUNS and all(steady(s) for s in sides))


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (nearest rank) of the values."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def forget_content_caches() -> None:
    """Empty the pipeline's caches of what it has read (not its loaded models and rules),
    here and in the worker processes.

    The language rules keep each sentence they have analysed; a second run over the same
    packet would find every sentence cached and flatter the pipeline, so each timed run
    starts without them, as a new case does.
    """
    from medreview.core.case import processes

    processes.forget_read_text()


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table: first column left-aligned, the others right-aligned."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        out = [
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(out).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def rate(count: float, seconds: float, unit: str = "pages/s") -> str:
    return f"{count / seconds:,.1f} {unit}"
