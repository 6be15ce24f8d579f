"""Benchmark: a long review's report rendered as a PDF (`core.review.report.render_report`).

Goal (bench/README.md): under 1 s. The review is generated, deterministic (seeded): 20
questions, each answered with a rationale of about 150 words and 10 citations (200 in all,
record pages and guidelines mixed), disputes on a few, 40 record files with their page
counts, peer-to-peer calls and two addenda. The first render (which imports fpdf2) is timed
apart; then 5 renders (3 with --quick), and their median is the figure.
"""

from __future__ import annotations

import random
import statistics
from datetime import UTC, date, datetime, timedelta

from bench.measure import Outcome, ms, timed
from medreview.core.review.model import (
    Addendum,
    Answer,
    Citation,
    PeerToPeer,
    Question,
    Review,
    Reviewer,
)
from medreview.core.vocabulary import DETERMINATIONS, QUESTION_TYPES

GOAL_S = 1.0
SEED = 20260601
QUESTIONS, CITATIONS_EACH, RECORDS, RATIONALE_WORDS = 20, 10, 40, 150
GENERATED = date(2026, 6, 1)
TEXT = (
    "the claimant reports low back pain radiating to the right leg after lifting a crate at "
    "work; examination documents reduced lumbar flexion, a positive straight leg raise, intact "
    "strength and reflexes; the MRI shows an L5-S1 disc protrusion contacting the S1 nerve "
    "root; physical therapy for eight weeks improved function; the requested epidural steroid "
    "injection is consistent with the guideline when radicular symptoms persist despite "
    "conservative care; no prior treatment of the lumbar spine is recorded"
)
WORDS = TEXT.split()
GUIDELINES = (
    ("ODG Low Back", "2026", "Epidural steroid injections"),
    ("ACOEM Practice Guidelines", "3rd edition", "Low back disorders"),
    ("MTUS Chronic Pain", "2024", "Opioids, criteria for use"),
)


def review_to_render(seed: int = SEED) -> Review:
    """A long review: 20 questions, 200 citations, 40 records."""
    rng = random.Random(seed)
    records = tuple(
        f"records/{n:02d}_{rng.choice(('ortho', 'pt', 'mri', 'er'))}.pdf" for n in range(RECORDS)
    )
    pages = {r: rng.randint(1, 60) for r in records}
    types = list(QUESTION_TYPES)
    questions = tuple(
        Question(
            f"q{n}", types[n % len(types)], f"Question {n}: {' '.join(rng.sample(WORDS, 14))}?"
        )
        for n in range(1, QUESTIONS + 1)
    )

    def citation() -> Citation:
        if rng.random() < 0.7:
            record = rng.choice(records)
            return Citation(file=record, page=rng.randint(1, pages[record]))
        name, edition, section = rng.choice(GUIDELINES)
        return Citation(guideline=name, edition=edition, section=section)

    answered = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
    answers = tuple(
        Answer(
            q.id,
            rng.choice(list(DETERMINATIONS)),
            " ".join(rng.choice(WORDS) for _ in range(RATIONALE_WORDS)).capitalize() + ".",
            citations=tuple(citation() for _ in range(CITATIONS_EACH)),
            disputes=("Strength of the right ankle plantar flexors",) if n % 5 == 0 else (),
            answered=answered + timedelta(minutes=7 * n),
        )
        for n, q in enumerate(questions)
    )
    return Review(
        service="peer_review",
        jurisdiction="NY",
        claim_number="WC-2026-0001",
        claimant="Dana Whitfield",
        questions=questions,
        answers=answers,
        records=records,
        pages=pages,
        reviewer=Reviewer(
            "Maren Holt, MD",
            "1234567893",
            ("Orthopedic surgery", "Spine surgery"),
            ("NY, expires 2027-06-30", "NJ, expires 2026-12-31"),
            True,
        ),
        attested=answered,
        attestation="I have no conflict of interest with this claim or its parties.",
        peer_to_peer=tuple(
            PeerToPeer(answered - timedelta(days=d), "Dr. Ruiz", o, "Left a message.")
            for d, o in ((3, "offered"), (2, "no_answer"), (1, "reached"))
        ),
        assigned=date(2026, 5, 15),
        submitted=date(2026, 5, 21),
        delivered=date(2026, 5, 22),
        addenda=tuple(
            Addendum(
                n,
                " ".join(rng.choice(WORDS) for _ in range(30)),
                f"q{n}",
                " ".join(rng.choice(WORDS) for _ in range(RATIONALE_WORDS)),
                citations=tuple(citation() for _ in range(3)),
                requested=date(2026, 5, 25),
                answered=date(2026, 5, 27),
            )
            for n in (1, 2)
        ),
    )


def run(quick: bool) -> Outcome:
    import pypdfium2 as pdfium

    from medreview.core.review.report import render_report

    review = review_to_render()
    first, pdf = timed(lambda: render_report(review, generated=GENERATED))
    runs = [
        timed(lambda: render_report(review, generated=GENERATED)) for _ in range(3 if quick else 5)
    ]
    median = statistics.median(seconds for seconds, _ in runs)
    document = pdfium.PdfDocument(pdf)
    pages = len(document)
    document.close()
    citations = sum(len(a.citations) for a in review.answers)
    words = sum(len(a.rationale.split()) for a in review.answers)
    return Outcome(
        name="report",
        figure=f"median {ms(median)}, {pages} pages ({median / GOAL_S:.3f}x the goal)",
        goal=f"< {GOAL_S:.0f} s",
        passed=median < GOAL_S,
        rows=[
            (
                "review",
                f"{len(review.questions)} questions, {citations} citations, "
                f"{words:,} words of rationale, {len(review.records)} records",
            ),
            ("first render (imports fpdf2)", ms(first)),
            (
                f"render_report x {len(runs)}",
                f"median {ms(median)}, min {ms(min(s for s, _ in runs))}, "
                f"max {ms(max(s for s, _ in runs))}",
            ),
            ("PDF", f"{pages} pages, {len(pdf):,} bytes"),
            ("median / goal", f"{median / GOAL_S:.3f}x (goal < {GOAL_S:.0f} s)"),
        ],
    )
