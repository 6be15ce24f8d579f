"""Reading a note as a clinician would: what it orders, cites, hedges or rules out
(medspaCy ConText with the project's own rules)."""

from __future__ import annotations

from datetime import date

import pytest

from medreview.core.records.language import Mention, find_mentions


def mentions(text: str, category: str) -> list[Mention]:
    return [m for m in find_mentions([(1, text)]) if m.category == category]


def status(text: str, category: str, subtype: str | None = None) -> set[str]:
    return {m.status for m in mentions(text, category) if subtype is None or m.subtype == subtype}


@pytest.mark.parametrize(
    "sentence",
    [
        "No MRI is indicated.",
        "Radiographs are not indicated at this time: no fall, no red-flag findings.",
        "EMG/NCS is not needed at this time given the concordant exam and imaging.",
        "She declined the CT scan.",
    ],
)
def test_it_reads_a_negated_study_as_no_order(sentence: str) -> None:
    assert status(sentence, "study") == {"negated"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Will consider EMG if symptoms persist.",
        "If paresthesias persist at the next visit, electrodiagnostic testing (EMG/NCS) will be considered.",
        "An MRI of the right shoulder will be considered if there is no improvement in 4-6 weeks.",
        "A CT may be needed in the future.",
    ],
)
def test_it_reads_a_hedged_study_as_no_order(sentence: str) -> None:
    assert status(sentence, "study") == {"hypothetical"}


@pytest.mark.parametrize(
    ("sentence", "subtype"),
    [
        ("MRI of the lumbar spine without contrast ordered.", "mri"),
        ("EMG/NCS of the right upper extremity ordered today to grade the neuropathy.", "emg_ncs"),
        ("Plan: obtain x-rays of the left ankle.", "xray"),
        ("P: Continue plan; awaiting MR arthrogram.", "mri"),
    ],
)
def test_it_reads_an_order(sentence: str, subtype: str) -> None:
    assert "ordered" in status(sentence, "study", subtype)


def test_it_reads_a_study_cited_with_its_date_as_done() -> None:
    found = mentions("Right S1 radiculopathy from a disc extrusion (MRI 05/28/2026).", "study")
    assert [(m.subtype, m.status, m.date) for m in found] == [("mri", "done", date(2026, 5, 28))]


def test_it_reads_results_as_a_study_done_even_with_a_negative_finding() -> None:
    assert status("Radiographs of the pelvis obtained: no fracture or dislocation.", "study") == {
        "done"
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Patient declined surgery.", "negated"),
        ("She has declined arthroscopy for now.", "negated"),
        ("Treated without surgery: splinting and therapy.", "negated"),
        ("Options reviewed: continued splinting versus arthroscopic TFCC repair.", "hypothetical"),
        (
            "Surgical options (cubital tunnel release) to be discussed once the study is back.",
            "hypothetical",
        ),
        (
            "She underwent open reduction and internal fixation of the right ankle on 02/23/2026.",
            "done",
        ),
        ("Status post right carpal tunnel release on 04/02/2026.", "done"),
        ("Arthroscopic meniscectomy is scheduled for next month.", "ordered"),
    ],
)
def test_it_tells_a_surgery_done_from_one_discussed_or_refused(
    sentence: str, expected: str
) -> None:
    assert expected in status(sentence, "surgery")
    if expected != "done":
        assert "done" not in status(sentence, "surgery")


def test_it_does_not_take_a_specialty_name_for_a_surgery() -> None:
    assert (
        mentions("Consultant: Celeste Varga, MD (Orthopaedic Surgery, Sports Medicine)", "surgery")
        == []
    )


def test_it_reads_a_referral_with_its_specialty_and_physician() -> None:
    found = mentions(
        "2. Referral to orthopaedic surgery - hip specialist (Dr. Celeste Varga, Hill Country Orthopaedic).",
        "referral",
    )
    assert [(m.subtype, m.doctor) for m in found] == [("orthopedics", "Varga")]


def test_it_does_not_read_an_incoming_referral_as_an_order() -> None:
    assert (
        mentions("Referred by: Mitchell Oyelaran, MD. Thank you for this referral.", "referral")
        == []
    )


def test_it_reads_a_functional_capacity_evaluation_cited_as_done() -> None:
    text = "The functional capacity evaluation (FCE) completed on 08/19/2026 placed her in the light-medium category."
    assert status(text, "fce") == {"done"}
    assert status(
        "A functional capacity evaluation may be considered once she reaches a plateau.", "fce"
    ) == {"hypothetical"}


@pytest.mark.parametrize(
    ("sentence", "released"),
    [
        ("Released from care; return as needed.", True),
        ("Discharged from physical therapy to a home exercise program.", True),
        ("Follow-up as needed.", True),
        ("Not released from care: return in 3 weeks (07/21/2026).", False),
        ("Discharged home from the ED in stable condition.", False),
    ],
)
def test_it_reads_a_release_from_care(sentence: str, released: bool) -> None:
    found = [
        m for m in mentions(sentence, "release") if m.status not in ("negated", "hypothetical")
    ]
    assert bool(found) is released


def test_it_cites_the_page_a_mention_is_on() -> None:
    found = find_mentions([(1, "History: knee pain."), (2, "Plan: CT of the knee ordered.")])
    assert [(m.page, m.subtype) for m in found] == [(2, "ct")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Before or after the word: both ways it orders nothing.
        ("The patient refused surgery.", "negated"),
        ("Lumbar fusion was refused.", "negated"),
        ("Surgery was declined by the patient.", "negated"),
        ("Repeat MRI of the lumbar spine if needed.", "hypothetical"),
        ("If needed, repeat MRI of the lumbar spine.", "hypothetical"),
        ("Surgery may be required in the future.", "hypothetical"),
        ("In the future we will consider surgery.", "hypothetical"),
    ],
)
def test_it_reads_a_refusal_or_a_condition_on_either_side_of_the_order(
    sentence: str, expected: str
) -> None:
    category = "surgery" if "urgery" in sentence or "fusion" in sentence else "study"
    assert status(sentence, category) == {expected}


def test_it_reads_a_rule_with_optional_and_alternative_words_as_each_of_its_wordings() -> None:
    from medspacy.context import ConTextRule

    from medreview.core.records.language import _as_phrases, _nlp

    rule = ConTextRule(
        "may be ruled out",
        "NEGATED_EXISTENCE",
        direction="BACKWARD",
        pattern=[
            {"LOWER": {"IN": ["may", "might", "risk of"]}, "OP": "?"},
            {"LOWER": "be"},
            {"LOWER": {"IN": ["ruled", "rules"]}},
            {"LOWER": "out"},
        ],
    )
    phrases = _as_phrases(_nlp(), rule, ConTextRule)
    # "risk of" is two tokens: no single token ever equalled it.
    assert sorted(r.literal for r in phrases) == [
        "be ruled out",
        "be rules out",
        "may be ruled out",
        "may be rules out",
        "might be ruled out",
        "might be rules out",
    ]
    assert {(r.pattern, r.category, r.direction) for r in phrases} == {
        (None, "NEGATED_EXISTENCE", "BACKWARD")
    }
