"""The rules of medreview as plain Python: dates, classification, clinical language, gaps,
billing, business-day clocks, triage and the chronology. No Django; frozen dataclasses in and
out; `today` and holidays are passed in."""


def compile_patterns() -> None:
    """Compile every pattern set of the rules now (a second or two, or a cache load), rather
    than on first use: worker processes forked afterwards inherit them compiled."""
    from medreview.core.records import classify, dates, language

    classify._cue_sets()
    language._targets()
    language._named("body_part")
    language._named("specialty")
    dates._date_set()


def forget_read_text() -> None:
    """Empty the caches of text already read (sentences ConText analysed, dates, body
    parts), not the compiled rules: the next case is read as if it were the first."""
    from medreview.core.records import dates, language

    language.forget_sentences()
    language.body_parts.cache_clear()
    dates.find_dates.cache_clear()
