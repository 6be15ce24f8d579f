"""Pages of a referral's records: a cited page (its image, or its text), the original file,
and the corrections and records requests made from the case page. Each checks that the
referral is within the user's reach (404 otherwise) and logs the access in the audit trail."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from medreview.claims.access import referral_or_404
from medreview.claims.errors import ActionError
from medreview.claims.models import Referral, User
from medreview.claims.permissions import Permission, may
from medreview.records import pages, storage
from medreview.records.actions import (
    Upload,
    check_file_size,
    do_create_referral,
    do_expire_kept_uploads,
    do_keep_uploads,
    do_remove_kept_upload,
    do_view_record,
    kept_uploads,
    referral_text_of,
)
from medreview.records.forms import (
    PROVIDER_SLOTS,
    QUESTION_SLOTS,
    QUESTION_TYPES,
    ReferralFileForm,
    ReferralForm,
)
from medreview.records.models import RecordFile


def _record_file(referral: Referral, name: str) -> RecordFile:
    found = referral.record_files.filter(name=name.split("#", 1)[0]).first()
    if found is None:
        raise Http404("no such record")
    return found


def _page(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page") or 1)
    except ValueError:
        raise Http404("no such page") from None


@login_required
@require_safe
def view_page(request: HttpRequest, referral_id: object) -> HttpResponse:
    referral = referral_or_404(request.user, referral_id)
    image_base = f"/referrals/{referral.pk}/records/page.png"
    return render_record_page(request, referral, "records/page.html", {"image_base": image_base})


def render_record_page(
    request: HttpRequest, referral: Referral, template: str, extra: dict[str, object]
) -> HttpResponse:
    """A cited page: the page itself as an image for a PDF or a scan, else its text. A page
    the file does not have, or a file that cannot be shown, is said in words, and only a
    page shown is logged as viewed. The caller has checked who may see the referral."""
    name = request.GET.get("file", "")
    rf = _record_file(referral, name)
    page = _page(request)
    content = storage.load(rf.stored_as)
    is_image = pages.shows_as_image(rf.name)
    context = {"r": referral, "file": name, "page": page, "is_image": is_image, "rf": rf, **extra}
    text = None
    if is_image:
        try:
            count = pages.page_count(content, rf.name)
        except pages.Unviewable:
            pdf = Path(rf.name).suffix.lower() == ".pdf"
            context.update(unviewable=True, expected="a PDF" if pdf else "an image")
            return render(request, template, context)
    else:
        texts = _texts_of(rf, name, content)
        count = max(texts, default=0)
        text = texts.get(page, "(this page has no text to show)")
    context.update(count=count, text=text)
    if not 1 <= page <= count:
        return render(request, template, {**context, "missing": True}, status=404)
    if is_image and (why := pages.too_large(content, rf.name, page)) is not None:
        context.update(too_large=why)
        return render(request, template, context)
    do_view_record(referral, actor=request.user, file=name, page=page)
    return render(request, template, context)


@login_required
@require_safe
def page_image(request: HttpRequest, referral_id: object) -> HttpResponse:
    return record_png(request, referral_or_404(request.user, referral_id))


def record_png(request: HttpRequest, referral: Referral) -> HttpResponse:
    """A page of a record file as a PNG, for a referral the caller may see."""
    rf = _record_file(referral, request.GET.get("file", ""))
    page = _page(request)
    if not pages.shows_as_image(rf.name):
        raise Http404("no image of this file")
    try:
        png = pages.page_png(storage.load(rf.stored_as), rf.name, page)
    except (pages.Unviewable, IndexError):
        raise Http404("no such page") from None
    do_view_record(referral, actor=request.user, file=rf.name, page=page, image=True)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def download(request: HttpRequest, referral_id: object, file_id: int) -> HttpResponse:
    referral = referral_or_404(request.user, referral_id)
    rf = referral.record_files.filter(pk=file_id).first()
    if rf is None:
        raise Http404("no such record")
    do_view_record(referral, actor=request.user, file=rf.name, page=None)
    response = HttpResponse(storage.load(rf.stored_as), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{Path(rf.name).name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _texts_of(rf: RecordFile, name: str, content: bytes) -> dict[int, str]:
    """The text of each page of the record, by page number."""
    from medreview.core.reading import read_file

    with tempfile.TemporaryDirectory(prefix="view-") as folder:
        path = Path(folder) / Path(rf.name).name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        read = read_file(path, rf.name, ocr=False)
    texts: dict[int, str] = {}
    for doc in read.documents:
        if doc.name == name or "#" not in name:
            for p in doc.pages:
                texts.setdefault(p.number, p.text)
    return texts


@login_required
def new_referral(request: HttpRequest) -> HttpResponse:
    """The referral form, in two ways: its fields, or a referral.json (`via=file`); both go
    through the one door, `do_create_referral`. The record files of a form refused (a field
    to correct) are kept, encrypted, and shown: sending the corrected form sends them too
    (`kept`), and each can be removed (`remove_kept`), which sends nothing."""
    user: User = request.user  # type: ignore[assignment]
    if not may(user, Permission.SEND_REFERRAL):
        why = "Referrals are sent by the users of a client organisation."
        return render(request, "claims/forbidden.html", {"why": why}, status=403)
    do_expire_kept_uploads()  # the form's own use clears what no one came back for
    posted = request.method == "POST"
    via_file = posted and request.POST.get("via") == "file"
    removing = _id(request.POST.get("remove_kept")) if posted else None
    kept_ids = [i for i in map(_id, request.POST.getlist("kept")) if i is not None]
    if removing is not None:
        # Removing a kept file is no submission: the fields come back as typed, unjudged.
        form = ReferralForm(initial=request.POST.dict() if not via_file else None)
    else:
        form = ReferralForm(request.POST if posted and not via_file else None)
    file_form = (
        ReferralFileForm(request.POST, request.FILES)
        if via_file and removing is None
        else ReferralFileForm()
    )
    # A file over the limit is never read: the form is refused naming it, the others kept.
    uploads, oversize = [], []
    for f in request.FILES.getlist("records"):
        try:
            check_file_size(f.name or "record", f.size or 0)
        except ActionError as exc:
            oversize.append(str(exc))
            continue
        uploads.append(Upload(f.name or "record", f.read()))
    error = removed = None
    refused = 422
    if removing is not None:
        gone = do_remove_kept_upload(user, removing)
        removed = gone.name if gone is not None else None
        kept_ids = [i for i in kept_ids if i != removing]
    elif oversize:  # nothing is sent without every file attached
        error = "; ".join(oversize)
    elif posted and (file_form if via_file else form).is_valid():
        try:
            if via_file:
                text = referral_text_of(file_form.cleaned_data["referral_file"].read())
            else:
                text = form.referral_json()
            made = do_create_referral(
                user.organisation, actor=user, referral_text=text, uploads=uploads, kept=kept_ids
            )
        except ActionError as exc:
            refused = exc.status  # a full disk (507) is no field to correct
            if via_file and exc.field == "referral":
                file_form.add_error("referral_file", str(exc).removeprefix("referral: "))
            else:
                error = str(exc)
        else:
            return redirect("case", referral_id=made.pk)
    # Refused, or a kept file removed: nothing attached is lost.
    newly_kept, not_kept = do_keep_uploads(user, uploads)
    kept = kept_uploads(user, kept_ids) + newly_kept
    invalid = posted and (error is not None or bool(form.errors) or bool(file_form.errors))
    return render(
        request,
        "records/new_referral.html",
        {
            "form": form,
            "file_form": file_form,
            "via_file": via_file,
            "error": error,
            "kept": kept,
            "not_kept": not_kept,
            "removed": removed,
            "question_types": QUESTION_TYPES,
            "providers": [
                [form[f"provider_{n}_{f}"] for f in ("name", "specialty", "npi")]
                for n in range(1, PROVIDER_SLOTS + 1)
            ],
            "questions": [
                (form[f"question_{n}_type"], form[f"question_{n}_text"])
                for n in range(1, QUESTION_SLOTS + 1)
            ],
        },
        status=refused if invalid else 200,
    )


def _id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
