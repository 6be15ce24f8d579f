"""The claim file's PDF: one document a client can defend the claim's medical review with
(docs/workflow.md, "Claim file"), made from a `ClaimFile` (`model.py`) and nothing else.

Page 1 names the claim and holds the table of contents; then one numbered section a page
onwards, each written by one function of `SECTIONS`, in order: the referral as sent; the
triage and every decision on it; gaps and records requests; the chronology; the reviews
(assignments, determinations, peer-to-peer, QA, reports, addenda); the IME; the audit trail
with its check; the original documents with their digests. A section is added by appending
its writer to `SECTIONS`: it is numbered and listed in the contents by its place.

Set as the reports are (`core/review/report.py`: its letter-size document, margins, footer,
headings and text, in the core Helvetica font through `latin1`; the hashes in Courier). The
same data gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from medreview.core.claimfile.model import (
    Assignment,
    ClaimFile,
    Question,
)
from medreview.core.claimfile.trail import verdict
from medreview.core.review.report import (
    KEEP_WITH_HEADING,
    LINE,
    _document,
    _text,
    latin1,
)
from medreview.core.vocabulary import (
    DETERMINATIONS,
    GAP_KINDS,
    PEER_TO_PEER_OUTCOMES,
    words,
)

if TYPE_CHECKING:
    from fpdf import FPDF
    from fpdf.outline import OutlineSection

TITLE = "Claim file"
# Said in the audit trail's section: the download of this file is an event of the chain, but
# one written once the file is made, so never in the file it describes.
DOWNLOAD_RECORDED_AFTER = (
    "This download is recorded after this file was made: its event (claim_file.downloaded,"
    " with the number of files and the SHA-256 of the manifest) is the next in the chain, and"
    " is not listed here."
)
NOT_ANSWERED = "none given"


class Out:
    """The document being written, and how many sections it has so far."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.sections = 0

    def section(self, title: str) -> None:
        """A numbered section on a new page, listed in the contents."""
        self.sections += 1
        if self.pdf.get_y() > self.pdf.t_margin + 1:  # not on the page the contents left
            self.pdf.add_page()
        name = latin1(f"{self.sections}. {title}")
        self.pdf.start_section(name, level=0)
        _text(self.pdf, name, size=15, style="B", height=8)

    def part(self, title: str) -> None:
        """A part of a section, listed in the contents under it; on a new page when too
        little of this one is left to follow it."""
        if self.pdf.get_y() > self.pdf.page_break_trigger - KEEP_WITH_HEADING:
            self.pdf.add_page()
        else:
            self.pdf.ln(3)
        name = latin1(title)
        self.pdf.start_section(name, level=1)
        _text(self.pdf, name, size=12, style="B", height=6)

    def line(self, text: str, *, style: str = "", indent: float = 0, size: float = 10) -> None:
        """A paragraph, as the reports set it (`_text`); one that fits on a line is set as
        one cell, without fpdf2's line breaking (which costs a whole claim file's chronology
        most of its time)."""
        from fpdf.enums import XPos, YPos

        pdf = self.pdf
        plain = latin1(text)
        if "\n" not in plain:
            pdf.set_font("Helvetica", style, size)
            if pdf.get_string_width(plain) < pdf.epw - indent - 1:
                pdf.set_x(pdf.l_margin + indent)
                pdf.cell(0, LINE, plain, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                return
        _text(pdf, text, style=style, indent=indent, size=size)

    def field(self, label: str, value: object, *, indent: float = 0) -> None:
        self.line(f"{label}: {_value(value)}", indent=indent)

    def items(self, items: Iterable[str], *, indent: float = 6) -> None:
        for item in items:
            self.line(f"- {item}", indent=indent)

    def code(self, text: str, *, indent: float = 6) -> None:
        """A digest or other machine text, in a fixed-width font."""
        from fpdf.enums import XPos, YPos

        self.pdf.set_font("Courier", "", 7.5)
        self.pdf.set_x(self.pdf.l_margin + indent)
        self.pdf.multi_cell(0, 3.6, latin1(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def gap(self) -> None:
        self.pdf.ln(1.5)


SectionWriter = Callable[[Out, ClaimFile], None]


def render_claim_file(data: ClaimFile) -> bytes:
    """The claim file's PDF: page 1 and its contents, then each section of `SECTIONS`."""
    pdf = _document(f"Claim file, claim {data.claim_number}")
    pdf.set_title(latin1(f"{TITLE}, claim {data.claim_number}"))
    pdf.set_author("medreview")
    pdf.set_creator("medreview")
    pdf.set_producer("medreview")
    pdf.set_creation_date(data.made)
    pdf.set_compression(True)
    pdf.add_page()
    out = Out(pdf)
    _first_page(out, data)
    pdf.insert_toc_placeholder(_contents, pages=1, allow_extra_pages=True)
    for write in SECTIONS:
        write(out, data)
    return bytes(pdf.output())


def _first_page(out: Out, data: ClaimFile) -> None:
    out.line(TITLE, size=18, style="B")
    out.pdf.ln(2)
    out.field("Claim number", data.claim_number)
    out.field("Client", data.client)
    out.field("Referral", data.referral_id)
    out.field("Made", f"{_moment(data.made)}, by {data.made_by}")
    out.pdf.ln(2)
    out.line(
        "One export of the referral's medical review: what was sent, how it was triaged and"
        " decided, the gaps in the records and the requests made for them, the chronology,"
        " the reviews and their reports, the IME, the audit trail with its check, and the"
        " original documents with their SHA-256 digests. The original record files and the"
        " reports as delivered are beside this PDF in the same ZIP (records/, reports/), and"
        " manifest.json lists every file of the ZIP with its digest.",
        size=9,
    )
    out.pdf.ln(4)


def _contents(pdf: FPDF, outline: list[OutlineSection]) -> None:
    from fpdf.enums import XPos, YPos

    _text(pdf, "Contents", size=12, style="B", height=6)
    for entry in outline:
        indent = 6.0 * entry.level
        link = pdf.add_link(page=entry.page_number)
        pdf.set_font("Helvetica", "B" if entry.level == 0 else "", 10 if entry.level == 0 else 9)
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(pdf.epw - indent - 22, LINE, entry.name, link=link)
        pdf.cell(
            22,
            LINE,
            f"page {entry.page_number}",
            align="R",
            link=link,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )


# 1. The referral


def _referral(out: Out, data: ClaimFile) -> None:
    r = data.referral
    out.section("The referral")
    out.part("The claim")
    out.field("Claim number", r.claim_number)
    out.field("Jurisdiction", r.jurisdiction)
    out.field("Line of business", words(r.line_of_business))
    out.field("Date of injury", r.date_of_injury)
    if r.body_parts:
        out.field("Body parts", ", ".join(r.body_parts))
    out.field("Received", r.received)
    out.field("Due", r.due or "no due date given")
    if r.requested_service:
        out.field("Service requested", words(r.requested_service))
    out.field("Sent", f"{_moment(r.sent)}, by {r.sent_by}")
    out.field("Status", r.status)

    out.part("The claimant, as sent")
    if not r.claimant:
        out.line("Nothing sent")
    for label, value in r.claimant:
        out.field(label, value)

    out.part("Treating providers")
    if not r.providers:
        out.line("None named")
    for n, p in enumerate(r.providers, start=1):
        extra = [
            f"NPI {p.npi}" if p.npi else "",
            p.specialty,
            p.group,
        ]
        said = "; ".join(x for x in extra if x)
        out.line(f"{n}. {p.name}" + (f" ({said})" if said else ""))

    out.part("Questions")
    _questions(out, r.questions)

    out.part("Bills under dispute")
    if not r.bills:
        out.line("None sent")
    total = 0.0
    for b in r.bills:
        counted = [
            b.provider,
            f"{b.units} unit{'' if b.units == 1 else 's'}" if b.units is not None else "",
            _money(b.amount) if b.amount is not None else "",
        ]
        total += b.amount or 0.0
        said = "; ".join(x for x in counted if x)
        out.line(
            f"{b.day}  {b.code}"
            + (f"  {b.description}" if b.description else "")
            + (f" ({said})" if said else "")
        )
    if r.bills:
        out.line(
            f"{len(r.bills)} line{'' if len(r.bills) == 1 else 's'}, {_money(total)} in all",
            style="B",
        )


def _questions(out: Out, questions: Iterable[Question]) -> None:
    listed = False
    for q in questions:
        listed = True
        out.line(f"{q.id}. {q.text}", style="B")
        out.line(words(q.type), style="I", indent=6)
        if q.treatment:
            out.field("Treatment", q.treatment, indent=6)
    if not listed:
        out.line("None")


# 2. Triage


def _triage(out: Out, data: ClaimFile) -> None:
    t = data.triage
    out.section("Triage")
    out.part("The recommendation")
    if not t.path:
        if t.processing_error:
            out.line(f"Not triaged: {t.processing_error}")
        else:
            out.line("The records are not read yet: no recommendation.")
    else:
        out.field("Recommended", words(t.path))
        out.line("Rationale:", style="B")
        out.items(t.rationale or ("none given",))
    if t.routes:
        out.part("Each question's route")
        for route in t.routes:
            out.line(f"{route.question_id} ({words(route.type)}): {words(route.route)}")
            if route.reason:
                out.line(route.reason, indent=6, size=9)
    out.part("Decisions and overrides")
    if not t.decisions:
        out.line("No decision yet: the recommendation is in force.")
    for n, d in enumerate(t.decisions, start=1):
        if d.decision == "override":
            what = f"overridden to {words(d.path)} (recommended: {words(d.recommended_path)})"
        else:
            what = f"accepted: {words(d.path)}"
        out.line(f"{n}. {_moment(d.at)}, {d.by}: {what}", style="B")
        out.field("Reason", d.reason or NOT_ANSWERED, indent=6)
    if t.decisions:
        out.line(f"In force: {words(t.decisions[-1].path)}, the latest decision.", style="I")


# 3. Gaps and records requests


def _gaps(out: Out, data: ClaimFile) -> None:
    out.section("Gaps and records requests")
    out.part("Gaps in the records")
    if not data.gaps:
        out.line("None found" if data.triage.path else "The records are not read yet.")
    for n, g in enumerate(data.gaps, start=1):
        out.line(f"{n}. {GAP_KINDS.get(g.kind, words(g.kind))}", style="B")
        out.line(g.detail, indent=6)
        out.field("Evidence", _cite(g.file, g.page), indent=6)
        if g.request:
            out.field("Records request", g.request, indent=6)
    out.part("Records requests")
    if not data.requests:
        out.line("None made")
    for n, q in enumerate(data.requests, start=1):
        out.line(f"{n}. {q.item}, from {q.provider}", style="B")
        out.field("State", q.status, indent=6)
        out.field("Asked", f"{_moment(q.asked)}, by {q.asked_by}", indent=6)
        if q.sent is not None:
            out.field("Sent to the provider", f"{_moment(q.sent)}, by {q.sent_by}", indent=6)
        if q.updated is not None:
            out.field("Last changed", _moment(q.updated), indent=6)
    out.part("Gaps dismissed")
    if not data.dismissed_gaps:
        out.line("None")
    for n, d in enumerate(data.dismissed_gaps, start=1):
        out.line(f"{n}. {GAP_KINDS.get(d.kind, words(d.kind))}: {d.detail}", style="B")
        out.field("Dismissed", f"{_moment(d.at)}, by {d.by}", indent=6)
        out.field("Reason", d.reason or NOT_ANSWERED, indent=6)
    out.part("People's corrections")
    if not data.corrections:
        out.line("None")
    for n, c in enumerate(data.corrections, start=1):
        value = words(c.value) if c.field == "kind" else c.value
        machine = words(c.machine_value) if c.field == "kind" else c.machine_value
        out.line(
            f"{n}. {c.document}: {c.field} {value or 'none'} (the records engine read"
            f" {machine or 'none'})",
            style="B",
        )
        out.field("Corrected", f"{_moment(c.at)}, by {c.by}", indent=6)
        out.field("Reason", c.reason or NOT_ANSWERED, indent=6)


# 4. Chronology


def _chronology(out: Out, data: ClaimFile) -> None:
    out.section("Chronology")
    if not data.chronology:
        out.line("No dated record" if data.triage.path else "The records are not read yet.")
        return
    out.line(
        f"{len(data.chronology)} entr{'y' if len(data.chronology) == 1 else 'ies'}, in date"
        " order, each citing the file and page it comes from.",
        style="I",
    )
    for e in data.chronology:
        head = [e.day, words(e.kind), e.provider]
        out.line(" - ".join(x for x in head if x), style="B")
        if e.summary:
            out.line(e.summary, indent=6, size=9)
        out.line(_cite(e.file, e.page), indent=6, size=9)


# 5. Reviews


def _reviews(out: Out, data: ClaimFile) -> None:
    out.section("Reviews and reports")
    names = {a.id: _assignment_name(a) for a in data.assignments}
    out.part("Assignments")
    if not data.assignments:
        out.line("No physician assigned")
    for a in data.assignments:
        out.line(f"{names[a.id]}: {a.physician} (NPI {a.npi})", style="B")
        out.field("State", a.status, indent=6)
        out.field(
            "Assigned",
            f"{_moment(a.assigned)}, by {a.assigned_by}"
            + (f", from proposal {a.batch}" if a.batch is not None else ""),
            indent=6,
        )
        out.field("Due", a.due, indent=6)
        if a.score is not None:
            out.field("Matcher's score", f"{a.score:.3f}", indent=6)
        out.line("Why this physician (the matcher's reasons):", indent=6)
        out.items(a.reasons or ("none kept",), indent=12)
        for label, at in (
            ("Attested", a.attested),
            ("Submitted", a.submitted),
            ("Delivered", a.delivered),
            ("Closed", a.closed),
        ):
            if at is not None:
                out.field(label, _moment(at), indent=6)
        if a.cancelled is not None:
            out.field("Cancelled", f"{_moment(a.cancelled)}: {a.cancel_reason}", indent=6)
        if a.declined is not None:
            how = "Recused" if a.recused else "Declined"
            out.field(how, f"{_moment(a.declined)}: {a.decline_reason}", indent=6)

    out.part("Determinations")
    if not data.determinations:
        out.line("None recorded")
    for d in data.determinations:
        answer = DETERMINATIONS.get(d.determination, words(d.determination))
        out.line(f"{names.get(d.assignment, '')}, question {d.question_id}: {answer}", style="B")
        out.field("Answered", _moment(d.answered), indent=6)
        out.field("Rationale", d.rationale or NOT_ANSWERED, indent=6)
        out.field("Citations", "; ".join(d.citations) or "none", indent=6)
        if d.disputes:
            out.line("Disputes for an examination:", indent=6)
            out.items(d.disputes, indent=12)

    out.part("Peer-to-peer log")
    if not data.calls:
        out.line("None logged")
    for c in data.calls:
        outcome = PEER_TO_PEER_OUTCOMES.get(c.outcome, words(c.outcome))
        out.line(f"{_moment(c.at)}, {names.get(c.assignment, '')}, with {c.with_whom}: {outcome}")
        if c.note:
            out.line(c.note, indent=6, size=9)

    out.part("QA decisions")
    if not data.qa:
        out.line("None")
    for q in data.qa:
        what = (
            "Passed"
            if q.decision == "pass"
            else "Returned"
            if q.decision == "return"
            else q.decision
        )
        of = f"addendum {q.addendum} of " if q.addendum is not None else ""
        out.line(f"{_moment(q.at)}, {q.by}: {what} {of}{names.get(q.assignment, '')}", style="B")
        if q.note:
            out.field("Note", q.note, indent=6)
        if q.failed:
            out.line("Checklist items not met:", indent=6)
            out.items(q.failed, indent=12)

    out.part("Reports delivered")
    if not data.reports:
        out.line("None delivered")
    for rep in data.reports:
        out.line(
            f"{names.get(rep.assignment, words(rep.service))}, report version {rep.version}:"
            f" delivered {_moment(rep.made)},"
            f" {rep.size:,} bytes, in this ZIP as {rep.path}",
            style="B",
        )
        out.line("SHA-256 as delivered:", indent=6, size=9)
        out.code(rep.sha256, indent=12)
        out.line(f"SHA-256 in this ZIP: {_same(rep.sha256, rep.sha256_in_zip)}", indent=6, size=9)
        if rep.sha256_in_zip is not None and rep.sha256_in_zip != rep.sha256:
            out.code(rep.sha256_in_zip, indent=12)

    out.part("Addenda")
    if not data.addenda:
        out.line("None asked")
    for x in data.addenda:
        about = f" on question {x.question_id}" if x.question_id else ""
        out.line(
            f"Addendum {x.number}{about}, {names.get(x.assignment, '')}: {x.status}", style="B"
        )
        out.field("Asked", f"{_moment(x.requested)}, by {x.requested_by}; due {x.due}", indent=6)
        out.field("Request", x.request or NOT_ANSWERED, indent=6)
        if x.submitted is not None:
            out.field("Answered", _moment(x.submitted), indent=6)
        if x.response:
            out.field("Response", x.response, indent=6)
        if x.delivered is not None:
            out.field("Delivered", _moment(x.delivered), indent=6)


def _assignment_name(a: Assignment) -> str:
    return f"{words(a.service)} {a.id}"


# 6. The IME


def _ime(out: Out, data: ClaimFile) -> None:
    out.section("The IME")
    ime = data.ime
    out.part("The IME referral")
    if ime is None:
        out.line(
            "No IME referral: none is drafted before a peer review of this referral passes QA."
        )
    elif ime.status == "avoided":
        out.line("IME avoided: the peer review answered every question.", style="B")
        cost = _money(ime.cost_avoided) if ime.cost_avoided is not None else "not known"
        out.field("Cost avoided", cost)
        if ime.fee_citation:
            out.field("Fee", ime.fee_citation)
        out.field("Drafted", _moment(ime.drafted))
    else:
        state = "Confirmed" if ime.status == "confirmed" else "Drafted: waiting for the coordinator"
        out.field("State", state)
        out.field("Drafted", _moment(ime.drafted))
        if ime.confirmed is not None:
            out.field("Confirmed", f"{_moment(ime.confirmed)}, by {ime.confirmed_by}")
        out.line("The questions still needing an examination (narrowed):", style="B")
        _questions(out, ime.questions)
        out.line("What the examination should settle:", style="B")
        out.items(ime.disputes or ("nothing named",))
        out.line("The same records:", style="B")
        out.items(ime.records or ("none listed",))

    out.part("Appointments and outcomes")
    if not data.appointments:
        out.line("No appointment booked")
    for n, ap in enumerate(data.appointments, start=1):
        out.line(f"{n}. {ap.start:%Y-%m-%d %H:%M}, {ap.examiner}: {ap.status}", style="B")
        out.field("Where", ap.place, indent=6)
        if ap.booked is not None:
            out.field("Booked", f"{_moment(ap.booked)}, by {ap.booked_by}", indent=6)
        out.field(
            "Interpreter",
            "booked" if ap.interpreter else "not booked",
            indent=6,
        )
        out.field("Transport", "booked" if ap.transport else "not booked", indent=6)
        if ap.outcome_recorded is not None:
            out.field(
                "Outcome recorded", f"{_moment(ap.outcome_recorded)}, by {ap.outcome_by}", indent=6
            )
        if ap.outcome_note:
            out.field("Note", ap.outcome_note, indent=6)
        if ap.fee is not None:
            fee = _money(ap.fee) + (f" ({ap.fee_citation})" if ap.fee_citation else "")
            out.field("Fee", fee, indent=6)
        if ap.rescheduled_to is not None:
            out.field("Rescheduled to", f"{ap.rescheduled_to:%Y-%m-%d %H:%M}", indent=6)
        if ap.notice_sha256:
            where = f", {ap.notice_path}" if ap.notice_path else ""
            out.field("Notice letter", f"sent, SHA-256 {ap.notice_sha256}{where}", indent=6)


# 7. The audit trail


def _audit(out: Out, data: ClaimFile) -> None:
    trail = data.audit
    out.section("The audit trail")
    out.line(verdict(trail), style="B")
    out.line(
        "Each event carries the keyed hash (HMAC-SHA256) of its content and of the event"
        " before it: an event changed or removed afterwards breaks every link after it. The"
        " check is the one the API answers (GET /api/v1/referrals/{id}/audit).",
        size=9,
    )
    out.line(DOWNLOAD_RECORDED_AFTER, size=9, style="I")
    out.part("Events")
    if not trail.events:
        out.line("No event")
    for e in trail.events:
        out.line(f"{e.seq}. {e.at}  {e.actor}  {e.action}", style="B", size=9)
        if e.detail and e.detail != "{}":
            out.line(e.detail, indent=6, size=8)
        out.code(f"hash      {e.hash}\nprev hash {e.prev_hash}")
        out.gap()


# 8. The original documents


def _documents(out: Out, data: ClaimFile) -> None:
    out.section("Original documents")
    out.line(
        "Each record file as received, beside this PDF under records/: its size, its SHA-256"
        " when it was received, and the SHA-256 of the bytes in this ZIP, which must be equal.",
        size=9,
    )
    if not data.documents:
        out.line("No record file")
    for n, d in enumerate(data.documents, start=1):
        out.line(f"{n}. {d.name}", style="B")
        out.field("Size", f"{d.size:,} bytes", indent=6)
        out.field("In this ZIP", d.path, indent=6)
        out.line("SHA-256 as received:", indent=6, size=9)
        out.code(d.sha256, indent=12)
        out.line("SHA-256 in this ZIP:", indent=6, size=9)
        out.code(d.sha256_in_zip or "not written", indent=12)
        out.line(_same(d.sha256, d.sha256_in_zip), indent=6, size=9, style="B")
    if data.documents:
        equal = sum(d.sha256_in_zip == d.sha256 for d in data.documents)
        out.pdf.ln(2)
        out.line(
            f"{equal} of {len(data.documents)} file{'' if len(data.documents) == 1 else 's'}"
            " byte-identical to what was received.",
            style="B",
        )


# The sections, in order: a section is added by appending its writer.
SECTIONS: list[SectionWriter] = [
    _referral,
    _triage,
    _gaps,
    _chronology,
    _reviews,
    _ime,
    _audit,
    _documents,
]


def _same(expected: str, found: str | None) -> str:
    if found is None:
        return "not written"
    return "equal" if found == expected else "DIFFERENT from what was received"


def _cite(file: str | None, page: int | None) -> str:
    if not file:
        return "no page cited"
    return f"{file}, page {page}" if page else file


def _value(value: object) -> str:
    if value is None or value == "":
        return "not given"
    if isinstance(value, datetime):
        return _moment(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _moment(at: datetime) -> str:
    """A date and time to the minute, with its time zone."""
    return at.strftime("%Y-%m-%d %H:%M %Z").strip()


def _money(amount: float | Decimal) -> str:
    return f"${amount:,.2f}"
