"""The report of a peer review or an IME as a PDF: what the client receives once QA passes it
(docs/workflow.md, "Report and QA").

Its rule: every question is answered in its own numbered section, in the referral's order, and
a question without an answer still gets its section, saying "Not answered": the most common
complaint about IME reports is a question left unanswered, and a reader must see the gap rather
than miss it. Then the peer-to-peer log, the records reviewed with their pages, and the
addenda, each numbered.

The PDF is set in the core Helvetica font (Latin-1 only): every string goes through `latin1`
first. The same review on the same day gives the same bytes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from medreview.core.review.model import (
    Addendum,
    Answer,
    Citation,
    Question,
    Review,
)
from medreview.core.vocabulary import DETERMINATIONS, PEER_TO_PEER_OUTCOMES, words

if TYPE_CHECKING:
    from fpdf import FPDF

TITLES = {
    "peer_review": "Peer review report",
    "ime": "Independent medical examination report",
}
LINE = 5.0  # mm, body text
KEEP_WITH_HEADING = 30.0  # mm: a heading with less room below starts the next page
# Punctuation that Latin-1 lacks, as its Latin-1 look-alike.
PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2022": "-",
        "\u2023": "-",
        "\u2043": "-",
        "\u25cf": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u200b": "",
        "\ufeff": "",
        "\t": "    ",
        "\r": "",
    }
)


def latin1(text: str) -> str:
    """The text as Helvetica can set it, never raising: Latin-1 characters kept (Zoë stays
    Zoë), common punctuation mapped (curly quotes, dashes, bullets, spaces, ellipsis), any
    other character by its NFKD decomposition without its accents ("ő" as "o", "ﬁ" as "fi"),
    and what still has no Latin-1 form as "?". Control characters but the newline become
    spaces."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text).translate(PUNCTUATION):
        if char == "\n":
            out.append(char)
        elif unicodedata.category(char) == "Cc":
            out.append(" ")
        elif ord(char) < 256:
            out.append(char)
        else:
            plain = "".join(
                c
                for c in unicodedata.normalize("NFKD", char).translate(PUNCTUATION)
                if not unicodedata.combining(c)
            )
            out.append(plain if plain and all(ord(c) < 256 for c in plain) else "?")
    return "".join(out)


def render_report(review: Review, *, generated: date) -> bytes:
    """The review's report as PDF bytes, dated `generated`."""
    title = TITLES.get(review.service, f"{words(review.service)} report")
    pdf = _document(f"Claim {review.claim_number}")
    pdf.set_title(f"{title}, claim {review.claim_number}")
    pdf.set_author(review.reviewer.name)
    pdf.set_creator("medreview")
    pdf.set_producer("medreview")
    pdf.set_creation_date(datetime.combine(generated, time(), tzinfo=UTC))
    pdf.set_compression(True)
    pdf.add_page()

    _text(pdf, title, size=16, style="B", height=8)
    _text(pdf, f"Claim number: {review.claim_number}")
    _text(pdf, f"Claimant: {review.claimant}")
    _text(pdf, f"Jurisdiction: {review.jurisdiction}")
    _text(pdf, f"Assigned: {_day(review.assigned, 'not recorded')}")
    _text(pdf, f"Submitted: {_day(review.submitted, 'not yet submitted')}")
    _text(pdf, f"Delivered: {_day(review.delivered, 'not yet delivered')}")
    _text(pdf, f"Generated: {generated.isoformat()}")

    reviewer = review.reviewer
    _heading(pdf, "Examiner" if review.service == "ime" else "Reviewer")
    _text(pdf, reviewer.name)
    _text(pdf, f"NPI: {reviewer.npi or 'not recorded'}")
    _text(pdf, f"Specialties: {', '.join(reviewer.specialties) or 'none recorded'}")
    _text(pdf, f"Licences: {'; '.join(reviewer.licences) or 'none recorded'}")
    _text(pdf, "Board certified" if reviewer.board_certified else "Not board certified")

    _heading(pdf, "Attestation")
    if review.attested is None:
        _text(pdf, "Not signed")
    else:
        signed = f"Signed {_moment(review.attested)}"
        _text(pdf, f"{signed}: {review.attestation}" if review.attestation else signed)

    for number, question in enumerate(review.questions, start=1):
        _question(pdf, number, question, review.answer_to(question.id))

    _heading(pdf, "Peer-to-peer")
    if not review.peer_to_peer:
        _text(pdf, "None logged")
    for call in review.peer_to_peer:
        outcome = PEER_TO_PEER_OUTCOMES.get(call.outcome, words(call.outcome))
        _text(pdf, f"{_moment(call.at)}, with {call.with_whom}: {outcome}")
        if call.note:
            _text(pdf, call.note, indent=6)

    _heading(pdf, "Records reviewed")
    if not review.records:
        _text(pdf, "None listed")
    for number, record in enumerate(review.records, start=1):
        pages = review.pages.get(record)
        counted = "" if pages is None else f" ({pages} page{'' if pages == 1 else 's'})"
        _text(pdf, f"{number}. {record}{counted}")

    numbers = {q.id: (n, q) for n, q in enumerate(review.questions, start=1)}
    for addendum in review.addenda:
        _addendum(pdf, addendum, numbers)
    return bytes(pdf.output())


def _question(pdf: FPDF, number: int, question: Question, answer: Answer | None) -> None:
    _heading(pdf, f"{number}. {question.text}")
    _text(pdf, words(question.type), style="I")
    if answer is None:
        _text(pdf, "Not answered", style="B")
        return
    determination = DETERMINATIONS.get(answer.determination, words(answer.determination))
    _text(pdf, f"Determination: {determination}", style="B")
    if answer.answered is not None:
        _text(pdf, f"Answered {_moment(answer.answered)}")
    _text(pdf, "Rationale:", style="B")
    _text(pdf, answer.rationale or "None given")
    _citations(pdf, answer.citations)
    if answer.disputes:
        _text(pdf, "Disputes for an examination:", style="B")
        _items(pdf, answer.disputes)


def _addendum(pdf: FPDF, addendum: Addendum, numbers: dict[str, tuple[int, Question]]) -> None:
    _heading(pdf, f"Addendum {addendum.number}")
    _text(pdf, f"Requested: {_day(addendum.requested, 'not recorded')}")
    _text(pdf, f"Answered: {_day(addendum.answered, 'not yet answered')}")
    if addendum.question_id is not None:
        found = numbers.get(addendum.question_id)
        concerns = f"{found[0]}: {found[1].text}" if found else addendum.question_id
        _text(pdf, f"Concerns question {concerns}")
    _text(pdf, "Request:", style="B")
    _text(pdf, addendum.request or "None given")
    _text(pdf, "Response:", style="B")
    _text(pdf, addendum.response or "Not yet answered")
    _citations(pdf, addendum.citations)


def _citations(pdf: FPDF, citations: Iterable[Citation]) -> None:
    named = [c.words() for c in citations]
    if not named:
        _text(pdf, "Citations: none", style="B")
        return
    _text(pdf, "Citations:", style="B")
    _items(pdf, named)


def _document(label: str) -> FPDF:
    """A letter-size document whose every page ends with `label`, the page and the count."""
    from fpdf import FPDF

    class Report(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", "", 8)
            self.cell(0, 5, latin1(f"{label} · page {self.page_no()} of {{nb}}"), align="C")

    pdf = Report(orientation="portrait", unit="mm", format="letter")
    pdf.set_margins(left=20, top=18, right=20)
    pdf.set_auto_page_break(True, margin=20)
    return pdf


def _heading(pdf: FPDF, text: str) -> None:
    """A section's heading, on a new page when too little of this one is left to follow it."""
    if pdf.get_y() > pdf.page_break_trigger - KEEP_WITH_HEADING:
        pdf.add_page()
    else:
        pdf.ln(3)
    _text(pdf, text, size=12, style="B", height=6)


def _items(pdf: FPDF, items: Iterable[str]) -> None:
    for item in items:
        _text(pdf, f"- {item}", indent=6)


def _text(
    pdf: FPDF,
    text: str,
    *,
    size: float = 10,
    style: str = "",
    height: float = LINE,
    indent: float = 0,
) -> None:
    """One paragraph over the whole width (less `indent`), wrapped, its newlines kept."""
    from fpdf.enums import XPos, YPos

    pdf.set_font("Helvetica", style, size)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(0, height, latin1(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _day(day: date | None, otherwise: str) -> str:
    return day.isoformat() if day is not None else otherwise


def _moment(at: datetime) -> str:
    """A date and time to the minute, with its time zone when it has one."""
    return at.strftime("%Y-%m-%d %H:%M %Z").strip()
