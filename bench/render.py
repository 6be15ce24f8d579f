"""Records to PDF: text-layer pages with fpdf2, scanned (image-only) pages with Pillow.

Text pages are set in the PDF core fonts (Helvetica, Courier), as `tools/build_examples.py`
sets the examples, with the "Page k of n" footer at the foot of the page. Scanned pages are
letter pages at 200 dpi (1700 x 2200 px) drawn with Pillow's default TrueType font at size 30,
saved as an image-only PDF. A fixed creation date keeps the output reproducible.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from bench.documents import Line, Record

FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
PRODUCER = "medreview bench"
STYLES = {  # style: (font, variant, size, line height in mm)
    "title": ("Helvetica", "B", 12.0, 5.6),
    "head": ("Helvetica", "B", 9.5, 4.8),
    "text": ("Helvetica", "", 9.2, 4.35),
    "mono": ("Courier", "", 7.6, 3.9),
    "blank": ("Helvetica", "", 9.2, 2.2),
}
SCAN_W, SCAN_H, SCAN_DPI = 1700, 2200, 200
SCAN_FONT_SIZE = 30
SCAN_LINE, SCAN_LEFT, SCAN_TOP = 40, 110, 110
SCAN_WRAP = 80  # characters a line: the default font at size 30 fits about 95 in 1,480 px


def write_text_pdf(records: Iterable[Record], out: Path) -> int:
    """Write the records' pages as one text-layer PDF; returns the number of pages."""
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_margins(left=16, top=14, right=16)
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_producer(PRODUCER)
    pdf.set_creator(PRODUCER)
    bottom = pdf.h - 14
    for record in records:
        for page in record.pages:
            pdf.add_page()
            for style, text in page.lines:
                _line(pdf, style, text)
            pdf.set_font("Helvetica", "", 8)
            pdf.set_y(bottom - 4)
            pdf.cell(0, 4, page.footer, align="C")
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return int(pdf.page_no())


def _line(pdf: Any, style: str, text: str) -> None:
    font, variant, size, height = STYLES[style]
    pdf.set_font(font, variant, size)
    while text and pdf.get_string_width(text) > pdf.epw:
        size -= 0.4  # a long line of capitals: set it a little smaller, as a form would
        pdf.set_font(font, variant, size)
    pdf.cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def write_scanned_pdf(pages: Sequence[Sequence[Line]], out: Path) -> int:
    """Write pages of text as page images in an image-only PDF; returns the number of pages."""
    images = [_scan(lines) for lines in pages]
    out.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(
        out,
        "PDF",
        resolution=SCAN_DPI,
        save_all=True,
        append_images=images[1:],
        producer=PRODUCER,
        creator=PRODUCER,
        creationDate=FIXED_DATE.timetuple(),
        modDate=FIXED_DATE.timetuple(),
    )
    return len(images)


def _scan(lines: Sequence[Line]) -> Any:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=SCAN_FONT_SIZE)
    page = Image.new("L", (SCAN_W, SCAN_H), 255)
    draw = ImageDraw.Draw(page)
    y = SCAN_TOP
    for _style, text in lines:
        for piece in textwrap.wrap(text, SCAN_WRAP) or [""]:
            if y > SCAN_H - SCAN_TOP - SCAN_LINE:
                return page
            draw.text((SCAN_LEFT, y), piece, fill=20, font=font)
            y += SCAN_LINE if piece else SCAN_LINE // 2
    return page
