"""Template filters of every page: `user|may:"assign_physicians"` reads the permission table
(`claims.permissions`), so a page shows no button its action would refuse; `code|words` gives
the words people read for a code of the contracts (`core.vocabulary`); `value|day` and
`text|dates` show the dates that JSON and the engine's sentences keep in ISO form as every
page shows a date (settings.DATE_FORMAT)."""

from __future__ import annotations

import re
from datetime import date

from django import template
from django.template.defaultfilters import date as date_filter

from medreview.claims.permissions import Permission
from medreview.claims.permissions import may as _may
from medreview.core.vocabulary import words as _words

register = template.Library()
ISO_DATE = re.compile(r"\b\d{4}-\d\d-\d\d\b")


@register.filter
def may(user: object, permission: str) -> bool:
    return _may(user, Permission(permission))


@register.filter
def words(code: object) -> str:
    return _words(str(code) if code is not None else None)


@register.filter(expects_localtime=True)
def day(value: object) -> str:
    """A date, a moment's day, or the ISO text of a date (a triage's or a proposal's JSON);
    empty for none, and any other text as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            return str(date_filter(date.fromisoformat(value)))
        except ValueError:
            return value
    return str(date_filter(value))


@register.filter
def dates(text: object) -> str:
    """A sentence of the engine (a rationale, a gap, a refusal) with its ISO dates shown as
    every page shows a date; the API and the command line keep them ISO."""
    return ISO_DATE.sub(lambda found: day(found.group()), "" if text is None else str(text))
