"""The rules of a physician's review, pure: what a submission lacks, the QA checklist, the IME
narrowed to what the review left open, and the report (docs/rules.md, "Peer review")."""
