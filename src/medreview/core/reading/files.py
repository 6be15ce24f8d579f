"""One door into the reader: a file on disk in, a `ReadFile` out, whatever the file holds."""

from __future__ import annotations

from pathlib import Path

from medreview.core.reading.images import IMAGE_SUFFIXES, read_image_pages
from medreview.core.reading.limits import PageTooLarge
from medreview.core.reading.model import ReadFile, SourceDocument
from medreview.core.reading.pdf import UnreadablePdf, iter_pdf_pages
from medreview.core.reading.plain import NotText, decode_text

TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown"}
FHIR_SUFFIXES = {".json", ".ndjson"}


def read_file(path: Path, name: str, *, ocr: bool = True) -> ReadFile:
    """Read one record file; `name` is its contract name (`records/a.pdf`).

    Never raises for bad content: an unreadable file comes back as one document with `error`.
    """
    try:
        head = path.open("rb").read(8)
    except OSError as exc:
        return _failed(name, f"cannot open the file ({exc.strerror})")
    suffix = path.suffix.lower()
    try:
        if head.startswith(b"%PDF") or suffix == ".pdf":
            if not head.startswith(b"%PDF"):
                return _failed(name, "not a readable PDF (no PDF header)")
            pages = tuple(iter_pdf_pages(path, ocr=ocr))
            return ReadFile(name, (SourceDocument(name, name, pages),))
        if suffix in FHIR_SUFFIXES:
            from medreview.core.reading.fhir import read_fhir

            return read_fhir(path.read_bytes(), name, ndjson=suffix == ".ndjson")
        if suffix in IMAGE_SUFFIXES:
            return ReadFile(name, (SourceDocument(name, name, read_image_pages(path)),))
        if suffix in TEXT_SUFFIXES or suffix == "":
            from medreview.core.reading.model import Page

            text = decode_text(path.read_bytes())
            return ReadFile(name, (SourceDocument(name, name, (Page(1, text),)),))
    except (UnreadablePdf, NotText, PageTooLarge) as exc:
        return _failed(name, str(exc))
    except OSError as exc:
        # Never str(exc): it carries the server's path. Pillow's "cannot identify" is an OSError too.
        if type(exc).__name__ == "UnidentifiedImageError":
            return _failed(name, "not a readable image")
        return _failed(name, f"cannot read the file ({exc.strerror or 'input/output error'})")
    except Exception as exc:  # a library choking on hostile bytes must not stop the case
        return _failed(name, f"cannot read the file ({type(exc).__name__})")
    return _failed(
        name, f"unsupported file type '{suffix}' (records are PDF, text, images or FHIR JSON)"
    )


def _failed(name: str, error: str) -> ReadFile:
    return ReadFile(name, (SourceDocument(name, name, (), error=error),))
