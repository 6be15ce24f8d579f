"""One generated record (a note, report or bill) laid out as pages of styled lines.

A record of n pages opens with its facility's header and title, carries a short continuation
header on later pages, ends with its assessment, plan and signature, and numbers each page
"Page k of n" at its foot, as the records in `examples/` do. Each page holds about 1,600 to
2,350 characters: sections are drawn until the page's budget is spent, and a paragraph that
does not fit runs on to the next page.
"""

from __future__ import annotations

import random
import textwrap
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from bench.clinical import paragraph, us
from bench.story import CLAIM, CLAIMANT, DOB, Facility

Line = tuple[str, str]  # (style, text); style is title, head, text, mono or blank
WRAP = 100
MAX_LINES = 50
BLANK: Line = ("blank", "")


@dataclass(frozen=True)
class Page:
    lines: tuple[Line, ...]
    footer: str


@dataclass(frozen=True)
class Record:
    kind: str
    day: date
    pages: tuple[Page, ...]


@dataclass(frozen=True)
class Section:
    heading: str
    templates: Sequence[str]
    lo: int
    hi: int


def wrapped(text: str, style: str = "text") -> list[Line]:
    return [(style, line) for line in textwrap.wrap(text, WRAP)]


def numbered(items: Sequence[str]) -> list[Line]:
    out: list[Line] = []
    for i, item in enumerate(items, 1):
        first, *rest = textwrap.wrap(f"{i}. {item}", WRAP)
        out.append(("text", first))
        out.extend(("text", f"   {line}") for line in textwrap.wrap(" ".join(rest), WRAP - 3))
    return out


def signature(author: str, day: date, rng: random.Random) -> list[Line]:
    clock = f"{rng.randint(8, 19):02d}:{rng.randint(0, 59):02d}"
    return [BLANK, ("text", author), ("text", f"Electronically signed {us(day)} {clock}")]


def header(facility: Facility, title: str, details: Sequence[str]) -> list[Line]:
    return [
        ("title", facility.name),
        ("text", facility.address),
        ("head", title),
        BLANK,
        *(("text", d) for d in details),
        BLANK,
    ]


def section_stream(
    sections: Sequence[Section], rng: random.Random, day: date
) -> Iterator[list[Line]]:
    """Blocks of a record's body: each section in turn, then again as "(continued)"."""
    rounds = 0
    while True:
        for s in sections:
            heading = s.heading if rounds == 0 else f"{s.heading} (continued)"
            text = paragraph(s.templates, rng, day, s.lo, s.hi)
            yield [("head", heading), *wrapped(text), BLANK]
        rounds += 1


def _chars(lines: Sequence[Line]) -> int:
    return sum(len(t) + 1 for _, t in lines)


def paginate(
    n_pages: int,
    first: Sequence[Line],
    later: Sequence[Line],
    body: Iterator[list[Line]],
    closing: Sequence[Line],
    rng: random.Random,
    footer: Callable[[int, int], str] = lambda k, n: f"Page {k} of {n}",
) -> tuple[Page, ...]:
    """Fill n pages from the body stream, leaving room for the closing lines on the last."""
    pending: deque[Line] = deque()
    pages = []
    for k in range(1, n_pages + 1):
        lines = list(first if k == 1 else later)
        reserve = _chars(closing) if k == n_pages else 0
        room = MAX_LINES - (len(closing) if k == n_pages else 0)
        budget = rng.randint(1600, 2350) - reserve
        while _chars(lines) < budget and len(lines) < room:
            if not pending:
                pending.extend(next(body))
            lines.append(pending.popleft())
        while lines[-1] == BLANK or lines[-1][0] == "head":
            dropped = lines.pop()
            if dropped[0] == "head":
                pending.appendleft(dropped)
        if k == n_pages:
            lines.extend(closing)
        pages.append(Page(tuple(lines), footer(k, n_pages)))
    return tuple(pages)


def continuation(facility: Facility, what: str, day: date) -> list[Line]:
    return [
        ("text", f"{facility.name} - {what} {us(day)} (continued)"),
        ("text", f"Patient: {CLAIMANT}     DOB: {DOB}     Claim #: {CLAIM}"),
        BLANK,
    ]
