"""The jurisdiction rules in force: the shipped rows of `data/jurisdiction_rules.csv`
(`core.network.jurisdictions.default_rules`) with an administrator's corrections over them
(`JurisdictionRuleEdit`, docs/rules.md, "Jurisdiction rules"). Every part of medreview that
reads a database reads the rules through `current_rules()`; `default_rules()` stays for the
pure core's own tests and `medreview triage`, which has no database.

The rules are built once per process and built again when the corrections change: a cheap
check (how many corrections there are, and the latest time one was made, in one query)
tells, read at most once per request (`RulesOncePerRequest`, a middleware) and at every call
outside one (a task, a command).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse

from medreview.claims.models import JurisdictionRuleEdit
from medreview.core.network.jurisdictions import (
    JurisdictionRule,
    JurisdictionRules,
    check_rule,
    default_rules,
)

log = logging.getLogger(__name__)

Version = tuple[int, datetime | None]
Key = tuple[str, str, str]


class _Unread:
    """In a request whose version of the corrections is not read yet."""


_OUTSIDE = object()  # outside a request: the version is read at every call
_UNREAD = _Unread()
_read_in_request: ContextVar[object] = ContextVar("medreview_rules_version", default=_OUTSIDE)
_lock = threading.Lock()
_built: tuple[Version, JurisdictionRules] | None = None


def current_rules() -> JurisdictionRules:
    """The jurisdiction rules in force: the shipped ones, corrected."""
    global _built
    seen = _read_in_request.get()
    if isinstance(seen, tuple) and _built is not None and _built[0] == seen:
        return _built[1]
    version = _version()
    if seen is not _OUTSIDE:
        _read_in_request.set(version)
    with _lock:
        if _built is None or _built[0] != version:
            _built = (version, JurisdictionRules(tuple(r.rule for r in _rows(_edits()))))
        return _built[1]


def forget() -> None:
    """Read the corrections' version again (a door that changed them, in this request)."""
    if _read_in_request.get() is not _OUTSIDE:
        _read_in_request.set(_UNREAD)


def _version() -> Version:
    found = JurisdictionRuleEdit.objects.aggregate(n=Count("id"), last=Max("edited"))
    return int(found["n"] or 0), found["last"]


class RulesOncePerRequest:
    """A middleware: the corrections' version is read at most once in a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _read_in_request.set(_UNREAD)
        try:
            return self.get_response(request)
        finally:
            _read_in_request.reset(token)


@dataclass(frozen=True)
class RuleInForce:
    """A rule in force, and whether an administrator's correction made it so (with the
    shipped row it replaced, None for a row added)."""

    rule: JurisdictionRule
    edit: JurisdictionRuleEdit | None = None
    shipped: JurisdictionRule | None = None


def as_rule(edit: JurisdictionRuleEdit) -> JurisdictionRule:
    return JurisdictionRule(
        jurisdiction=edit.jurisdiction,
        service=edit.service,
        rule=edit.rule,
        value=edit.value,
        citation=edit.citation,
        confidence=edit.confidence,
        note=edit.note,
    )


def _edits() -> dict[Key, JurisdictionRuleEdit]:
    return {
        (e.jurisdiction, e.service, e.rule): e
        for e in JurisdictionRuleEdit.objects.select_related("edited_by")
    }


def _rows(edits: dict[Key, JurisdictionRuleEdit]) -> list[RuleInForce]:
    """The shipped rows in their order, each replaced or removed by its correction, then the
    rows the corrections add. A correction the rules no longer accept (a rule a newer
    version renamed) is left out, and logged, rather than stopping every match."""
    edits = dict(edits)
    found: list[RuleInForce] = []
    for shipped in default_rules().rules:
        edit = edits.pop((shipped.jurisdiction, shipped.service, shipped.rule), None)
        if edit is None:
            found.append(RuleInForce(shipped))
        elif not edit.removes and (rule := _checked(edit)) is not None:
            found.append(RuleInForce(rule, edit, shipped))
    for edit in edits.values():
        if not edit.removes and (rule := _checked(edit)) is not None:
            found.append(RuleInForce(rule, edit))
    return found


def _checked(edit: JurisdictionRuleEdit) -> JurisdictionRule | None:
    rule = as_rule(edit)
    try:
        check_rule(rule)
    except ValueError as exc:
        log.warning("jurisdiction rule correction %s left out: %s", edit.pk, exc)
        return None
    return rule


def rules_in_force() -> tuple[
    list[RuleInForce], list[tuple[JurisdictionRule, JurisdictionRuleEdit]]
]:
    """Every rule in force, with its correction if it has one, and the shipped rows an
    administrator removed, with the correction that removed them (the rules' page): one
    query."""
    edits = _edits()
    shipped = {(r.jurisdiction, r.service, r.rule): r for r in default_rules().rules}
    removed = [
        (shipped[key], edit) for key, edit in edits.items() if edit.removes and key in shipped
    ]
    return _rows(edits), removed


def shipped_rule(jurisdiction: str, service: str, rule: str) -> JurisdictionRule | None:
    key = (jurisdiction, service, rule)
    return next(
        (r for r in default_rules().rules if (r.jurisdiction, r.service, r.rule) == key), None
    )


def in_words(rule: JurisdictionRule | None) -> dict[str, Any] | None:
    """A rule as the audit trail keeps it."""
    if rule is None:
        return None
    return {
        "value": rule.value,
        "citation": rule.citation,
        "confidence": rule.confidence,
        "note": rule.note,
    }
