"""Benchmarks of medreview (the goals of bench/README.md).

Run them all with ``python -m bench`` from the repository root; ``--quick`` runs smaller sizes
for a CI smoke test and ``--only NAME`` runs one of them. Each benchmark measures the pipeline
against its peer on the same input in the same run (bare pypdfium2, bare rapidocr) and reports
the ratio, so the figures hold on any machine. Generated inputs are cached under ``bench/out/``.
"""
