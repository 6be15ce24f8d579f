"""Record files made on the fly for the reader's tests: text-layer PDFs and scans.

Text-layer PDFs are written with fpdf2's core Helvetica font (so their text must be latin-1).
A scanned page is the page text drawn with Pillow's default font on a white letter page at
200 dpi (1700 x 2200 px), with no text layer at all, as a scanner or a fax server makes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

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


def make_pdf(path: Path, pages: Sequence[str | Image.Image]) -> Path:
    """A PDF with one page per item: a text page for a string, a full-page scan for an image."""
    pdf = FPDF(unit="mm", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_margins(16, 14, 16)
    for page in pages:
        pdf.add_page()
        if isinstance(page, Image.Image):
            pdf.image(page, x=0, y=0, w=pdf.w, h=pdf.h)
            continue
        pdf.set_font("Helvetica", size=10)
        for line in page.splitlines():
            pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
        if pdf.get_y() > pdf.h - 10:
            raise ValueError("the text runs off the PDF page")
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
