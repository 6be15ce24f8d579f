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

from medreview.core.reading.model import Page, SourceDocument
from medreview.core.records.classify import extract_provider, same_provider, title_kind
from medreview.core.records.dates import service_date
from medreview.core.records.heads import Head, dated_head, read_head
from medreview.core.records.text import is_fax_header

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
# A page's last line that ends a note: a full stop, or a signature.
_ENDS = re.compile(
    r"[.!?)\]]\s*$|\b(?:signed|dictated|transcribed|attested)\b|,\s*(?:M\.?D|D\.?O)\.?\s*$", re.I
)
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
    # A page without a title is dated only if its date is needed (it opens a document, or
    # the document has no date yet): most are not, and dating costs.
    dated: bool = True
    head: Head | None = None  # the letterhead, patient line, provider and date it opens with
    fresh: bool = False  # its head is followed by a heading or title, not a sentence going on
    ends: bool = False  # its last line ends a sentence or signs the note


EDGE_CHARS = 600  # enough for the edge lines of a page of ordinary lines


def _edges(text: str) -> str:
    """A page's first and last lines, where page numbers are printed, fax stamps left out."""
    lines = [ln for ln in _edge_lines(text) if not is_fax_header(ln)]
    return "\n".join(lines[:EDGE_LINES] + lines[-EDGE_LINES:])


def _edge_lines(text: str) -> list[str]:
    """A page's first and last non-blank lines (twice as many as needed, for fax stamps),
    read from its head and tail alone when the page is long."""
    n = 2 * EDGE_LINES
    if len(text) > 3 * EDGE_CHARS:
        head = [ln for ln in text[:EDGE_CHARS].splitlines()[:-1] if ln.strip()]
        tail = [ln for ln in text[-EDGE_CHARS:].splitlines()[1:] if ln.strip()]
        if len(head) >= n and len(tail) >= n:
            return head[:n] + tail[-n:]
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return lines[:n] + lines[-n:] if len(lines) > 2 * n else lines


def page_facts(page: Page) -> PageFacts:
    mark = None
    edges = _edges(page.text).splitlines()
    for line in edges:
        # Every form of page number holds "page", "of" or a slash: the others are skipped
        # before the pattern is tried (half the edge lines of a packet).
        low = line.lower()
        if "page" not in low and "of" not in low and "/" not in line:
            continue
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
    # A page that numbers itself past its first is a continuation whatever its head says.
    read = read_head(page.text) if mark is None or mark[0] == 1 else None
    opens = read.head if read is not None else None
    kind, score = title_kind(read.text if read is not None else page.text)
    head = page.text[:HEAD_CHARS]
    known = bool(kind or opens)
    day = service_date(head) if known else None
    author = extract_provider(head) if known else None
    last = [ln for ln in edges[-2:] if not _MARK.search(ln)][-1:]
    return PageFacts(
        mark=mark,
        continued=bool(_CONTINUED.search(page.text[-400:])),
        title=kind if score >= TITLE_SCORE else None,
        day=day,
        author=author,
        dated=known,
        head=dated_head(opens, author, day),
        fresh=read is not None and read.fresh,
        ends=bool(last and _ENDS.search(last[0])),
    )


def _dated(page: Page, fact: PageFacts) -> PageFacts:
    if fact.dated:
        return fact
    return replace(fact, day=service_date(page.text[:HEAD_CHARS]), dated=True)


def split_packet(
    doc: SourceDocument, facts: list[PageFacts] | None = None
) -> tuple[SourceDocument, ...]:
    """The documents a multi-page file holds, as page ranges; one document stays whole.

    `facts` are the pages' facts if they were read already (by the process that read them).
    """
    if doc.error or len(doc.pages) < 2:
        return (doc,)
    facts = facts if facts is not None else [page_facts(p) for p in doc.pages]
    splitter = PacketSplitter(doc, len(doc.pages))
    parts = [
        d for page, fact in zip(doc.pages, facts, strict=True) for d in splitter.add(page, fact)
    ]
    return (*parts, *splitter.finish())


class PacketSplitter:
    """`split_packet` page by page, for a packet still being read: each document is handed
    out as soon as the page that starts the next one is known, so it can be classified while
    the rest of the file is read. A packet of one document comes out whole, at the end."""

    def __init__(self, doc: SourceDocument, total: int) -> None:
        self._doc = doc
        self._total = total
        self._pages: list[Page] = []  # of the document begun and not yet handed out
        self._held: list[tuple[Page, PageFacts]] | None = None
        self._prev: PageFacts | None = None
        self._current: PageFacts | None = None
        self._split = False

    def add(self, page: Page, fact: PageFacts) -> list[SourceDocument]:
        if self._held is not None:
            self._held.append((page, fact))
            return []
        if self._prev is None and self._total > 2 and fact.mark == (1, self._total):
            # Perhaps a chart print numbering its pages across the documents it holds ("Page
            # 2 of 3 PowerChart"): known only at its last page, so the pages wait.
            self._held = [(page, fact)]
            return []
        return self._step(page, fact)

    def finish(self) -> list[SourceDocument]:
        out: list[SourceDocument] = []
        if self._held is not None:
            held, self._held = self._held, None
            across = all(f.mark == (i, self._total) for i, (_, f) in enumerate(held, start=1))
            for page, fact in held:
                out += self._step(page, replace(fact, mark=None) if across else fact)
        if not self._pages:
            return out
        if not self._split:
            return [*out, replace(self._doc, pages=tuple(self._pages))]
        return [*out, self._part(self._pages)]

    def _step(self, page: Page, here: PageFacts) -> list[SourceDocument]:
        out: list[SourceDocument] = []
        if self._prev is None:
            self._current = _dated(page, here)
        elif _starts_document(self._prev, here, self._current or here):
            out.append(self._part(self._pages))
            self._split = True
            self._pages = []
            self._current = _dated(page, here)
        else:
            current = self._current or here
            if current.day is None:
                here = _dated(page, here)
            self._current = PageFacts(
                current.mark,
                here.continued,
                current.title or here.title,
                current.day or here.day,
                current.author or here.author,
                head=current.head or here.head,
            )
        self._pages.append(page)
        self._prev = here
        return out

    def _part(self, pages: list[Page]) -> SourceDocument:
        first, last = pages[0].number, pages[-1].number
        return replace(
            self._doc,
            name=f"{self._doc.file}#pages={first}-{last}",
            pages=tuple(pages),
            first_page=first,
            last_page=last,
        )


def _starts_document(prev: PageFacts, here: PageFacts, current: PageFacts) -> bool:
    if here.mark is not None:
        k, _ = here.mark
        return k == 1
    if prev.mark is not None and prev.mark[1] is not None and prev.mark[0] == prev.mark[1]:
        return True
    if prev.continued:
        return False
    if here.head is not None and (current.head is None or here.head.differs_from(current.head)):
        return True
    if here.head is not None and here.fresh and prev.ends:
        return True  # the same head again, over a note begun anew after one that ended
    if here.title is None:
        return False
    if here.title != current.title:
        return True
    if here.title == "billing":
        return False  # a bill runs over pages of many dates of service
    if here.day is not None and current.day is not None and here.day != current.day:
        return True
    return bool(here.author and current.author and not same_provider(here.author, current.author))
