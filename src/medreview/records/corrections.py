"""People's corrections applied over the records engine's output: what the pages and the API
show. Machine values are kept beside the corrected ones, so nothing is lost."""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from medreview.records.models import Correction


def gap_key(gap: dict[str, Any]) -> str:
    """A gap's stable name: its kind, its source, and a digest of what it says."""
    source = gap.get("source") or {}
    digest = hashlib.sha256(str(gap.get("detail", "")).encode()).hexdigest()[:12]
    return f"{gap['kind']}|{source.get('file', '')}|{source.get('page', '')}|{digest}"


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


def corrected(
    triage: dict[str, Any] | None, corrections: list[Correction]
) -> dict[str, Any] | None:
    """The triage with every correction applied (the latest per target and field winning);
    each corrected document or gap says what the machine had and who changed it."""
    if triage is None:
        return None
    out = copy.deepcopy(triage)
    latest: dict[tuple[str, str, str], Correction] = {}
    for c in corrections:
        latest[(c.target, c.key, c.field)] = c
    for doc in out.get("documents", []):
        name = document_name(doc)
        for field in ("kind", "date"):
            fix = latest.get((Correction.DOCUMENT, name, field))
            if fix is not None:
                doc.setdefault("machine", {})[field] = doc.get(field)
                doc[field] = fix.value or None
                doc.setdefault("corrected_by", []).append(fix.made_by.email)
    for gap in out.get("gaps", []):
        dismissal = latest.get((Correction.GAP, gap_key(gap), "dismissed"))
        gap["key"] = gap_key(gap)
        if dismissal is not None and dismissal.value == "yes":
            gap["dismissed"] = {"by": dismissal.made_by.email, "reason": dismissal.reason}
    return out


def document_name(doc: dict[str, Any]) -> str:
    """A document's name in the engine's output: its file, with its pages when split."""
    if doc.get("first_page"):
        return f"{doc['file']}#pages={doc['first_page']}-{doc['last_page']}"
    return str(doc.get("file"))
