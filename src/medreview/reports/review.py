"""One assignment's review as the rules and the report read it (`core.review.model.Review`),
built from its rows: the questions it answers, the records with their pages, the answers,
the peer-to-peer log, the reviewer's credentials and the addenda delivered."""

from __future__ import annotations

from typing import Any

from medreview.claims.models import Referral
from medreview.core.network import taxonomy
from medreview.core.review import model
from medreview.reports.models import Addendum, Determination, ImeReferral, PeerToPeer
from medreview.reviews.models import Assignment


def questions_of(assignment: Assignment) -> list[dict[str, Any]]:
    """The questions an assignment answers: all of the referral's for a peer review; for an
    IME, those of the confirmed IME referral when a peer review narrowed it."""
    if assignment.service == "ime":
        narrowed = ImeReferral.objects.filter(
            referral_id=assignment.referral_id, status=ImeReferral.CONFIRMED
        ).first()
        if narrowed is not None:
            return list(narrowed.questions)
    return assignment.referral.questions


def record_pages(referral: Referral) -> dict[str, int]:
    """The pages of each record file, as the records engine counted them (a packet's
    documents each hold a range of its pages)."""
    pages: dict[str, int] = {}
    for doc in (referral.triage or {}).get("documents", []):
        name = str(doc.get("file", "")).split("#", 1)[0]
        count = int(doc.get("last_page") or doc.get("pages") or 0)
        pages[name] = max(pages.get(name, 0), count)
    return pages


def record_name(file: str, pages: dict[str, int]) -> str:
    """A cited file's name as the records list has it (`records/` may be left out)."""
    file = (file or "").strip()
    if file not in pages and f"records/{file}" in pages:
        return f"records/{file}"
    return file


def citation(raw: dict[str, Any]) -> model.Citation:
    page = raw.get("page")
    return model.Citation(
        file=str(raw.get("file") or ""),
        page=int(page) if page is not None else None,
        guideline=str(raw.get("guideline") or ""),
        edition=str(raw.get("edition") or ""),
        section=str(raw.get("section") or ""),
    )


def reviewer_of(assignment: Assignment) -> model.Reviewer:
    p = assignment.physician
    names = []
    for s in p.specialties.all():
        found = taxonomy.specialty(s.code)
        names.append(found.name if found else s.code)
    return model.Reviewer(
        name=p.name,
        npi=p.npi,
        specialties=tuple(names),
        licences=tuple(
            f"{lic.state}, expires {lic.expires.isoformat()}" for lic in p.licences.all()
        ),
        board_certified=p.board_certified,
    )


def review_of(assignment: Assignment) -> model.Review:
    referral = assignment.referral
    pages = record_pages(referral)
    files = [f.name for f in referral.record_files.all()]
    answers = tuple(
        model.Answer(
            question_id=d.question_id,
            determination=d.determination,
            rationale=d.rationale,
            citations=tuple(citation(c) for c in d.citations),
            disputes=tuple(d.disputes),
            answered=d.answered,
        )
        # A draft (pages cited, no determination chosen yet) answers nothing.
        for d in Determination.objects.filter(assignment=assignment).exclude(determination="")
    )
    calls = tuple(
        model.PeerToPeer(at=c.at, with_whom=c.with_whom, outcome=c.outcome, note=c.note)
        for c in PeerToPeer.objects.filter(assignment=assignment)
    )
    addenda = tuple(
        model.Addendum(
            number=a.number,
            request=a.request,
            question_id=a.question_id or None,
            response=a.response,
            citations=tuple(citation(c) for c in a.citations),
            requested=a.requested.date(),
            answered=a.submitted.date() if a.submitted else None,
        )
        for a in Addendum.objects.filter(assignment=assignment, status=Addendum.PASSED)
    )
    return model.Review(
        service=assignment.service,
        jurisdiction=referral.jurisdiction,
        claim_number=referral.claim_number,
        claimant=referral.claimant_name,
        questions=tuple(
            model.Question(
                id=str(q.get("id", "")), type=str(q.get("type", "")), text=str(q.get("text", ""))
            )
            for q in questions_of(assignment)
        ),
        answers=answers,
        records=tuple(files),
        pages={name: pages.get(name, 0) for name in files},
        reviewer=reviewer_of(assignment),
        attested=assignment.attested,
        attestation=assignment.attestation,
        peer_to_peer=calls,
        assigned=assignment.assigned.date(),
        submitted=assignment.submitted.date() if assignment.submitted else None,
        delivered=assignment.delivered.date() if assignment.delivered else None,
        addenda=addenda,
    )
