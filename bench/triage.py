"""Benchmark 4: triage of a referral without records (the API's answer on receipt).

Goal (bench/README.md): under 150 ms at p95. `analyse(referral, [])` is called 200 times
after one warm-up call; p50, p95 and the slowest call are reported. Parsing and validating the
referral JSON first (`parse_referral`, as the API will) is reported too, for information.
"""

from __future__ import annotations

import time

from bench.measure import Outcome, ms, percentile
from bench.story import TODAY, injury_for, referral_json

GOAL_MS = 150.0


def run(quick: bool) -> Outcome:
    from medreview.core.case.folder import parse_referral
    from medreview.core.case.pipeline import analyse
    from medreview.core.thresholds import Thresholds

    calls = 50 if quick else 200
    text = referral_json(injury_for(600))
    referral = parse_referral(text, today=TODAY)
    settings = Thresholds()
    analyse(referral, [], settings=settings)
    alone: list[float] = []
    with_parse: list[float] = []
    for _ in range(calls):
        start = time.perf_counter()
        analyse(referral, [], settings=settings)
        alone.append(time.perf_counter() - start)
    for _ in range(calls):
        start = time.perf_counter()
        analyse(parse_referral(text, today=TODAY), [], settings=settings)
        with_parse.append(time.perf_counter() - start)
    p95 = percentile(alone, 95) * 1000
    rows = [
        (
            f"analyse(referral, []) x {calls}",
            f"p50 {ms(percentile(alone, 50))}, p95 {ms(percentile(alone, 95))}, max {ms(max(alone))}",
        ),
        (
            f"parse_referral + analyse x {calls}",
            f"p50 {ms(percentile(with_parse, 50))}, p95 {ms(percentile(with_parse, 95))}, max {ms(max(with_parse))}",
        ),
    ]
    return Outcome(
        name="triage",
        figure=f"p95 {p95:,.2f} ms",
        goal=f"p95 < {GOAL_MS:.0f} ms",
        passed=p95 < GOAL_MS,
        rows=rows,
    )
