"""Two notes of one clinic, one provider and one day, faxed one after the other: the second
repeats the first's head, and a person sees a new note because the first ended (its signature)
and the second begins anew under the head (a heading in capitals). A note whose head is printed
again over a page that goes on mid-sentence stays one note."""

from __future__ import annotations

from pathlib import Path

from pdfs import make_text_pdf

from medreview.core.reading import read_file
from medreview.core.records.split import split_packet

HEAD = """Summit Orthopaedic Associates
7804 Lakeview Drive | Austin, TX 78701 | 715.994.4918
Patient Name: Jane Doe   Date of Birth: 02/28/1965
Physician: Samuel Okafor, M.D.
DOS: 9/4/2026
"""
FIRST = """PREOPERATIVE DIAGNOSIS: Pelvic pain.
PROCEDURE: Diagnostic laparoscopy. The patient was taken to the operating room and placed
supine. The abdomen was insufflated and the pelvis inspected; no endometriosis was seen.
The patient tolerated the procedure well and went to recovery in stable condition.
Electronically signed by Samuel Okafor, M.D. on 09/04/2026 16:12
"""
SECOND = """PRECATHETERIZATION DIAGNOSIS: Chest pain with an abnormal stress test.
PROCEDURE: Left heart catheterization through the right radial artery. The coronary
"""
GOING_ON = """arteries were without significant stenosis and the left ventricular function was normal.
The sheath was removed and a radial band applied.
"""


def _stamp(k: int) -> str:
    return f"Nov. 26. 2026  10:2{k}AM   No. 6206   P. {k}\n"


def _split(tmp_path: Path, pages: list[str]) -> list[tuple[int | None, int | None]]:
    texts = [_stamp(k) + text for k, text in enumerate(pages, start=1)]
    (doc,) = read_file(make_text_pdf(tmp_path / "p.pdf", texts), "records/p.pdf").documents
    return [(p.first_page, p.last_page) for p in split_packet(doc)]


def test_a_note_begun_anew_under_the_same_head_is_another_note(tmp_path: Path) -> None:
    assert _split(tmp_path, [HEAD + FIRST, HEAD + SECOND, GOING_ON]) == [(1, 1), (2, 3)]


def test_a_head_printed_again_over_text_going_on_is_the_same_note(tmp_path: Path) -> None:
    parts = _split(tmp_path, [HEAD + SECOND, HEAD + GOING_ON, HEAD + FIRST])
    assert parts == [(1, 2), (3, 3)]


def test_a_heading_marked_continued_under_the_same_head_is_the_same_note(tmp_path: Path) -> None:
    going_on = "EXAMINATION (CONTINUED)\n" + GOING_ON * 5  # a page long: "(continued)" at its top
    parts = _split(tmp_path, [HEAD + FIRST, HEAD + going_on, HEAD + SECOND])
    assert parts == [(1, 2), (3, 3)]
