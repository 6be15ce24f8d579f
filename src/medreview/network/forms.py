"""The physician edit form and the credential verification form."""

from __future__ import annotations

from typing import Any

from django import forms

from medreview.core.network import geo
from medreview.network.models import Physician


class PhysicianForm(forms.ModelForm):
    languages_text = forms.CharField(
        label="Languages (ISO 639-1, separated by ;)", required=False, max_length=200
    )
    affiliations_text = forms.CharField(
        label="Groups and employers (separated by ;)", required=False, max_length=2000
    )

    class Meta:
        model = Physician
        fields = [
            "name",
            "zip",
            "offers_peer_review",
            "offers_ime",
            "weekly_capacity",
            "outside_assignments",
            "median_turnaround_days",
            "qa_score",
            "fee_peer_review",
            "fee_ime",
            "active",
        ]
        # medreview's own open assignments are counted by the reviews app, never edited here.
        labels = {"outside_assignments": "Open assignments outside medreview"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["languages_text"] = "; ".join(self.instance.languages)
            self.initial["affiliations_text"] = "; ".join(self.instance.affiliations)

    def clean_zip(self) -> str:
        value = str(self.cleaned_data["zip"]).strip()
        if geo.centroid(value) is None:
            raise forms.ValidationError(f"{value!r} is not a known US ZIP code")
        return value

    def clean_qa_score(self) -> float:
        value = float(self.cleaned_data["qa_score"])
        if not 0 <= value <= 1:
            raise forms.ValidationError("a share between 0 and 1 (0.93 for 93%)")
        return value

    def clean_median_turnaround_days(self) -> float:
        value = float(self.cleaned_data["median_turnaround_days"])
        if value < 0:
            raise forms.ValidationError("zero or more business days")
        return value

    def clean_languages_text(self) -> list[str]:
        items = [x.strip().lower() for x in self.cleaned_data["languages_text"].split(";")]
        items = [x for x in items if x]
        bad = [x for x in items if len(x) != 2 or not x.isalpha()]
        if bad:
            raise forms.ValidationError(f"not ISO 639-1 codes: {', '.join(bad)}")
        return items or ["en"]

    def clean_affiliations_text(self) -> list[str]:
        return [x.strip() for x in self.cleaned_data["affiliations_text"].split(";") if x.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("offers_peer_review") and not data.get("offers_ime"):
            raise forms.ValidationError("a physician offers peer reviews, IMEs or both")
        return data

    def changes(self) -> dict[str, Any]:
        """The cleaned values as the action takes them."""
        data = dict(self.cleaned_data)
        data["languages"] = data.pop("languages_text")
        data["affiliations"] = data.pop("affiliations_text")
        where = geo.centroid(data["zip"])
        if where is not None:
            data["latitude"], data["longitude"] = where.latitude, where.longitude
        return data


class CredentialForm(forms.Form):
    credential = forms.ChoiceField(
        choices=[
            ("licence", "State licence"),
            ("board_certification", "Board certification"),
            ("sanctions", "Sanctions check"),
        ]
    )
    verified_on = forms.DateField(
        label="Verified on", widget=forms.DateInput(attrs={"type": "date"})
    )
    state = forms.CharField(label="Licence state", required=False, max_length=2)
    expires = forms.DateField(
        label="Licence expires", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sanctioned = forms.BooleanField(label="A sanction was found", required=False)


class HoursForm(forms.Form):
    """A block of an examiner's bookable hours for IMEs, at one office on one day."""

    day = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label="From", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        label="To", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    zip = forms.CharField(label="Office ZIP", max_length=5)
    address = forms.CharField(label="Office address", max_length=300)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end <= start:
            self.add_error("end", f"{end:%H:%M} is not after {start:%H:%M}")
        return data
