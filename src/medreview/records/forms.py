"""The referral form of the pages, turned into the referral JSON of the contract
(referral.schema.json), so that a referral typed in a browser and one posted to the API go
through the same validation and the same action."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.utils import formats, timezone

from medreview.core import vocabulary
from medreview.records.actions import MAX_REFERRAL_BYTES

QUESTION_TYPES = [
    (code, w, explained) for code, (w, explained) in vocabulary.QUESTION_TYPES.items()
]
LINES_OF_BUSINESS = list(vocabulary.LINES_OF_BUSINESS.items())
SERVICES = [("triage", "Recommend for me"), *vocabulary.SERVICES.items()]
QUESTION_SLOTS = 5
PROVIDER_SLOTS = 3
_BILL_LINE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})[\s,;]+([A-Z0-9]{4,6})[\s,;]*(.*)$", re.I)


class ReferralForm(forms.Form):
    claim_number = forms.CharField(label="Claim number", max_length=64)
    line_of_business = forms.ChoiceField(label="Line of business", choices=LINES_OF_BUSINESS)
    jurisdiction = forms.RegexField(
        label="Jurisdiction (state)",
        regex=r"^[A-Za-z]{2}$",
        error_messages={"invalid": "Two letters, such as CA or GA."},
    )
    date_of_injury = forms.DateField(label="Date of injury", required=False)
    body_parts = forms.CharField(
        label="Body parts", required=False, help_text="Separated by commas: low back, right knee"
    )
    claimant_name = forms.CharField(label="Claimant's name", max_length=200)
    claimant_zip = forms.RegexField(
        label="Claimant's ZIP", regex=r"^\d{5}$", required=False,
        error_messages={"invalid": "Five digits."},
    )  # fmt: skip
    claimant_language = forms.CharField(label="Claimant's language", required=False, initial="en")
    requested_service = forms.ChoiceField(label="Service", choices=SERVICES, initial="triage")
    # A referral often reaches the desk days after the client received it: its clocks (and a
    # due date already past) run from the day it was received, not from the day it is typed.
    received = forms.DateField(
        label="Received",
        required=False,  # left empty, it is today
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The day the referral was received: today, or an earlier day.",
    )
    due = forms.DateField(label="Due date", required=False)
    bills = forms.CharField(
        label="Bills under dispute",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One line each: date, code, description. Example: 2026-05-04 97110 Therapeutic exercise",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, PROVIDER_SLOTS + 1):
            self.fields[f"provider_{n}_name"] = forms.CharField(
                label="Treating provider", required=False
            )
            self.fields[f"provider_{n}_specialty"] = forms.CharField(
                label="Specialty", required=False
            )
            self.fields[f"provider_{n}_npi"] = forms.RegexField(
                label="NPI", regex=r"^\d{10}$", required=False,
                error_messages={"invalid": "Ten digits."},
            )  # fmt: skip
        for n in range(1, QUESTION_SLOTS + 1):
            self.fields[f"question_{n}_type"] = forms.ChoiceField(
                label="Question type",
                required=False,
                choices=[("", "—")] + [(k, label) for k, label, _ in QUESTION_TYPES],
            )
            self.fields[f"question_{n}_text"] = forms.CharField(
                label="Question", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        asked = 0
        for n in range(1, QUESTION_SLOTS + 1):
            kind, text = data.get(f"question_{n}_type"), (data.get(f"question_{n}_text") or "")
            if kind and not text.strip():
                self.add_error(f"question_{n}_text", "Write the question.")
            elif text.strip() and not kind:
                self.add_error(f"question_{n}_type", "Choose the question's type.")
            elif kind:
                asked += 1
        if not asked:
            self.add_error("question_1_type", "Ask at least one question.")
        for line in (data.get("bills") or "").splitlines():
            if line.strip() and not _BILL_LINE.match(line):
                self.add_error("bills", f"Not a bill line: {line.strip()!r}")
        received, due = data.get("received") or timezone.localdate(), data.get("due")
        if received > timezone.localdate():
            self.add_error("received", "The received date cannot be after today.")
        if due and due < received:
            self.add_error(
                "due",
                f"The due date is before the received date ({formats.date_format(received)}).",
            )
        return data

    def referral_json(self) -> str:
        d = self.cleaned_data
        claim: dict[str, Any] = {
            "number": d["claim_number"].strip(),
            "line_of_business": d["line_of_business"],
            "jurisdiction": d["jurisdiction"].upper(),
        }
        if d.get("date_of_injury"):
            claim["date_of_injury"] = d["date_of_injury"].isoformat()
        parts = [p.strip() for p in (d.get("body_parts") or "").split(",") if p.strip()]
        if parts:
            claim["body_parts"] = parts
        claimant = {"name": d["claimant_name"].strip()}
        if d.get("claimant_zip"):
            claimant["zip"] = d["claimant_zip"]
        if d.get("claimant_language"):
            claimant["language"] = d["claimant_language"].strip()
        providers = []
        for n in range(1, PROVIDER_SLOTS + 1):
            name = (d.get(f"provider_{n}_name") or "").strip()
            if name:
                provider = {"name": name}
                if d.get(f"provider_{n}_specialty"):
                    provider["specialty"] = d[f"provider_{n}_specialty"].strip()
                if d.get(f"provider_{n}_npi"):
                    provider["npi"] = d[f"provider_{n}_npi"]
                providers.append(provider)
        questions: list[dict[str, str]] = []
        for n in range(1, QUESTION_SLOTS + 1):
            if d.get(f"question_{n}_type"):
                questions.append(
                    {
                        "id": f"q{len(questions) + 1}",
                        "type": d[f"question_{n}_type"],
                        "text": d[f"question_{n}_text"].strip(),
                    }
                )
        bills = []
        for line in (d.get("bills") or "").splitlines():
            m = _BILL_LINE.match(line)
            if m:
                bill = {"date": m.group(1), "code": m.group(2).upper()}
                if m.group(3).strip():
                    bill["description"] = m.group(3).strip()
                bills.append(bill)
        referral: dict[str, Any] = {
            "claim": claim,
            "claimant": claimant,
            "treating_providers": providers,
            "questions": questions,
            "requested_service": d["requested_service"],
            "received": (d.get("received") or timezone.localdate()).isoformat(),
        }
        if bills:
            referral["bills"] = bills
        if d.get("due"):
            referral["due"] = d["due"].isoformat()
        return json.dumps(referral)


class ReferralFileForm(forms.Form):
    """The other way in: a referral.json as the API takes it, checked by the same door."""

    referral_file = forms.FileField(
        label="referral.json",
        help_text="The referral as JSON (referral.schema.json), as the API takes it.",
    )

    def clean_referral_file(self) -> Any:
        found = self.cleaned_data["referral_file"]
        if found.size > MAX_REFERRAL_BYTES:  # refused before it is read into memory
            raise forms.ValidationError("This file is larger than 5 MB: no referral is.")
        return found
