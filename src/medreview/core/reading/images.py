"""Scanned records delivered as images (.png, .jpg, .tif, multi-page TIFF): every frame OCR'd."""

from __future__ import annotations

from pathlib import Path

from medreview.core.reading.limits import check_pixels, upscale_factor
from medreview.core.reading.model import Page
from medreview.core.reading.ocr import OCR_DPI, ocr_image

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif"}


def read_image_pages(path: Path) -> tuple[Page, ...]:
    import numpy as np
    from PIL import Image, ImageSequence

    pages = []
    with Image.open(path) as img:
        for number, frame in enumerate(ImageSequence.Iterator(img), start=1):
            # The header's size, checked before the frame is decoded.
            check_pixels(frame.width, frame.height, page=number)
            rgb = frame.convert("RGB")
            dpi = float(frame.info.get("dpi", (OCR_DPI, OCR_DPI))[0] or OCR_DPI)
            # Small scans lose whole lines in OCR; bring them up towards the OCR resolution.
            factor = upscale_factor(rgb.width, rgb.height, dpi, OCR_DPI)
            if factor > 1:
                rgb = rgb.resize((int(rgb.width * factor), int(rgb.height * factor)))
            pages.append(Page(number, ocr_image(np.asarray(rgb)), ocr=True))
    return tuple(pages)
