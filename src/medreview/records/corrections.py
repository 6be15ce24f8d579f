"""People's corrections applied over the records engine's output: what the pages and the API
show. Machine values are kept beside the corrected ones, so nothing is lost."""

from __future__ import annotations

import copy
from typing import Any

from medreview.core.records.model import Corrections
from medreview.core.records.model import gap_key as rules_gap_key
from medreview.records.models import Correction


def gap_key(gap: dict[str, Any]) -> str:
    """A gap's stable name: its kind, its source, and a digest of what it says."""
    source = gap.get("source") or {}
    return rules_gap_key(
        gap["kind"], source.get("file"), source.get("page"), str(gap.get("detail", ""))
    )


def missing_item(gap: dict[str, Any]) -> str:
    """What a gap says is missing, in a few words: the start of its detail."""
    detail = str(gap.get("detail", ""))
    return detail.split(" (", 1)[0].split(", and ", 1)[0][:300]


def gap_provider(triage: dict[str, Any], gap: dict[str, Any]) -> str:
    """The provider of the document that revealed a gap, as the records name them."""
    source = gap.get("source") or {}
    for doc in triage.get("documents", []):
        first = int(doc.get("first_page") or 1)
        last = int(doc.get("last_page") or first + int(doc.get("pages") or 1) - 1)
        if doc.get("file") == source.get("file") and first <= int(source.get("page") or 1) <= last:
            return str(doc.get("provider") or "the provider of " + str(doc.get("file")))
    return "unknown provider"


def latest(corrections: list[Correction]) -> dict[tuple[str, str, str], Correction]:
    """The correction in force for each target and field: the latest made."""
    found: dict[tuple[str, str, str], Correction] = {}
    for c in corrections:
        found[(c.target, c.key, c.field)] = c
    return found


def as_rules(corrections: list[Correction]) -> Corrections:
    """The corrections in force, as the records engine takes them."""
    from datetime import date

    kinds: dict[str, str] = {}
    dates: dict[str, date | None] = {}
    dismissed: set[str] = set()
    for (target, key, field), c in latest(corrections).items():
        if target == Correction.DOCUMENT and field == "kind" and c.value:
            kinds[key] = c.value
        elif target == Correction.DOCUMENT and field == "date":
            dates[key] = date.fromisoformat(c.value) if c.value else None
        elif target == Correction.GAP and field == "dismissed" and c.value == "yes":
            dismissed.add(key)
    return Corrections(kinds=kinds, dates=dates, dismissed_gaps=frozenset(dismissed))


def corrected(
    triage: dict[str, Any] | None, corrections: list[Correction]
) -> dict[str, Any] | None:
    """The triage as people corrected it: corrected values in place (the engine applies them
    when it reads the records again; until then, here), each with the machine's value beside
    it, and the dismissed gaps apart."""
    if triage is None:
        return None
    out = copy.deepcopy(triage)
    in_force = latest(corrections)
    for doc in out.get("documents", []):
        name = document_name(doc)
        for field in ("kind", "date"):
            fix = in_force.get((Correction.DOCUMENT, name, field))
            if fix is not None:
                doc.setdefault("machine", {})[field] = fix.machine_value or None
                doc[field] = fix.value or None
                doc.setdefault("corrected_by", []).append(fix.made_by.email)
    kept = []
    for gap in out.get("gaps", []):
        gap["key"] = gap_key(gap)
        if (Correction.GAP, gap["key"], "dismissed") not in in_force:
            kept.append(gap)
    out["gaps"] = kept
    out["dismissed_gaps"] = [
        {
            "kind": c.key.split("|", 1)[0],
            "detail": c.detail,
            "by": c.made_by.email,
            "reason": c.reason,
        }
        for (target, _, field), c in in_force.items()
        if target == Correction.GAP and field == "dismissed" and c.value == "yes"
    ]
    return out


def document_name(doc: dict[str, Any]) -> str:
    """A document's name in the engine's output: its file, with its pages when split."""
    if doc.get("first_page"):
        return f"{doc['file']}#pages={doc['first_page']}-{doc['last_page']}"
    return str(doc.get("file"))
