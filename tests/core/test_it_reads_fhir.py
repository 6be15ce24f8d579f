"""FHIR R4 records become dated documents and facts; bad FHIR becomes named errors."""

from __future__ import annotations

import base64
import csv
import json
from collections import Counter
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from medreview.core.reading.fhir import read_fhir
from medreview.core.reading.files import read_file
from medreview.core.reading.model import ReadFile, SourceDocument
from medreview.core.records.classify import KINDS

S07 = "samples/s07/records/CRHN_occhealth_export.json"
COVID = "data/fhir/synthea_covid_juvenile"
BULK = "data/fhir/synthea_bulk_10_patients"
KIND_TABLE = resources.files("medreview.data").joinpath("loinc_document_kinds.csv")


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not in ../shared")
    return path


def _words(text: str) -> str:
    return " ".join(text.split())


def _b64(data: str | bytes) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


def _note(note_id: str, text: str = "", **fields: Any) -> dict[str, Any]:
    """An R4 DocumentReference: a progress note with one plain-text attachment."""
    return {
        "resourceType": "DocumentReference",
        "id": note_id,
        "status": "current",
        "type": {"coding": [{"system": "http://loinc.org", "code": "11506-3"}]},
        "date": "2026-06-02T16:05:00-04:00",
        "content": [{"attachment": {"contentType": "text/plain", "data": _b64(text)}}],
        **fields,
    }


def _condition(condition_id: str, icd: str) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": condition_id,
        "subject": {"reference": "Patient/p1"},
        "code": {
            "coding": [
                {
                    "system": "http://hl7.org/fhir/sid/icd-10-cm",
                    "code": icd,
                    "display": "Radiculopathy, cervical region",
                }
            ]
        },
        "recordedDate": "2026-06-02",
    }


def _bundle(*resources: dict[str, Any]) -> bytes:
    entries = [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources]
    return json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}).encode()


def _only(read: ReadFile, suffix: str) -> SourceDocument:
    found = [d for d in read.documents if d.name.endswith(suffix)]
    assert len(found) == 1, [d.name for d in read.documents]
    return found[0]


# --- real data -------------------------------------------------------------------------------


def test_it_reads_the_occupational_health_export_as_three_dated_progress_notes(
    shared_dir: Path,
) -> None:
    path = _need(shared_dir / S07)
    read = read_fhir(path.read_bytes(), "records/CRHN_occhealth_export.json", ndjson=False)

    notes = read.documents
    assert [d.error for d in notes] == [None, None, None]
    assert all(
        d.name.startswith("records/CRHN_occhealth_export.json#DocumentReference/") for d in notes
    )
    assert [d.hints.date for d in notes] == [date(2026, 6, 2), date(2026, 6, 16), date(2026, 6, 30)]
    assert {d.hints.provider for d in notes} == {"Ingrid Okonkwo-Reyes, MD"}
    assert {d.hints.kind for d in notes} == {"progress_note"}
    assert [len(d.pages) for d in notes] == [1, 1, 1]
    assert "Not released from care" in _words(notes[-1].text)
    assert "Not released from care" not in _words(notes[0].text)


def test_it_reads_the_export_s_encounters_and_icd_coded_conditions_as_facts(
    shared_dir: Path,
) -> None:
    path = _need(shared_dir / S07)
    read = read_fhir(path.read_bytes(), "records/CRHN_occhealth_export.json", ndjson=False)

    encounters = [f for f in read.facts if f.kind == "encounter"]
    assert [f.date for f in encounters] == [date(2026, 6, 2), date(2026, 6, 16), date(2026, 6, 30)]
    assert {f.encounter_class for f in encounters} == {"AMB"}
    assert {f.provider for f in encounters} == {"Ingrid Okonkwo-Reyes, MD"}
    assert all("Neck pain" in f.text for f in encounters)
    assert all(f.ref.startswith("Encounter/") for f in encounters)
    conditions = {f.code: f for f in read.facts if f.kind == "condition"}
    assert set(conditions) == {"S13.4XXA", "M54.12"}
    assert conditions["M54.12"].text == "Radiculopathy, cervical region"
    assert conditions["S13.4XXA"].date == date(2026, 5, 29)  # onset, ahead of recordedDate


def test_it_reads_every_synthea_batch_bundle_into_facts_without_errors(shared_dir: Path) -> None:
    folder = _need(shared_dir / COVID)
    files = sorted(folder.glob("*.json"))
    assert len(files) == 12
    wanted = {
        "Encounter": "encounter",
        "Procedure": "procedure",
        "Condition": "condition",
        "DiagnosticReport": "diagnostic_report",
    }
    for path in files:
        data = path.read_bytes()
        raw = Counter(e["resource"]["resourceType"] for e in json.loads(data)["entry"])
        read = read_fhir(data, f"records/{path.name}", ndjson=False)
        # None of these DiagnosticReports carries a narrative, so none is a document.
        assert read.documents == (), path.name
        assert Counter(f.kind for f in read.facts) == {
            kind: raw[resource] for resource, kind in wanted.items() if raw[resource]
        }, path.name


def test_it_dates_synthea_facts_by_the_day_they_state_in_their_own_time_zone(
    shared_dir: Path,
) -> None:
    name = "Bibi254_Schowalter414_475d72ca-91c7-7211-97e3-f000af33fc04.json"
    path = _need(shared_dir / COVID / name)
    read = read_fhir(path.read_bytes(), "records/bibi.json", ndjson=False)

    by_ref = {f.ref: f for f in read.facts}
    # 2011-04-06T21:20:23-07:00 is already 04-07 in UTC: the record's own day wins.
    visit = by_ref["Encounter/dfc4abce-8135-3deb-edd9-d13635600528"]
    assert visit.date == date(2011, 4, 6)
    assert visit.text == "Well child visit (procedure)"
    assert visit.provider == "Dr. Cordell41 Ferry570"
    mask = by_ref["Procedure/c25343df-403a-d8db-c3b2-b1051aa83cac"]
    assert (mask.date, mask.code) == (date(2020, 3, 6), "261352009")
    assert mask.text == "Face mask (physical object)"
    assert mask.surgical is False


def test_it_reads_the_bulk_export_notes_with_their_decoded_text(
    shared_dir: Path,
) -> None:
    path = _need(shared_dir / BULK / "DocumentReference.000.ndjson")
    data = path.read_bytes()
    lines = [json.loads(line) for line in data.splitlines()]

    # How fast: `python -m bench --only fhir` (a speed goal is a benchmark, not a timed test).
    read = read_fhir(data, "records/DocumentReference.000.ndjson", ndjson=True)

    assert len(read.documents) == len(lines) == 1215
    assert [d.error for d in read.documents if d.error] == []
    assert read.facts == ()
    first = read.documents[0]
    assert first.name == f"records/DocumentReference.000.ndjson#DocumentReference/{lines[0]['id']}"
    assert "# Chief Complaint" in first.text and "History of Present Illness" in first.text
    assert all(len(d.pages) == 1 and d.pages[0].text.strip() for d in read.documents)
    # 34117-2 History and physical note and 34111-5 Emergency department note.
    types = Counter(line["type"]["coding"][0]["code"] for line in lines)
    assert Counter(d.hints.kind for d in read.documents) == {
        "progress_note": types["34117-2"],
        "emergency_record": types["34111-5"],
    }
    assert all(d.hints.date and d.hints.provider for d in read.documents)


def test_it_reads_bulk_encounters_procedures_and_conditions_as_facts(shared_dir: Path) -> None:
    folder = _need(shared_dir / BULK)
    expected = {"Encounter": "encounter", "Procedure": "procedure", "Condition": "condition"}
    for resource, kind in expected.items():
        path = folder / f"{resource}.000.ndjson"
        data = path.read_bytes()
        read = read_fhir(data, f"records/{path.name}", ndjson=True)
        assert read.documents == ()
        assert len(read.facts) == len(data.splitlines())
        assert {f.kind for f in read.facts} == {kind}
        assert all(f.date and f.text and f.ref.startswith(f"{resource}/") for f in read.facts)
    encounters = read_fhir((folder / "Encounter.000.ndjson").read_bytes(), "e", ndjson=True).facts
    assert all(f.encounter_class for f in encounters)
    conditions = read_fhir((folder / "Condition.000.ndjson").read_bytes(), "c", ndjson=True).facts
    assert all(f.code for f in conditions)


def test_it_reads_nothing_and_reports_nothing_for_patients_and_medications(
    shared_dir: Path,
) -> None:
    folder = _need(shared_dir / BULK)
    for resource in ("Patient", "Practitioner", "MedicationRequest", "Immunization"):
        path = folder / f"{resource}.000.ndjson"
        read = read_fhir(path.read_bytes(), f"records/{path.name}", ndjson=True)
        assert (read.documents, read.facts) == ((), ()), resource


# --- bad input -------------------------------------------------------------------------------


def test_it_reports_truncated_json_with_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(_bundle(_note("n1", "Neck pain."))[:-25])

    read = read_file(path, "records/export.json")

    [document] = read.documents
    assert document.name == "records/export.json"
    assert document.pages == ()
    assert document.error is not None
    assert document.error.startswith("not valid JSON (line 1, column ")


def test_it_reports_json_that_is_not_a_fhir_resource() -> None:
    read = read_fhir(b'{"claim": "PA-WC-1", "notes": []}', "records/x.json", ndjson=False)

    assert [(d.name, d.error) for d in read.documents] == [
        ("records/x.json", "not a FHIR resource (no resourceType)")
    ]


def test_it_reports_an_empty_file() -> None:
    for ndjson in (False, True):
        read = read_fhir(b" \n\n", "records/x.json", ndjson=ndjson)
        assert [(d.name, d.error) for d in read.documents] == [("records/x.json", "empty file")]


def test_it_keeps_the_good_entries_of_a_bundle_with_one_invalid_entry() -> None:
    bad = {
        "resourceType": "Encounter",
        "id": "bad-1",
        "status": "finished",
        "class": {"code": "AMB"},
        "period": {"start": "Okonkwo 06/02"},
    }
    data = _bundle(_note("n1", "Neck pain 4/10."), bad, _condition("c1", "M54.12"))

    read = read_fhir(data, "records/b.json", ndjson=False)

    error = _only(read, "#Encounter/bad-1").error
    assert error is not None
    assert "period.start" in error and "Okonkwo" not in error  # the field, never the value
    assert "\n" not in error
    note = _only(read, "#DocumentReference/n1")
    assert (note.error, note.text) == (None, "Neck pain 4/10.")
    assert [(f.kind, f.code) for f in read.facts] == [("condition", "M54.12")]


def test_it_names_the_bad_lines_of_a_bulk_export_and_reads_the_others(tmp_path: Path) -> None:
    path = tmp_path / "DocumentReference.ndjson"
    lines = [
        json.dumps(_note("n1", "first")),
        '{"resourceType": "DocumentReference", "id": "n2", ',
        json.dumps(_note("n3", "third", date="Jane Doe 1968")),
        "",
        json.dumps(_note("n5", "fifth")),
    ]
    path.write_text("\n".join(lines) + "\n")

    read = read_file(path, "records/DocumentReference.ndjson")

    assert [d.name.split("#")[1] for d in read.documents] == [
        "DocumentReference/n1",
        "line 2",
        "line 3",
        "DocumentReference/n5",
    ]
    errors = [d.error or "" for d in read.documents]
    assert errors[1].startswith("not valid JSON")
    assert errors[2].startswith("invalid FHIR R4 DocumentReference: date: ")
    assert "Jane Doe" not in errors[2]
    assert [d.text for d in read.documents if not d.error] == ["first", "fifth"]


def test_it_flags_a_document_whose_attachment_is_only_an_external_url() -> None:
    linked = _note(
        "n2",
        content=[
            {
                "attachment": {
                    "contentType": "application/pdf",
                    "url": "https://ehr.example.org/docs/77.pdf",
                }
            }
        ],
    )
    read = read_fhir(_bundle(_note("n1", "Seen today."), linked), "records/b.json", ndjson=False)

    document = _only(read, "#DocumentReference/n2")
    assert document.pages == ()
    assert document.error is not None and "external URL" in document.error
    assert document.hints.kind == "progress_note"  # still listed with what is known of it
    assert _only(read, "#DocumentReference/n1").error is None


def test_it_validates_against_fhir_r4_not_r5() -> None:
    # R4 shapes that R5 changed: DocumentReference.context is one object holding a list of
    # encounters (R5: a list of references) and Encounter.class is one Coding (R5: a list).
    encounter = {
        "resourceType": "Encounter",
        "id": "e1",
        "status": "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
        "period": {"start": "2026-06-16T09:20:00-04:00"},
    }
    note = _note("n1", "Follow-up.", context={"encounter": [{"reference": "urn:uuid:e1"}]})
    del note["date"]  # so the day can only come from the encounter the context points at

    read = read_fhir(_bundle(encounter, note), "records/r4.json", ndjson=False)

    assert [d.error for d in read.documents] == [None]
    assert read.documents[0].hints.date == date(2026, 6, 16)
    assert [f.encounter_class for f in read.facts] == ["AMB"]

    r5_encounter = {**encounter, "id": "e5", "class": [{"coding": [{"code": "AMB"}]}]}
    error = _only(read_fhir(_bundle(r5_encounter), "r5.json", ndjson=False), "#Encounter/e5").error
    assert error is not None and error.startswith("invalid FHIR R4 Encounter: class")


def test_it_reads_an_html_attachment_held_in_a_binary_of_the_bundle() -> None:
    html = "<html><style>p {color: red}</style><h1>Consult</h1><p>Spurling&nbsp;positive</p></html>"
    binary = {"resourceType": "Binary", "id": "b1", "contentType": "text/html", "data": _b64(html)}
    note = _note("n1", content=[{"attachment": {"contentType": "text/html", "url": "urn:uuid:b1"}}])

    read = read_fhir(_bundle(note, binary), "records/b.json", ndjson=False)

    [document] = read.documents
    assert document.error is None
    assert document.text == "Consult\n\nSpurling positive"


def test_it_reads_a_pdf_attachment_page_by_page() -> None:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.set_font("Helvetica", size=12)
    for line in ("MRI CERVICAL SPINE WITHOUT CONTRAST", "IMPRESSION: C5-6 disc protrusion"):
        pdf.add_page()
        pdf.cell(text=line)
    attachment = {"contentType": "application/pdf", "data": _b64(bytes(pdf.output()))}
    note = _note(
        "n1",
        "Cover sheet",
        content=[
            {"attachment": {"contentType": "text/plain", "data": _b64("Cover sheet")}},
            {"attachment": attachment},
        ],
    )

    read = read_fhir(_bundle(note), "records/b.json", ndjson=False)

    [document] = read.documents
    assert document.error is None
    assert [p.number for p in document.pages] == [1, 2, 3]
    assert "MRI CERVICAL SPINE" in document.pages[1].text
    assert "C5-6 disc protrusion" in document.pages[2].text


def test_it_names_the_author_from_the_practitioner_in_the_bundle() -> None:
    practitioner = {
        "resourceType": "Practitioner",
        "id": "pr1",
        "name": [{"prefix": ["Dr."], "given": ["Avery"], "family": "Chen", "suffix": ["MD"]}],
    }
    note = _note("n1", "Seen.", author=[{"reference": "Practitioner/pr1"}])
    note["date"] = "2026-07-01T23:30:00-08:00"  # already July 2 in UTC

    read = read_fhir(_bundle(practitioner, note), "records/b.json", ndjson=False)

    hints = read.documents[0].hints
    assert (hints.provider, hints.date) == ("Avery Chen, MD", date(2026, 7, 1))


def test_it_reads_a_radiology_report_as_an_imaging_document_and_a_fact() -> None:
    report = {
        "resourceType": "DiagnosticReport",
        "id": "dr1",
        "status": "final",
        "category": [
            {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0074", "code": "RAD"}]}
        ],
        "code": {
            "coding": [
                {"system": "http://loinc.org", "code": "36643-5", "display": "MRI cervical spine"}
            ]
        },
        "effectiveDateTime": "2026-09-03T10:00:00-04:00",
        "resultsInterpreter": [{"display": "Marcus Bell, MD"}],
        "conclusion": "C5-6 right paracentral protrusion.",
    }
    lab = {
        "resourceType": "DiagnosticReport",
        "id": "dr2",
        "status": "final",
        "code": {"text": "CBC"},
        "effectiveDateTime": "2026-09-04",
    }

    read = read_fhir(_bundle(report, lab), "records/b.json", ndjson=False)

    [document] = read.documents  # the lab report has no narrative: a fact only
    assert document.name == "records/b.json#DiagnosticReport/dr1"
    assert document.hints.kind == "imaging_report"
    assert document.hints.provider == "Marcus Bell, MD"
    assert document.text == "MRI cervical spine\nC5-6 right paracentral protrusion."
    assert [(f.kind, f.ref, f.date) for f in read.facts] == [
        ("diagnostic_report", "DiagnosticReport/dr1", date(2026, 9, 3)),
        ("diagnostic_report", "DiagnosticReport/dr2", date(2026, 9, 4)),
    ]


def test_it_marks_a_surgical_procedure() -> None:
    def procedure(proc_id: str, category: str) -> dict[str, Any]:
        return {
            "resourceType": "Procedure",
            "id": proc_id,
            "status": "completed",
            "subject": {"reference": "Patient/p1"},
            "category": {"coding": [{"system": "http://snomed.info/sct", "code": category}]},
            "code": {"text": "Anterior cervical discectomy and fusion C5-6"},
            "performedPeriod": {"start": "2026-10-12T07:30:00-04:00"},
        }

    read = read_fhir(
        _bundle(procedure("s1", "387713003"), procedure("d1", "103693007")), "b.json", ndjson=False
    )

    assert [(f.ref, f.surgical, f.date) for f in read.facts] == [
        ("Procedure/s1", True, date(2026, 10, 12)),
        ("Procedure/d1", False, date(2026, 10, 12)),
    ]


def test_it_maps_only_valid_loinc_codes_to_known_document_kinds() -> None:
    rows = list(
        csv.DictReader(
            line for line in KIND_TABLE.read_text().splitlines() if not line.startswith("#")
        )
    )
    codes = [row["loinc"] for row in rows]
    assert len(codes) == len(set(codes))
    assert {row["kind"] for row in rows} <= set(KINDS)
    for code in codes:
        number, check = code.split("-")
        assert _loinc_check_digit(number) == int(check), code


def _loinc_check_digit(number: str) -> int:
    """LOINC's mod 10 check digit (the Luhn algorithm over the code's digits)."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return (10 - total % 10) % 10
