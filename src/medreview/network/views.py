"""Pages of the physician network for the review desk: find physicians, see one with what
is due for credentialing and the next 60 days of their bookable hours for IMEs, edit them,
record verified credentials and add or remove hours (administrators), and the candidates for
a referral (on the case page). A client's user sees none of it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from medreview.claims.access import refuse_unless, row_id
from medreview.claims.errors import ActionError
from medreview.claims.permissions import Permission, may
from medreview.core.network import taxonomy
from medreview.core.network.matching import reverify_by
from medreview.core.triage.calendars import is_jurisdiction
from medreview.network.actions import (
    do_add_hours,
    do_remove_hours,
    do_update_physician,
    do_verify_credential,
)
from medreview.network.forms import CredentialForm, HoursForm, PhysicianForm
from medreview.network.models import Availability, Physician

DUE_SOON_DAYS = 60
HOURS_SHOWN_DAYS = 60
PAGE = 50


@login_required
@require_safe
def physicians(request: HttpRequest) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.SEE_NETWORK)) is not None:
        return denied
    q = request.GET.get("q", "").strip()
    specialty_text = request.GET.get("specialty", "").strip()
    state = request.GET.get("state", "").strip().upper()
    rows = Physician.objects.all()
    notes = []
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(npi=q))
    if specialty_text:
        found = taxonomy.specialty(specialty_text)
        if found is None:
            notes.append(f"No specialty is called {specialty_text!r}.")
            rows = rows.none()
        else:
            rows = rows.filter(specialties__code=found.code)
    if state:
        if not is_jurisdiction(state):
            notes.append(f"{state!r} is not a US state code.")
            rows = rows.none()
        else:
            rows = rows.filter(licences__state=state, licences__expires__gte=date.today())
    page = Paginator(
        rows.distinct().prefetch_related("specialties", "licences").order_by("name"), PAGE
    ).get_page(request.GET.get("page"))
    today = date.today()
    items = [{"p": p, "status": credential_status(p, today)} for p in page]
    return render(
        request,
        "network/physicians.html",
        {
            "page": page,
            "items": items,
            "q": q,
            "specialty": specialty_text,
            "state": state,
            "notes": notes,
        },
    )


def credential_status(p: Physician, today: date) -> dict[str, Any]:
    """Each credential with when it is due, and the physician's overall state: `lapsed`
    (blocks assignment), `due` (within 60 days) or `current`."""
    items: list[tuple[str, date | None, str, str]] = []
    for lic in p.licences.all():
        if lic.expires < today:
            items.append((f"{lic.state} licence", None, "expired", f"expired {lic.expires}"))
            continue
        items.append(_item(f"{lic.state} licence (expires {lic.expires})", lic.verified_on, today))
    if p.board_certified:
        items.append(_item("board certification", p.board_verified_on, today))
    items.append(_item("sanctions check", p.sanctions_checked_on, today))
    if p.sanctioned:
        items.append(("sanctions", None, "lapsed", "a sanction is on record"))
    states = {i[2] for i in items}
    overall = "lapsed" if "lapsed" in states else "due" if "due" in states else "current"
    return {"items": items, "overall": overall}


def _item(label: str, verified_on: date | None, today: date) -> tuple[str, date | None, str, str]:
    due = reverify_by(verified_on)
    if due is None:
        return (label, None, "lapsed", "never verified")
    if due <= today:
        return (label, due, "lapsed", f"re-verification was due {due}")
    if due <= today + timedelta(days=DUE_SOON_DAYS):
        return (label, due, "due", f"re-verify by {due}")
    return (label, due, "current", f"verified {verified_on}; next due {due}")


@login_required
@require_safe
def physician(request: HttpRequest, npi: str) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.SEE_NETWORK)) is not None:
        return denied
    p = get_object_or_404(Physician.objects.prefetch_related("specialties", "licences"), npi=npi)
    return _render_physician(request, p)


def _render_physician(
    request: HttpRequest,
    p: Physician,
    *,
    form: PhysicianForm | None = None,
    credential_form: CredentialForm | None = None,
    hours_form: HoursForm | None = None,
    error: str | None = None,
    hours_error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    specialties = []
    for s in p.specialties.all():
        found = taxonomy.specialty(s.code)
        specialties.append((s.code, found.name if found else "unknown code"))
    return render(
        request,
        "network/physician.html",
        {
            "p": p,
            "specialties": specialties,
            "status": credential_status(p, date.today()),
            "form": form or PhysicianForm(instance=p),
            "credential_form": credential_form or CredentialForm(),
            "can_edit": may(request.user, Permission.EDIT_NETWORK),
            "error": error,
            "hours": _hours(p),
            "hours_days": HOURS_SHOWN_DAYS,
            "hours_form": hours_form or HoursForm(initial={"zip": p.zip}),
            "hours_error": hours_error,
        },
        status=status,
    )


@login_required
@require_POST
def edit_physician(request: HttpRequest, npi: str) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.EDIT_NETWORK)) is not None:
        return denied
    p = get_object_or_404(Physician, npi=npi)
    form = PhysicianForm(request.POST, instance=Physician.objects.get(pk=p.pk))
    if not form.is_valid():
        return _render_physician(request, p, form=form, status=422)
    try:
        do_update_physician(p, actor=request.user, changes=form.changes())
    except ActionError as exc:
        return _render_physician(request, p, form=form, error=str(exc), status=exc.status)
    return redirect("physician", npi=npi)


@login_required
@require_POST
def verify_credential(request: HttpRequest, npi: str) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.EDIT_NETWORK)) is not None:
        return denied
    p = get_object_or_404(Physician, npi=npi)
    form = CredentialForm(request.POST)
    if not form.is_valid():
        return _render_physician(request, p, credential_form=form, status=422)
    data = form.cleaned_data
    try:
        do_verify_credential(
            p,
            actor=request.user,
            credential=data["credential"],
            verified_on=data["verified_on"],
            state=data.get("state") or "",
            expires=data.get("expires"),
            sanctioned=bool(data.get("sanctioned")),
        )
    except ActionError as exc:
        return _render_physician(
            request, p, credential_form=form, error=str(exc), status=exc.status
        )
    return redirect("physician", npi=npi)


def _hours(p: Physician) -> list[Availability]:
    """The physician's blocks of bookable hours from today through the next 60 days."""
    today = timezone.localdate()
    return list(
        Availability.objects.filter(
            physician=p, day__gte=today, day__lte=today + timedelta(days=HOURS_SHOWN_DAYS)
        ).order_by("day", "start")
    )


@login_required
@require_POST
def add_hours(request: HttpRequest, npi: str) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.EDIT_NETWORK)) is not None:
        return denied
    p = get_object_or_404(Physician, npi=npi)
    form = HoursForm(request.POST)
    if not form.is_valid():
        return _render_physician(request, p, hours_form=form, status=422)
    data = form.cleaned_data
    try:
        do_add_hours(
            p,
            actor=request.user,
            day=data["day"],
            start=data["start"],
            end=data["end"],
            zip_code=data["zip"],
            address=data["address"],
        )
    except ActionError as exc:
        return _render_physician(
            request, p, hours_form=form, hours_error=str(exc), status=exc.status
        )
    return redirect(f"/network/{npi}/#hours")


@login_required
@require_POST
def remove_hours(request: HttpRequest, npi: str, block_id: int) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.EDIT_NETWORK)) is not None:
        return denied
    p = get_object_or_404(Physician, npi=npi)
    block = get_object_or_404(Availability, pk=row_id(block_id), physician=p)
    try:
        do_remove_hours(block, actor=request.user)
    except ActionError as exc:
        return _render_physician(request, p, hours_error=str(exc), status=exc.status)
    return redirect(f"/network/{npi}/#hours")
