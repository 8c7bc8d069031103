from django import forms
from django.utils.translation import gettext_lazy as _

from .scoring import LEVEL_LABELS


class RubricForm(forms.Form):
    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        for level in range(1, 6):
            self.fields[f"level_{level}"] = forms.CharField(
                label=_("Level %(n)d (%(label)s)") % {"n": level, "label": LEVEL_LABELS[level]},
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=indicator.rubric.get(str(level), ""),
                max_length=1000,
            )

    def levels(self) -> dict[int, str]:
        return {level: self.cleaned_data[f"level_{level}"] for level in range(1, 6)}
