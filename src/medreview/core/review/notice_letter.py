"""The claimant's notice letter of an IME as a PDF (docs/workflow.md, "IME"): the day and time,
the office's address and how to arrive, the examiner, what to bring, whether an interpreter
(in which language) and transport are booked, the rights the claim's jurisdiction names, and
the claim number.

What to bring, how to arrive and the rights by jurisdiction, each with its citation, are data
(`data/claimant_notice.toml`). The letter is set as the reports are (`report.py`: the core
Helvetica font, Latin-1 only); the same letter on the same day gives the same bytes.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache
from importlib import resources
from typing import Any

from medreview.core.review.report import _document, _heading, _items, _text

TITLE = "Notice of an independent medical examination"


@dataclass(frozen=True)
class Right:
    says: str
    citation: str
    jurisdiction: str


@dataclass(frozen=True)
class NoticeLetter:
    """What the letter tells the claimant of one appointment."""

    claim_number: str
    claimant: str
    jurisdiction: str
    examiner: str
    start: datetime  # the office's wall clock
    minutes: int
    address: str
    zip: str
    interpreter: bool
    language: str  # ISO 639-1, the claimant's
    transport: bool
    sent: date


@dataclass(frozen=True)
class NoticeRules:
    arrive: str
    bring: tuple[str, ...]
    rights: tuple[Right, ...]
    languages: dict[str, str]

    def rights_in(self, jurisdiction: str) -> tuple[Right, ...]:
        """The rights the jurisdiction names, then the desk's own line for every claimant."""
        own = tuple(r for r in self.rights if r.jurisdiction == jurisdiction)
        return own + tuple(r for r in self.rights if r.jurisdiction == "*")

    def language(self, code: str) -> str:
        code = (code or "en").strip().lower()
        return self.languages.get(code, code)


@lru_cache(maxsize=1)
def notice_rules() -> NoticeRules:
    text = resources.files("medreview.data").joinpath("claimant_notice.toml").read_text()
    raw: dict[str, Any] = tomllib.loads(text)
    rights = []
    for n, row in enumerate(raw.get("rights", []), start=1):
        if not row.get("says") or not row.get("citation") or not row.get("jurisdiction"):
            raise ValueError(f"claimant_notice.toml, right {n}: says, citation and jurisdiction")
        rights.append(Right(str(row["says"]), str(row["citation"]), str(row["jurisdiction"])))
    return NoticeRules(
        arrive=str(raw["arrive"]),
        bring=tuple(str(x) for x in raw["bring"]),
        rights=tuple(rights),
        languages={str(k): str(v) for k, v in raw.get("languages", {}).items()},
    )


def when(start: datetime) -> str:
    """`Monday 14 December 2026 at 9:00 AM`."""
    hour = start.hour % 12 or 12
    return f"{start:%A} {start.day} {start:%B %Y} at {hour}:{start:%M} {'AM' if start.hour < 12 else 'PM'}"


def render_notice_letter(letter: NoticeLetter) -> bytes:
    """The letter as PDF bytes."""
    rules = notice_rules()
    pdf = _document(f"Claim {letter.claim_number}")
    pdf.set_title(f"{TITLE}, claim {letter.claim_number}")
    pdf.set_author("medreview")
    pdf.set_creator("medreview")
    pdf.set_producer("medreview")
    pdf.set_creation_date(datetime.combine(letter.sent, time(), tzinfo=UTC))
    pdf.set_compression(True)
    pdf.add_page()

    _text(pdf, TITLE, size=16, style="B", height=8)
    _text(pdf, f"Date of this notice: {letter.sent.day} {letter.sent:%B %Y}")
    _text(pdf, f"Claim number: {letter.claim_number}")
    _text(pdf, f"To: {letter.claimant}")
    _text(
        pdf,
        "An independent medical examination has been arranged for your claim. Please come at"
        " the time and place below.",
    )

    _heading(pdf, "When")
    _text(pdf, f"{when(letter.start)} (about {letter.minutes} minutes)", style="B")

    _heading(pdf, "Where")
    _text(pdf, f"{letter.address} (ZIP {letter.zip})", style="B")
    _text(pdf, f"Directions: go to {letter.address}. {rules.arrive}")

    _heading(pdf, "Examiner")
    _text(pdf, letter.examiner)

    _heading(pdf, "What to bring")
    _items(pdf, rules.bring)

    _heading(pdf, "Interpreter and transport")
    language = rules.language(letter.language)
    if letter.interpreter:
        _text(pdf, f"Interpreter: booked, in {language}. The interpreter meets you there.")
    else:
        _text(
            pdf,
            f"Interpreter: none booked (the examination is held in {rules.language('en')}). If"
            " you need one, call us before the day.",
        )
    if letter.transport:
        _text(pdf, "Transport: booked for you, to the examination and back.")
    else:
        _text(pdf, "Transport: none booked. If you cannot get there, call us before the day.")

    _heading(pdf, "Your rights")
    _items(
        pdf,
        [
            f"{r.says} ({_cited(r, letter.jurisdiction)})"
            for r in rules.rights_in(letter.jurisdiction)
        ],
    )
    return bytes(pdf.output())


def _cited(right: Right, jurisdiction: str) -> str:
    if right.jurisdiction == "*":
        return right.citation
    return f"{jurisdiction}: {right.citation}"
