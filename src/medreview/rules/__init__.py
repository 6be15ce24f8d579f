"""The rules of medreview as plain Python: dates, classification, clinical language, gaps,
billing, business-day clocks, triage and the chronology. No Django; frozen dataclasses in and
out; `today` and holidays are passed in."""


def compile_patterns() -> None:
    """Compile every pattern set of the rules now (a second or two, or a cache load), rather
    than on first use: worker processes forked afterwards inherit them compiled."""
    from medreview.rules import classify, dates, language

    classify._cue_sets()
    language._targets()
    language._named("body_part")
    language._named("specialty")
    dates._date_set()
