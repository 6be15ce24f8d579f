"""Batch assignment of waiting reviews to physicians: most reviews assigned, then least total
cost, every physician within their open slots, and a proof that nothing cheaper exists
(bench/README.md)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pytest

from medreview.core.network import assignment
from medreview.core.network.assignment import Ints, Option, Pairing, Proposal, greedy, propose


def pairs(proposal: Proposal) -> list[tuple[str, str, int]]:
    return [(a.review, a.physician, a.cost) for a in proposal.assignments]


def test_it_gives_the_contested_physician_to_the_review_that_needs_them_most() -> None:
    # Both reviews want Dr A. Greedy gives A to R1 (10), leaving R2 with B at 30: 40.
    # R1 loses only 2 by taking B, R2 would lose 19: R1 -> B (12), R2 -> A (11) = 23.
    options = [
        Option("R1", "A", 10),
        Option("R1", "B", 12),
        Option("R2", "A", 11),
        Option("R2", "B", 30),
    ]
    capacity = {"A": 1, "B": 1}
    best = propose(["R1", "R2"], options, capacity)
    assert pairs(best) == [("R1", "B", 12), ("R2", "A", 11)]
    assert best.total_cost == 23 and best.bound == 23 and best.optimal
    assert best.method == "optimal" and best.unassigned == ()

    first_come = greedy(["R1", "R2"], options, capacity)
    assert pairs(first_come) == [("R1", "A", 10), ("R2", "B", 30)]
    assert first_come.total_cost == 40
    assert first_come.method == "greedy" and first_come.bound is None
    assert not first_come.optimal


def test_it_fills_a_physician_exactly_to_capacity_with_the_reviews_that_save_most() -> None:
    # A has 2 slots and costs 1 for everyone; B costs 5, 6 and 9. The two reviews that would
    # lose most on B (R3: 8, R2: 5) get A; R1 goes to B: 5 + 1 + 1 = 7. Greedy fills A with
    # R1 and R2 and sends R3 to B: 1 + 1 + 9 = 11.
    options = [
        Option("R1", "A", 1),
        Option("R1", "B", 5),
        Option("R2", "A", 1),
        Option("R2", "B", 6),
        Option("R3", "A", 1),
        Option("R3", "B", 9),
    ]
    capacity = {"A": 2, "B": 5}
    best = propose(["R1", "R2", "R3"], options, capacity)
    assert pairs(best) == [("R1", "B", 5), ("R2", "A", 1), ("R3", "A", 1)]
    assert best.total_cost == 7 and best.optimal
    assert Counter(a.physician for a in best.assignments)["A"] == 2
    first_come = greedy(["R1", "R2", "R3"], options, capacity)
    assert pairs(first_come) == [("R1", "A", 1), ("R2", "A", 1), ("R3", "B", 9)]
    assert first_come.total_cost == 11


def test_it_assigns_as_many_reviews_as_possible_before_saving_cost() -> None:
    # R1 -> A alone costs 1 but strands R2, whose only physician is A. Both assigned: 200.
    options = [Option("R1", "A", 1), Option("R1", "B", 100), Option("R2", "A", 100)]
    capacity = {"A": 1, "B": 1}
    best = propose(["R1", "R2"], options, capacity)
    assert pairs(best) == [("R1", "B", 100), ("R2", "A", 100)]
    assert best.unassigned == () and best.total_cost == 200 and best.optimal
    first_come = greedy(["R1", "R2"], options, capacity)
    assert pairs(first_come) == [("R1", "A", 1)]
    assert first_come.unassigned == ("R2",)


def test_it_lists_the_reviews_no_physician_can_take_in_the_order_given() -> None:
    options = [
        Option("R2", "A", 3),
        Option("R4", "B", 1),  # B is not in the capacity map: no slot
        Option("R5", "C", 2),  # C has 0 slots
        Option("R6", "A", 5),  # A's only slot goes to R2 (3) or R6 (5): R2
        Option("R1", "D", 7),
    ]
    capacity = {"A": 1, "C": 0, "D": 1}
    reviews = ["R6", "R5", "R4", "R3", "R2", "R1"]
    best = propose(reviews, options, capacity)
    assert pairs(best) == [("R2", "A", 3), ("R1", "D", 7)]
    assert best.unassigned == ("R6", "R5", "R4", "R3")
    assert best.total_cost == 10 and best.bound == 10 and best.optimal
    assert greedy(reviews, options, capacity).unassigned == ("R5", "R4", "R3", "R2")


def test_it_keeps_the_cheapest_of_duplicate_options() -> None:
    options = [
        Option("R1", "A", 9),
        Option("R1", "A", 4),
        Option("R1", "A", 6),
        Option("R2", "A", 5),
        Option("R2", "B", 8),
    ]
    capacity = {"A": 1, "B": 1}
    # R1 on A costs 4 (not 9 or 6); R1 has no other physician, so R2 takes B.
    best = propose(["R1", "R2"], options, capacity)
    assert best.assignments == (Pairing("R1", "A", 4), Pairing("R2", "B", 8))
    assert best.total_cost == 12 and best.optimal
    assert pairs(greedy(["R1", "R2"], options, capacity)) == [("R1", "A", 4), ("R2", "B", 8)]


def test_an_empty_batch_is_trivially_optimal() -> None:
    best = propose([], [], {})
    assert best.assignments == () and best.unassigned == ()
    assert best.total_cost == 0 and best.bound == 0 and best.optimal


@pytest.mark.parametrize(
    ("reviews", "options", "capacity", "message"),
    [
        (["R1"], [Option("R1", "A", -1)], {"A": 1}, "cost of 'R1' with 'A' is negative"),
        (["R1"], [Option("R1", "A", 1)], {"A": -2}, "capacity of physician 'A' is negative"),
        (["R1"], [Option("R9", "A", 1)], {"A": 1}, "option for unknown review 'R9'"),
        (["R1", "R1"], [], {}, "review 'R1' is listed twice"),
        (["R1"], [Option("R1", "A", 2.5)], {"A": 1}, "cost of 'R1' with 'A' must be an integer"),  # type: ignore[arg-type]
        (["R1"], [], {"A": 1.5}, "capacity of physician 'A' must be an integer"),
    ],
)
def test_it_refuses_bad_input_saying_what_is_wrong(
    reviews: list[str], options: list[Option], capacity: dict[str, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        propose(reviews, options, capacity)
    with pytest.raises(ValueError, match=message):
        greedy(reviews, options, capacity)


def test_it_refuses_costs_too_large_to_be_solved_exactly() -> None:
    with pytest.raises(ValueError, match="costs too large"):
        propose(["R1", "R2"], [Option("R1", "A", 10**17), Option("R2", "A", 1)], {"A": 1})


def test_it_does_not_claim_optimality_for_an_assignment_that_is_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The proof is checked, not trusted: a solver answer that is feasible but worse fails it."""
    options = [
        Option("R1", "A", 10),
        Option("R1", "B", 12),
        Option("R2", "A", 11),
        Option("R2", "B", 30),
    ]
    capacity = {"A": 1, "B": 1}
    solve = assignment._solve

    def most_expensive(tails: Ints, heads: Ints, caps: Ints, costs: Ints, supplies: Ints) -> Ints:
        # Same network, option costs reversed (31 - cost, still below the penalty for leaving
        # a review unassigned): the most expensive full assignment.
        option_arc = (costs > 0) & (costs < costs.max())
        flipped = np.where(option_arc, 31 - costs, costs)
        return solve(tails, heads, caps, flipped, supplies)

    monkeypatch.setattr(assignment, "_solve", most_expensive)
    worse = propose(["R1", "R2"], options, capacity)
    assert pairs(worse) == [("R1", "A", 10), ("R2", "B", 30)]
    assert not worse.optimal
    assert worse.bound is not None and worse.bound <= 23 < worse.total_cost

    def nobody(tails: Ints, heads: Ints, caps: Ints, costs: Ints, supplies: Ints) -> Ints:
        # Every review sent straight to the sink: feasible, and assigns no one.
        sink = int(np.flatnonzero(supplies < 0)[0])
        return ((supplies[tails] == 1) & (heads == sink)).astype(np.int64)

    monkeypatch.setattr(assignment, "_solve", nobody)
    empty = propose(["R1", "R2"], options, capacity)
    assert empty.unassigned == ("R1", "R2") and empty.total_cost == 0
    assert not empty.optimal


def brute_force(
    reviews: Sequence[str], options: Sequence[Option], capacity: dict[str, int]
) -> tuple[int, int]:
    """(most reviews assignable, least total cost for that many), by trying every assignment."""
    cheapest: dict[tuple[str, str], int] = {}
    for o in options:
        cheapest[(o.review, o.physician)] = min(
            cheapest.get((o.review, o.physician), o.cost), o.cost
        )
    choices = {r: [(p, c) for (rr, p), c in cheapest.items() if rr == r] for r in reviews}
    left = dict(capacity)
    best = (0, 0)

    def walk(index: int, count: int, cost: int) -> None:
        nonlocal best
        if index == len(reviews):
            if (count, -cost) > (best[0], -best[1]):
                best = (count, cost)
            return
        walk(index + 1, count, cost)
        for physician, price in choices[reviews[index]]:
            if left.get(physician, 0) > 0:
                left[physician] -= 1
                walk(index + 1, count + 1, cost + price)
                left[physician] += 1

    walk(0, 0, 0)
    return best


def test_it_matches_exhaustive_search_on_small_random_batches() -> None:
    rng = random.Random(7)
    physicians = ["A", "B", "C", "D"]
    greedy_worse = 0
    for _ in range(150):
        reviews = [f"R{i}" for i in range(6)]
        capacity = {p: rng.randint(0, 2) for p in physicians if rng.random() < 0.9}
        options = [
            Option(r, p, rng.randint(0, 20))
            for r in reviews
            for p in physicians
            for _ in range(rng.choice((0, 1, 1, 1, 2)))  # none, one or a duplicate
        ]
        rng.shuffle(options)
        count, cost = brute_force(reviews, options, capacity)
        best = propose(reviews, options, capacity)
        assert (len(best.assignments), best.total_cost) == (count, cost)
        assert best.optimal and best.bound == cost
        offered = {(o.review, o.physician, o.cost) for o in options}
        assert all(trio in offered for trio in pairs(best))
        loads = Counter(a.physician for a in best.assignments)
        assert all(n <= capacity.get(p, 0) for p, n in loads.items())
        assert sorted([a.review for a in best.assignments] + list(best.unassigned)) == reviews

        first_come = greedy(reviews, options, capacity)
        assert len(first_come.assignments) <= count
        if len(first_come.assignments) == count:
            assert first_come.total_cost >= cost
            greedy_worse += first_come.total_cost > cost
    assert greedy_worse > 10  # the instances are hard enough to tell the two apart


def test_its_bound_is_the_linear_programs_optimum() -> None:
    """GLOP, solving the LP relaxation on its own, finds the same bound."""
    from ortools.linear_solver import pywraplp

    rng = random.Random(11)
    reviews = [f"R{i}" for i in range(30)]
    physicians = [f"P{j}" for j in range(12)]
    capacity = {p: rng.randint(0, 3) for p in physicians}
    options = [Option(r, p, rng.randint(0, 50)) for r in reviews for p in rng.sample(physicians, 4)]
    best = propose(reviews, options, capacity)

    lp = pywraplp.Solver.CreateSolver("GLOP")
    x = {(o.review, o.physician): lp.NumVar(0, 1, "") for o in options}
    for r in reviews:
        lp.Add(sum(v for (rr, _), v in x.items() if rr == r) <= 1)
    for p in physicians:
        lp.Add(sum(v for (_, pp), v in x.items() if pp == p) <= capacity[p])
    lp.Add(sum(x.values()) == len(best.assignments))
    lp.Minimize(sum(o.cost * x[(o.review, o.physician)] for o in options))
    assert lp.Solve() == pywraplp.Solver.OPTIMAL
    assert best.optimal
    assert best.bound == pytest.approx(lp.Objective().Value(), abs=1e-6)
