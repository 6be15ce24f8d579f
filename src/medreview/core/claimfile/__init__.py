"""The claim file (docs/workflow.md, "Claim file"): one defensible export of a referral, its
data as frozen dataclasses (`model.py`, gathered by `medreview.web.claim_file.gather`), the
PDF made of them, one numbered section per writer (`pdf.py`), and the audit trail's check in
words (`trail.py`)."""
