"""PDF records through pypdfium2: the text layer of each page, OCR for pages without one.

A page is OCR'd only when its text layer is (nearly) empty: pages that have a text layer are
never OCR'd. Pages are read one at a time and closed, so memory stays flat in the number of
pages (a 5,000-page packet reads in the memory of one page plus its text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from medreview.core.reading.limits import render_scale
from medreview.core.reading.model import Page
from medreview.core.reading.ocr import OCR_DPI, ocr_image

# Fewer visible characters than this and the page is a scan (a stray Bates number or
# scanner stamp is not a text layer).
MIN_TEXT_LAYER_CHARS = 16
# A page with little text over an image covering most of it is a scan with a stamp on it
# (an e-fax server's header line, a Bates number): the image holds the document.
STAMP_CHARS = 300
SCAN_COVERAGE = 0.5


class UnreadablePdf(ValueError):
    """The file is not a PDF pdfium can open."""


def _open(path: Path | bytes) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(path if isinstance(path, bytes) else str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise UnreadablePdf("the PDF is protected by a password") from exc
        reason = re.search(r"PDFium:\s*([^)]+)", message)
        detail = reason.group(1).strip().rstrip(".").lower() if reason else "damaged file"
        raise UnreadablePdf(f"not a readable PDF ({detail})") from exc


def page_count(path: Path | bytes) -> int:
    pdf = _open(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def iter_pdf_pages(path: Path | bytes, *, ocr: bool = True) -> Iterator[Page]:
    """The pages of a PDF file, or of PDF bytes held in memory (a FHIR attachment)."""
    pdf = _open(path)
    try:
        count = len(pdf)
        if count == 0:
            raise UnreadablePdf("the PDF has no pages")
        for index in range(count):
            page, scanned = _read_page(pdf, index, detect_scans=ocr)
            yield _ocr(pdf, index, page) if scanned else page
    finally:
        pdf.close()


def text_layer(path: Path, first: int, last: int) -> list[tuple[Page, bool]]:
    """Pages `first`..`last` (1-based) from their text layer, each with whether it is a scan.

    For reading a large file in several processes: the scans are OCR'd afterwards, by
    `ocr_page`, in the one process whose OCR engine uses every core already.
    """
    pdf = _kept_open(path)
    return [_read_page(pdf, index, detect_scans=True) for index in range(first - 1, last)]


_kept: tuple[tuple[str, int, int], Any] | None = None


def _kept_open(path: Path) -> Any:
    """The file opened once for all the ranges this process reads of it (opening a long PDF
    costs milliseconds: its cross-reference table is read anew). One file is kept open."""
    global _kept
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if _kept is None or _kept[0] != key:
        if _kept is not None:
            _kept[1].close()
            _kept = None
        _kept = (key, _open(path))
    return _kept[1]


def ocr_page(path: Path, page: Page) -> Page:
    pdf = _open(path)
    try:
        return _ocr(pdf, page.number - 1, page)
    finally:
        pdf.close()


def _read_page(pdf: Any, index: int, *, detect_scans: bool) -> tuple[Page, bool]:
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
        # PDFium marks a hyphen that ended a line, joined to the next, as U+FFFE.
        text = text.replace("\ufffe", "-")
        textpage.close()
        return Page(index + 1, text), detect_scans and _is_scan(page, text)
    finally:
        page.close()


def _ocr(pdf: Any, index: int, layer: Page) -> Page:
    page = pdf[index]
    try:
        width, height = page.get_size()
        bitmap = page.render(scale=render_scale(width, height, OCR_DPI, page=index + 1))
        image = bitmap.to_numpy()
        bitmap.close()
    finally:
        page.close()
    scanned = ocr_image(image)
    text = f"{layer.text.strip()}\n{scanned}" if layer.text.strip() else scanned
    return Page(layer.number, text, ocr=True)


def _visible_chars(text: str) -> int:
    return len("".join(text.split()))


def _is_scan(page: Any, text: str) -> bool:
    visible = _visible_chars(text)
    if visible < MIN_TEXT_LAYER_CHARS:
        return True
    if visible >= STAMP_CHARS:
        return False
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    area = max(width * height, 1.0)
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        if (right - left) * (top - bottom) / area >= SCAN_COVERAGE:
            return True
    return False
