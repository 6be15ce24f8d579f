"""Jurisdiction rules as data: who may review or examine where, and how far a claimant travels.

The rows of `data/jurisdiction_rules.csv` (docs/rules.md, "Jurisdiction rules") come from
public sources, each with its citation and confidence. A state's row wins over the default row ("*"); where the
data is silent and there is no default, `rule()` raises, so a missing rule fails loudly
rather than deciding quietly.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from medreview.core.triage.calendars import is_jurisdiction

RULES = frozenset(
    {
        "reviewer_licence_in_state",
        "examiner_licence_in_state",
        "examiner_board_certified",
        "ime_distance_limit_miles",
        "peer_to_peer_before_adverse",
        "peer_to_peer_offer_business_days",
        "ime_notice_business_days",
        "ime_notice_days",
        "ime_exam_within_days",
        "ime_per_party_per_accident",
        "ime_min_interval_days",
        "ime_report_business_days",
        "ime_report_days",
        "ime_late_cancel_business_days",
    }
)
# The rules whose value is a number (the others are yes or no).
NUMBERS = frozenset(
    r for r in RULES if r.endswith(("_miles", "_days")) or r == "ime_per_party_per_accident"
)
SERVICES = frozenset({"peer_review", "ime"})
# Each rule in the words an administrator reads (the rules' page).
RULE_WORDS = {
    "reviewer_licence_in_state": "a peer reviewer holds a licence of the state",
    "examiner_licence_in_state": "an examiner holds a licence of the state",
    "examiner_board_certified": "an examiner is board certified",
    "ime_distance_limit_miles": "how far an IME office may be from the claimant (miles)",
    "peer_to_peer_before_adverse": "a peer-to-peer is offered before an adverse answer",
    "peer_to_peer_offer_business_days": "a peer-to-peer offer after an adverse answer, within"
    " (business days)",
    "ime_notice_business_days": "the claimant's notice before an IME (business days)",
    "ime_notice_days": "the claimant's notice before an IME (days)",
    "ime_exam_within_days": "the IME held within (days of the IME referral's confirmation)",
    "ime_per_party_per_accident": "IMEs of one party for one claim, at most",
    "ime_min_interval_days": "days between two IMEs of one claim, at least",
    "ime_report_business_days": "the examiner's report due after the exam (business days)",
    "ime_report_days": "the examiner's report due after the exam (days)",
    "ime_late_cancel_business_days": "a cancellation this close to the exam is late (business"
    " days)",
}


@dataclass(frozen=True)
class JurisdictionRule:
    """One rule of one jurisdiction (or of all, "*"), with where it comes from."""

    jurisdiction: str
    service: str
    rule: str
    value: str
    citation: str
    confidence: str
    note: str

    @property
    def yes(self) -> bool:
        return self.value == "yes"

    @property
    def number(self) -> float:
        return float(self.value)

    def cited(self) -> str:
        where = (
            "where a state's rules are silent" if self.jurisdiction == "*" else self.jurisdiction
        )
        return f"{where}: {self.citation}"


def parse_rules(text: str) -> tuple[JurisdictionRule, ...]:
    """The rules of a CSV text (lines starting with '#' are comments); bad rows raise
    `ValueError` naming the line."""
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    rules = []
    for number, row in enumerate(csv.DictReader(io.StringIO("\n".join(lines))), start=2):
        rule = JurisdictionRule(**{k: (v or "").strip() for k, v in row.items()})
        try:
            check_rule(rule)
        except ValueError as exc:
            raise ValueError(f"jurisdiction rules, row {number}: {exc}") from None
        rules.append(rule)
    return tuple(rules)


# How sure a row is of its source: H, the rule's text seen; M, a secondary source; S, a
# setting where no rule gives a number.
CONFIDENCES = frozenset({"H", "M", "S"})
# The numbers that count days or exams are whole; a distance may have decimals.
WHOLE_NUMBERS = frozenset(r for r in NUMBERS if not r.endswith("_miles"))


def check_rule(rule: JurisdictionRule) -> None:
    """Raise `ValueError` naming the rule and what is wrong with one row (`parse_rules` checks
    every row of the file so; an administrator's correction is checked the same way)."""
    if rule.rule not in RULES:
        raise ValueError(f"unknown rule {rule.rule!r}")
    if rule.service not in SERVICES:
        raise ValueError(f"unknown service {rule.service!r}")
    if rule.jurisdiction != "*" and not is_jurisdiction(rule.jurisdiction):
        raise ValueError(f"{rule.rule}: {rule.jurisdiction!r} is not a US state or territory code")
    if rule.confidence not in CONFIDENCES:
        raise ValueError(f"{rule.rule}: confidence is H, M or S, not {rule.confidence!r}")
    if rule.rule in NUMBERS:
        try:
            value = rule.number
        except ValueError:
            raise ValueError(f"{rule.rule} needs a number, not {rule.value!r}") from None
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{rule.rule} needs a number of 0 or more, not {rule.value!r}")
        if rule.rule in WHOLE_NUMBERS and not value.is_integer():
            raise ValueError(f"{rule.rule} needs a whole number, not {rule.value!r}")
    elif rule.value not in ("yes", "no"):
        raise ValueError(f"{rule.rule} is yes or no, not {rule.value!r}")


@lru_cache(maxsize=1)
def default_rules() -> JurisdictionRules:
    text = resources.files("medreview.data").joinpath("jurisdiction_rules.csv").read_text()
    return JurisdictionRules(parse_rules(text))


class JurisdictionRules:
    """The rules looked up by jurisdiction, service and rule name."""

    def __init__(self, rules: tuple[JurisdictionRule, ...]) -> None:
        self.rules = rules
        self._by_key = {(r.jurisdiction, r.service, r.rule): r for r in rules}

    def rule(self, jurisdiction: str, service: str, name: str) -> JurisdictionRule:
        found = self._by_key.get((jurisdiction, service, name)) or self._by_key.get(
            ("*", service, name)
        )
        if found is None:
            raise LookupError(f"no jurisdiction rule {name} for {service} in {jurisdiction}")
        return found

    def maybe(self, jurisdiction: str, service: str, name: str) -> JurisdictionRule | None:
        try:
            return self.rule(jurisdiction, service, name)
        except LookupError:
            return None
