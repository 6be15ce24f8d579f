"""Optical character recognition of page images with rapidocr (models ship in its wheel).

Pages are rendered at about 200 dpi before OCR: at lower resolutions whole lines drop out.
rapidocr returns text boxes; they are put back into reading order, line by line, so that
the rules read an OCR'd page as they read a text layer.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

OCR_DPI = 200

# The per-line direction classifier turns some upright lines into gibberish; upside-down
# pages are caught as a whole instead (see `ocr_image`).
ENGINE_PARAMS = {"Global.log_level": "error", "Global.use_cls": False}

_engine: Any = None
_lock = threading.Lock()


def engine() -> Any:
    """The process's OCR engine, created on first use (loading the models takes a second)."""
    global _engine
    with _lock:
        if _engine is None:
            from rapidocr import RapidOCR

            _engine = RapidOCR(params=ENGINE_PARAMS)
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        return _engine


# Below this mean recognition confidence a page is probably upside down (a fax fed the wrong way).
UPSIDE_DOWN_SCORE = 0.75


def ocr_image(image: Any) -> str:
    """The text of one page image (a numpy array, RGB or BGR), in reading order."""
    result = engine()(image)
    if _confidence(result) < UPSIDE_DOWN_SCORE and getattr(result, "txts", None):
        turned = engine()(image[::-1, ::-1].copy())
        if _confidence(turned) > _confidence(result):
            result = turned
    boxes = getattr(result, "boxes", None)
    texts = getattr(result, "txts", None)
    if boxes is None or not texts:
        return ""
    return lines_in_reading_order([(b.tolist(), t) for b, t in zip(boxes, texts, strict=False)])


def _confidence(result: Any) -> float:
    scores = getattr(result, "scores", None)
    texts = getattr(result, "txts", None)
    if not scores or not texts:
        return 0.0
    # Weighted by length: a page of long confident lines is read right side up.
    total = sum(len(t) for t in texts) or 1
    return float(sum(s * len(t) for s, t in zip(scores, texts, strict=False)) / total)


def lines_in_reading_order(items: list[tuple[list[list[float]], str]]) -> str:
    """Group text boxes whose vertical centres share a line, left to right, top to bottom."""
    boxes = []
    for points, text in items:
        ys = [p[1] for p in points]
        xs = [p[0] for p in points]
        boxes.append((min(ys), max(ys), min(xs), text))
    boxes.sort(key=lambda b: ((b[0] + b[1]) / 2, b[2]))
    lines: list[list[tuple[float, float, float, str]]] = []
    for box in boxes:
        centre = (box[0] + box[1]) / 2
        if lines:
            last = lines[-1]
            top = min(b[0] for b in last)
            bottom = max(b[1] for b in last)
            height = bottom - top
            if top <= centre <= bottom and abs(centre - (top + bottom) / 2) < height / 2:
                last.append(box)
                continue
        lines.append([box])
    return "\n".join("  ".join(b[3] for b in sorted(line, key=lambda b: b[2])) for line in lines)
