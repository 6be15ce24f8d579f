"""Batch assignment of waiting reviews to physicians: the cheapest assignment under every
physician's capacity, with a proof that it is the cheapest.

The goal (bench/README.md, "assignment") is a batch assignment of waiting reviews across
physicians with capacities that is provably optimal (equal to the solver's bound). The matching module lists, for
each waiting review (peer review or IME), the physicians eligible for it and an integer cost
per pair (turnaround, fee and current load; lower is better); each physician has a number of
open slots. `propose` assigns as many reviews as can be assigned at all, and among those
assignments the one of least total cost; `greedy` is what a coordinator working down the queue
would do (each review takes its cheapest physician with a slot left), kept for comparison.

How `propose` solves it: a min-cost flow (OR-Tools `SimpleMinCostFlow`). Each review supplies
one unit that reaches the sink either through one of its physicians (the option's cost, one
unit per pair, at most the physician's slots through each physician) or through a penalty arc
of cost `M` ("left unassigned"). `M` exceeds the cost of any assignment whatsoever, so one more
review assigned always outweighs any saving: the flow's optimum assigns the most reviews, then
costs the least.

How it is proven optimal: by LP duality, checked here with exact integer arithmetic and without
trusting the solver. The flow is first checked to be feasible (conservation at every node, every
arc within its capacity, hence every physician within their slots). Then node potentials `y`
are taken from shortest paths in the flow's residual graph (Bellman-Ford, vectorised), and the
dual objective `sum(supply * y) - sum(capacity * max(0, y[tail] - y[head] - cost))` is computed.
Weak duality makes it a lower bound on the penalised cost of every assignment, whatever `y` is,
so a wrong potential can only weaken the bound, never fake a proof. When it equals the flow's
penalised cost, no assignment assigns more reviews (that would save at least `M`, more than any
assignment costs), and none assigning as many costs less: `Proposal.bound` is that lower bound
less the penalties, and `Proposal.optimal` says it equals `total_cost`.

Why this proof rather than GLOP's LP relaxation: OR-Tools 9.14's Python min-cost flow does not
expose its potentials, and GLOP would build and solve the whole LP again (some 100,000
variables for 2,000 reviews) in floating point, to be compared with a tolerance. The residual
potentials cost a few vectorised passes over the arcs (about 15 ms for 2,000 reviews, against
about 100 ms for the flow itself; `bench/assignment.py`), and the bound they give is an exact
integer. The tests check that GLOP finds the same bound on a small batch.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]

# Costs, capacities and potentials are int64 in the solver (which multiplies costs by the
# number of nodes) and in the proof (sums of capacity x potential): the penalty times reviews
# times nodes must stay well below 2**63 for either to be exact.
_LARGEST = 2**56


def score_cost(score: float) -> int:
    """A candidate's score from the matcher (0 to 100, one decimal) as a cost: 10 for each
    point short of 100, so that the least total cost is the highest total score."""
    return 1000 - round(10 * score)


@dataclass(frozen=True)
class Option:
    """One physician eligible for one review, at a cost (an integer >= 0, lower is better)."""

    review: str
    physician: str
    cost: int


@dataclass(frozen=True)
class Pairing:
    """One review given to one physician, at the cost of that option."""

    review: str
    physician: str
    cost: int


@dataclass(frozen=True)
class Proposal:
    """An assignment of a batch of reviews, with how good it is known to be.

    `assignments` follow the order of the reviews given; `unassigned` lists, in that order too,
    the reviews no physician could take (no option, or every eligible physician full).
    `bound` is a proven lower bound on the total cost of any assignment of as many reviews
    (None for greedy); `optimal` is True when `total_cost` equals it, which also proves that
    no assignment assigns more reviews. `seconds` is the wall-clock time of the whole call,
    validation and proof included.
    """

    method: str
    assignments: tuple[Pairing, ...]
    unassigned: tuple[str, ...]
    total_cost: int
    bound: int | None
    optimal: bool
    seconds: float


@dataclass(frozen=True)
class _Batch:
    """The validated input as arrays: one arc per usable (review, physician) pair."""

    reviews: tuple[str, ...]
    physicians: tuple[str, ...]
    arc_review: Ints
    arc_physician: Ints
    arc_cost: Ints
    slots: Ints  # per physician: open slots, at most its number of options


def propose(
    reviews: Sequence[str], options: Iterable[Option], capacity: Mapping[str, int]
) -> Proposal:
    """The assignment of most reviews, then least total cost, under every physician's capacity,
    solved by OR-Tools' min-cost flow and proven optimal by an LP dual bound (module docstring).

    `capacity` gives each physician's open slots; a physician missing from it has none.
    Duplicate (review, physician) options count once, at their cheapest cost.
    Raises ValueError on a review listed twice, an option for a review not in `reviews`, a
    negative or non-integer cost or capacity, or costs too large to be solved exactly.
    """
    started = time.perf_counter()
    batch = _prepare(reviews, options, capacity)
    n, m, a = len(batch.reviews), len(batch.physicians), len(batch.arc_cost)
    if n == 0:
        return _proposal("optimal", batch, np.zeros(0, np.int64), 0, started)

    # Nodes: reviews 0..n-1, physicians n..n+m-1, the sink n+m.
    sink = n + m
    most = np.zeros(n, np.int64)
    np.maximum.at(most, batch.arc_review, batch.arc_cost)
    penalty = int(most.sum()) + 1
    if penalty * (n + 1) * (sink + 2) >= _LARGEST:
        raise ValueError(f"costs too large to be solved exactly (penalty {penalty:,})")
    review_nodes = np.arange(n, dtype=np.int64)
    tails = np.concatenate([batch.arc_review, n + np.arange(m, dtype=np.int64), review_nodes])
    heads = np.concatenate(
        [n + batch.arc_physician, np.full(m, sink, np.int64), np.full(n, sink, np.int64)]
    )
    caps = np.concatenate([np.ones(a, np.int64), batch.slots, np.ones(n, np.int64)])
    costs = np.concatenate([batch.arc_cost, np.zeros(m, np.int64), np.full(n, penalty, np.int64)])
    supplies = np.zeros(sink + 1, np.int64)
    supplies[:n] = 1
    supplies[sink] = -n

    flows = _solve(tails, heads, caps, costs, supplies)
    _check_feasible(tails, heads, caps, flows, supplies)
    lower = _dual_bound(tails, heads, caps, costs, flows, supplies)

    chosen = np.full(n, -1, np.int64)
    used = flows[:a] == 1
    chosen[batch.arc_review[used]] = np.flatnonzero(used)
    proposal = _proposal("optimal", batch, chosen, 0, started)
    left = len(proposal.unassigned)
    # Weak duality: lower <= the flow's own penalised cost, so equality is the proof.
    bound = lower - penalty * left
    return dataclasses.replace(
        proposal,
        bound=bound,
        optimal=bound == proposal.total_cost,
        seconds=time.perf_counter() - started,
    )


def greedy(
    reviews: Sequence[str], options: Iterable[Option], capacity: Mapping[str, int]
) -> Proposal:
    """Reviews in the order given, each taking its cheapest option whose physician has a slot
    left (ties to the physician id first in sort order); what the queue gets without a solver.

    Same inputs, same validation and same duplicate rule as `propose`; `bound` is None.
    """
    started = time.perf_counter()
    batch = _prepare(reviews, options, capacity)
    n = len(batch.reviews)
    # Cheapest first within each review; among equal costs the smaller physician id.
    order = np.lexsort((batch.arc_physician, batch.arc_cost, batch.arc_review))
    starts = np.searchsorted(batch.arc_review[order], np.arange(n + 1))
    slots = batch.slots.tolist()
    physician_of = batch.arc_physician.tolist()
    chosen = np.full(n, -1, np.int64)
    ordered = order.tolist()
    for review in range(n):
        for arc in ordered[starts[review] : starts[review + 1]]:
            if slots[physician_of[arc]] > 0:
                slots[physician_of[arc]] -= 1
                chosen[review] = arc
                break
    return _proposal("greedy", batch, chosen, None, started)


def _prepare(
    reviews: Sequence[str], options: Iterable[Option], capacity: Mapping[str, int]
) -> _Batch:
    """Validate the input and keep, per (review, physician), the cheapest usable option."""
    position: dict[str, int] = {}
    for review in reviews:
        if review in position:
            raise ValueError(f"review {review!r} is listed twice")
        position[review] = len(position)
    slots_of: dict[str, int] = {}
    for physician, slots in capacity.items():
        count = _integer(slots, f"capacity of physician {physician!r}")
        if count < 0:
            raise ValueError(f"capacity of physician {physician!r} is negative ({count})")
        slots_of[physician] = count
    cheapest: dict[tuple[int, str], int] = {}
    for option in options:
        index = position.get(option.review)
        if index is None:
            raise ValueError(
                f"option for unknown review {option.review!r} (physician {option.physician!r})"
            )
        cost = _integer(option.cost, f"cost of {option.review!r} with {option.physician!r}")
        if cost < 0:
            raise ValueError(
                f"cost of {option.review!r} with {option.physician!r} is negative ({cost})"
            )
        if slots_of.get(option.physician, 0) == 0:
            continue  # no slot: the option can never be taken
        key = (index, option.physician)
        known = cheapest.get(key)
        if known is None or cost < known:
            cheapest[key] = cost

    keys = sorted(cheapest)
    # Physicians numbered in the order of their ids, so that index order breaks ties by id.
    physicians = tuple(sorted({physician for _, physician in keys}))
    physician_index = {physician: index for index, physician in enumerate(physicians)}
    arc_review = np.fromiter((k[0] for k in keys), np.int64, len(keys))
    arc_physician = np.fromiter((physician_index[k[1]] for k in keys), np.int64, len(keys))
    arc_cost = np.fromiter((cheapest[k] for k in keys), np.int64, len(keys))
    # Slots beyond a physician's number of options can never be used; capping them keeps every
    # product in the proof small without changing which assignments are possible.
    degree = np.bincount(arc_physician, minlength=len(physicians)).astype(np.int64)
    open_slots = np.fromiter((slots_of[p] for p in physicians), np.int64, len(physicians))
    return _Batch(
        reviews=tuple(position),
        physicians=physicians,
        arc_review=arc_review,
        arc_physician=arc_physician,
        arc_cost=arc_cost,
        slots=np.minimum(open_slots, degree),
    )


def _integer(value: object, what: str) -> int:
    """An int (numpy integers too), never a float silently truncated."""
    if type(value) is int:
        return value
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{what} must be an integer, not {value!r}")
    return int(value)


def _solve(tails: Ints, heads: Ints, caps: Ints, costs: Ints, supplies: Ints) -> Ints:
    """The min-cost flow's arc flows, from OR-Tools."""
    from ortools.graph.python import min_cost_flow

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps, costs
    )
    flow.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        # Every review can reach the sink by its penalty arc, so this is a solver failure.
        raise RuntimeError(f"OR-Tools min-cost flow ended with status {status}")
    return np.asarray(flow.flows(np.asarray(arcs, dtype=np.int32)), dtype=np.int64)


def _check_feasible(tails: Ints, heads: Ints, caps: Ints, flows: Ints, supplies: Ints) -> None:
    """Refuse a flow that breaks a capacity or conservation: the proof assumes neither."""
    if np.any(flows < 0) or np.any(flows > caps):
        raise RuntimeError("the solver's flow exceeds an arc's capacity")
    nodes = len(supplies)
    net = np.bincount(tails, flows, nodes) - np.bincount(heads, flows, nodes)
    if not np.array_equal(net.astype(np.int64), supplies):
        raise RuntimeError("the solver's flow is not conserved at every node")


def _dual_bound(
    tails: Ints, heads: Ints, caps: Ints, costs: Ints, flows: Ints, supplies: Ints
) -> int:
    """A lower bound on the cost of every feasible flow, equal to this flow's cost when it is
    optimal: the LP dual objective at potentials from the residual graph's shortest paths.

    Dual of min c.f (conservation, 0 <= f <= u): max b.y - u.z with z_a >= y_tail - y_head - c_a,
    z >= 0. For any y the best z is max(0, y_tail - y_head - c_a), so every y gives a valid bound.
    With y = -(shortest distance in the residual graph from a root joined to every node at cost
    0), complementary slackness holds exactly when the flow is optimal, and the bound is tight.
    """
    forward = flows < caps
    backward = flows > 0
    r_tail = np.concatenate([tails[forward], heads[backward]])
    r_head = np.concatenate([heads[forward], tails[backward]])
    r_cost = np.concatenate([costs[forward], -costs[backward]])
    by_head = np.argsort(r_head, kind="stable")
    r_tail, r_head, r_cost = r_tail[by_head], r_head[by_head], r_cost[by_head]
    targets, starts = np.unique(r_head, return_index=True)
    distance = np.zeros(len(supplies), np.int64)
    # Bellman-Ford, all arcs relaxed at once per pass; without a negative cycle (an optimal
    # flow has none) it settles in fewer passes than there are nodes. Stopping early would
    # only weaken the bound.
    for _ in range(len(supplies)):
        if len(targets) == 0:
            break
        reach = np.minimum.reduceat(distance[r_tail] + r_cost, starts)
        better = reach < distance[targets]
        if not better.any():
            break
        distance[targets[better]] = reach[better]
    potential = -distance
    excess = np.maximum(0, potential[tails] - potential[heads] - costs)
    return int(supplies @ potential) - int(caps @ excess)


def _proposal(
    method: str, batch: _Batch, chosen: Ints, bound: int | None, started: float
) -> Proposal:
    """Assignments in the reviews' order from the arc chosen for each review (-1: none)."""
    assignments: list[Pairing] = []
    unassigned: list[str] = []
    for review, arc in zip(batch.reviews, chosen.tolist(), strict=True):
        if arc < 0:
            unassigned.append(review)
        else:
            physician = batch.physicians[int(batch.arc_physician[arc])]
            assignments.append(Pairing(review, physician, int(batch.arc_cost[arc])))
    total = sum(item.cost for item in assignments)
    return Proposal(
        method=method,
        assignments=tuple(assignments),
        unassigned=tuple(unassigned),
        total_cost=total,
        bound=bound,
        optimal=bound == total,
        seconds=time.perf_counter() - started,
    )
