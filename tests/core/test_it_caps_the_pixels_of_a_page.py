"""No file can make medreview turn a page into more pixels than it reads: a scan that says it
was made at 1 dpi is enlarged at most four times, an image larger than the cap is refused from
its header before it is decoded, and a PDF page 200 inches square is never rendered. A file
over the cap is listed with its error, which says how large the page is."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from PIL import Image

from medreview.core.reading import read_file
from medreview.core.reading.limits import MAX_PAGE_PIXELS, MAX_UPSCALE, upscale_factor


def test_a_scan_at_1_dpi_is_enlarged_at_most_four_times(tmp_path: Path) -> None:
    assert upscale_factor(200, 250, 1, 200) == MAX_UPSCALE
    assert upscale_factor(7000, 8000, 1, 200) ** 2 * 7000 * 8000 <= MAX_PAGE_PIXELS * 1.0001
    assert upscale_factor(1700, 2200, 200, 200) == 1.0
    path = tmp_path / "tiny.jpg"
    Image.new("L", (200, 250), 255).save(path, dpi=(1, 1))
    (doc,) = read_file(path, "records/tiny.jpg").documents
    assert doc.error is None and len(doc.pages) == 1


def test_an_image_over_the_cap_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    Image.new("1", (9000, 9000), 1).save(path)
    (doc,) = read_file(path, "records/huge.png").documents
    assert doc.error == (
        "page 1 is 9,000 x 9,000 pixels, larger than medreview reads (60 million pixels)"
    )


def test_a_pdf_page_200_inches_square_is_never_rendered(tmp_path: Path) -> None:
    pdf = FPDF(unit="pt", format=(14400, 14400))
    pdf.add_page()
    path = tmp_path / "poster.pdf"
    path.write_bytes(bytes(pdf.output()))
    (doc,) = read_file(path, "records/poster.pdf").documents
    assert doc.error == (
        "page 1 is 200 x 200 inches: at 200 dpi, larger than medreview reads (60 million pixels)"
    )
