"""Records arrive as text-layer PDFs, scans and plain text (docs/workflow.md): every page is
read, OCR runs only where a page has no text layer, and a file that cannot be read comes back as
one document with an error in plain words, never as an exception (section 5).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pdfs import (
    SCAN_DPI,
    WRIST_NOTE,
    make_pdf,
    make_scanned_pdf,
    make_text_pdf,
    read_once,
    scan_image,
)

from medreview.core.reading import read_file
from medreview.core.records.split import split_packet

SCANNED_NOTE = """PROGRESS NOTE
Date of Service: 03/14/2026
Provider: Marisol Okonkwo-Hale, MD
Left knee pain after a fall at work.
Assessment: left knee sprain."""

TYPED_NOTE = WRIST_NOTE


def _flat(text: str) -> str:
    return " ".join(text.split())


def _bare(text: str) -> str:
    """Text without any white space: OCR may drop or add a space between words."""
    return "".join(text.split())


def test_a_text_layer_pdf_reads_page_by_page_without_ocr(tmp_path: Path) -> None:
    pages = [
        "ORTHOPAEDIC FOLLOW-UP VISIT\nDate of Service: 05/04/2026\n"
        "Provider: Marisol Okonkwo-Hale, MD\nSeñora Núñez reports wrist pain, worse at night.",
        "Examination: flexion 40°, extension 35°, grip 18 kg on the right.\n"
        "Tenderness over the anatomic snuffbox.",
        "Plan: thumb spica splint, MRI of the right wrist, return in 2 weeks.\n"
        "Electronically signed by Marisol Okonkwo-Hale, MD",
    ]
    path = make_text_pdf(tmp_path / "followup.pdf", pages)

    read = read_file(path, "records/followup.pdf")

    assert [d.name for d in read.documents] == ["records/followup.pdf"]
    doc = read.documents[0]
    assert doc.error is None
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert not any(p.ocr for p in doc.pages)
    for page, text in zip(doc.pages, pages, strict=True):
        assert _flat(page.text) == _flat(text)


def test_a_hyphen_that_ended_a_line_stays_a_hyphen(tmp_path: Path) -> None:
    # PDFium joins "drop-" at a line's end to "arm" on the next as "drop\ufffearm".
    path = make_text_pdf(
        tmp_path / "shoulder.pdf",
        [
            "Neer and Hawkins signs are positive; drop-\narm test is negative.\nDr. Achebe-\nLindqvist"
        ],
    )

    text = read_file(path, "records/shoulder.pdf").documents[0].pages[0].text

    assert "drop-arm test is negative" in text
    assert "Achebe-Lindqvist" in text
    assert "\ufffe" not in text


def test_an_image_only_pdf_is_ocrd_and_every_typed_line_comes_back(tmp_path: Path) -> None:
    path = make_scanned_pdf(tmp_path / "scan.pdf", [TYPED_NOTE])

    doc = read_file(path, "records/scan.pdf").documents[0]

    assert doc.error is None
    assert [(p.number, p.ocr) for p in doc.pages] == [(1, True)]
    text = doc.pages[0].text
    assert "05/04/2026" in text
    assert "Marisol Okonkwo-Hale" in text
    # Full-width typed lines too: rapidocr's per-line direction classifier used to turn some
    # of them upside down into gibberish ("Chief complaint: ..." read as "Ckh s t t e.").
    unread = [line for line in TYPED_NOTE.splitlines() if _bare(line) not in _bare(text)]
    assert unread == []


def test_a_pdf_mixing_text_and_scanned_pages_ocrs_only_the_scanned_one(tmp_path: Path) -> None:
    typed = (
        "PHYSICAL THERAPY DAILY NOTE\nDate of Service: 03/20/2026\n"
        "Therapist: Brennan Tulloch, PT, DPT\nQuad sets, straight leg raises, ice."
    )
    path = make_pdf(tmp_path / "mixed.pdf", [typed, scan_image(SCANNED_NOTE)])

    doc = read_file(path, "records/mixed.pdf").documents[0]

    assert doc.error is None
    assert [(p.number, p.ocr) for p in doc.pages] == [(1, False), (2, True)]
    assert _flat(doc.pages[0].text) == _flat(typed)
    assert "Marisol Okonkwo-Hale" in doc.pages[1].text
    assert "03/14/2026" in doc.pages[1].text


def test_a_scanned_page_with_a_text_fax_stamp_is_still_ocrd(tmp_path: Path) -> None:
    stamp = "07/08/2026 14:22 FROM: SOUTHSIDE ORTHOPAEDICS 555-0100 TO: CLAIMS P. 3/9"
    path = make_pdf(tmp_path / "efax.pdf", [(scan_image(SCANNED_NOTE), stamp)])

    page = read_file(path, "records/efax.pdf").documents[0].pages[0]

    assert "Marisol Okonkwo-Hale" in page.text
    assert page.ocr


@pytest.fixture
def h_and_p(shared_dir: Path) -> Path:
    path = shared_dir / "data" / "pdfs" / "h_and_p.pdf"
    if not path.is_file():
        pytest.skip(f"{path} is not in ../shared")
    return path


def test_a_real_scanned_history_and_physical_reads_through_ocr(h_and_p: Path) -> None:
    read = read_once(h_and_p, "records/h_and_p.pdf")

    assert len(read.documents) == 1
    doc = read.documents[0]
    assert doc.error is None
    assert [(p.number, p.ocr) for p in doc.pages] == [(1, True), (2, True)]
    text = doc.pages[0].text.lower()
    for heading in (
        "chief complaint",
        "history of present illness",
        "review of systems",
        "physical exam",
        "assessment/plan",
        "home medications",
    ):
        assert heading in text, heading
    assert "social history" in doc.pages[1].text.lower()
    assert "atrial fibrillation" in text


def test_a_real_scanned_history_and_physical_stays_one_document(h_and_p: Path) -> None:
    # Its pages are pages 16 and 17 of a 42-page chart print: one document, not two.
    doc = read_once(h_and_p, "records/h_and_p.pdf").documents[0]

    assert "Page 16 of 42" in doc.pages[0].text
    assert [d.name for d in split_packet(doc)] == ["records/h_and_p.pdf"]


def _pdf_cut_in_half(tmp_path: Path) -> bytes:
    whole = make_text_pdf(tmp_path / "whole.pdf", [SCANNED_NOTE, SCANNED_NOTE]).read_bytes()
    return whole[: len(whole) // 2]


def _noise(seed: str, size: int = 4096) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(size))


BAD_FILES = [
    pytest.param("cut_off_in_transit.pdf", _pdf_cut_in_half, "PDF", id="truncated-pdf"),
    pytest.param(
        "damaged_scan.pdf",
        lambda _: b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n" + _noise("corrupt"),
        "PDF",
        id="corrupt-pdf",
    ),
    pytest.param(
        "portal_download.pdf",
        lambda _: b"<html><body>Your session has expired. Please sign in.</body></html>\n",
        "PDF",
        id="html-named-pdf",
    ),
    pytest.param("empty.pdf", lambda _: b"", "PDF", id="empty-pdf"),
    pytest.param(
        "empty.txt",
        lambda _: b"",
        "empty|no text|nothing",
        id="empty-txt",
    ),
    pytest.param("attachment.bin", lambda _: _noise("bin"), "unsupported", id="binary-bin"),
    pytest.param("notes.txt", lambda _: _noise("txt"), "not a text file|binary", id="binary-txt"),
    pytest.param("wrist_scan.png", lambda _: b"this is not an image\n" * 4, "image", id="fake-png"),
]


@pytest.mark.parametrize(("name", "content", "says"), BAD_FILES)
def test_an_unreadable_file_is_one_document_with_an_error_in_plain_words(
    tmp_path: Path, name: str, content: Callable[[Path], bytes], says: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content(tmp_path))

    read = read_file(path, f"records/{name}")

    assert [d.name for d in read.documents] == [f"records/{name}"]
    error = read.documents[0].error
    assert error, "an unreadable file must say why"
    assert re.search(says, error, re.IGNORECASE), error
    # Plain words: one short line a claims professional can act on, no exception names,
    # byte dumps or paths on the server.
    assert str(tmp_path) not in error
    assert "\n" not in error
    assert len(error) < 120
    assert not re.search(r"Traceback|Error\b|Exception|\\x|b'", error)


def test_a_png_scan_is_ocrd(tmp_path: Path) -> None:
    path = tmp_path / "knee_note.png"
    scan_image(SCANNED_NOTE).save(path, dpi=(SCAN_DPI, SCAN_DPI))

    doc = read_file(path, "records/knee_note.png").documents[0]

    assert doc.error is None
    assert [(p.number, p.ocr) for p in doc.pages] == [(1, True)]
    assert "Marisol Okonkwo-Hale" in doc.text
    assert "03/14/2026" in doc.text


def test_a_windows_1252_text_file_decodes(tmp_path: Path) -> None:
    text = (
        "FOLLOW-UP VISIT \u2013 Date of Service: 05/04/2026\r\n"
        "Se\u00f1ora N\u00fa\u00f1ez, caf\u00e9 worker, describes \u201csharp\u201d pain.\r\n"
        "Flexion 40\u00b0, grip \u00bd of the left.\r\n"
    )
    path = tmp_path / "note.txt"
    path.write_bytes(text.encode("cp1252"))

    doc = read_file(path, "records/note.txt").documents[0]

    assert doc.error is None
    assert doc.text == text.replace("\r\n", "\n")
