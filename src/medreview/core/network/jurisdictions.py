"""Jurisdiction rules as data: who may review or examine where, and how far a claimant travels.

The rows of `data/jurisdiction_rules.csv` (docs/rules.md, "Jurisdiction rules") come from
public sources, each with its citation and confidence. A state's row wins over the default row ("*"); where the
data is silent and there is no default, `rule()` raises, so a missing rule fails loudly
rather than deciding quietly.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

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
        if rule.rule not in RULES:
            raise ValueError(f"jurisdiction rules, row {number}: unknown rule {rule.rule!r}")
        if rule.service not in SERVICES:
            raise ValueError(f"jurisdiction rules, row {number}: unknown service {rule.service!r}")
        if rule.rule in NUMBERS:
            try:
                rule.number  # noqa: B018 - validates the value
            except ValueError:
                raise ValueError(
                    f"jurisdiction rules, row {number}: {rule.rule} needs a number, "
                    f"not {rule.value!r}"
                ) from None
        elif rule.value not in ("yes", "no"):
            raise ValueError(
                f"jurisdiction rules, row {number}: {rule.rule} is yes or no, not {rule.value!r}"
            )
        rules.append(rule)
    return tuple(rules)


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
