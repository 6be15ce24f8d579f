"""The benchmarks' inputs, generated once and cached under `bench/out/` (git-ignored).

Each input is a case folder as docs/case-folder.md describes it (`referral.json` and
`records/`), named by its size and a digest of the generator's source, so changing the
generator regenerates it and stale folders of the same size are removed.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import time
from pathlib import Path

from bench import bills, clinical, documents, kinds, packet, phrases, render, story

OUT = Path(__file__).resolve().parent / "out"
GENERATOR = (bills, clinical, documents, kinds, packet, phrases, render, story)


def _digest(*parts: object) -> str:
    h = hashlib.sha256()
    for module in GENERATOR:
        h.update(Path(str(module.__file__)).read_bytes())
    h.update(repr(parts).encode())
    return h.hexdigest()[:10]


def _folder(prefix: str, *parts: object) -> tuple[Path, bool]:
    """The cached case folder, and whether it is already complete."""
    folder = OUT / f"{prefix}-{_digest(prefix, *parts)}"
    if (folder / "referral.json").is_file():
        return folder, True
    for stale in OUT.glob(f"{prefix}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    (folder / "records").mkdir(parents=True, exist_ok=True)
    return folder, False


def text_case(pages: int, seed: int | None = None) -> Path:
    """A case folder whose records are one text-layer packet of exactly `pages` pages."""
    seed = pages if seed is None else seed
    folder, ready = _folder(f"text-{pages}p-s{seed}", pages, seed)
    if ready:
        return folder
    started = time.perf_counter()
    print(f"  generating a {pages:,}-page text PDF (cached in {OUT.name}/) ...", file=sys.stderr)
    pdf = folder / "records" / f"records_packet_{pages}p.pdf"
    partial = pdf.with_suffix(".part")
    written = render.write_text_pdf(packet.records(pages, seed), partial)
    assert written == pages, f"generated {written} pages, wanted {pages}"
    partial.rename(pdf)
    _referral(folder, pages)
    print(f"  ... done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return folder


def packet_documents(pages: int, seed: int | None = None) -> int:
    """How many records the generated packet of `pages` pages holds (re-faxed copies count)."""
    return sum(1 for _ in packet.records(pages, pages if seed is None else seed))


def scan_case(pages: int, seed: int = 7) -> Path:
    """A case folder whose records are one image-only (scanned) PDF of `pages` pages."""
    folder, ready = _folder(f"scan-{pages}p-s{seed}", pages, seed)
    if ready:
        return folder
    texts = [p.lines for r in packet.records(pages, seed) for p in r.pages]
    render.write_scanned_pdf(texts, folder / "records" / "scanned_records.pdf")
    _referral(folder, pages)
    return folder


def _referral(folder: Path, pages: int) -> None:
    (folder / "referral.json").write_text(story.referral_json(story.injury_for(pages)))


def pdf_of(folder: Path) -> Path:
    """The one PDF of a case folder's records."""
    (pdf,) = sorted((folder / "records").glob("*.pdf"))
    return pdf
