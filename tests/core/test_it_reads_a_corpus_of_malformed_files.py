"""A corpus of malformed files through the reader: truncated and random PDFs, broken and
lying images (a TIFF that says it is 100,000 pixels square), invalid, deeply nested and
out-of-range JSON, a Bundle entry with no resourceType, garbage NDJSON, binary text. None
stops the reader; each is listed with an error that names what is wrong in words."""

from __future__ import annotations

import io
import random
import struct
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from medreview.core.reading import read_file


def _corpus() -> dict[str, bytes]:
    rng = random.Random(7)
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="Progress note")
    good = bytes(pdf.output())
    png, jpg = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (50, 50)).save(png, "PNG")
    Image.new("RGB", (50, 50)).save(jpg, "JPEG")
    tags = [(256, 4, 1, 100_000), (257, 4, 1, 100_000), (258, 3, 1, 8)]
    tiff = b"II*\x00" + struct.pack("<IH", 8, len(tags))
    tiff += b"".join(struct.pack("<HHII", *t) for t in tags) + b"\x00" * 4
    return {
        "random.pdf": b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(4000)),
        "truncated.pdf": good[: len(good) // 2],
        "header_only.pdf": b"%PDF-1.4\n%%EOF",
        "header_only.png": png.getvalue()[:16],
        "truncated.jpg": jpg.getvalue()[: len(jpg.getvalue()) // 3],
        "garbage.gif": b"GIF89a" + bytes(rng.randrange(256) for _ in range(200)),
        "huge.tif": tiff,
        "bad.bmp": b"BM" + b"\xff" * 60,
        "cut.json": b'{"resourceType": "Bundle", ',
        "array.json": b"[1, 2, 3]",
        "nested.json": b"[" * 100_000 + b"]" * 100_000,
        "infinite.json": b'{"resourceType": "Bundle", "type": "collection", "total": 1e999}',
        "no_type.json": b'{"resourceType": "Bundle", "type": "collection",'
        b' "entry": [{"resource": {"id": "x"}}]}',
        "garbage.ndjson": b"{not json}\n\x00\x01\x02\n",
        "binary.txt": bytes(range(256)) * 20,
    }


@pytest.mark.parametrize("name", list(_corpus()))
def test_a_malformed_file_is_listed_with_its_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(_corpus()[name])
    read = read_file(path, f"records/{name}")
    assert read.documents, "the file is listed, never dropped"
    for doc in read.documents:
        assert doc.error, doc
        assert str(tmp_path) not in doc.error  # never the server's path
