"""Template filters of every page: `user|may:"assign_physicians"` reads the permission table
(`claims.permissions`), so a page shows no button its action would refuse; `code|words` gives
the words people read for a code of the contracts (`core.vocabulary`)."""

from __future__ import annotations

from django import template

from medreview.claims.permissions import Permission
from medreview.claims.permissions import may as _may
from medreview.core.vocabulary import words as _words

register = template.Library()


@register.filter
def may(user: object, permission: str) -> bool:
    return _may(user, Permission(permission))


@register.filter
def words(code: object) -> str:
    return _words(str(code) if code is not None else None)
