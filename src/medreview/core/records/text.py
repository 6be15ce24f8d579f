"""Text helpers shared by the rules: header zone, sentences, unwrapping flattened transcriptions."""

from __future__ import annotations

import re
import unicodedata

# Transcription exports often flatten a note onto one line: "CHIEF COMPLAINT:, Pain.,HPI:, ...".
_FLAT_HEADER = re.compile(r",\s*(?=[A-Z][A-Z0-9 /&()'-]{2,50}:)")
# Fax transmission stamps: "FROM: ... TO: ... P. 3/9", "... FAX 4175550103 ... 002/002",
# "Received 07/08/2026 14:22 ... Page 3 of 9 ... Fax". One pattern per form, each tried only
# when the line holds the words it needs: most lines of a page hold none.
_FAX_FROM = re.compile(r"\bFROM\s*:", re.I)
_FAX_TO_PAGE = re.compile(r"\bTO\s*:.*\bP\.?\s*\d+\s*/\s*\d+", re.I)
_FAX_TIME = re.compile(r"^(?=.*\bfax\b)(?=.*\d{1,2}:\d\d)", re.I)
_FAX_DATE_TIME_PAGE = re.compile(
    r"^\s*\d{1,2}/\d{1,2}/\d{2,4}\s+(?:[A-Z]{3}\s+)?\d{1,2}:\d\d\b.*\b\d{1,4}\s*/\s*\d{1,4}\s*$",
    re.I,
)


# Any other stamp a fax machine prints: a short line that holds a date, a time of day and a
# page count or a telephone number, and no sentence ("Dec 01 2026 02:32PM Riverside Ortho
# (555) 123-4567 p.3", "12-01-26 14:32 PAGE 3 OF 27").
_STAMP_DATE = re.compile(
    r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b(?:19|20)\d\d-\d\d-\d\d\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[ -]+\d{1,2},?[ -]+\d{2,4}\b"
    r"|\b\d{1,2}[ -](?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[ -]+\d{2,4}\b",
    re.I,
)
_STAMP_TIME = re.compile(r"(?<![\d:])\d{1,2}:\d\d(?::\d\d)?(?![\d:])")
_STAMP_COUNT_OR_PHONE = re.compile(
    r"\bp(?:g|age)?\.?[ \t]*#?[ \t]*\d{1,4}\b|\b\d{1,4}[ \t]+of[ \t]+\d{1,4}[ \t]*$|\b0\d\d/\d{3}\b"
    r"|\(?\b\d{3}\)?[ .-]?\d{3}[ .-]\d{4}\b|\b\d{10}\b",
    re.I,
)
_PROSE_WORDS = re.compile(r"\b[a-z]{3,}\b")


# The line naming the patient: "Patient: DOE, JANE", "RE: Jane Doe", "Claimant #: ...".
PATIENT_LINE = re.compile(
    r"^\W*(?:patient(?:'s)?(?:\s+name)?|pt\.?(?:\s+name)?|name|re|regarding|claimant|"
    r"injured\s+worker|employee|member|client)\s*[:#]",
    re.I,
)


def unflatten(text: str) -> str:
    """Put back the line breaks of a note flattened onto a single line."""
    if len(text) > 300 and text.count("\n") < 3:
        return _FLAT_HEADER.sub("\n", text)
    return text


FAX_HEADER_MAX = 200  # a transmission stamp is one short line


def is_fax_header(line: str) -> bool:
    # Every form of stamp holds a colon (FROM:, a time) or a slash (P. 3/9, a date).
    if len(line) > FAX_HEADER_MAX or (":" not in line and "/" not in line):
        return False
    low = line.lower()
    return bool(
        ("from" in low and _FAX_FROM.search(line))
        or ("to" in low and "p" in low and "/" in line and _FAX_TO_PAGE.search(line))
        or ("fax" in low and ":" in line and _FAX_TIME.search(line))
        or (line.lstrip()[:1].isdecimal() and _FAX_DATE_TIME_PAGE.search(line))
        or _is_other_stamp(line)
    )


def _is_other_stamp(line: str) -> bool:
    return bool(
        ":" in line
        and _STAMP_TIME.search(line)
        and _STAMP_DATE.search(line)
        and _STAMP_COUNT_OR_PHONE.search(_STAMP_TIME.sub(" ", _STAMP_DATE.sub(" ", line)))
        and len(_PROSE_WORDS.findall(line)) <= 3
    )


def header_zone(text: str, *, lines: int = 8, chars: int = 500) -> str:
    """A document's title and header: its first lines, and the capitalised title lines a
    little further down; fax stamps and the body's sentences left out."""
    kept: list[str] = []
    seen = 0
    # Only the head of the text is split into lines: a header is never far down.
    for line in text[: 200 * (lines + 2)].splitlines():
        if not line.strip() or (not kept and is_fax_header(line)):
            continue
        seen += 1
        if seen > lines + 2:
            break
        if seen <= lines // 2 or is_title_line(line):
            kept.append(line)
    return "\n".join(kept)[:chars]


_CAPITALS = bytes(range(ord("A"), ord("Z") + 1))
_LETTERS = _CAPITALS + bytes(range(ord("a"), ord("z") + 1))


def is_title_line(line: str) -> bool:
    """A heading: mostly capitals ("PROGRESS NOTE", "H&P"), or a few words with no sentence."""
    if line.isascii():  # counted in C: the bytes left when capitals (letters) are deleted
        raw = line.encode("ascii")
        upper = len(raw) - len(raw.translate(None, _CAPITALS))
        letters = len(raw) - len(raw.translate(None, _LETTERS))
    else:
        upper = sum(c.isupper() for c in line)
        letters = sum(c.isalpha() for c in line)
    if letters < 2:
        return False
    if upper / letters >= 0.6:
        return True
    words = line.split()
    return (
        len(words) <= 6
        and len(line) <= 48
        and ":" not in line
        and not any(c.isdigit() for c in line)
    )


def fold(text: str) -> str:
    """Lower case without accents: OCR reads "ÓBJECTIVE" for "OBJECTIVE"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


# A sentence ends at . ; ! ? before a capital (not after "Dr." or an initial), and at a line
# break that is not a wrapped line: before a blank line, after a punctuated or short line, or
# before a bullet, a number or a "Heading:". The pattern starts with the character it breaks
# at, so the engine skips ahead to candidates instead of trying every position.
_BREAK = re.compile(
    r"[.;!?](?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!Mrs\.)(?<!\bSt\.)(?<!\bNo\.)(?<!\bvs\.)"
    r"(?<!\b[A-Z]\.)(?<!\b\d\.)(?<!\b\d\d\.)[ \t]+(?=[A-Z0-9(\"'])"
    r"|\n"
)
_STARTS_ITEM = re.compile(
    r"[ \t]*(?:[-*\u2022]|\d{1,2}[.)][ \t]|[A-Z][A-Za-z /&'()-]{1,40}:|[A-Z][A-Z /&'-]{3,}$)", re.M
)
SHORT_LINE = 44


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences (and list items, and header lines) of a text."""
    spans = []
    start = 0
    for m in _BREAK.finditer(text):
        cut = _cut(text, m)
        if cut is None:
            continue
        end, after = cut
        if text[start:end].strip():
            spans.append((start, end))
        start = after
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def sentence_at(text: str, index: int) -> tuple[int, int]:
    """The span of the sentence of `sentences(text)` holding `index` (or `(index, index + 1)`
    between sentences), found from the breaks near it rather than from the whole text."""
    start: int | None = None
    # A break never spans a line end, so the breaks found from a line's start are those
    # found from the text's start. Most sentences start within a few lines.
    for reach in (400, 2000, len(text)):
        window = text.rfind("\n", 0, max(0, index - reach)) + 1
        for m in _BREAK.finditer(text, window):
            if m.start() >= index:
                break
            cut = _cut(text, m)
            if cut is None:
                continue
            if cut[1] > index:  # `index` lies in the blank between two sentences
                return index, index + 1
            start = cut[1]
        if start is not None or window == 0:
            break
    start = start or 0
    end = len(text)
    for m in _BREAK.finditer(text, index):
        cut = _cut(text, m)
        if cut is not None:
            end = cut[0]
            break
    if end <= index or not text[start:end].strip():
        return index, index + 1
    return start, end


def _cut(text: str, m: re.Match[str]) -> tuple[int, int] | None:
    """Where a sentence ends and the next begins at a candidate break, or None: the line is
    wrapped and the sentence goes on."""
    if m.group(0) != "\n":
        return m.start() + 1, m.end()  # the period stays with its sentence
    at = m.start()
    line = text[text.rfind("\n", 0, at) + 1 : at].rstrip()
    following = text[at + 1 : at + 120]
    if not (
        following.lstrip(" \t").startswith("\n")
        or (line and line[-1] in ".:;!?")
        or len(line.strip()) <= SHORT_LINE
        or _STARTS_ITEM.match(following)
    ):
        return None
    return at, at + 1
