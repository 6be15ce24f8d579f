"""The triage output of the case folder (docs/case-folder.md, "The output";
`data/triage-output.schema.json`)."""

from __future__ import annotations

from typing import Any

from medreview.core.case.pipeline import CaseResult
from medreview.core.records.model import Document


def to_json(result: CaseResult) -> dict[str, Any]:
    t = result.triage
    return {
        "path": t.path,
        "rationale": list(t.rationale),
        "questions": [
            {"id": q.id, "type": q.type, "route": q.route, "reason": q.reason} for q in t.questions
        ],
        "gaps": [
            {
                "kind": g.kind,
                "detail": g.detail,
                "source": None if g.file is None else {"file": g.file, "page": g.page or 1},
            }
            for g in result.gaps
        ],
        "documents": [document_json(d) for d in result.documents],
        "chronology": [
            {
                "date": e.date.isoformat(),
                "kind": e.kind,
                "provider": e.provider,
                "summary": e.summary,
                "source": {"file": e.file, "page": e.page},
            }
            for e in result.chronology
        ],
        "business_days_to_due": t.business_days_to_due,
    }


def document_json(d: Document) -> dict[str, Any]:
    out: dict[str, Any] = {
        "file": d.file if d.split else d.name,
        "kind": d.kind,
        "date": d.date.isoformat() if d.date else None,
        "provider": d.provider,
        "pages": max(1, len(d.pages)),
        "duplicate_of": d.duplicate_of,
        "error": d.error,
    }
    if d.split:
        out["first_page"] = d.pages[0]
        out["last_page"] = d.pages[-1]
    if d.ocr:
        out["ocr"] = True
    return out
