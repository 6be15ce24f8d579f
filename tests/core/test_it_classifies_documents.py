"""Document kinds (docs/rules.md): by title first, then sections and phrasing; and on
real transcriptions (MTSamples, ../shared/data) at least 85% right."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest

from medreview.core.records.billing import count_service_lines
from medreview.core.records.classify import KINDS, classify_kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "ACME IMAGING\nRADIOLOGY REPORT\nEXAM: MRI left knee\nFINDINGS: tear.\nIMPRESSION: tear.",
            "imaging_report",
        ),
        (
            "NERVE CONDUCTION STUDY REPORT\nMedian distal latency 5.2 ms. Conduction velocity 44 m/s.",
            "diagnostic_report",
        ),
        (
            "OPERATIVE REPORT\nPREOPERATIVE DIAGNOSIS: tear\nPOSTOPERATIVE DIAGNOSIS: tear\nANESTHESIA: general",
            "operative_report",
        ),
        (
            "HARBOR PHYSICAL THERAPY\nDAILY NOTE\nTherapeutic exercise 97110 x2.\nOwen Price, PT, DPT",
            "therapy_note",
        ),
        (
            "SPINE CHIROPRACTIC CENTER\nVisit 4\nAdjustment of the lumbar segments.\nAl Roe, DC",
            "therapy_note",
        ),
        (
            "FUNCTIONAL CAPACITY EVALUATION\nMaterial handling: floor-to-waist 30 lb occasionally.",
            "fce_report",
        ),
        (
            "EMERGENCY DEPARTMENT RECORD\nChief complaint: fall.\nED COURSE: x-rays negative.\nDisposition: home.",
            "emergency_record",
        ),
        (
            "DISCHARGE SUMMARY\nAdmission date: 03/01/2026\nHOSPITAL COURSE: uneventful.",
            "discharge_summary",
        ),
        (
            "INDEPENDENT MEDICAL EXAMINATION\nThe examinee was seen at the request of the carrier.",
            "ime_report",
        ),
        (
            "UTILIZATION REVIEW DETERMINATION\nThe requested MRI is not medically necessary per ODG.",
            "peer_review_report",
        ),
        (
            "ORTHOPAEDIC CONSULTATION\nRequested by: Dr. Lee\nReason for consultation: knee pain.",
            "consult_report",
        ),
        (
            "OFFICE VISIT - FOLLOW-UP\nSUBJECTIVE: better.\nOBJECTIVE: no effusion.\nPLAN: return in 4 weeks.",
            "progress_note",
        ),
        (
            "HEALTH INSURANCE CLAIM FORM (CMS-1500)\n03/10/2026 99213 150.00 1\n03/17/2026 97110 118.00 2",
            "billing",
        ),
        ("EMPLOYER STATEMENT - JOB DESCRIPTION\nLifting up to 50 lb, standing 8 hours.", "other"),
        ("Thank you. Please call with questions.", "other"),
    ],
)
def test_it_knows_each_kind_by_its_title_and_sections(text: str, kind: str) -> None:
    assert classify_kind(text, billing_lines=count_service_lines(text)).kind == kind


def test_a_therapy_progress_report_is_a_therapy_note_not_a_physicians_progress_note() -> None:
    text = "PALMETTO PHYSICAL THERAPY\nRE-EVALUATION / PROGRESS REPORT\nLEFS 52/80.\nJonah Whit, PT, DPT"
    assert classify_kind(text).kind == "therapy_note"


def test_a_progress_note_that_cites_an_fce_is_still_a_progress_note() -> None:
    text = (
        "HAND CENTER\nATTENDING PROVIDER PROGRESS NOTE\nDate of examination: 08/27/2026\n\n"
        "FUNCTIONAL TESTING\nThe functional capacity evaluation placed her in the light-medium category, "
        "floor-to-waist lift 25 lb occasionally with a valid effort profile.\nASSESSMENT: MMI."
    )
    assert classify_kind(text).kind == "progress_note"


def test_a_structured_sources_own_type_wins() -> None:
    assert (
        classify_kind("RADIOLOGY REPORT\nIMPRESSION: normal", hint="progress_note").kind
        == "progress_note"
    )


def test_the_decision_shows_its_scores() -> None:
    decision = classify_kind("RADIOLOGY REPORT\nEXAM: CT head\nIMPRESSION: normal")
    assert (
        decision.kind == "imaging_report"
        and dict(decision.scores)["imaging_report"] == decision.score
    )
    assert all(k in KINDS for k, _ in decision.scores)


# Rows of MTSamples that are the kind their category promises: its Radiology category also
# holds neurology case histories and procedures, its ER category consults; those are left out.
MODALITY = re.compile(
    r"^(MRI|MR |CT|HCT|X-?RAY|XR|Ultrasound|Mammogra|Chest|Three Views|Five views|Single|Right Foot|"
    r"Bone Scan|PET|Renal Ultrasound|Carotid|Doppler|Duplex|Echocardiogra|2-D|Transthoracic|"
    r"Transesophageal|Nuclear|Myocardial|Barium|Excretory|Arterial|Lower Extremity|Testicular|Fetal|"
    r"Biophysical|Diagnostic Mammogram|Bilateral Mammogram|Full-Field|Whole Body|Hepatobiliary|Lexiscan)",
    re.I,
)


def selected(rows: list[dict[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        category, name, text = (
            r["medical_specialty"].strip(),
            r["sample_name"].strip(),
            r["transcription"],
        )
        if not text.strip():
            continue
        if (
            category == "Radiology"
            and MODALITY.search(name)
            and re.search("IMPRESSION|FINDINGS|CONCLUSION", text)
        ):
            out["imaging_report"].append(text)
        elif category == "Surgery" and re.search(
            "PRE-?OPERATIVE DIAGNOS|POST-?OPERATIVE DIAGNOS", text
        ):
            out["operative_report"].append(text)
        elif category == "Discharge Summary" and re.search("discharge|death", name, re.I):
            out["discharge_summary"].append(text)
        elif category == "Emergency Room Reports" and re.search(r"\bER\b|Emergency|Urgent", name):
            out["emergency_record"].append(text)
        elif category == "SOAP / Chart / Progress Notes":
            out["progress_note"].append(text)
    return out


def test_it_classifies_real_transcriptions(shared_dir: Path) -> None:
    with (shared_dir / "data" / "mtsamples" / "mtsamples.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    accuracy = {}
    for kind, texts in selected(rows).items():
        right = sum(
            classify_kind(t, billing_lines=count_service_lines(t)).kind == kind for t in texts
        )
        accuracy[kind] = right / len(texts)
    assert set(accuracy) == {
        "imaging_report",
        "operative_report",
        "discharge_summary",
        "emergency_record",
        "progress_note",
    }
    assert min(accuracy.values()) >= 0.80, accuracy
    assert sum(accuracy.values()) / len(accuracy) >= 0.85, accuracy
