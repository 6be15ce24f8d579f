"""Billed services: reading them off bills, and whether the records document each one.

A bill line is documented by a clinical record of the same date, of the same provider when the
bill names one, that documents the service (docs/rules.md, "Gap kinds", undocumented_billed_service):
the record names the code, or describes the service (`data/cpt_services.csv`), or, for a code
whose kind of record says it all (an office visit, a radiology study), is that kind of record.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from medreview.core.records.dates import DATE_RE, find_dates
from medreview.core.records.model import Document
from medreview.core.referral import BillLine

CODE = r"(?:\d{4}[0-9FTU]|[A-V]\d{4})"
_END_DATE = DATE_RE.pattern.replace("?P<", "?P<e_").replace("(?P=sep)", "(?P=e_sep)")
_SERVICE_LINE = re.compile(
    rf"(?P<date>{DATE_RE.pattern})(?:\s*(?:-|to|through)\s*{_END_DATE})?"
    rf"[^\n]{{0,24}}?(?<![\d.$])\b(?P<code>{CODE})\b(?![.\d])(?P<rest>[^\n]*)",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    r"(?=[$\d])\$?\b\d{1,6}\.\d\d\b"
)  # the lookahead: tried only at a "$" or a digit
_PROVIDER_IN_LINE = re.compile(
    r"\b(?P<name>[A-Z][a-z][A-Za-z'-]*(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z][A-Za-z'-]*){1,2},\s*"
    r"(?:MD|DO|DPM|DC|PA-C|NP|PT|DPT|OTR/L|OTR|PTA|COTA|CHT|ATC)\b(?:,\s*(?:CHT|DPT|PT|OTR/L|ATC))*)"
)
CLINICAL_EXCLUDED = frozenset({"billing", "other"})


@dataclass(frozen=True)
class Service:
    code_from: str
    code_to: str
    name: str
    kinds: frozenset[str]
    evidence: re.Pattern[str] | None

    def covers(self, code: str) -> bool:
        if len(code) != len(self.code_from) or code[0].isalpha() != self.code_from[0].isalpha():
            return False
        return self.code_from <= code <= self.code_to


@lru_cache(maxsize=1)
def services() -> tuple[Service, ...]:
    raw = resources.files("medreview.data").joinpath("cpt_services.csv").read_text()
    rows = csv.DictReader(
        io.StringIO("\n".join(line for line in raw.splitlines() if not line.startswith("#")))
    )
    out = []
    for row in rows:
        kinds = frozenset(k for k in row["kinds"].split(";") if k)
        evidence = re.compile(row["evidence"], re.IGNORECASE) if row["evidence"] else None
        out.append(Service(row["code_from"], row["code_to"], row["service"], kinds, evidence))
    return tuple(out)


def service_for(code: str) -> Service | None:
    for service in services():
        if service.covers(code.upper()):
            return service
    return None


_CENTS = re.compile(r"\.\d\d\b")  # how every amount ends: found by its literal "."


def has_amount(text: str) -> bool:
    """Whether the text holds an amount of money: looked for only where cents are."""
    return any(
        _AMOUNT.search(text, max(0, cents.start() - 7), cents.end())
        for cents in _CENTS.finditer(text)
    )


def count_service_lines(text: str) -> int:
    """How many lines look like billed services (a date of service, a code and money)."""
    if not has_amount(text):
        return 0  # no money, no bill
    return sum(1 for m in _SERVICE_LINE.finditer(text) if _looks_billed(m))


def _looks_billed(m: re.Match[str]) -> bool:
    # A code on a line with a date is a bill line when money or units follow it.
    return bool(_AMOUNT.search(m.group("rest")))


def read_bill_lines(pages: Iterable[tuple[int, str]], file: str) -> tuple[BillLine, ...]:
    """The service lines of a billing document, each with the page that lists it."""
    lines = []
    for number, text in pages:
        for m in _SERVICE_LINE.finditer(text):
            if not _looks_billed(m):
                continue
            dates = find_dates(m.group("date"))
            if not dates:
                continue
            rest = m.group("rest")
            tail = text[m.end() : m.end() + 160]
            who = _PROVIDER_IN_LINE.search(rest) or _PROVIDER_IN_LINE.search(tail.split("\n\n")[0])
            amount = _AMOUNT.search(rest)
            lines.append(
                BillLine(
                    date=dates[0].value,
                    code=m.group("code").upper(),
                    provider=who.group("name") if who else None,
                    amount=float(amount.group(0).lstrip("$")) if amount else None,
                    file=file,
                    page=number,
                )
            )
    return tuple(lines)


def documents_service(line: BillLine, doc: Document) -> bool:
    """Whether a clinical record of the line's date documents the billed service."""
    if line.code in doc.text.upper():
        return True
    service = service_for(line.code)
    if service is None:
        # A code we hold no description for: the bill's own description, else the record's date.
        return not line.description or _description_words_found(line.description, doc.text)
    if service.evidence is not None:
        return bool(service.evidence.search(doc.text))
    return not service.kinds or doc.kind in service.kinds


_STOP = frozenset(
    [
        "each",
        "min",
        "minutes",
        "with",
        "without",
        "and",
        "the",
        "of",
        "for",
        "per",
        "unit",
        "units",
        "mg",
        "ml",
        "no",
        "guidance",
        "low",
        "moderate",
        "high",
        "complexity",
    ]
)


def _description_words_found(description: str, text: str) -> bool:
    words = [w for w in re.findall(r"[a-z]{4,}", description.lower()) if w not in _STOP]
    if not words:
        return False
    lowered = text.lower()
    return all(w in lowered for w in words)


def provider_matches(name: str | None, doc: Document) -> bool:
    """The bill's provider wrote the record, or is named in it (a group bills for its staff)."""
    if not name:
        return True
    core = re.split(r",", name)[0]
    words = [w for w in re.findall(r"[A-Za-z'-]{3,}", core)]
    if not words:
        return True
    surname = words[-1].lower()
    if doc.provider and surname in doc.provider.lower():
        return True
    text = doc.text.lower()
    if surname in text:
        return True
    # A group or facility name: most of its distinctive words appear in the record.
    significant = [
        w.lower()
        for w in words
        if w.lower() not in {"llc", "inc", "group", "the", "and", "pllc", "associates"}
    ]
    return bool(significant) and sum(1 for w in significant if w in text) >= max(
        1, len(significant) - 1
    )


def merge_bill_lines(
    referral_bills: Sequence[BillLine], documents: Sequence[Document]
) -> list[BillLine]:
    """Every billed line once: a referral line takes the page of the bill that lists it."""
    listed = [line for doc in documents if doc.live for line in doc.bill_lines]
    merged: list[BillLine] = []
    used: set[int] = set()
    for line in referral_bills:
        match = next(
            (
                i
                for i, b in enumerate(listed)
                if i not in used and b.date == line.date and b.code == line.code.upper()
            ),
            None,
        )
        if match is not None:
            used.add(match)
            merged.append(
                BillLine(
                    line.date,
                    line.code.upper(),
                    line.description,
                    line.provider or listed[match].provider,
                    line.units,
                    line.amount,
                    listed[match].file,
                    listed[match].page,
                )
            )
        else:
            merged.append(line)
    merged.extend(b for i, b in enumerate(listed) if i not in used)
    return merged
