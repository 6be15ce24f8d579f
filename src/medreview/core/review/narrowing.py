"""The IME narrowed to what a passed peer review left open (docs/workflow.md, "Narrowing"):
only the questions the reviewer answered "needs an examination", the disputes the reviewer
named, and the same records. None left: the IME is avoided, and its fee with it
(`data/fee_schedule.csv`)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from medreview.core.review.model import Question, Review


@dataclass(frozen=True)
class Narrowed:
    questions: tuple[Question, ...]
    disputes: tuple[str, ...]

    @property
    def avoided(self) -> bool:
        return not self.questions


def narrow(review: Review) -> Narrowed:
    left = []
    for q in review.questions:
        answer = review.answer_to(q.id)
        if answer is None or answer.determination == "needs_exam":
            left.append(q)
    disputes: list[str] = []
    for a in review.answers:
        for dispute in (d.strip() for d in a.disputes):
            if dispute and dispute not in disputes:
                disputes.append(dispute)
    return Narrowed(tuple(left), tuple(disputes))


@dataclass(frozen=True)
class Fee:
    amount: float
    citation: str


@lru_cache(maxsize=1)
def _fees() -> dict[tuple[str, str], Fee]:
    text = resources.files("medreview.data").joinpath("fee_schedule.csv").read_text()
    lines = "\n".join(ln for ln in text.splitlines() if not ln.startswith("#"))
    found = {}
    for number, row in enumerate(csv.DictReader(io.StringIO(lines)), start=2):
        try:
            amount = float(row["fee_usd"])
        except (TypeError, ValueError):
            raise ValueError(f"fee schedule, row {number}: fee_usd needs a number") from None
        found[(row["jurisdiction"].strip(), row["service"].strip())] = Fee(amount, row["citation"])
    return found


def fee(jurisdiction: str, service: str) -> Fee:
    """The fee schedule's fee of a service in a jurisdiction (its row, else the default)."""
    fees = _fees()
    found = fees.get((jurisdiction, service)) or fees.get(("*", service))
    if found is None:
        raise LookupError(f"the fee schedule has no fee for {service} in {jurisdiction}")
    return found
