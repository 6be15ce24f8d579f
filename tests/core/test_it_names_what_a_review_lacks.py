"""A review is submitted only whole: the attestation signed, every question answered with a
rationale and a citation that resolves to a page, and, where the jurisdiction wants it, a
peer-to-peer offered before an adverse answer (Texas, 28 TAC 19.2010). Each refusal names
what is missing; QA's checklist reads the same review."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from medreview.core.network.jurisdictions import default_rules
from medreview.core.review.model import (
    Answer,
    Citation,
    PeerToPeer,
    Question,
    Review,
    Reviewer,
)
from medreview.core.review.rules import missing_for_submission, peer_to_peer_due, qa_checklist

RULES = default_rules()
PAGE = Citation(file="records/ortho.pdf", page=2)
WHOLE = Review(
    service="peer_review",
    jurisdiction="NY",
    claim_number="NY-1",
    claimant="Test Claimant",
    questions=(
        Question("q1", "medical_necessity", "Is the arthroscopy necessary?"),
        Question("q2", "range_of_motion", "What is the range of motion?"),
    ),
    answers=(
        Answer("q1", "supported", "Six weeks of therapy failed.", (PAGE,)),
        Answer("q2", "needs_exam", "Not measured.", (Citation(guideline="ODG Knee"),)),
    ),
    records=("records/ortho.pdf",),
    pages={"records/ortho.pdf": 3},
    reviewer=Reviewer("Dana Reyes, MD", "1234567893", ("Orthopaedic Surgery",), ("NY",), True),
    attested=datetime(2026, 12, 1, 9, 0),
)


def test_a_whole_review_lacks_nothing_and_passes_every_check() -> None:
    assert missing_for_submission(WHOLE, RULES) == ()
    assert all(item.ok for item in qa_checklist(WHOLE, RULES))


def test_it_names_each_thing_missing_in_order() -> None:
    bare = replace(
        WHOLE,
        attested=None,
        answers=(Answer("q1", "supported", "  ", ()),),
    )
    assert missing_for_submission(bare, RULES) == (
        "the no-conflict attestation is not signed",
        "the answer to question q1 (Medical necessity) has no rationale",
        "the answer to question q1 (Medical necessity) cites no record page and no guideline",
        "question q2 (Range of motion) is not answered",
    )


def test_a_citation_must_resolve_to_a_page_of_the_records() -> None:
    beyond = replace(
        WHOLE,
        answers=(
            Answer("q1", "supported", "Yes.", (Citation("records/ortho.pdf", 9),)),
            WHOLE.answers[1],
        ),
    )
    assert missing_for_submission(beyond, RULES) == (
        "the answer to question q1 (Medical necessity) cites records/ortho.pdf, page 9, which"
        " the records do not have",
    )
    check = {i.label: i for i in qa_checklist(beyond, RULES)}
    assert not check["Citations present and resolvable to a page"].ok


def test_texas_wants_a_peer_to_peer_offer_before_an_adverse_answer() -> None:
    adverse = replace(
        WHOLE,
        jurisdiction="TX",
        answers=(Answer("q1", "not_supported", "No.", (PAGE,)), WHOLE.answers[1]),
    )
    (refusal,) = missing_for_submission(adverse, RULES)
    assert refusal.startswith("the answer to question q1 (Medical necessity) is adverse and no")
    assert "TX: 28 TAC 19.2010" in refusal
    offered = replace(
        adverse, peer_to_peer=(PeerToPeer(datetime(2026, 12, 1, 10), "Dr Chen", "no_answer"),)
    )
    assert missing_for_submission(offered, RULES) == ()
    # New York lets the offer follow the adverse answer, within one business day (URAC).
    assert missing_for_submission(replace(adverse, jurisdiction="NY"), RULES) == ()
    due, cited = peer_to_peer_due(
        replace(adverse, jurisdiction="NY"), RULES, delivered=date(2026, 12, 4), holidays=()
    ) or (None, "")
    assert due == date(2026, 12, 7) and "URAC UM 16" in cited  # Friday, then Monday


def test_qa_checks_the_reviewers_credentials_and_the_records_listed() -> None:
    unstated = replace(
        WHOLE, records=(), reviewer=replace(WHOLE.reviewer, licences=(), specialties=())
    )
    failing = {i.label: i.detail for i in qa_checklist(unstated, RULES) if not i.ok}
    assert failing == {
        "Records reviewed listed": "no records listed",
        "The reviewer's credentials stated (specialty, licence, board certification)": (
            "missing: specialty, licence"
        ),
    }
