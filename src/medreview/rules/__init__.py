"""The rules of medreview as plain Python: dates, classification, clinical language, gaps,
billing, business-day clocks, triage and the chronology. No Django; frozen dataclasses in and
out; `today` and holidays are passed in."""
