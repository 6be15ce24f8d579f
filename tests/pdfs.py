"""Record files made on the fly for the reader's tests: text-layer PDFs, scans, case folders.

Text-layer PDFs are written with fpdf2's core Helvetica font (so their text must be latin-1).
A scanned page is the page text drawn with Pillow's default font on a white US-letter page at
200 dpi (1700 x 2200 px) with no text layer, as a scanner or a fax server makes it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from medreview.core.reading import ReadFile, read_file

SCAN_DPI = 200
SCAN_SIZE = (1700, 2200)  # US letter at 200 dpi
SCAN_FONT_SIZE = 30
SCAN_LINE = 44
SCAN_MARGIN = 120


def scan_image(text: str, size: tuple[int, int] = SCAN_SIZE) -> Image.Image:
    """A scanned page: `text` drawn line by line, black on white, no text layer."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=SCAN_FONT_SIZE)
    y = SCAN_MARGIN
    for line in text.splitlines():
        draw.text((SCAN_MARGIN, y), line, fill="black", font=font)
        y += SCAN_LINE
    if y > size[1] - SCAN_MARGIN // 2:
        raise ValueError("the text runs off the scanned page")
    return image


def make_pdf(path: Path, pages: Sequence[str | Image.Image | tuple[Image.Image, str]]) -> Path:
    """A PDF with one page per item.

    A string is a page with that text layer; an image is a full-page scan with no text layer;
    `(image, stamp)` is a scan on which a fax server or Bates stamper has written `stamp` as
    text along the top edge.
    """
    pdf = FPDF(unit="mm", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_margins(16, 14, 16)
    for page in pages:
        pdf.add_page()
        if isinstance(page, str):
            pdf.set_font("Helvetica", size=10)
            for line in page.splitlines():
                pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
            if pdf.get_y() > pdf.h - 10:
                raise ValueError("the text runs off the PDF page")
            continue
        image, stamp = page if isinstance(page, tuple) else (page, None)
        pdf.image(image, x=0, y=0, w=pdf.w, h=pdf.h)
        if stamp:
            pdf.set_font("Courier", size=8)
            pdf.set_xy(6, 3)
            pdf.cell(0, 4, stamp)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def make_text_pdf(path: Path, pages: Sequence[str]) -> Path:
    """A PDF whose pages carry `pages` as their text layer."""
    return make_pdf(path, pages)


def make_scanned_pdf(path: Path, pages: Sequence[str]) -> Path:
    """An image-only PDF, one scanned page per text, saved as Pillow saves scans (200 dpi)."""
    images = [scan_image(text) for text in pages]
    path.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(path, "PDF", resolution=SCAN_DPI, save_all=True, append_images=images[1:])
    return path


@functools.cache
def read_once(path: Path, name: str) -> ReadFile:
    """`read_file`, remembered for the test session: OCR of a real scan costs seconds a page."""
    return read_file(path, name)


# A referral valid against contracts/referral.schema.json, for case folders built by tests.
REFERRAL: dict[str, Any] = {
    "claim": {
        "number": "TX-WC-26-004417",
        "line_of_business": "workers_comp",
        "jurisdiction": "TX",
        "date_of_injury": "2026-04-30",
        "body_parts": ["right wrist"],
    },
    "claimant": {"name": "Odalys Brennan-Kite", "zip": "75201", "language": "en"},
    "treating_providers": [
        {"name": "Marisol Okonkwo-Hale, MD", "specialty": "Orthopaedic Surgery"},
        {"name": "Brennan Tulloch, PT, DPT", "specialty": "Physical Therapist"},
    ],
    "questions": [
        {
            "id": "q1",
            "type": "medical_necessity",
            "text": "Is the requested MRI of the right wrist medically necessary?",
        }
    ],
    "received": "2026-07-10",
}


def make_case(root: Path) -> Path:
    """A case folder with `referral.json`; returns its (empty) `records/` folder."""
    records = root / "records"
    records.mkdir(parents=True)
    (root / "referral.json").write_text(json.dumps(REFERRAL, indent=2), encoding="utf-8")
    return records


# A typed office note, used as a text layer, as a scan and as a re-faxed copy.
WRIST_NOTE = """ORTHOPAEDIC FOLLOW-UP VISIT
Date of Service: 05/04/2026
Provider: Marisol Okonkwo-Hale, MD
Chief complaint: right wrist pain since a fall from a ladder at work last week.
History: the claimant landed on the outstretched right hand. Pain is worse with gripping
and lifting, and the wrist splint helps a little.
Examination: tenderness over the anatomic snuffbox, mild swelling of the dorsal wrist,
grip strength reduced on the right. Radiographs of the right wrist show no fracture.
Assessment: right wrist sprain, occult scaphoid fracture not excluded.
Plan: thumb spica splint, MRI of the right wrist without contrast, modified duty with
no lifting over five pounds with the right hand. Return in two weeks.
Electronically signed by Marisol Okonkwo-Hale, MD"""
