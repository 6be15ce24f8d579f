#!/usr/bin/env python3
"""Build the generated records of the example case folders in ``examples/``.

Every PDF of the examples (text-layer and scanned), the FHIR R4 bundle of ``e05`` and the two
unreadable files of ``e08`` are produced here from source text kept in the repository, under
``examples/_sources/eNN/``. The ``.txt`` records and the ``referral.json``/``expected.json``
files are written by hand and are not touched.

Source text format (one file per generated PDF, named like the PDF with ``.txt``):

- a line ``<<<PAGE>>>`` starts a new page;
- ``## `` starts a bold title line, ``# `` a bold heading line;
- ``| `` starts a fixed-width line (tables, claim-form service lines), in Courier;
- a line that starts with a fax stamp (``MM/DD/YYYY HH:MM  FROM: ...``) is set in Courier;
- the last line of a page that ends in ``page X of Y`` is set at the foot of the page.

Text-layer PDFs are written with fpdf2 (core fonts, so the text must be latin-1). Scanned PDFs
are image-only: the page text is drawn with Pillow's TrueType default font on a 200 dpi letter
page (1700 x 2200 px), turned by a slight skew, sprinkled with speckle noise and saved with
Pillow's PDF writer. Fixed seeds and a fixed creation date make the output byte-for-byte
reproducible: ``--check`` rebuilds into a temporary folder and compares with the committed files.

Usage:
    python tools/build_examples.py            # write the files into examples/
    python tools/build_examples.py --check    # exit 1 if a committed file differs from a rebuild
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import filecmp
import json
import random
import re
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SOURCES = EXAMPLES / "_sources"

PAGE_BREAK = "<<<PAGE>>>"
FIXED_DATE = dt.datetime(2026, 1, 1, 0, 0, 0, tzinfo=dt.UTC)
PRODUCER = "medreview tools/build_examples.py"

# (case folder, record name without extension, "text" or "scan")
PDFS: list[tuple[str, str, str]] = [
    ("e01_foot_peer_review", "CRMC_ED_record_2026-03-09", "text"),
    ("e01_foot_peer_review", "FRPT_daily_04-02-2026_scan", "scan"),
    ("e01_foot_peer_review", "PFAO_followup_2026-05-07", "text"),
    ("e02_lumbar_exam_questions", "upload_20260326_0912", "text"),
    ("e02_lumbar_exam_questions", "SSR_consult_Sandoval_2026-04-07", "text"),
    ("e03_chiro_only_obtain_records", "LSC_daily_05-27-2026_scan", "scan"),
    ("e04_knee_sparse_short_due", "COH_visit_2026-10-14", "text"),
    ("e04_knee_sparse_short_due", "HRP_Form19_employer_report_scan", "scan"),
    ("e06_wrist_records_packet", "SOMA_claim_packet_MO-WC-26-0119246", "text"),
    ("e07_shoulder_billing", "CCSM_CMS1500_0519-0701", "text"),
    ("e07_shoulder_billing", "CCSM_progress_2026-06-16_fax_scan", "scan"),
    ("e08_concussion_bad_files", "FCRH_ED_record_2026-01-10", "text"),
    ("e08_concussion_bad_files", "CCNA_neurology_consult_2026-02-03", "text"),
    ("e08_concussion_bad_files", "CCNA_return_visit_2026-06-09", "text"),
]

FAX_STAMP = re.compile(r"^\d\d/\d\d/\d{4} \d\d:\d\d\s+FROM:")
FOOTER = re.compile(r"[Pp]age \d+ of \d+$")


def source_of(case: str, name: str) -> Path:
    return SOURCES / case.split("_", 1)[0] / f"{name}.txt"


def read_pages(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8")
    text.encode("latin-1")  # core PDF fonts: fail early on a character they cannot show
    pages = []
    for chunk in text.split(PAGE_BREAK + "\n"):
        lines = chunk.rstrip("\n").split("\n")
        while lines and not lines[0].strip():
            lines.pop(0)
        pages.append(lines)
    return pages


def split_footer(lines: list[str]) -> tuple[list[str], str | None]:
    body = list(lines)
    while body and not body[-1].strip():
        body.pop()
    if body and FOOTER.search(body[-1].strip()):
        footer = body.pop().strip()
        while body and not body[-1].strip():
            body.pop()
        return body, footer
    return body, None


# ---------------------------------------------------------------------------------------------
# text-layer PDFs (fpdf2)


def build_text_pdf(src: Path, out: Path) -> int:
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_margins(left=16, top=14, right=16)
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_producer(PRODUCER)
    pdf.set_creator(PRODUCER)
    bottom = pdf.h - 14
    pages = read_pages(src)
    for lines in pages:
        pdf.add_page()
        body, footer = split_footer(lines)
        for line in body:
            if not line.strip():
                pdf.ln(2.2)
                continue
            if line.startswith("## "):
                pdf.set_font("Helvetica", "B", 12)
                height, text = 5.6, line[3:]
            elif line.startswith("# "):
                pdf.set_font("Helvetica", "B", 9.5)
                height, text = 4.8, line[2:]
            elif line.startswith("| ") or line == "|":
                pdf.set_font("Courier", "", 7.6)
                height, text = 3.9, line[2:]
            elif FAX_STAMP.match(line):
                pdf.set_font("Courier", "", 8)
                height, text = 4.4, line
            else:
                pdf.set_font("Helvetica", "", 9.2)
                height, text = 4.35, line
            if pdf.get_string_width(text) > pdf.epw:
                raise SystemExit(f"{src}: line too wide for the page: {text!r}")
            pdf.cell(0, height, text, new_x="LMARGIN", new_y="NEXT")
        if pdf.get_y() > bottom - 8:
            raise SystemExit(f"{src}: page {pdf.page_no()} overflows")
        if footer:
            pdf.set_font("Helvetica", "", 8)
            pdf.set_y(bottom - 4)
            pdf.cell(0, 4, footer, align="C")
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return len(pages)


# ---------------------------------------------------------------------------------------------
# scanned, image-only PDFs (Pillow)

SCAN_W, SCAN_H = 1700, 2200  # letter at 200 dpi
SCAN_DPI = 200
SCAN_FONT_SIZE = 30
SCAN_TITLE_SIZE = 36
SCAN_LINE = 46
SCAN_LEFT, SCAN_TOP = 150, 130
SCAN_SKEW_DEGREES = 0.3
SCAN_SPECKLES = 2000
SCAN_STREAKS = 40


def render_scan_page(lines: list[str], rng: random.Random):  # -> PIL.Image.Image
    from PIL import Image, ImageDraw, ImageFont

    body = ImageFont.load_default(size=SCAN_FONT_SIZE)
    title = ImageFont.load_default(size=SCAN_TITLE_SIZE)
    page = Image.new("L", (SCAN_W, SCAN_H), 255)
    draw = ImageDraw.Draw(page)
    y = SCAN_TOP
    for line in lines:
        if not line.strip():
            y += SCAN_LINE // 2
            continue
        font, text, step = body, line, SCAN_LINE
        if line.startswith("## "):
            font, text, step = title, line[3:], SCAN_LINE + 8
        elif line.startswith("# ") or line.startswith("| "):
            text = line[2:]
        if draw.textlength(text, font=font) > SCAN_W - 2 * SCAN_LEFT:
            raise SystemExit(f"scanned page: line too wide: {text!r}")
        draw.text((SCAN_LEFT, y), text, fill=20, font=font)
        y += step
    if y > SCAN_H - SCAN_TOP:
        raise SystemExit("scanned page: text runs off the page")
    # a slightly crooked feed through the scanner
    page = page.rotate(SCAN_SKEW_DEGREES, resample=Image.Resampling.BICUBIC, fillcolor=255)
    # light speckle noise: isolated dark dots and a few short streaks
    px = page.load()
    for _ in range(SCAN_SPECKLES):
        x, yy = rng.randrange(SCAN_W - 2), rng.randrange(SCAN_H - 2)
        shade = rng.randrange(70, 190)
        px[x, yy] = shade
        if rng.random() < 0.25:
            px[x + 1, yy] = shade
        if rng.random() < 0.15:
            px[x, yy + 1] = shade
    for _ in range(SCAN_STREAKS):
        x, yy = rng.randrange(SCAN_W - 12), rng.randrange(SCAN_H)
        for dx in range(rng.randrange(3, 10)):
            px[x + dx, yy] = min(px[x + dx, yy], 190)
    return page


def build_scan_pdf(src: Path, out: Path, seed: str) -> int:
    rng = random.Random(seed)
    pages = [render_scan_page(lines, rng) for lines in read_pages(src)]
    out.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(
        out,
        "PDF",
        resolution=SCAN_DPI,
        save_all=True,
        append_images=pages[1:],
        producer=PRODUCER,
        creator=PRODUCER,
        creationDate=FIXED_DATE.timetuple(),
        modDate=FIXED_DATE.timetuple(),
    )
    return len(pages)


# ---------------------------------------------------------------------------------------------
# e05: FHIR R4 bundle of the occupational health clinic's earlier visits

FHIR_NS = uuid.UUID("0b1d6f0e-5f0c-4c55-9d43-6a3f2f3e0e05")


def fhir_id(label: str) -> str:
    return str(uuid.uuid5(FHIR_NS, label))


E05_PATIENT = {
    "family": "Haugland-Pruitt",
    "given": ["Wendell"],
    "gender": "male",
    "birthDate": "1975-12-09",
    "postalCode": "97321",
}
E05_PROVIDER = "Theodora Nakamura-Voss, MD"
E05_ORG = "Mid-Willamette Occupational Health (Willamette Valley Health Partners)"
E05_REASON = "Left knee pain after twisting injury at work 04/02/2026"
# (date, start time, conditions recorded at that visit: (code, display, onset))
E05_VISITS = [
    (
        "2026-04-03",
        "10:10",
        [
            (
                "S83.92XA",
                "Sprain of unspecified site of left knee, initial encounter",
                "2026-04-02",
            ),
            ("M25.562", "Pain in left knee", "2026-04-02"),
        ],
    ),
    ("2026-04-17", "10:40", []),
    ("2026-05-08", "09:50", []),
]


def build_fhir_bundle(out: Path) -> list[str]:
    src_dir = SOURCES / "e05"
    patient_id = fhir_id("patient")
    entries: list[dict] = [
        {
            "fullUrl": f"urn:uuid:{patient_id}",
            "resource": {
                "resourceType": "Patient",
                "id": patient_id,
                "identifier": [
                    {"system": "urn:oid:2.16.840.1.113883.3.7734.1", "value": "MWOH-60318"}
                ],
                "name": [{"family": E05_PATIENT["family"], "given": E05_PATIENT["given"]}],
                "gender": E05_PATIENT["gender"],
                "birthDate": E05_PATIENT["birthDate"],
                "address": [
                    {
                        "city": "Albany",
                        "state": "OR",
                        "postalCode": E05_PATIENT["postalCode"],
                        "country": "US",
                    }
                ],
            },
        }
    ]
    doc_ids = []
    for day, start, conditions in E05_VISITS:
        enc_id = fhir_id(f"encounter-{day}")
        begin = dt.datetime.fromisoformat(f"{day}T{start}:00-07:00")
        end = begin + dt.timedelta(minutes=30)
        written = dt.datetime.fromisoformat(f"{day}T17:15:00-07:00")
        entries.append(
            {
                "fullUrl": f"urn:uuid:{enc_id}",
                "resource": {
                    "resourceType": "Encounter",
                    "id": enc_id,
                    "status": "finished",
                    "class": {
                        "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                        "code": "AMB",
                        "display": "ambulatory",
                    },
                    "type": [{"text": "Work injury visit"}],
                    "subject": {"reference": f"urn:uuid:{patient_id}"},
                    "participant": [{"individual": {"display": E05_PROVIDER}}],
                    "period": {"start": begin.isoformat(), "end": end.isoformat()},
                    "reasonCode": [{"text": E05_REASON}],
                    "serviceProvider": {"display": E05_ORG},
                },
            }
        )
        for code, display, onset in conditions:
            cond_id = fhir_id(f"condition-{code}")
            entries.append(
                {
                    "fullUrl": f"urn:uuid:{cond_id}",
                    "resource": {
                        "resourceType": "Condition",
                        "id": cond_id,
                        "clinicalStatus": {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                    "code": "active",
                                }
                            ]
                        },
                        "verificationStatus": {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                                    "code": "confirmed",
                                }
                            ]
                        },
                        "category": [
                            {
                                "coding": [
                                    {
                                        "system": "http://terminology.hl7.org/CodeSystem/condition-category",
                                        "code": "encounter-diagnosis",
                                    }
                                ]
                            }
                        ],
                        "code": {
                            "coding": [
                                {
                                    "system": "http://hl7.org/fhir/sid/icd-10-cm",
                                    "code": code,
                                    "display": display,
                                }
                            ],
                            "text": display,
                        },
                        "subject": {"reference": f"urn:uuid:{patient_id}"},
                        "encounter": {"reference": f"urn:uuid:{enc_id}"},
                        "onsetDateTime": onset,
                        "recordedDate": day,
                    },
                }
            )
        note = (src_dir / f"fhir_note_{day}.txt").read_text(encoding="utf-8")
        doc_id = fhir_id(f"note-{day}")
        doc_ids.append(doc_id)
        title = f"Occupational medicine progress note {day}"
        entries.append(
            {
                "fullUrl": f"urn:uuid:{doc_id}",
                "resource": {
                    "resourceType": "DocumentReference",
                    "id": doc_id,
                    "status": "current",
                    "docStatus": "final",
                    "type": {
                        "coding": [
                            {
                                "system": "http://loinc.org",
                                "code": "11506-3",
                                "display": "Progress note",
                            }
                        ],
                        "text": "Progress note",
                    },
                    "category": [
                        {
                            "coding": [
                                {
                                    "system": "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
                                    "code": "clinical-note",
                                }
                            ]
                        }
                    ],
                    "subject": {"reference": f"urn:uuid:{patient_id}"},
                    "date": written.isoformat(),
                    "author": [{"display": E05_PROVIDER}],
                    "custodian": {"display": E05_ORG},
                    "description": title,
                    "content": [
                        {
                            "attachment": {
                                "contentType": "text/plain; charset=utf-8",
                                "language": "en-US",
                                "data": base64.b64encode(note.encode("utf-8")).decode("ascii"),
                                "title": title,
                                "creation": written.isoformat(),
                            }
                        }
                    ],
                    "context": {
                        "encounter": [{"reference": f"urn:uuid:{enc_id}"}],
                        "period": {"start": begin.isoformat(), "end": end.isoformat()},
                    },
                },
            }
        )
    bundle = {
        "resourceType": "Bundle",
        "id": fhir_id("bundle"),
        "type": "collection",
        "timestamp": "2026-07-30T14:05:00-07:00",
        "entry": entries,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(bundle, indent=2) + "\n", encoding="utf-8")
    return doc_ids


# ---------------------------------------------------------------------------------------------
# e08: records that cannot be read


def build_bad_files(records: Path) -> None:
    rng = random.Random("e08-bad-files")
    records.mkdir(parents=True, exist_ok=True)
    # a scan cut off in transit: a PDF header, then garbage, no objects, no xref, no trailer
    garbage = bytes(rng.randrange(256) for _ in range(6144))
    (records / "corrupt_scan.pdf").write_bytes(b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n" + garbage)
    # an e-mail attachment of unknown type
    (records / "attachment.bin").write_bytes(bytes(rng.randrange(256) for _ in range(4096)))


# ---------------------------------------------------------------------------------------------


def build_all(dest: Path) -> list[Path]:
    written = []
    for case, name, mode in PDFS:
        src = source_of(case, name)
        out = dest / case / "records" / f"{name}.pdf"
        if mode == "text":
            pages = build_text_pdf(src, out)
        else:
            pages = build_scan_pdf(src, out, seed=f"{case}/{name}")
        written.append(out)
        print(f"{out.relative_to(dest)}  ({mode}, {pages} page{'s' if pages > 1 else ''})")
    bundle = dest / "e05_knee_fhir_concurrent" / "records" / "MWOH_ehr_export.json"
    doc_ids = build_fhir_bundle(bundle)
    written.append(bundle)
    print(
        f"{bundle.relative_to(dest)}  (FHIR R4 bundle, DocumentReference ids: {', '.join(doc_ids)})"
    )
    bad = dest / "e08_concussion_bad_files" / "records"
    build_bad_files(bad)
    written += [bad / "corrupt_scan.pdf", bad / "attachment.bin"]
    print(f"{bad.relative_to(dest)}/corrupt_scan.pdf, attachment.bin  (unreadable on purpose)")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="rebuild into a temporary folder and compare with examples/",
    )
    args = parser.parse_args(argv)
    if not args.check:
        build_all(EXAMPLES)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        built = build_all(Path(tmp))
        differ = [
            p.relative_to(tmp)
            for p in built
            if not (EXAMPLES / p.relative_to(tmp)).exists()
            or not filecmp.cmp(p, EXAMPLES / p.relative_to(tmp), shallow=False)
        ]
    for p in differ:
        print(f"differs from a rebuild: examples/{p}", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
