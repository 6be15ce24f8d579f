"""Benchmark 5: batch assignment of waiting reviews to physicians, OR-Tools against greedy.

Goal (bench/README.md): 2,000 waiting reviews across 20,000 physicians with capacities,
assigned provably optimally (total cost equal to the solver's bound) in under 10 s.
`assignment.propose` is timed as one call (validation, min-cost flow and the dual proof); the
greedy assignment (each review in turn takes its cheapest physician with a slot left) runs on
the same input for comparison.

A second run takes its input from the matcher itself, as the coordinators' batch page does
(`reviews.queue`): a made-up roster of as many physicians (`network.generate`, seeded) in
the matcher's network, as many made-up referrals' requests (`bench.network.requests_for`),
each review's best 50 eligible physicians (`core.network.matching.ranked`) at the cost
`assignment.score_cost` of their score, then the same `propose` and `greedy`. It times the
matching, which the batch page's background task also does, and checks the proof again on
costs and capacities the generator did not choose.

The input is generated, deterministic (seeded): physicians of 20 specialties in 12 regions, a
few specialties and regions far busier than the rest, each physician with 0 to 5 open slots, a
turnaround, a fee and a current load. Reviews come mostly from the busy cells, so the cheapest
physicians there are wanted by many reviews and capacities bind. Each review is eligible for 30
to 80 physicians of its specialty (licensed in its region, no conflict), or fewer when the
cell has fewer; its cost per physician is turnaround, fee and load (the physician's) plus fit
and, for an IME, travel (the pair's).
"""

from __future__ import annotations

import random
from collections import Counter

from bench.measure import Outcome, ms, timed
from medreview.core.network.assignment import Option, greedy, propose

GOAL_SECONDS = 10.0
SEED = 20260914

SPECIALTIES = (
    ("orthopedics", 12),
    ("spine_surgery", 6),
    ("pain_management", 6),
    ("physiatry", 5),
    ("neurology", 4),
    ("neurosurgery", 2),
    ("hand_surgery", 2),
    ("psychiatry", 3),
    ("psychology", 3),
    ("internal_medicine", 4),
    ("occupational_medicine", 4),
    ("chiropractic", 3),
    ("physical_therapy", 3),
    ("podiatry", 1),
    ("ophthalmology", 1),
    ("otolaryngology", 1),
    ("cardiology", 1),
    ("pulmonology", 1),
    ("dermatology", 1),
    ("toxicology", 1),
)
REGIONS = (
    ("CA", 10),
    ("TX", 6),
    ("FL", 6),
    ("NY", 5),
    ("PA", 3),
    ("IL", 3),
    ("OH", 2),
    ("GA", 2),
    ("NC", 2),
    ("MI", 2),
    ("NJ", 2),
    ("WA", 1),
)


def instance(
    reviews_count: int, physicians_count: int, seed: int = SEED
) -> tuple[list[str], list[Option], dict[str, int]]:
    """Reviews, their options and the physicians' open slots."""
    rng = random.Random(seed)
    specialties = [s for s, _ in SPECIALTIES]
    regions = [r for r, _ in REGIONS]
    # Physicians spread roughly as the field does; reviews far more skewed than physicians
    # (weights squared), so the busy cells run short of cheap slots.
    cells: dict[tuple[str, str], list[int]] = {}
    turnaround: list[int] = []
    fee: list[int] = []
    load: list[int] = []
    capacity: dict[str, int] = {}
    names: list[str] = []
    specialty_weights = [w for _, w in SPECIALTIES]
    region_weights = [w for _, w in REGIONS]
    for index in range(physicians_count):
        cell = (
            rng.choices(specialties, specialty_weights)[0],
            rng.choices(regions, region_weights)[0],
        )
        cells.setdefault(cell, []).append(index)
        names.append(f"{1000000000 + index * 7919 % 999999999:010d}")  # NPI-like, unique
        turnaround.append(rng.randint(2, 12))  # business days to a report
        fee.append(rng.randrange(350, 1600, 25))  # dollars
        load.append(rng.randint(0, 15))  # open cases now
        capacity[names[-1]] = rng.choices(range(6), (30, 25, 18, 12, 9, 6))[0]

    review_ids: list[str] = []
    options: list[Option] = []
    busy_specialties = [w * w for w in specialty_weights]
    busy_regions = [w * w for w in region_weights]
    for number in range(reviews_count):
        review = f"R-{number + 1:05d}"
        review_ids.append(review)
        specialty = rng.choices(specialties, busy_specialties)[0]
        region = rng.choices(regions, busy_regions)[0]
        pool = cells.get((specialty, region), [])
        wanted = rng.randint(30, 80)
        eligible = rng.sample(pool, min(wanted, len(pool)))
        ime = rng.random() < 0.3
        for physician in eligible:
            cost = turnaround[physician] * 12 + fee[physician] // 8 + load[physician] * 6
            cost += rng.randint(0, 60)  # fit: subspecialty, body part, language
            if ime:
                cost += rng.randint(0, 120)  # travel to the exam
            options.append(Option(review, names[physician], cost))
    return review_ids, options, capacity


OPTIONS_PER_REVIEW = 50  # as reviews.queue.OPTIONS_PER_REVIEW


def run(quick: bool) -> Outcome:
    reviews_count, physicians_count = (200, 2_000) if quick else (2_000, 20_000)
    t_make, (reviews, options, capacity) = timed(lambda: instance(reviews_count, physicians_count))
    wall, best = timed(lambda: propose(reviews, options, capacity))
    t_greedy, quick_pick = timed(lambda: greedy(reviews, options, capacity))

    cheapest: dict[str, int] = {}
    for option in options:
        cheapest[option.review] = min(cheapest.get(option.review, option.cost), option.cost)
    not_first = sum(1 for a in best.assignments if a.cost > cheapest[a.review])
    load = Counter(a.physician for a in best.assignments)
    full = sum(1 for p, n in load.items() if n == capacity[p])
    used = {o.physician for o in options}
    slots = sum(capacity[p] for p in used)
    worse = quick_pick.total_cost - best.total_cost
    per_review_best = best.total_cost / max(1, len(best.assignments))
    per_review_greedy = quick_pick.total_cost / max(1, len(quick_pick.assignments))
    same_count = len(best.assignments) == len(quick_pick.assignments)
    passed = best.optimal and wall < GOAL_SECONDS
    counts = Counter(o.review for o in options)
    per_review = sorted(counts.get(r, 0) for r in reviews)
    rows = [
        ("reviews", f"{len(reviews):,}"),
        (
            "physicians",
            f"{physicians_count:,} ({len(used):,} eligible for some review, "
            f"with {slots:,} open slots)",
        ),
        (
            "options (review, physician, cost)",
            f"{len(options):,}; per review min {per_review[0]}, "
            f"median {per_review[len(per_review) // 2]}, max {per_review[-1]}",
        ),
        ("generated in", ms(t_make)),
        ("propose (OR-Tools min-cost flow + dual proof)", ms(wall)),
        ("greedy", ms(t_greedy)),
        (
            "assigned: optimal / greedy",
            f"{len(best.assignments):,} / {len(quick_pick.assignments):,} "
            f"(unassigned {len(best.unassigned):,} / {len(quick_pick.unassigned):,})",
        ),
        (
            "total cost: optimal / greedy",
            f"{best.total_cost:,} / {quick_pick.total_cost:,} "
            f"(greedy {worse:+,}, {100 * worse / max(1, best.total_cost):+.2f}%)",
        ),
        (
            "cost per assigned review: optimal / greedy",
            f"{per_review_best:,.1f} / {per_review_greedy:,.1f}",
        ),
        (
            "bound (LP dual, same number assigned)",
            f"{best.bound:,}" if best.bound is not None else "-",
        ),
        ("proven optimal (total cost = bound)", "yes" if best.optimal else "NO"),
        (
            "capacities binding (optimal)",
            f"{not_first:,} reviews not given their cheapest physician; "
            f"{full:,} physicians filled to capacity",
        ),
    ]
    matched_rows, matched_ok = _through_the_matcher(reviews_count, physicians_count)
    rows += matched_rows
    passed = passed and matched_ok
    notes = []
    if not same_count:
        notes.append(
            "greedy assigned a different number of reviews: its cost is not comparable as is "
            "(compare cost per assigned review)"
        )
    return Outcome(
        name="assignment",
        figure=f"{wall:.2f} s, cost {best.total_cost:,} "
        f"{'=' if best.optimal else '>'} bound {best.bound or 0:,}",
        goal=f"cost = bound, < {GOAL_SECONDS:.0f} s",
        passed=passed,
        rows=rows,
        notes=notes,
    )


def _through_the_matcher(
    reviews_count: int, physicians_count: int
) -> tuple[list[tuple[str, str]], bool]:
    from datetime import date

    from bench.network import network_of, requests_for
    from medreview.core.network.assignment import score_cost
    from medreview.core.network.jurisdictions import default_rules
    from medreview.core.network.matching import ranked
    from medreview.core.network.roster import read_roster, rows_to_csv
    from medreview.network.generate import roster

    today = date(2026, 8, 6)
    states = ("CA", "NY", "TX", "FL", "NV", "OR", "AZ", "NJ", "CT", "PA", "GA", "IL", "OH", "WA")
    roster_rows, _ = read_roster(
        rows_to_csv(roster(physicians_count, seed=17, today=today, states=states)), today=today
    )
    network = network_of(roster_rows)
    requests = requests_for(roster_rows, reviews_count, random.Random(23))
    rules = default_rules()

    def options_of() -> list[Option]:
        found = []
        for i, request in enumerate(requests):
            for physician, score in ranked(network, request, rules, limit=OPTIONS_PER_REVIEW):
                found.append(Option(f"r{i}", physician.npi, score_cost(score)))
        return found

    t_match, options = timed(options_of)
    reviews = [f"r{i}" for i in range(len(requests))]
    capacity = {p.npi: max(0, p.weekly_capacity - p.open_assignments) for p in network.physicians}
    wall, best = timed(lambda: propose(reviews, options, capacity))
    quick_pick = greedy(reviews, options, capacity)
    worse = quick_pick.total_cost - best.total_cost
    rows = [
        (
            "through the matcher: options",
            f"{len(options):,} for {len(reviews):,} reviews among {physicians_count:,} "
            f"physicians (best {OPTIONS_PER_REVIEW} each), matched in {ms(t_match)}",
        ),
        ("through the matcher: propose", ms(wall)),
        (
            "through the matcher: assigned, optimal / greedy",
            f"{len(best.assignments):,} / {len(quick_pick.assignments):,}",
        ),
        (
            "through the matcher: cost, optimal / greedy / bound",
            f"{best.total_cost:,} / {quick_pick.total_cost:,} ({worse:+,}) / "
            f"{best.bound or 0:,}; proven optimal: {'yes' if best.optimal else 'NO'}",
        ),
    ]
    return rows, best.optimal and wall < GOAL_SECONDS
