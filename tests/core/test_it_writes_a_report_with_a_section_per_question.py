"""The report of a review is a PDF with a numbered section per question, in order, and an
unanswered question still has its section, saying so (docs/workflow.md, "Report and QA"). Its
citations name file and page or the guideline, edition and section; the reviewer's licences
and board certification, the records reviewed and the addenda are there. Odd text (outside
Latin-1, a 300-character token) renders rather than raising."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pypdfium2 as pdfium

from medreview.core.review.model import (
    Addendum,
    Answer,
    Citation,
    PeerToPeer,
    Question,
    Review,
    Reviewer,
)
from medreview.core.review.report import latin1, render_report

GENERATED = date(2026, 6, 1)
QUESTIONS = (
    Question("q1", "causation", "Is the right shoulder tear caused by the fall of 2026-02-03?"),
    Question("q2", "medical_necessity", "Is the requested arthroscopic repair necessary?"),
    Question("q3", "future_care", "What further care will the claimant need?"),
)
GUIDELINE = Citation(guideline="ODG Shoulder", edition="2026", section="Rotator cuff repair")


def review(**changes: object) -> Review:
    made = Review(
        service="peer_review",
        jurisdiction="NY",
        claim_number="WC-2026-0417",
        claimant="Dana Whitfield",
        questions=QUESTIONS,
        answers=(
            Answer(
                "q1",
                "supported",
                "The fall is documented the same day; the MRI shows an acute tear.",
                citations=(Citation(file="ortho_notes.pdf", page=3), GUIDELINE),
                answered=datetime(2026, 5, 20, 14, 30, tzinfo=UTC),
            ),
            Answer(
                "q2",
                "needs_exam",
                "Strength testing is not recorded.",
                citations=(Citation(file="mri_shoulder.pdf", page=1),),
                disputes=("Supraspinatus strength against resistance",),
            ),
        ),
        records=("ortho_notes.pdf", "mri_shoulder.pdf", "pt_daily.pdf"),
        pages={"ortho_notes.pdf": 6, "mri_shoulder.pdf": 1},
        reviewer=Reviewer(
            name="Maren Holt, MD",
            npi="1234567893",
            specialties=("Orthopedic surgery",),
            licences=("NY, expires 2027-06-30",),
            board_certified=True,
        ),
        attested=datetime(2026, 5, 20, 15, 0, tzinfo=UTC),
        attestation="I have no conflict of interest with this claim.",
        peer_to_peer=(
            PeerToPeer(
                datetime(2026, 5, 19, 10, 0, tzinfo=UTC), "Dr. Ruiz", "reached", "Discussed MRI."
            ),
        ),
        assigned=date(2026, 5, 18),
        submitted=date(2026, 5, 20),
        addenda=(
            Addendum(
                1,
                "Please address the prior 2024 shoulder strain.",
                "q1",
                "The 2024 strain resolved by 2024-09; it does not change the answer.",
                citations=(Citation(file="ortho_notes.pdf", page=5),),
                requested=date(2026, 5, 25),
                answered=date(2026, 5, 27),
            ),
        ),
    )
    return replace(made, **changes)  # type: ignore[arg-type]


def text_of(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()
    return " ".join(" ".join(page.split()) for page in pages)


def test_every_question_has_its_numbered_section_in_order_and_the_report_cites() -> None:
    pdf = render_report(review(), generated=GENERATED)
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    sections = [text.index(f"{n}. {q.text}") for n, q in enumerate(QUESTIONS, start=1)]
    assert sections == sorted(sections)
    first, second, third = sections
    assert "Determination: Supported" in text[first:second]
    assert "Determination: Needs an examination" in text[second:third]
    assert "Not answered" in text[third:] and "Not answered" not in text[:third]
    assert "Causation" in text[first:second] and "Future care" in text[third:]
    assert "ortho_notes.pdf, page 3" in text[first:second]
    assert "ODG Shoulder, 2026, section Rotator cuff repair" in text[first:second]
    assert "Supraspinatus strength against resistance" in text[second:third]

    assert text.startswith("Peer review report")
    assert "WC-2026-0417" in text and "Dana Whitfield" in text
    assert "Delivered: not yet delivered" in text and "Generated: 2026-06-01" in text
    assert "NY, expires 2027-06-30" in text and "Board certified" in text
    assert "Not board certified" not in text
    assert "Signed 2026-05-20 15:00 UTC: I have no conflict" in text
    assert "Dr. Ruiz: Reached: call held" in text
    records = text.index("Records reviewed")
    assert "1. ortho_notes.pdf (6 pages)" in text[records:]
    assert "2. mri_shoulder.pdf (1 page)" in text[records:]
    assert "3. pt_daily.pdf" in text[records:]
    addendum = text.index("Addendum 1")
    assert addendum > records
    assert "ortho_notes.pdf, page 5" in text[addendum:]
    assert f"Concerns question 1: {QUESTIONS[0].text}" in text[addendum:]
    pages = len(pdfium.PdfDocument(pdf))
    assert pages >= 2
    assert all(f"Claim WC-2026-0417 · page {n} of {pages}" in text for n in range(1, pages + 1))


def test_the_same_review_on_the_same_day_gives_the_same_bytes() -> None:
    assert render_report(review(), generated=GENERATED) == render_report(
        review(), generated=GENERATED
    )


def test_an_ime_without_answers_addenda_or_calls_still_lists_every_question() -> None:
    text = text_of(
        render_report(
            review(service="ime", answers=(), addenda=(), peer_to_peer=(), attested=None),
            generated=GENERATED,
        )
    )
    assert text.startswith("Independent medical examination report")
    assert text.count("Not answered") == 3
    assert "None logged" in text and "Not signed" in text and "Addend" not in text


def test_odd_text_renders_and_its_readable_part_appears() -> None:
    name = "Zoë Ñúñez — MD “quoted” ✓ 漢"
    token = "".join(chr(ord("a") + i % 26) for i in range(300))
    odd = review(
        reviewer=replace(review().reviewer, name=name, board_certified=False),
        questions=(*QUESTIONS[:2], Question("q3", "future_care", f"{token}\twith\ttabs\n\n")),
        claimant="",
    )
    text = text_of(render_report(odd, generated=GENERATED))
    assert 'Zoë Ñúñez - MD "quoted" ? ?' in text
    assert "Not board certified" in text
    assert token[:40] in text and token[-40:] in text.replace(" ", "")


def test_any_string_becomes_latin1_without_raising() -> None:
    assert latin1("‘a’ – b … c\u00a0d • e") == "'a' - b ... c d - e"
    assert latin1("Őrség ﬁle ①") == "Orség file 1"  # é is Latin-1, Ő is not
    assert latin1("") == ""
    assert latin1("a\x00b\r\nc") == "a b\nc"
    odd = "".join(chr(c) for c in range(0, 0x3000, 7))
    assert latin1(odd).encode("latin-1")
