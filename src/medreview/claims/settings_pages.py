"""The desk's settings pages: clients' service levels (an administrator's) and the
jurisdiction rules in force (the desk reads them; an administrator corrects them). Each form
parses, calls one door of `claims.actions` and goes back to its page; a refusal shows the
page again with the error and what was typed."""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from medreview.claims.access import refuse_unless, row_id
from medreview.claims.actions import (
    do_edit_jurisdiction_rule,
    do_restore_jurisdiction_rule,
    do_set_service_levels,
)
from medreview.claims.errors import ActionError
from medreview.claims.models import Organisation, ServiceLevel
from medreview.claims.permissions import Permission, may
from medreview.claims.rules import rules_in_force
from medreview.core.config import rule_thresholds
from medreview.core.network.jurisdictions import RULE_WORDS, RULES, SERVICES
from medreview.core.triage.stages import MOST_BUSINESS_DAYS, service_levels
from medreview.core.vocabulary import words

CONFIDENCE_WORDS = {"H": "the rule's text seen", "M": "a secondary source", "S": "a setting"}


@login_required
@require_safe
def service_levels_page(request: HttpRequest) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.EDIT_SERVICE_LEVELS)) is not None:
        return denied
    return _levels_page(request)


@login_required
@require_POST
def set_service_levels(request: HttpRequest, organisation_id: int) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.EDIT_SERVICE_LEVELS)) is not None:
        return denied
    client = get_object_or_404(Organisation, pk=row_id(organisation_id), kind=Organisation.CLIENT)
    # A stage the form does not send is left as it is; one sent empty has the default.
    typed = {
        code: request.POST[code].strip() for code in service_levels().stages if code in request.POST
    }
    try:
        levels = {code: _days(code, text) for code, text in typed.items()}
        do_set_service_levels(client, actor=request.user, levels=levels)  # type: ignore[arg-type]
    except ActionError as exc:
        return _levels_page(
            request, error=str(exc), client=client.pk, typed=typed, status=exc.status
        )
    return redirect(f"/settings/service-levels/#client-{client.pk}")


def _days(stage: str, text: str) -> int | None:
    if not text:
        return None  # the desk's default
    if not text.isdigit():
        label = service_levels().stage(stage).label
        raise ActionError(
            f"{label}: {text!r} is not a whole number of business days (1 to "
            f"{MOST_BUSINESS_DAYS}; empty for the desk's default)",
            field=stage,
        )
    return int(text)


def _levels_page(
    request: HttpRequest,
    *,
    error: str = "",
    client: int | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    levels = service_levels()
    thresholds = rule_thresholds(os.environ)
    set_ = {
        (s.organisation_id, s.stage): s.business_days
        for s in ServiceLevel.objects.filter(organisation__kind=Organisation.CLIENT)
    }
    clients = []
    for org in Organisation.objects.filter(kind=Organisation.CLIENT).order_by("name"):
        mine = org.pk == client
        rows = []
        for code, stage in levels.stages.items():
            value = set_.get((org.pk, code))
            shown = (typed or {}).get(code, "") if mine else ("" if value is None else str(value))
            rows.append(
                {
                    "code": code,
                    "stage": stage,
                    "default": stage.default_days(thresholds),
                    "value": shown,
                }
            )
        clients.append({"org": org, "rows": rows, "error": error if mine else ""})
    return render(
        request,
        "claims/service_levels.html",
        {"clients": clients, "most": MOST_BUSINESS_DAYS, "levels": levels},
        status=status,
    )


@login_required
@require_safe
def jurisdiction_rules_page(request: HttpRequest) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.SEE_JURISDICTION_RULES)) is not None:
        return denied
    typed = {}
    editing = request.GET.get("edit", "")
    if editing.count("|") == 2:
        jurisdiction, service, rule = editing.split("|")
        found = next(
            (
                x.rule
                for x in rules_in_force()[0]
                if (x.rule.jurisdiction, x.rule.service, x.rule.rule)
                == (jurisdiction, service, rule)
            ),
            None,
        )
        if found is not None:
            typed = {k: getattr(found, k) for k in FIELDS}
    return _rules_page(request, typed=typed)


FIELDS = ("jurisdiction", "service", "rule", "value", "citation", "confidence", "note")


@login_required
@require_POST
def change_jurisdiction_rule(request: HttpRequest) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.EDIT_JURISDICTION_RULES)) is not None:
        return denied
    typed = {k: request.POST.get(k, "").strip() for k in FIELDS}
    try:
        if request.POST.get("action") == "restore":
            do_restore_jurisdiction_rule(
                actor=request.user,  # type: ignore[arg-type]
                jurisdiction=typed["jurisdiction"],
                service=typed["service"],
                rule=typed["rule"],
            )
        else:
            do_edit_jurisdiction_rule(
                actor=request.user,  # type: ignore[arg-type]
                removes=request.POST.get("removes") == "on",
                **typed,
            )
    except ActionError as exc:
        return _rules_page(request, typed=typed, error=str(exc), status=exc.status)
    return redirect("/settings/jurisdiction-rules/#rules")


def _rules_page(
    request: HttpRequest, *, typed: dict[str, str], error: str = "", status: int = 200
) -> HttpResponse:
    in_force, removed = rules_in_force()
    rows = sorted(
        in_force,
        key=lambda x: (
            x.rule.rule,
            x.rule.service,
            x.rule.jurisdiction != "*",
            x.rule.jurisdiction,
        ),
    )
    shown: list[dict[str, Any]] = [
        {
            "r": x.rule,
            "edit": x.edit,
            "shipped": x.shipped,
            "words": RULE_WORDS.get(x.rule.rule, words(x.rule.rule)),
            "service": words(x.rule.service),
            "key": f"{x.rule.jurisdiction}|{x.rule.service}|{x.rule.rule}",
            "confidence": CONFIDENCE_WORDS.get(x.rule.confidence, x.rule.confidence),
        }
        for x in rows
    ]
    return render(
        request,
        "claims/jurisdiction_rules.html",
        {
            "rows": shown,
            "removed": [
                {"r": r, "edit": e, "words": RULE_WORDS.get(r.rule, words(r.rule))}
                for r, e in removed
            ],
            "may_edit": may(request.user, Permission.EDIT_JURISDICTION_RULES),
            "typed": typed,
            "error": error,
            "services": [(s, words(s)) for s in sorted(SERVICES)],
            "rules": [(r, RULE_WORDS.get(r, words(r))) for r in sorted(RULES)],
            "confidences": list(CONFIDENCE_WORDS.items()),
        },
        status=status,
    )
