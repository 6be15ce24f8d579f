"""Splitting a records packet (one PDF holding many documents) into page ranges.

A new document starts on a page that numbers itself "page 1 of N", after a page that said it
was the last of its document, or on a page that opens with a document title of its own and
changes the date of service or the author. A page that numbers itself "page 2" or follows a
"(continued)" stays with the one before. Fax transmission headers ("P. 3/12") are not the
document's own page numbers and are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from medreview.reader.model import Page, SourceDocument
from medreview.rules.classify import extract_provider, same_provider, title_kind
from medreview.rules.dates import service_date
from medreview.rules.text import is_fax_header

_MARK = re.compile(
    r"\bpage\s*(?P<k>\d{1,3})\s*(?:of|/)\s*(?P<n>\d{1,3})\b"
    r"|(?:^|\s[-|–]\s)(?P<k2>\d{1,3})\s*/\s*(?P<n2>\d{1,3})\s*$"
    r"|\bpage\s+(?P<k3>\d{1,3})\b(?!\s*(?:of|/))"
    r"|(?P<k4>\d{1,3})\s+of\s+(?P<n4>\d{1,3})\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_CONTINUED = re.compile(
    r"\(continued\)|\bcontinued (on|to) (page|the next page|next page|reverse)\b|\bcont'?d\b\s*$",
    re.I | re.M,
)
TITLE_SCORE = 5
# "Pain 6/10", "VAS 3/10": scores, not page numbers.
_SCORE_LINE = re.compile(r"\b(pain|vas|nrs|score|scale|rated?|rating|level)\b", re.I)
EDGE_LINES = 3
HEAD_CHARS = 1200  # where a page that opens a document names its date and author


@dataclass(frozen=True)
class PageFacts:
    """What a page says of where it sits: its page number, title, date and author."""

    mark: tuple[int, int | None] | None
    continued: bool
    title: str | None
    day: date | None
    author: str | None


def _edges(text: str) -> str:
    """A page's first and last lines, where page numbers are printed, fax stamps left out."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) > 4 * EDGE_LINES:
        lines = lines[: 2 * EDGE_LINES] + lines[-2 * EDGE_LINES :]
    lines = [ln for ln in lines if not is_fax_header(ln)]
    return "\n".join(lines[:EDGE_LINES] + lines[-EDGE_LINES:])


def page_facts(page: Page) -> PageFacts:
    mark = None
    for line in _edges(page.text).splitlines():
        m = _MARK.search(line)
        if m is None:
            continue
        k = m.group("k") or m.group("k2") or m.group("k3") or m.group("k4")
        n = m.group("n") or m.group("n2") or m.group("n4")
        k_i, n_i = int(k), (int(n) if n else None)
        if n_i is not None and not (1 <= k_i <= n_i <= 500):
            continue
        if not m.group("k") and not m.group("k3") and _SCORE_LINE.search(line):
            continue
        mark = (k_i, n_i)
        break
    kind, score = title_kind(page.text)
    head = page.text[:HEAD_CHARS]
    return PageFacts(
        mark=mark,
        continued=bool(_CONTINUED.search(page.text[-400:])),
        title=kind if score >= TITLE_SCORE else None,
        day=service_date(head),
        author=extract_provider(head) if kind else None,
    )


def split_packet(
    doc: SourceDocument, facts: list[PageFacts] | None = None
) -> tuple[SourceDocument, ...]:
    """The documents a multi-page file holds, as page ranges; one document stays whole.

    `facts` are the pages' facts if they were read already (by the process that read them).
    """
    if doc.error or len(doc.pages) < 2:
        return (doc,)
    facts = facts if facts is not None else [page_facts(p) for p in doc.pages]
    if _numbered_as_one_print(facts):
        # A chart print numbers its pages across the documents it holds ("Page 2 of 3
        # PowerChart"): those numbers say nothing of where each document begins.
        facts = [replace(f, mark=None) for f in facts]
    starts = [0]
    current = facts[0]
    for i in range(1, len(doc.pages)):
        prev, here = facts[i - 1], facts[i]
        if _starts_document(prev, here, current):
            starts.append(i)
            current = here
        else:
            current = PageFacts(
                current.mark,
                here.continued,
                current.title or here.title,
                current.day or here.day,
                current.author or here.author,
            )
    if len(starts) == 1:
        return (doc,)
    parts = []
    for a, b in zip(starts, [*starts[1:], len(doc.pages)], strict=True):
        pages = doc.pages[a:b]
        first, last = pages[0].number, pages[-1].number
        parts.append(
            replace(
                doc,
                name=f"{doc.file}#pages={first}-{last}",
                pages=pages,
                first_page=first,
                last_page=last,
            )
        )
    return tuple(parts)


def _numbered_as_one_print(facts: list[PageFacts]) -> bool:
    total = len(facts)
    return total > 2 and all(f.mark == (i, total) for i, f in enumerate(facts, start=1))


def _starts_document(prev: PageFacts, here: PageFacts, current: PageFacts) -> bool:
    if here.mark is not None:
        k, _ = here.mark
        return k == 1
    if prev.mark is not None and prev.mark[1] is not None and prev.mark[0] == prev.mark[1]:
        return True
    if prev.continued:
        return False
    if here.title is None:
        return False
    if here.title != current.title:
        return True
    if here.title == "billing":
        return False  # a bill runs over pages of many dates of service
    if here.day is not None and current.day is not None and here.day != current.day:
        return True
    return bool(here.author and current.author and not same_provider(here.author, current.author))
