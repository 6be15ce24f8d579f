"""The codes of medreview's contracts and the words people read for them: document kinds,
triage paths, question types, routes, gap kinds, services and lines of business
(docs/rules.md). One copy of each: the rules, the database's choices, the forms and the pages
all take them from here, so that no page ever shows `ime_first` where it means "IME first".
"""

from __future__ import annotations

DOCUMENT_KINDS = {
    "progress_note": "Progress note",
    "consult_report": "Consultation report",
    "imaging_report": "Imaging report",
    "diagnostic_report": "Diagnostic report",
    "operative_report": "Operative report",
    "therapy_note": "Therapy note",
    "fce_report": "Functional capacity evaluation",
    "emergency_record": "Emergency record",
    "discharge_summary": "Discharge summary",
    "ime_report": "IME report",
    "peer_review_report": "Peer review report",
    "billing": "Bill",
    "other": "Other",
}

PATHS = {
    "peer_review_first": "Peer review first",
    "ime_first": "IME first",
    "obtain_records_first": "Obtain records first",
    "concurrent": "Peer review and IME together",
}

# code: (words, what the question asks, for the person writing a referral)
QUESTION_TYPES = {
    "causation": ("Causation", "Is the condition caused by the injury or accident of this claim?"),
    "medical_necessity": ("Medical necessity", "Is the requested treatment medically necessary?"),
    "treatment_appropriateness": ("Treatment appropriateness", "Is the treatment so far appropriate for the documented diagnosis?"),
    "diagnosis_support": ("Diagnosis support", "Do the records support the diagnosis?"),
    "billing_alignment": ("Billing alignment", "Do the bills match services the records document?"),
    "future_care": ("Future care", "What further medical care will the claimant need?"),
    "apportionment": ("Apportionment", "How much of the condition is due to this injury, and how much to other causes?"),
    "mmi": ("Maximum medical improvement", "Has the claimant reached maximum medical improvement (MMI)?"),
    "work_status": ("Work status", "What work can the claimant do now, with what restrictions?"),
    "functional_capacity": ("Functional capacity", "What can the claimant physically do (lifting, standing, reaching)? Usually needs an exam or an FCE."),
    "impairment_rating": ("Impairment rating", "What is the permanent impairment rating? Needs an examination."),
    "neurological_evaluation": ("Neurological evaluation", "Needs a hands-on neurological examination."),
    "range_of_motion": ("Range of motion", "Needs measured range of motion: an examination."),
}  # fmt: skip

ROUTES = {"records": "From the records", "exam": "Needs an examination"}

GAP_KINDS = {
    "no_treating_evaluation": "No evaluation by a treating physician",
    "missing_diagnostic_report": "Study report missing",
    "missing_operative_report": "Operative report missing",
    "missing_consult_report": "Consultation report missing",
    "missing_fce": "Functional capacity evaluation missing",
    "treatment_gap": "Gap in treatment",
    "undocumented_billed_service": "Billed service not documented",
}

SERVICES = {"peer_review": "Peer review", "ime": "IME"}
# The same within a sentence ("the peer review is already assigned").
SERVICES_IN_A_SENTENCE = {"peer_review": "peer review", "ime": "IME"}

# The matcher's hard rules (core.network.matching.RULE_ORDER), as the reasons a physician is
# left out.
MATCHING_RULES = {
    "specialty": "Other specialty",
    "service": "Service not offered",
    "licence": "No active licence",
    "jurisdiction_licence": "No licence in the state",
    "board_certification": "Not board certified",
    "credentials": "Credentials lapsed",
    "capacity": "No capacity left",
    "conflict": "Conflict of interest",
    "declined_review": "Declined this review",
    "peer_reviewer": "Did the peer review",
    "distance": "Too far from the claimant",
}

LINES_OF_BUSINESS = {
    "workers_comp": "Workers' compensation",
    "auto_no_fault": "Auto (no-fault)",
    "disability": "Disability",
    "liability": "Liability",
    "group_health": "Group health",
}

# A physician's answer to a question (docs/api.md, "determinations").
DETERMINATIONS = {
    "supported": "Supported",
    "not_supported": "Not supported",
    "partially_supported": "Partially supported",
    "needs_exam": "Needs an examination",
}

# What became of a peer-to-peer offer or call with a treating provider.
PEER_TO_PEER_OUTCOMES = {
    "offered": "Offered",
    "reached": "Reached: call held",
    "no_answer": "No answer",
    "declined": "Declined by the provider",
}

_ALL: dict[str, str] = {
    **DOCUMENT_KINDS,
    **PATHS,
    **{code: words for code, (words, _) in QUESTION_TYPES.items()},
    **ROUTES,
    **GAP_KINDS,
    **SERVICES,
    **MATCHING_RULES,
    **LINES_OF_BUSINESS,
    **DETERMINATIONS,
    **PEER_TO_PEER_OUTCOMES,
}


def words(code: str | None) -> str:
    """The words for a code of any vocabulary above; an unknown code with its underscores
    read as spaces (a code from a newer contract is still legible)."""
    if not code:
        return ""
    return _ALL.get(code, code.replace("_", " "))
