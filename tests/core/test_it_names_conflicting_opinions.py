"""Conflicting physician opinions are named in the rationale and do not change the path
(docs/rules.md)."""

from __future__ import annotations

from pathlib import Path

from cases import note, referral, run, write_case

TREATING = "Maren Holt, MD"
EXAMINER = "Paul Ivers, MD"


def ime(body: str) -> str:
    return note(
        "INDEPENDENT MEDICAL EXAMINATION", "05/05/2026", EXAMINER, body, "IVERS MEDICAL EVALUATIONS"
    )


def treating(day: str, body: str) -> str:
    return note("PROGRESS NOTE", day, TREATING, body)


def rationale(tmp_path: Path, records: dict[str, str | bytes]) -> tuple[str, str]:
    result = run(write_case(tmp_path, referral(), records))
    return result.triage.path, " ".join(result.triage.rationale)


def test_disagreement_on_causation_is_named_with_who_holds_what(tmp_path: Path) -> None:
    path, text = rationale(
        tmp_path,
        {
            "a.txt": treating(
                "03/10/2026",
                "ASSESSMENT: The meniscal tear is causally related to the fall at work.",
            ),
            "b.txt": treating("04/07/2026", "PLAN: continue therapy."),
            "c.txt": ime(
                "OPINION: The knee condition is not causally related to the work incident; it is degenerative."
            ),
        },
    )
    assert "Conflicting opinions on causation" in text
    assert TREATING in text and EXAMINER in text
    assert path == "peer_review_first"  # unchanged by the conflict


def test_disagreement_on_mmi_is_named(tmp_path: Path) -> None:
    _, text = rationale(
        tmp_path,
        {
            "a.txt": treating(
                "03/10/2026", "ASSESSMENT: She is not yet at maximum medical improvement."
            ),
            "b.txt": treating("04/07/2026", "PLAN: continue therapy; not yet at MMI."),
            "c.txt": ime("OPINION: The claimant has reached maximum medical improvement."),
        },
    )
    assert "Conflicting opinions on maximum medical improvement" in text


def test_agreement_or_a_hedge_is_no_conflict(tmp_path: Path) -> None:
    _, text = rationale(
        tmp_path,
        {
            "a.txt": treating(
                "03/10/2026",
                "ASSESSMENT: The tear is work related. MMI is expected in three months.",
            ),
            "b.txt": treating("04/07/2026", "PLAN: continue therapy."),
            "c.txt": ime("OPINION: The tear is causally related to the fall. She has reached MMI."),
        },
    )
    assert "Conflicting" not in text


def test_an_undated_opinion_beside_a_dated_one_is_still_named(tmp_path: Path) -> None:
    undated = (
        "INDEPENDENT MEDICAL EXAMINATION\nExaminer: Paul Ivers, MD\n\n"
        "OPINION: The knee condition is not causally related to the work incident."
    )
    _, text = rationale(
        tmp_path,
        {
            "a.txt": treating(
                "03/10/2026",
                "ASSESSMENT: The meniscal tear is causally related to the fall at work.",
            ),
            "b.txt": treating("04/07/2026", "PLAN: continue therapy."),
            "c.txt": undated,
        },
    )
    assert "causation" in text.lower() and "Ivers" in text
