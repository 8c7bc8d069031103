from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from indicators.schemes import SCHEMES

from .models import PeriodType, Phase

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CycleForm(forms.Form):
    name = forms.CharField(label=_("Nama siklus"), max_length=200)
    agencies = forms.ModelMultipleChoiceField(
        label=_("Perangkat Daerah"), queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    scheme_key = forms.ChoiceField(
        label=_("Skema"), choices=[(k, s.name) for k, s in SCHEMES.items()]
    )
    period_type = forms.ChoiceField(label=_("Jenis periode"), choices=PeriodType.choices)
    start_date = forms.DateField(label=_("Mulai"), widget=DATE)
    end_date = forms.DateField(label=_("Selesai"), widget=DATE)
    planning_deadline = forms.DateField(label=Phase.PLANNING.label, widget=DATE)
    self_assessment_deadline = forms.DateField(label=Phase.SELF_ASSESSMENT.label, widget=DATE)
    scoring_deadline = forms.DateField(label=Phase.SCORING.label, widget=DATE)
    peer_deadline = forms.DateField(label=Phase.PEER.label, widget=DATE)
    calibration_deadline = forms.DateField(label=Phase.CALIBRATION.label, widget=DATE)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies
        for name in (
            "start_date",
            "end_date",
            *[f for f in self.fields if f.endswith("_deadline")],
        ):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
        # Component weights are optional overrides of the preset's defaults (numeric schemes).
        keys = sorted(
            {c.key for s in SCHEMES.values() for c in s.components if c.weight is not None}
        )
        for key in keys:
            self.fields[f"weight_{key}"] = forms.DecimalField(
                label=key, required=False, min_value=0, max_digits=6, decimal_places=2
            )

    def deadlines(self) -> dict:
        return {phase.value: self.cleaned_data[f"{phase.value}_deadline"] for phase in Phase}

    def weights(self) -> dict:
        scheme = SCHEMES[self.cleaned_data["scheme_key"]]
        given = {
            c.key: self.cleaned_data.get(f"weight_{c.key}")
            for c in scheme.components
            if c.weight is not None
        }
        if all(v is None for v in given.values()):
            return {}
        return {k: (v if v is not None else 0) for k, v in given.items()}


class DeadlineForm(forms.Form):
    phase = forms.ChoiceField(label=_("Tahap"), choices=Phase.choices)
    new_date = forms.DateField(
        label=_("Batas baru"), widget=DATE, input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    reason = forms.CharField(label=_("Alasan"), max_length=500)
