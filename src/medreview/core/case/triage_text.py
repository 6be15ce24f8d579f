"""The triage as a person reads it: `medreview triage CASE_DIR` without `--json`."""

from __future__ import annotations

import textwrap

from medreview.core.case.pipeline import CaseResult

PATH_WORDS = {
    "peer_review_first": "Peer review first (records only); an IME only for what it cannot answer",
    "ime_first": "IME first (in-person examination)",
    "obtain_records_first": "Obtain records first, then review",
    "concurrent": "Peer review and IME at the same time",
}


def render(result: CaseResult, width: int = 100) -> str:
    r, t = result.referral, result.triage
    lines = [
        f"Claim {r.claim_number} ({r.line_of_business.replace('_', ' ')}, {r.jurisdiction})"
        f" - received {r.received}" + (f", due {r.due}" if r.due else ""),
        "",
        f"RECOMMENDATION: {PATH_WORDS[t.path]}  [{t.path}]",
    ]
    for sentence in t.rationale:
        lines += _wrap(sentence, width, "  - ")
    lines += ["", "QUESTIONS"]
    for q in t.questions:
        lines += _wrap(f"{q.id} {q.type}: {q.route.upper()}. {q.reason}", width, "  ")
    lines += ["", f"DOCUMENTATION GAPS ({len(result.gaps)})"]
    if not result.gaps:
        lines.append("  none")
    for g in result.gaps:
        where = f"{g.file} p.{g.page}" if g.file else "no single page"
        lines += _wrap(f"{g.kind} [{where}]: {g.detail}", width, "  ")
    lines += ["", f"DOCUMENTS ({len(result.documents)})"]
    for d in sorted(result.documents, key=lambda d: (d.date is None, d.date or r.received, d.name)):
        pages = f"pp.{d.pages[0]}-{d.pages[-1]}" if d.split else f"{len(d.pages) or 1}p"
        flag = (
            f"  ERROR: {d.error}"
            if d.error
            else (f"  duplicate of {d.duplicate_of}" if d.duplicate_of else "")
        )
        ocr = " (OCR)" if d.ocr else ""
        lines.append(
            f"  {d.date or '-'!s:10}  {d.kind:18}  {d.name} [{pages}]{ocr}"
            + (f"  {d.provider}" if d.provider and not d.error else "")
            + flag
        )
    lines += ["", "CHRONOLOGY"]
    for e in result.chronology:
        lines += _wrap(f"{e.date}  {e.kind}: {e.summary} [{e.file} p.{e.page}]", width, "  ")
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int, indent: str) -> list[str]:
    return textwrap.wrap(
        text, width, initial_indent=indent, subsequent_indent=" " * len(indent)
    ) or [indent]
