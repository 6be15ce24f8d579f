"""Reading a claim file as its reader would: the ZIP's files, the PDF's text."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pypdfium2 as pdfium

SECTIONS = (
    "1. The referral",
    "2. Triage",
    "3. Gaps and records requests",
    "4. Chronology",
    "5. Reviews and reports",
    "6. The IME",
    "7. The audit trail",
    "8. Original documents",
)


def files_of(answer: Any) -> dict[str, bytes]:
    """Every file of a claim file's ZIP answer, read to its last byte, by its path."""
    body = b"".join(answer.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def text_of(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


def manifest_of(files: dict[str, bytes]) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(files["manifest.json"])
    return found
