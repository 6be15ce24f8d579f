"""How large a page medreview turns into pixels: a cap checked before any image is decoded,
upscaled or rendered, in the background reader and in the page viewer alike, so that one
hostile file (a JPEG that says it was scanned at 1 dpi, a PDF page 200 inches square) cannot
take the machine's memory.

The cap, 60 million pixels, is 16 times a letter page at the OCR's 200 dpi (3.7 million) and
holds an 11 x 17 inch drawing at 300 dpi; a page beyond it is no record a person scanned.
"""

from __future__ import annotations

import math

MAX_PAGE_PIXELS = 60_000_000
# A small scan is brought up to the OCR's resolution, by at most this factor a side.
MAX_UPSCALE = 4.0


class PageTooLarge(Exception):
    """A page larger than medreview reads; the message says how large, and nothing else."""


def check_pixels(width: int, height: int, *, page: int) -> None:
    if width * height > MAX_PAGE_PIXELS:
        raise PageTooLarge(
            f"page {page} is {width:,} x {height:,} pixels, larger than medreview reads"
            f" ({MAX_PAGE_PIXELS // 1_000_000} million pixels)"
        )


def render_scale(width_pt: float, height_pt: float, dpi: float, *, page: int) -> float:
    """The scale that renders a PDF page of this size (in points) at `dpi`; refused when the
    page would pass the cap even so."""
    scale = dpi / 72
    pixels = width_pt * scale * height_pt * scale
    if not math.isfinite(pixels) or pixels > MAX_PAGE_PIXELS:
        inches = f"{width_pt / 72:,.0f} x {height_pt / 72:,.0f} inches"
        raise PageTooLarge(
            f"page {page} is {inches}: at {dpi:g} dpi, larger than medreview reads"
            f" ({MAX_PAGE_PIXELS // 1_000_000} million pixels)"
        )
    return scale


def upscale_factor(width: int, height: int, dpi: float, wanted_dpi: float) -> float:
    """How much to enlarge a small scan towards `wanted_dpi`: never more than `MAX_UPSCALE`,
    nor past the cap (1 when it needs none)."""
    if dpi <= 0 or dpi >= wanted_dpi * 0.9:
        return 1.0
    factor = min(wanted_dpi / dpi, MAX_UPSCALE)
    room = math.sqrt(MAX_PAGE_PIXELS / max(1, width * height))
    return max(1.0, min(factor, room))
