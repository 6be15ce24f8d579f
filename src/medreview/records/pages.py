"""A record file's pages as images: how many pages it has, and one page as a PNG. The page
viewer counts the pages before it writes the page, so it never links an image that would
fail; a file that cannot be opened is `Unviewable`, never an error in its library's words
(they may quote the file)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from medreview.core.reading.images import IMAGE_SUFFIXES
from medreview.core.reading.limits import PageTooLarge, check_pixels, render_scale

if TYPE_CHECKING:
    from PIL.Image import Image
    from pypdfium2 import PdfDocument

RENDER_DPI = 110


class Unviewable(Exception):
    """The file cannot be shown as an image: damaged, or not what its name says."""


def shows_as_image(name: str) -> bool:
    return _suffix(name) == ".pdf" or _suffix(name) in IMAGE_SUFFIXES


def page_count(content: bytes, name: str) -> int:
    if _suffix(name) == ".pdf":
        pdf = _open_pdf(content)
        try:
            return len(pdf)
        finally:
            pdf.close()
    with _open_image(content) as image:
        return _frames(image)


def page_png(content: bytes, name: str, page: int) -> bytes:
    """Page `page` (from 1) as a PNG; IndexError for a page the file does not have."""
    import pypdfium2 as pdfium

    try:
        if _suffix(name) == ".pdf":
            pdf = _open_pdf(content)
            try:
                if not 1 <= page <= len(pdf):
                    raise IndexError(page)
                sheet = pdf[page - 1]
                width, height = sheet.get_size()
                scale = render_scale(width, height, RENDER_DPI, page=page)
                rendered = sheet.render(scale=scale).to_pil()
            finally:
                pdf.close()
        else:
            with _open_image(content) as image:
                if not 1 <= page <= _frames(image):
                    raise IndexError(page)
                image.seek(page - 1)
                check_pixels(image.width, image.height, page=page)
                rendered = image.convert("RGB")
        out = io.BytesIO()
        rendered.convert("RGB").save(out, format="PNG", optimize=True)
    except (pdfium.PdfiumError, OSError, ValueError, PageTooLarge):
        # Pillow's truncated images and pdfium's broken pages alike, never with their words.
        raise Unviewable from None
    return out.getvalue()


def too_large(content: bytes, name: str, page: int) -> str | None:
    """Why page `page` is too large to show, before anything is rendered; None when it is not
    (or when the page does not exist: the caller says so)."""
    try:
        if _suffix(name) == ".pdf":
            pdf = _open_pdf(content)
            try:
                if 1 <= page <= len(pdf):
                    width, height = pdf[page - 1].get_size()
                    render_scale(width, height, RENDER_DPI, page=page)
            finally:
                pdf.close()
        else:
            with _open_image(content) as image:
                if 1 <= page <= _frames(image):
                    image.seek(page - 1)
                    check_pixels(image.width, image.height, page=page)
    except PageTooLarge as exc:
        return str(exc)
    return None


def _suffix(name: str) -> str:
    return Path(name.split("#", 1)[0]).suffix.lower()


def _frames(image: Image) -> int:
    return int(getattr(image, "n_frames", 1))  # a multi-page TIFF has a page per frame


def _open_pdf(content: bytes) -> PdfDocument:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(content)
    except pdfium.PdfiumError:
        raise Unviewable from None


def _open_image(content: bytes) -> Image:
    from PIL import Image

    try:
        return Image.open(io.BytesIO(content))
    except OSError:  # Pillow's "cannot identify image file" included
        raise Unviewable from None
