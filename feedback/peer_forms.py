"""Forms of the peer pages: they parse what people type; the services see typed values."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from appraisals.forms import LEVEL_CHOICES


class PeerListForm(forms.Form):
    """The chosen peers (checkboxes of employee ids) and which button was pressed."""

    peers = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())
    submit = forms.BooleanField(required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peers"].choices = choices


class PeerForm(forms.Form):
    """One level (1 to 5, or none yet) and an optional comment per BerAKHLAK value."""

    submit = forms.BooleanField(required=False)

    def __init__(self, *args, values, draft, **kwargs):
        super().__init__(*args, **kwargs)
        self.values = list(values)
        for value in self.values:
            saved = draft.get(value.code) or {}
            self.fields[f"level_{value.code}"] = forms.TypedChoiceField(
                label=value.name, required=False, coerce=int, empty_value=None,
                choices=LEVEL_CHOICES, widget=forms.RadioSelect, initial=saved.get("level"),
            )  # fmt: skip
            self.fields[f"comment_{value.code}"] = forms.CharField(
                label=_("Komentar (tanpa nama)"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}), initial=saved.get("comment", ""),
            )  # fmt: skip

    def rows(self):
        return [
            (value, self[f"level_{value.code}"], self[f"comment_{value.code}"])
            for value in self.values
        ]

    def answers(self) -> dict[str, tuple[int | None, str]]:
        data = self.cleaned_data
        return {v.code: (data[f"level_{v.code}"], data[f"comment_{v.code}"]) for v in self.values}


class BulkAssignForm(forms.Form):
    unit = forms.TypedChoiceField(
        label=_("Unit kerja"), coerce=int, required=False, empty_value=None, choices=()
    )
    per_person = forms.IntegerField(label=_("Rekan per pegawai"), min_value=1, max_value=10)

    def __init__(self, *args, units, initial_k, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [
            ("", _("Seluruh perangkat daerah")),
            *((u.pk, f"{u.agency.name} · {u.name}") for u in units),
        ]
        self.fields["per_person"].initial = initial_k
