"""The public survey form and the HR period form.

The nine elements' questions and answer labels follow the sample questionnaire of
PermenPANRB 14/2017 (Lampiran, "Kuesioner"); the answer is the number 1 to 4.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.ikm import ELEMENTS

from .models import COMMENT_MAX_LENGTH, AgeBand, Education, Gender, Occupation

# (question, labels for 1..4) per element key, in the regulation's words.
QUESTIONS = {
    "u1": (
        _(
            "Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"
        ),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    "u2": (
        _("Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan di unit ini?"),
        (_("Tidak mudah"), _("Kurang mudah"), _("Mudah"), _("Sangat mudah")),
    ),
    "u3": (
        _("Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?"),
        (_("Tidak cepat"), _("Kurang cepat"), _("Cepat"), _("Sangat cepat")),
    ),
    "u4": (
        _("Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?"),
        (_("Sangat mahal"), _("Cukup mahal"), _("Murah"), _("Gratis")),
    ),
    "u5": (
        _(
            "Bagaimana pendapat Anda tentang kesesuaian produk pelayanan antara yang tercantum "
            "dalam standar pelayanan dengan hasil yang diberikan?"
        ),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    "u6": (
        _("Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?"),
        (_("Tidak kompeten"), _("Kurang kompeten"), _("Kompeten"), _("Sangat kompeten")),
    ),
    "u7": (
        _(
            "Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?"
        ),
        (
            _("Tidak sopan dan ramah"),
            _("Kurang sopan dan ramah"),
            _("Sopan dan ramah"),
            _("Sangat sopan dan ramah"),
        ),
    ),
    "u8": (
        _("Bagaimana pendapat Anda tentang penanganan pengaduan pengguna layanan?"),
        (
            _("Tidak ada"),
            _("Ada tetapi tidak berfungsi"),
            _("Berfungsi kurang maksimal"),
            _("Dikelola dengan baik"),
        ),
    ),
    "u9": (
        _("Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?"),
        (_("Buruk"), _("Cukup"), _("Baik"), _("Sangat baik")),
    ),
}
HONEYPOT = "situs_web"


def _optional(choices) -> list[tuple[str, str]]:
    return [("", _("Tidak ingin menjawab")), *choices]


class SurveyForm(forms.Form):
    """Nine required answers, an optional comment and optional respondent data; plus a
    honeypot a person never sees (the view drops a response that fills it)."""

    comment = forms.CharField(
        label=_("Saran dan masukan (tidak wajib)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _(
                "Saran dan masukan paling banyak %(limit_value)d karakter (saat ini %(show_value)d)."
            )
        },
    )
    gender = forms.ChoiceField(
        label=_("Jenis kelamin"), required=False, choices=_optional(Gender.choices)
    )
    age_band = forms.ChoiceField(
        label=_("Usia"), required=False, choices=_optional(AgeBand.choices)
    )
    education = forms.ChoiceField(
        label=_("Pendidikan terakhir"), required=False, choices=_optional(Education.choices)
    )
    occupation = forms.ChoiceField(
        label=_("Pekerjaan utama"), required=False, choices=_optional(Occupation.choices)
    )
    situs_web = forms.CharField(label=_("Jangan isi kolom ini"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        answers = {}
        for number, element in enumerate(ELEMENTS, start=1):
            question, labels = QUESTIONS[element.key]
            name = element.name
            answers[element.key] = forms.TypedChoiceField(
                label=question,
                choices=[(str(i), label) for i, label in enumerate(labels, start=1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Unsur %(number)d (%(name)s): pilih salah satu jawaban.")
                    % {"number": number, "name": name},
                    "invalid_choice": _("Unsur %(number)d (%(name)s): pilih salah satu jawaban.")
                    % {"number": number, "name": name},
                },
            )
            answers[element.key].element_number = number
            answers[element.key].element_name = name
        # The nine answers first, in the regulation's order.
        self.fields = {**answers, **self.fields}

    @property
    def element_fields(self):
        return [self[element.key] for element in ELEMENTS]

    @property
    def respondent_fields(self):
        return [self[name] for name in ("gender", "age_band", "education", "occupation")]

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT))


class PeriodForm(forms.Form):
    """The period of the results pages: a cycle's dates, or two dates."""

    dari = forms.DateField(
        label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sampai = forms.DateField(
        label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("dari") and data.get("sampai") and data["dari"] > data["sampai"]:
            raise forms.ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
        return data
