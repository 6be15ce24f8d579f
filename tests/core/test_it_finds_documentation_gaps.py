"""The gap audit of docs/rules.md, on small case folders: each gap kind found with the
page that revealed it, and the near-misses a clinician would not call gaps left alone."""

from __future__ import annotations

from pathlib import Path

from cases import TODAY, gaps_of, note, referral, run, write_case

from medreview.core.case.pipeline import triage_folder
from medreview.core.thresholds import Thresholds

DR = "Maren Holt, MD"
PT = "Owen Price, PT, DPT"


def visit(day: str, plan: str) -> str:
    return note(
        "ORTHOPAEDIC PROGRESS NOTE",
        day,
        DR,
        f"EXAM: right knee effusion, McMurray positive.\nPLAN: {plan}",
    )


def therapy(day: str) -> str:
    return note(
        "PHYSICAL THERAPY DAILY NOTE",
        day,
        PT,
        "Therapeutic exercise 97110 x2.",
        "HARBOR PHYSICAL THERAPY",
    )


def mri_report(day: str, part: str = "RIGHT KNEE") -> str:
    return (
        "BAY IMAGING - DIAGNOSTIC IMAGING REPORT\n"
        f"EXAM: MRI {part} WITHOUT CONTRAST\nEXAM DATE: {day}\n"
        "FINDINGS: Horizontal tear of the posterior horn of the medial meniscus.\n"
        "IMPRESSION: Medial meniscal tear.\nDictated and signed: Ada Lowe, MD\n"
    )


def case(
    tmp_path: Path, records: dict[str, str | bytes], **changes: object
) -> set[tuple[str, str | None, int | None]]:
    return gaps_of(run(write_case(tmp_path / "case", referral(**changes), records)))


def test_a_study_ordered_without_its_report_is_a_gap(tmp_path: Path) -> None:
    gaps = case(
        tmp_path,
        {
            "v1.txt": visit("03/10/2026", "MRI of the right knee ordered."),
            "v2.txt": visit("04/01/2026", "Continue."),
        },
    )
    assert gaps == {("missing_diagnostic_report", "records/v1.txt", 1)}


def test_the_report_answers_its_order_under_any_file_name(tmp_path: Path) -> None:
    gaps = case(
        tmp_path,
        {
            "v1.txt": visit("03/10/2026", "MRI of the right knee ordered."),
            "scan_0001.txt": mri_report("03/18/2026"),
            "v2.txt": visit("04/01/2026", "MRI of 03/18/2026 reviewed: meniscal tear."),
        },
    )
    assert gaps == set()


def test_a_report_of_another_body_part_does_not_answer_the_order(tmp_path: Path) -> None:
    gaps = case(
        tmp_path,
        {
            "v1.txt": visit("03/10/2026", "MRI of the right knee ordered."),
            "mri.txt": mri_report("03/18/2026", "LUMBAR SPINE"),
            "v2.txt": visit("04/01/2026", "Continue."),
        },
    )
    assert ("missing_diagnostic_report", "records/v1.txt", 1) in gaps


def test_hedged_and_refused_studies_order_nothing(tmp_path: Path) -> None:
    plan = (
        "No MRI is indicated. Will consider EMG if symptoms persist. A CT may be considered later."
    )
    assert (
        case(
            tmp_path,
            {"v1.txt": visit("03/10/2026", plan), "v2.txt": visit("04/01/2026", "Continue.")},
        )
        == set()
    )


def test_a_surgery_done_without_its_operative_report_is_a_gap(tmp_path: Path) -> None:
    records = {
        "v1.txt": visit(
            "04/20/2026",
            "Status post right knee arthroscopic partial meniscectomy on 04/02/2026. Wound healed.",
        ),
        "v0.txt": visit("03/20/2026", "Continue."),
    }
    assert case(tmp_path, records) == {("missing_operative_report", "records/v1.txt", 1)}


def test_the_operative_report_answers_the_surgery(tmp_path: Path) -> None:
    op = (
        "BAYLINE SURGERY CENTER\nOPERATIVE REPORT\nDate of surgery: 04/02/2026\nSurgeon: Maren Holt, MD\n"
        "PREOPERATIVE DIAGNOSIS: Medial meniscal tear, right knee.\nPOSTOPERATIVE DIAGNOSIS: Same.\n"
        "PROCEDURE PERFORMED: Right knee arthroscopic partial medial meniscectomy.\nANESTHESIA: General.\n"
        "ESTIMATED BLOOD LOSS: Minimal.\nThe patient was taken to the operating room and prepped and draped.\n"
    )
    records = {
        "op.txt": op,
        "v1.txt": visit("04/20/2026", "Status post right knee arthroscopy on 04/02/2026."),
        "v0.txt": visit("03/20/2026", "Continue."),
    }
    assert case(tmp_path, records) == set()


def test_surgery_refused_discussed_or_before_the_injury_is_not_a_gap(tmp_path: Path) -> None:
    plan = (
        "Patient declined surgery. Options reviewed: therapy versus arthroscopic meniscectomy. "
        "Past surgical history: left knee arthroscopy in 2015."
    )
    assert (
        case(
            tmp_path,
            {"v1.txt": visit("03/10/2026", plan), "v2.txt": visit("04/01/2026", "Continue.")},
        )
        == set()
    )


def test_a_referral_to_a_specialist_never_seen_is_a_gap(tmp_path: Path) -> None:
    records = {
        "v1.txt": visit(
            "03/10/2026", "Referral to neurosurgery for evaluation of the lumbar spine."
        ),
        "v2.txt": visit("04/01/2026", "Continue."),
    }
    assert case(tmp_path, records) == {("missing_consult_report", "records/v1.txt", 1)}


def test_the_specialists_own_note_answers_the_referral(tmp_path: Path) -> None:
    consult = note(
        "NEUROSURGERY CONSULTATION",
        "03/30/2026",
        "Ravi Anand, MD",
        "Reason for consultation: low back pain.\nASSESSMENT: lumbar strain, no surgical lesion.",
        "BAY NEUROSURGERY ASSOCIATES",
    )
    records = {
        "v1.txt": visit("03/10/2026", "Referral to neurosurgery."),
        "c.txt": consult,
        "v2.txt": visit("04/01/2026", "Continue."),
    }
    assert case(tmp_path, records) == set()


def test_a_referral_to_therapy_is_not_a_specialist_referral(tmp_path: Path) -> None:
    records = {
        "v1.txt": visit("03/10/2026", "Refer to physical therapy 2x/week for 6 weeks."),
        "v2.txt": visit("04/01/2026", "Continue."),
    }
    assert case(tmp_path, records) == set()


def test_an_fce_cited_without_its_report_is_a_gap(tmp_path: Path) -> None:
    records = {
        "v1.txt": visit("03/10/2026", "Continue."),
        "v2.txt": visit(
            "04/01/2026",
            "The functional capacity evaluation completed on 03/28/2026 placed her at medium duty.",
        ),
    }
    assert case(tmp_path, records) == {("missing_fce", "records/v2.txt", 1)}


def test_more_than_45_days_without_treatment_is_a_gap_cited_at_the_later_visit(
    tmp_path: Path,
) -> None:
    records = {
        "a.txt": visit("03/10/2026", "Continue."),
        "b.txt": therapy("04/01/2026"),
        "c.txt": visit("05/20/2026", "Continue."),
    }
    assert case(tmp_path, records) == {("treatment_gap", "records/c.txt", 1)}


def test_45_days_is_not_a_gap(tmp_path: Path) -> None:
    records = {"a.txt": visit("03/10/2026", "Continue."), "c.txt": visit("04/24/2026", "Continue.")}
    assert case(tmp_path, records) == set()


def test_a_release_from_care_explains_the_pause(tmp_path: Path) -> None:
    records = {
        "a.txt": visit("03/10/2026", "Full duty. Released from care, return as needed."),
        "c.txt": visit("06/20/2026", "Knee pain is back."),
    }
    assert case(tmp_path, records) == set()


def test_not_released_from_care_does_not_explain_the_pause(tmp_path: Path) -> None:
    records = {
        "a.txt": visit("03/10/2026", "Not released from care: return in 3 weeks."),
        "c.txt": visit("06/20/2026", "Seen again."),
    }
    assert case(tmp_path, records) == {("treatment_gap", "records/c.txt", 1)}


def test_the_treatment_gap_length_is_a_setting(tmp_path: Path) -> None:
    folder = write_case(
        tmp_path / "case",
        referral(),
        {"a.txt": visit("03/10/2026", "Continue."), "c.txt": visit("05/10/2026", "Continue.")},
    )
    assert gaps_of(triage_folder(folder, today=TODAY)) == {("treatment_gap", "records/c.txt", 1)}
    assert (
        gaps_of(triage_folder(folder, today=TODAY, settings=Thresholds(treatment_gap_days=75)))
        == set()
    )


def test_therapy_notes_alone_are_no_treating_evaluation(tmp_path: Path) -> None:
    assert case(tmp_path, {"a.txt": therapy("03/10/2026"), "b.txt": therapy("03/17/2026")}) == {
        ("no_treating_evaluation", None, None)
    }


def test_a_billed_line_with_no_note_of_its_date_is_a_gap(tmp_path: Path) -> None:
    bills = [
        {"date": "2026-03-10", "code": "99213", "provider": DR, "amount": 150.0},
        {"date": "2026-03-17", "code": "97110", "provider": PT, "units": 2, "amount": 118.0},
        {"date": "2026-03-24", "code": "97110", "provider": PT, "units": 2, "amount": 118.0},
    ]
    records = {"a.txt": visit("03/10/2026", "Continue."), "b.txt": therapy("03/17/2026")}
    assert case(tmp_path, records, bills=bills) == {
        ("undocumented_billed_service", "referral.json", 1)
    }


def test_a_note_of_the_date_that_does_not_document_the_service_is_a_gap(tmp_path: Path) -> None:
    bills = [
        {"date": "2026-03-17", "code": "97140", "description": "Manual therapy", "provider": PT}
    ]
    records = {"a.txt": visit("03/10/2026", "Continue."), "b.txt": therapy("03/17/2026")}
    assert case(tmp_path, records, bills=bills) == {
        ("undocumented_billed_service", "referral.json", 1)
    }
