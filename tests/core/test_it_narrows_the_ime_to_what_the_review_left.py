"""After a peer review, the IME holds only the questions the reviewer said need an
examination (and any left unanswered), with the disputes the reviewer named; with none left
the IME is avoided, and its fee is the fee schedule's."""

from __future__ import annotations

from dataclasses import replace

from test_it_names_what_a_review_lacks import WHOLE

from medreview.core.review.model import Answer, Citation
from medreview.core.review.narrowing import fee, narrow


def test_only_the_questions_needing_an_exam_are_left() -> None:
    with_disputes = replace(
        WHOLE,
        answers=(
            WHOLE.answers[0],
            Answer(
                "q2",
                "needs_exam",
                "Not measured.",
                (Citation(guideline="ODG"),),
                ("flexion of the right knee", "flexion of the right knee", " "),
            ),
        ),
    )
    left = narrow(with_disputes)
    assert [q.id for q in left.questions] == ["q2"]
    assert left.disputes == ("flexion of the right knee",)
    assert not left.avoided


def test_an_ime_is_avoided_when_the_records_answer_everything() -> None:
    answered = replace(
        WHOLE, answers=(WHOLE.answers[0], replace(WHOLE.answers[1], determination="supported"))
    )
    assert narrow(answered).avoided


def test_the_fee_avoided_is_the_jurisdictions_or_the_default() -> None:
    assert fee("CA", "ime").amount == 2015 and "ML201" in fee("CA", "ime").citation
    assert fee("NY", "ime").amount == 1800
