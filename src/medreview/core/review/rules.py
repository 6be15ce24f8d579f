"""What a review must hold before it is submitted, and the QA checklist a report passes
before it goes out (docs/rules.md, "Peer review").

The rules' words and citations are data (`data/review_rules.toml`); the peer-to-peer rules
are the jurisdiction's (`data/jurisdiction_rules.csv`): Texas wants the offer before any
adverse answer (28 TAC 19.2010); elsewhere URAC's UM 16 lets the offer follow an adverse
answer delivered without one, within one business day.
"""

from __future__ import annotations

import tomllib
from collections.abc import Container
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from medreview.core.network.jurisdictions import JurisdictionRules
from medreview.core.review.model import Answer, Citation, Question, Review
from medreview.core.triage.clocks import add_business_days
from medreview.core.vocabulary import words


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    text = resources.files("medreview.data").joinpath("review_rules.toml").read_text()
    return tomllib.loads(text)


def _says(section: str, rule: str, **values: object) -> str:
    return str(_rules()[section][rule]["says"]).format(**values)


def question_words(q: Question) -> str:
    return f"{q.id} ({words(q.type)})" if q.type else q.id


@dataclass(frozen=True)
class PeerToPeerRule:
    """The jurisdiction's peer-to-peer rule for an adverse answer."""

    before_adverse: bool
    citation: str
    offer_within_days: int | None = None  # business days, when the offer may follow
    offer_citation: str = ""


def peer_to_peer_rule(jurisdiction: str, rules: JurisdictionRules) -> PeerToPeerRule:
    before = rules.rule(jurisdiction, "peer_review", "peer_to_peer_before_adverse")
    after = rules.maybe(jurisdiction, "peer_review", "peer_to_peer_offer_business_days")
    return PeerToPeerRule(
        before_adverse=before.yes,
        citation=before.cited(),
        offer_within_days=None if after is None else int(after.number),
        offer_citation="" if after is None else after.cited(),
    )


def missing_for_submission(review: Review, rules: JurisdictionRules) -> tuple[str, ...]:
    """Everything that keeps the review from being submitted, each in words (empty: it may
    be submitted). The attestation first, then each question in order."""
    found: list[str] = []
    if review.attested is None:
        found.append(_says("submission", "attestation"))
    p2p = peer_to_peer_rule(review.jurisdiction, rules) if review.service == "peer_review" else None
    for q in review.questions:
        named = question_words(q)
        answer = review.answer_to(q.id)
        if answer is None:
            found.append(_says("submission", "answered", question=named))
            continue
        found.extend(_answer_lacks(answer, named, review.pages))
        if p2p and p2p.before_adverse and answer.adverse and not review.peer_to_peer:
            found.append(_says("submission", "peer_to_peer", question=named) + f" ({p2p.citation})")
    return tuple(found)


def _answer_lacks(answer: Answer, named: str, pages: dict[str, int]) -> list[str]:
    found = []
    if not answer.rationale.strip():
        found.append(_says("submission", "rationale", question=named))
    if not answer.citations:
        found.append(_says("submission", "citation", question=named))
    for c in answer.citations:
        if c.is_page and not resolves(c, pages):
            found.append(
                _says("submission", "resolvable", question=named, file=c.file, page=c.page)
            )
    return found


def resolves(citation: Citation, pages: dict[str, int]) -> bool:
    """Whether a citation names a page the records have (a guideline always does)."""
    if not citation.is_page:
        return bool(citation.guideline.strip())
    count = pages.get(citation.file)
    return count is not None and citation.page is not None and 1 <= citation.page <= count


@dataclass(frozen=True)
class CheckItem:
    label: str
    ok: bool
    detail: str = ""


def qa_checklist(review: Review, rules: JurisdictionRules) -> tuple[CheckItem, ...]:
    """The QA checklist of a submitted review; a report passes only when every item holds."""
    unanswered = [question_words(q) for q in review.questions if review.answer_to(q.id) is None]
    uncited, unresolved = [], []
    for a in review.answers:
        if not a.citations:
            uncited.append(a.question_id)
        unresolved += [c.words() for c in a.citations if not resolves(c, review.pages)]
    r = review.reviewer
    credentials = [
        what
        for what, missing in (
            ("specialty", not r.specialties),
            ("licence", not r.licences),
        )
        if missing
    ]
    items = [
        CheckItem(
            _says("qa", "sections"),
            not unanswered,
            "unanswered: " + ", ".join(unanswered)
            if unanswered
            else f"{len(review.questions)} of {len(review.questions)} answered",
        ),
        CheckItem(
            _says("qa", "citations"),
            not uncited and not unresolved,
            "; ".join(
                part
                for part in (
                    uncited and "no citation: " + ", ".join(uncited),
                    unresolved and "not in the records: " + ", ".join(unresolved),
                )
                if part
            )
            or f"{sum(len(a.citations) for a in review.answers)} citations",
        ),
        CheckItem(
            _says("qa", "records"),
            bool(review.records),
            f"{len(review.records)} record files" if review.records else "no records listed",
        ),
        CheckItem(
            _says("qa", "credentials"),
            not credentials,
            "missing: " + ", ".join(credentials) if credentials else "; ".join(r.specialties),
        ),
    ]
    if review.service == "peer_review":
        items.append(_peer_to_peer_item(review, rules))
    return tuple(items)


def _peer_to_peer_item(review: Review, rules: JurisdictionRules) -> CheckItem:
    p2p = peer_to_peer_rule(review.jurisdiction, rules)
    adverse = [a.question_id for a in review.answers if a.adverse]
    label = _says("qa", "peer_to_peer")
    if not adverse:
        return CheckItem(label, True, "no adverse answer")
    if review.peer_to_peer:
        return CheckItem(label, True, f"{len(review.peer_to_peer)} logged")
    if p2p.before_adverse:
        return CheckItem(label, False, f"adverse answer without an offer ({p2p.citation})")
    return CheckItem(
        label,
        True,
        f"none yet: to be offered within {p2p.offer_within_days} business day(s) of delivery"
        f" ({p2p.offer_citation})",
    )


def peer_to_peer_due(
    review: Review, rules: JurisdictionRules, *, delivered: date, holidays: Container[date]
) -> tuple[date, str] | None:
    """When an adverse answer was delivered without a peer-to-peer where the jurisdiction
    lets the offer follow: the day it is due by, and the rule's citation; otherwise None."""
    if review.service != "peer_review" or review.peer_to_peer:
        return None
    if not any(a.adverse for a in review.answers):
        return None
    p2p = peer_to_peer_rule(review.jurisdiction, rules)
    if p2p.before_adverse or p2p.offer_within_days is None:
        return None
    return add_business_days(delivered, p2p.offer_within_days, holidays), p2p.offer_citation
