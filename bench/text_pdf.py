"""Benchmark 1: the records pipeline on a text-layer PDF against bare pypdfium2 extraction.

Goal (bench/README.md): the whole pipeline (read, split, classify, mentions, duplicates,
gaps, triage) runs at least half as fast as bare pypdfium2 text extraction of the same pages.
Bare: open the PDF, `get_textpage().get_text_range()` on every page, close each. Pipeline:
`triage_folder` on a case folder holding only that PDF, after a one-time warm-up (the language
model and a tiny run on a 4-page packet of other text), which is reported apart. Runs
interleaved, at least 3 and until each side's best run is confirmed by another within 5% (at
most 8), as the OCR benchmark does: the pipeline spreads over both cores, and a shared
machine slows a run that needs both more often than one that needs one. The best of each
side is compared; the pipeline's sentence cache is emptied before each of its runs.
"""

from __future__ import annotations

from pathlib import Path

from bench import inputs
from bench.measure import Outcome, enough_runs, forget_content_caches, ms, rate, steady, timed
from bench.story import TODAY

GOAL = 0.5


def bare_extract(pdf_path: Path) -> tuple[int, int]:
    """Pages and characters of the PDF's text layer, read with pypdfium2 alone."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    chars = 0
    count = len(pdf)
    for index in range(count):
        page = pdf[index]
        textpage = page.get_textpage()
        chars += len(textpage.get_text_range())
        textpage.close()
        page.close()
    pdf.close()
    return count, chars


def stages(folder: Path) -> list[tuple[str, float]]:
    """One pipeline run timed stage by stage (the stages of `pipeline.analyse`)."""
    from medreview.core.case.folder import load_referral_file, record_files
    from medreview.core.case.pipeline import build_document, fold_duplicates, read_records
    from medreview.core.records import chronology, gaps
    from medreview.core.thresholds import Thresholds
    from medreview.core.triage.calendars import holidays_for
    from medreview.core.triage.recommend import triage

    settings = Thresholds()
    referral = load_referral_file(folder, today=TODAY)
    forget_content_caches()
    t_read, (sources, facts) = timed(lambda: read_records(record_files(folder)))
    known = tuple(p.name for p in referral.providers)
    t_build, built = timed(lambda: [build_document(s, referral, known) for s in sources])
    t_fold, documents = timed(lambda: fold_duplicates(built))
    t_gaps, found = timed(lambda: gaps.audit(documents, facts, referral, settings))

    def decide() -> object:
        due = referral.due or referral.received
        holidays = holidays_for(referral.jurisdiction, referral.received.year, due.year)
        triage(referral, documents, found, holidays, settings)
        return chronology.build(documents, facts)

    t_triage, _ = timed(decide)
    return [
        ("read + split (read_records)", t_read),
        ("classify + mentions (build_document)", t_build),
        ("duplicates (fold_duplicates)", t_fold),
        ("gap audit (gaps.audit)", t_gaps),
        ("triage + chronology", t_triage),
    ]


def run(quick: bool) -> Outcome:
    from medreview.core.case.pipeline import triage_folder
    from medreview.core.config import default_processes
    from medreview.core.records import language

    processes = default_processes()  # as `medreview triage` runs it
    pages = 120 if quick else 600
    folder = inputs.text_case(pages)
    tiny = inputs.text_case(4, seed=99)
    pdf = inputs.pdf_of(folder)

    t_model, _ = timed(language.warm_up)
    t_tiny, _ = timed(lambda: triage_folder(tiny, today=TODAY))
    bare: list[float] = []
    pipeline: list[float] = []
    single: list[float] = []
    chars = documents = 0
    while not enough_runs(bare, pipeline):
        seconds, (count, chars) = timed(lambda: bare_extract(pdf))
        assert count == pages
        bare.append(seconds)
        forget_content_caches()
        seconds, result = timed(lambda: triage_folder(folder, today=TODAY, processes=processes))
        pipeline.append(seconds)
        documents = len(result.documents)
        forget_content_caches()
        seconds, _ = timed(lambda: triage_folder(folder, today=TODAY, processes=1))
        single.append(seconds)
    runs = len(bare)
    best_bare, best_pipe, best_single = min(bare), min(pipeline), min(single)
    expected = inputs.packet_documents(pages)
    ratio = best_bare / best_pipe
    rows = [
        ("packet", f"{pages:,} pages, {chars / pages:,.0f} chars/page, {expected} records"),
        ("documents the pipeline found", f"{documents} (of {expected})"),
        (f"bare pypdfium2 (best of {runs})", f"{ms(best_bare)}  {rate(pages, best_bare)}"),
        (
            f"pipeline, {processes} processes (best of {runs})",
            f"{ms(best_pipe)}  {rate(pages, best_pipe)}",
        ),
        (
            f"pipeline, 1 process (best of {runs})",
            f"{ms(best_single)}  {rate(pages, best_single)}  ratio {best_bare / best_single:.3f}x",
        ),
        (
            "pipeline per page",
            f"{best_pipe / pages * 1000:.2f} ms (bare {best_bare / pages * 1000:.3f} ms)",
        ),
        ("all runs, bare", _spread(bare)),
        ("all runs, pipeline", _spread(pipeline)),
        ("speed ratio bare/pipeline", f"{ratio:.3f}x (goal >= {GOAL}x)"),
        ("warm-up: language model", ms(t_model)),
        ("warm-up: first run, 4 pages", ms(t_tiny)),
    ]
    for name, seconds in stages(folder):
        rows.append((f"  stage: {name}", f"{ms(seconds)}  ({seconds / pages * 1000:.2f} ms/page)"))
    notes = []
    if not (steady(bare) and steady(pipeline)):
        notes.append(
            f"no steady best run after {runs} runs (the machine is busy): the ratio is "
            "uncertain; run again when it is quiet"
        )
    return Outcome(
        name="text-pdf",
        figure=f"speed ratio {ratio:.3f}x ({rate(pages, best_pipe)})",
        goal=f">= {GOAL}x bare pypdfium2",
        passed=ratio >= GOAL,
        rows=rows,
        notes=notes,
    )


def _spread(walls: list[float]) -> str:
    return f"{len(walls)} runs, {ms(min(walls))} to {ms(max(walls))}"
