from __future__ import annotations

import re

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from asn_portal.forms import NumberField
from asn_portal.numbers import format_number
from indicators.schemes import SCHEMES, scheme_choices
from indicators.schemes.base import Mode, PeriodType, Rating
from indicators.scoring_settings import SettingsError, parse_settings

from .models import Cycle, Phase, period_type_choices
from .settings_labels import GROUP_LABELS, SETTING_FIELDS, typed_settings

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


class CycleForm(forms.Form):
    name = forms.CharField(label=_("Nama siklus"), max_length=200)
    agencies = forms.ModelMultipleChoiceField(
        label=_("Perangkat Daerah"), queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    scheme_key = forms.ChoiceField(label=_("Skema"), choices=scheme_choices)
    # Annual: the one period every preset allows.
    period_type = forms.ChoiceField(
        label=_("Jenis periode"), choices=period_type_choices, initial=PeriodType.ANNUAL.value
    )
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
        # Component weights are optional overrides of the preset's defaults (numeric schemes),
        # one field per component key, named in Indonesian with the schemes that use it.
        components: dict[str, list] = {}
        for scheme in SCHEMES.values():
            for c in scheme.components:
                if c.weight is not None:
                    components.setdefault(c.key, []).append((scheme, c))
        for key in sorted(components):
            uses = components[key]
            defaults = ", ".join(f"{s.key} {format_number(c.weight)}" for s, c in uses)
            self.fields[f"weight_{key}"] = NumberField(
                label=uses[0][1].name, required=False, max_digits=6, decimal_places=2,
                help_text=_("Bawaan: %(defaults)s") % {"defaults": defaults},
            )  # fmt: skip
            self.fields[f"weight_{key}"].schemes = [s.key for s, _c in uses]
        # Scoring settings: optional, one field per number; empty keeps the scheme's default.
        for spec in SETTING_FIELDS:
            max_digits, decimal_places = spec.digits
            self.fields[spec.name] = NumberField(
                label=spec.label, required=False, max_digits=max_digits,
                decimal_places=decimal_places,
                help_text=_("Bawaan: %(defaults)s") % {"defaults": spec.defaults_text()},
            )  # fmt: skip
            used_by = spec.schemes
            self.fields[spec.name].schemes = used_by if len(used_by) < len(SCHEMES) else []
        for name, field in self.fields.items():
            if name != "agencies":
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css)

    @property
    def weight_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith("weight_")]

    @property
    def weights_have_errors(self) -> bool:
        return any(f.errors for f in self.weight_fields) or bool(self.errors.get("scheme_key"))

    @property
    def setting_groups(self) -> list[tuple]:
        """(legend, bound fields) per setting, in the order of the settings."""
        groups: dict[str, list] = {}
        for spec in SETTING_FIELDS:
            groups.setdefault(spec.key, []).append(self[spec.name])
        return [(GROUP_LABELS[key], fields) for key, fields in groups.items()]

    @property
    def settings_have_errors(self) -> bool:
        return any(self[spec.name].errors for spec in SETTING_FIELDS)

    def clean(self):
        cleaned = super().clean()
        scheme = SCHEMES.get(cleaned.get("scheme_key"))
        if scheme is not None:
            # The cycle service validates the same way; here each problem goes on its field.
            try:
                parse_settings(self.scoring_settings(), scheme)
            except SettingsError as exc:
                for error in exc.errors:
                    self._add_setting_error(error)
        return cleaned

    def _add_setting_error(self, error) -> None:
        name = "setting_" + "_".join(error.path)
        if name in self.fields:
            self.add_error(name, error.message)
            return
        # A whole setting (one the scheme does not use): on each of its numbers typed.
        typed = [
            spec.name
            for spec in SETTING_FIELDS
            if spec.key == error.path[0] and self.cleaned_data.get(spec.name) is not None
        ]
        for field_name in typed:
            self.add_error(field_name, error.message)
        if not typed:
            self.add_error(None, error.text())

    def scoring_settings(self) -> dict:
        """What was typed, in the `pengaturan` shape of explain_score."""
        return typed_settings(
            {spec.name: self.cleaned_data.get(spec.name) for spec in SETTING_FIELDS}
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
        # Only what was typed: the scheme names any component left empty.
        return {k: v for k, v in given.items() if v is not None}


class DeadlineForm(forms.Form):
    phase = forms.ChoiceField(label=_("Tahap"), choices=Phase.choices)
    new_date = forms.DateField(
        label=_("Batas baru"), widget=DATE, input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    reason = forms.CharField(label=_("Alasan"), max_length=500)


class VersionField(forms.IntegerField):
    """The appraisal version the page showed. A post without one reads as 0, which is never
    a version, so it is refused as stale rather than applied on top of unseen changes."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        try:
            return super().clean(value) or 0
        except forms.ValidationError:
            return 0


# The five levels of rubric, behaviour and team ratings, with the words the pages show.
LEVEL_LABELS = [
    (1, _("Sangat Kurang")),
    (2, _("Kurang")),
    (3, _("Butuh Perbaikan")),
    (4, _("Baik")),
    (5, _("Sangat Baik")),
]
LEVEL_CHOICES = [(n, format_lazy("{} {}", n, label)) for n, label in LEVEL_LABELS]


def _level_field(**kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        choices=[("", "—"), *LEVEL_CHOICES], coerce=int, empty_value=None, required=False,
        error_messages={"invalid_choice": _("Pilih level 1 sampai 5")}, **kwargs,
    )  # fmt: skip


class PlanForm(forms.Form):
    """Targets and weights of a draft plan, and (cascading schemes) the supervisor's result
    each result supports. One field per indicator, named ``target_<pk>`` / ``weight_<pk>``;
    nothing is saved unless every field is valid, and typed values stay on the page."""

    version = VersionField()
    # Which button: "Ajukan rencana ke atasan" saves, then submits.
    submit = forms.BooleanField(required=False)

    def __init__(self, *args, appraisal, supervisor_results=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.appraisal = appraisal
        self.indicators = [i for r in appraisal.results.all() for i in r.indicators.all()]
        self.fields["version"].initial = appraisal.version
        for ind in self.indicators:
            if not ind.is_rubric:
                self.fields[f"target_{ind.pk}"] = NumberField(
                    label=_("Target"), initial=ind.target, positive=True,
                    max_digits=14, decimal_places=4,
                )  # fmt: skip
                self.fields[f"target_{ind.pk}"].subject = ind
            if ind.is_dated:
                self.fields[f"due_{ind.pk}"] = forms.DateField(
                    label=_("Tanggal target"), initial=ind.due_date, widget=DATE,
                    input_formats=DATE_FORMATS,
                )  # fmt: skip
                self.fields[f"due_{ind.pk}"].subject = ind
            self.fields[f"weight_{ind.pk}"] = NumberField(
                label=_("Bobot"), initial=ind.weight, positive=True, max_digits=7,
                decimal_places=4, max_value=100,
            )  # fmt: skip
            self.fields[f"weight_{ind.pk}"].subject = ind
        self.cascading = appraisal.cycle.scheme.cascading and bool(supervisor_results)
        if self.cascading:
            choices = [("", "—"), *((s.pk, s.name) for s in supervisor_results)]
            for result in appraisal.results.all():
                self.fields[f"supports_{result.pk}"] = forms.TypedChoiceField(
                    label=_("Hasil kerja atasan yang didukung"), choices=choices, coerce=int,
                    empty_value=None, required=False, initial=result.supports_id,
                )  # fmt: skip
                self.fields[f"supports_{result.pk}"].subject = result
        if self.is_bound:
            # A field the post leaves out keeps its value: only what was sent changes.
            data = self.data.copy()
            for name, field in self.fields.items():
                if name not in data and name != "version" and field.initial is not None:
                    data[name] = str(field.prepare_value(field.initial))
            self.data = data

    def fields_for(self, indicator) -> dict:
        """The bound fields of one indicator, for the template."""
        names = {
            "target": f"target_{indicator.pk}",
            "weight": f"weight_{indicator.pk}",
            "due": f"due_{indicator.pk}",
        }
        return {key: self[name] for key, name in names.items() if name in self.fields}

    def supports_fields(self) -> dict:
        if not self.cascading:
            return {}
        return {r.pk: self[f"supports_{r.pk}"] for r in self.appraisal.results.all()}

    def indicator_values(self) -> dict[int, dict]:
        data = self.cleaned_data
        values: dict[int, dict] = {}
        for ind in self.indicators:
            values[ind.pk] = {"weight": data[f"weight_{ind.pk}"]}
            if not ind.is_rubric:
                values[ind.pk]["target"] = data[f"target_{ind.pk}"]
            if f"due_{ind.pk}" in data:
                values[ind.pk]["due_date"] = data[f"due_{ind.pk}"]
        return values

    def supports(self) -> dict[int, int | None]:
        if not self.cascading:
            return {}
        return {
            result.pk: self.cleaned_data[f"supports_{result.pk}"]
            for result in self.appraisal.results.all()
        }


class RealisationForm(forms.Form):
    """One indicator of the self-assessment, saved on its own (autosave).

    ``base_*`` carry the values the browser last saw saved: a save whose fields nobody else
    changed since then is taken even when the appraisal's version moved on meanwhile."""

    version = VersionField()
    realisation = NumberField(label=_("Realisasi"), required=False, max_digits=14, decimal_places=4)
    self_level = _level_field(label=_("Level menurut saya"))
    comment = forms.CharField(label=_("Keterangan"), required=False, max_length=2000)
    base_realisation = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    base_self_level = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    base_comment = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    completed_on = forms.DateField(
        label=_("Tanggal selesai"), required=False, widget=DATE, input_formats=DATE_FORMATS
    )
    base_completed_on = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)

    def __init__(self, *args, indicator, **kwargs):
        kwargs.setdefault("auto_id", f"id_r{indicator.pk}_%s")  # unique ids, plain names
        kwargs.setdefault("initial", self.saved_values(indicator))
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if indicator.is_rubric or indicator.on_time_share:
            del self.fields["realisation"]  # a level, or computed by the portal
        if not indicator.is_dated:
            del self.fields["completed_on"]
            del self.fields["base_completed_on"]

    @staticmethod
    def saved_values(indicator) -> dict:
        """What is stored, as the form's initial data and its ``base_*`` fields."""
        base = {
            "realisation": "" if indicator.realisation is None else f"{indicator.realisation:f}",
            "self_level": "" if indicator.self_level is None else str(indicator.self_level),
            "comment": indicator.self_comment,
        }
        if indicator.is_dated:
            base["completed_on"] = (
                indicator.completed_on.isoformat() if indicator.completed_on else ""
            )
        return {
            "realisation": indicator.realisation,
            "self_level": indicator.self_level,
            "comment": indicator.self_comment,
            "completed_on": indicator.completed_on,
            **{f"base_{key}": value for key, value in base.items()},
        }

    def base(self) -> dict[str, str] | None:
        """The stored values the browser started from, or None when it sent none."""
        if not any(f"base_{k}" in self.data for k in ("realisation", "comment")):
            return None
        return {
            key: self.cleaned_data.get(f"base_{key}", "")
            for key in ("realisation", "self_level", "comment", "completed_on")
        }

    def completed_on_value(self):
        """The completion date to store, or the service's KEEP when the form has none."""
        from .services.self_assessment import KEEP

        if "completed_on" not in self.fields:
            return KEEP
        return self.cleaned_data.get("completed_on")


class ScoresForm(forms.Form):
    """The atasan's levels and feedback, or HR's calibration: ``level_<pk>`` per rubric
    indicator, ``behaviour_<pk>`` and ``bfeedback_<pk>`` per BerAKHLAK value, ``feedback_<pk>``
    per result, and in matrix mode the two rating overrides. Only posted fields change."""

    version = VersionField()
    # Which button: "Simpan dan selesaikan penilaian" saves, then marks it scored.
    finish = forms.BooleanField(required=False)
    reason = forms.CharField(label=_("Alasan"), required=False, max_length=1000)
    hasil_kerja_override = forms.ChoiceField(required=False, choices=())
    perilaku_override = forms.ChoiceField(required=False, choices=())

    def __init__(self, *args, appraisal, **kwargs):
        super().__init__(*args, **kwargs)
        ratings = [("", _("ikuti rekomendasi")), *((r.value, r.label) for r in Rating)]
        self.fields["hasil_kerja_override"].choices = ratings
        self.fields["perilaku_override"].choices = ratings
        self.rubric_ids = [
            i.pk for r in appraisal.results.all() for i in r.indicators.all() if i.is_rubric
        ]
        self.result_ids = [r.pk for r in appraisal.results.all()]
        self.behaviour_ids = [b.pk for b in appraisal.behaviours.all()]
        for result in appraisal.results.all():
            self.fields[f"feedback_{result.pk}"] = forms.CharField(
                label=_("Umpan balik berkelanjutan"), required=False, max_length=4000,
                initial=result.feedback,
            )  # fmt: skip
            for ind in result.indicators.all():
                if ind.is_rubric:
                    self.fields[f"level_{ind.pk}"] = _level_field(
                        label=_("Level"), initial=ind.level
                    )
        for b in appraisal.behaviours.all():
            self.fields[f"behaviour_{b.pk}"] = _level_field(label=_("Level"), initial=b.level)
            self.fields[f"bfeedback_{b.pk}"] = forms.CharField(
                label=_("Umpan balik"), required=False, max_length=4000, initial=b.feedback
            )
        self.fields["hasil_kerja_override"].initial = appraisal.hasil_kerja_override
        self.fields["perilaku_override"].initial = appraisal.perilaku_override
        self.fields["version"].initial = appraisal.version

    @property
    def overrides(self) -> list:
        return [self["hasil_kerja_override"], self["perilaku_override"]]

    def bound(self, prefix: str) -> dict:
        """``{pk: bound field}`` of one kind (``level_``, ``behaviour_``, ``feedback_``, …)."""
        return {
            int(name[len(prefix) :]): self[name]
            for name in self.fields
            if name.startswith(prefix) and name[len(prefix) :].isdigit()
        }

    def _posted(self, prefix: str, ids: list[int]) -> dict[int, object]:
        return {
            pk: self.cleaned_data[f"{prefix}{pk}"] for pk in ids if f"{prefix}{pk}" in self.data
        }

    def service_kwargs(self) -> dict:
        overrides = None
        if "hasil_kerja_override" in self.data or "perilaku_override" in self.data:
            overrides = {
                "hasil_kerja": self.cleaned_data["hasil_kerja_override"],
                "perilaku": self.cleaned_data["perilaku_override"],
            }
        return {
            "version": self.cleaned_data["version"],
            "indicator_levels": self._posted("level_", self.rubric_ids),
            "behaviour_levels": self._posted("behaviour_", self.behaviour_ids),
            "result_feedback": self._posted("feedback_", self.result_ids),
            "behaviour_feedback": self._posted("bfeedback_", self.behaviour_ids),
            "overrides": overrides,
            "reason": self.cleaned_data["reason"],
        }


class TransitionForm(forms.Form):
    """A state change of one appraisal: the version the page showed, and the words the
    change needs (a return's comment, a reopen's reason, the employee's closing note)."""

    version = VersionField()
    comment = forms.CharField(label=_("Komentar"), required=False, max_length=5000)
    reason = forms.CharField(label=_("Alasan"), required=False, max_length=2000)
    confirmed = forms.BooleanField(required=False)
    # Where to go back to: the team queue posts its bulk actions with next=team.
    next = forms.ChoiceField(choices=[("", ""), ("team", "team")], required=False)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas bukti dukung"),
        error_messages={"required": _("Pilih berkas bukti dukung terlebih dahulu.")},
    )


class IdListField(forms.Field):
    """Several primary keys from checkboxes: only ASCII digits, never '²' or 10**30."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        ids = []
        for raw in value:
            if not re.fullmatch(r"[0-9]{1,18}", str(raw)):
                raise forms.ValidationError(_("Pilihan tidak valid"), code="invalid")
            ids.append(int(raw))
        return ids


class BulkApproveForm(forms.Form):
    appraisal = IdListField(
        required=True,
        error_messages={"required": _("Pilih sedikitnya satu rencana untuk disetujui.")},
    )


class CycleAgencyActionForm(forms.Form):
    """Finalise or release one agency of a cycle: the confirmation page posts this back."""

    agency = forms.ModelChoiceField(queryset=Agency.objects.none())
    confirmed = forms.BooleanField(required=False)
    justification = forms.CharField(required=False, max_length=5000)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class CycleConfirmForm(forms.Form):
    confirmed = forms.BooleanField(required=False)
    reason = forms.CharField(required=False, max_length=2000)


class ReminderForm(forms.Form):
    """HR's "send reminder now" for one phase of a cycle."""

    phase = forms.ChoiceField(
        label=_("Tahap"),
        choices=[
            (p.value, p.label) for p in (Phase.PLANNING, Phase.SELF_ASSESSMENT, Phase.SCORING)
        ],
    )


class AuditFilterForm(forms.Form):
    """The filters of HR's audit page (a GET form: every field optional)."""

    siklus = forms.ModelChoiceField(
        label=_("Siklus"), queryset=Cycle.objects.none(), required=False, empty_label=_("Semua")
    )
    unit = forms.CharField(label=_("Kode unit"), required=False, max_length=50)
    pegawai = forms.CharField(label=_("Pegawai (NIP atau nama)"), required=False, max_length=100)
    aksi = forms.ChoiceField(label=_("Tindakan"), required=False)
    dari = forms.DateField(label=_("Dari tanggal"), required=False, widget=DATE)
    sampai = forms.DateField(label=_("Sampai tanggal"), required=False, widget=DATE)

    def __init__(self, *args, cycles, actions: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["siklus"].queryset = cycles
        self.fields["aksi"].choices = [("", _("Semua")), *actions.items()]
        for name in ("dari", "sampai"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} form-control-sm")


class VerificationDecisionForm(forms.Form):
    """The Verifikator's decision on one realisation: verify, reject (reason), or correct the
    value (reason)."""

    DECISIONS = [
        ("verify", _("Verifikasi")),
        ("reject", _("Tolak")),
        ("correct", _("Koreksi nilai")),
    ]
    decision = forms.ChoiceField(choices=DECISIONS)
    reason = forms.CharField(label=_("Alasan"), required=False, max_length=2000)
    value = NumberField(
        label=_("Nilai yang benar"), required=False, max_digits=14, decimal_places=4
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "correct" and data.get("value") is None:
            self.add_error("value", _("Isi nilai realisasi yang benar"))
        return data


class VerificationFilterForm(forms.Form):
    """The queue's filters: unit and state (waiting by default)."""

    STATES = [
        ("menunggu", _("Menunggu verifikasi")),
        ("diverifikasi", _("Diverifikasi")),
        ("ditolak", _("Ditolak")),
    ]
    unit = forms.TypedChoiceField(
        label=_("Unit kerja"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATES)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Semua unit")), *[(u.pk, u.name) for u in units]]


class BulkVerifyForm(forms.Form):
    indicator = IdListField(
        required=True,
        error_messages={"required": _("Pilih sedikitnya satu realisasi untuk diverifikasi.")},
    )


class TeamScoreForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Level"), choices=[("", "—"), *LEVEL_CHOICES], coerce=int, empty_value=None,
        error_messages={
            "invalid_choice": _("Pilih level 1 sampai 5"),
            "required": _("Pilih level 1 sampai 5"),
        },
    )  # fmt: skip
    comment = forms.CharField(label=_("Komentar"), required=False, max_length=2000)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ObjectionForm(forms.Form):
    """The employee's keberatan: reasons (required) and optional supporting files."""

    reasons = forms.CharField(
        label=_("Alasan keberatan"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Alasan keberatan wajib diisi")},
    )  # fmt: skip
    files = MultipleFileField(label=_("Berkas pendukung (opsional)"), required=False)


class ObjectionDecisionForm(forms.Form):
    """The decision: accept or reject with a reason; when accepting, the levels, realisations
    and (matrix mode) ratings as they should stand. Only what differs from today changes."""

    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("accept", _("Terima keberatan")), ("reject", _("Tolak keberatan"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih terima atau tolak")},
    )
    decision_reason = forms.CharField(
        label=_("Alasan keputusan"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Alasan keputusan wajib diisi")},
    )  # fmt: skip
    hasil_kerja_override = forms.ChoiceField(
        label=_("Rating Hasil Kerja"), required=False, choices=()
    )
    perilaku_override = forms.ChoiceField(
        label=_("Rating Perilaku Kerja"), required=False, choices=()
    )

    def __init__(self, *args, appraisal, **kwargs):
        super().__init__(*args, **kwargs)
        self.matrix = appraisal.cycle.scheme.mode == Mode.MATRIX
        ratings = [("", _("ikuti rekomendasi")), *((r.value, r.label) for r in Rating)]
        self.fields["hasil_kerja_override"].choices = ratings
        self.fields["perilaku_override"].choices = ratings
        self.fields["hasil_kerja_override"].initial = appraisal.hasil_kerja_override
        self.fields["perilaku_override"].initial = appraisal.perilaku_override
        self.rows = []  # (indicator or behaviour, bound field) in page order
        for result in appraisal.results.all():
            for ind in result.indicators.all():
                if ind.is_rubric:
                    name = f"level_{ind.pk}"
                    self.fields[name] = _level_field(label=ind.name, initial=ind.level)
                else:
                    name = f"realisation_{ind.pk}"
                    self.fields[name] = NumberField(
                        label=ind.name, required=False, max_digits=14, decimal_places=4,
                        initial=ind.realisation,
                    )  # fmt: skip
                self.rows.append((ind, name))
        self.behaviour_rows = []
        for b in appraisal.behaviours.all():
            name = f"behaviour_{b.pk}"
            self.fields[name] = _level_field(label=b.value.name, initial=b.level)
            self.behaviour_rows.append((b, name))

    def indicator_fields(self) -> list:
        return [(ind, self[name]) for ind, name in self.rows]

    def behaviour_fields(self) -> list:
        return [(b, self[name]) for b, name in self.behaviour_rows]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        accept = data["decision"] == "accept"
        kwargs = {"accept": accept, "reason": data["decision_reason"]}
        if not accept:
            return kwargs
        levels, realisations = {}, {}
        for ind, name in self.rows:
            if name not in self.data:
                continue
            if ind.is_rubric:
                levels[ind.pk] = data[name]
            elif data[name] is not None:
                realisations[ind.pk] = data[name]
        kwargs["indicator_levels"] = levels
        kwargs["realisations"] = realisations
        kwargs["behaviour_levels"] = {
            b.pk: data[name] for b, name in self.behaviour_rows if name in self.data
        }
        if self.matrix and (
            "hasil_kerja_override" in self.data or "perilaku_override" in self.data
        ):
            kwargs["overrides"] = {
                "hasil_kerja": data["hasil_kerja_override"],
                "perilaku": data["perilaku_override"],
            }
        return kwargs


class OrganisationPredikatForm(forms.Form):
    """One agency's organisation predikat for a cycle, on the Admin Daerah's page."""

    agency = forms.ModelChoiceField(queryset=Agency.objects.none())
    organisation_predikat = forms.ChoiceField(
        label=_("Predikat organisasi"),
        error_messages={"required": _("Pilih predikat organisasi")},
    )
    block_on_mismatch = forms.BooleanField(
        label=_("Tolak finalisasi bila tidak sesuai"), required=False
    )

    def __init__(self, *args, agencies, **kwargs):
        from indicators.scoring import OrganisationPredikat

        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["organisation_predikat"].choices = [
            ("", "—"),
            *((p.value, _(p.label)) for p in OrganisationPredikat),
        ]
