from __future__ import annotations

import re

from allauth.account.forms import LoginForm, ResetPasswordForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Employee, Unit
from .validators import normalize_golongan, validate_nip


class NipLoginForm(LoginForm):
    """Login by NIP or e-mail. A NIP typed with spaces (as printed on documents) still works."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("NIP atau e-mail")
        self.fields["login"].widget.attrs.update(
            {"placeholder": _("NIP atau e-mail"), "autocomplete": "username"}
        )

    def clean_login(self):
        login = super().clean_login()
        if "@" not in login:
            login = "".join(login.split())
        return login


class ConfirmedAddressResetPasswordForm(ResetPasswordForm):
    """A password reset goes only to the address an account uses now: never to an address
    waiting for its confirmation (an HR edit cannot redirect a reset to itself)."""

    def clean_email(self):
        email = super().clean_email()
        wanted = email.casefold()
        self.users = [u for u in self.users if (u.email or "").casefold() == wanted]
        return email


class IdChoiceField(forms.ModelChoiceField):
    """A choice by primary key that treats a non-numeric or oversized value as invalid
    instead of letting the database choke on it."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not re.fullmatch(r"[0-9]{1,18}", str(value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class EmployeeFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama atau NIP"), required=False)
    agency = IdChoiceField(
        label=_("Perangkat Daerah"), queryset=Unit.objects.none(), required=False
    )
    unit = IdChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    position_kind = forms.ChoiceField(label=_("Jenis jabatan"), required=False)
    golongan = forms.CharField(label=_("Golongan"), required=False)
    status = forms.ChoiceField(
        label=_("Status ASN"),
        required=False,
        choices=[("", _("Semua")), ("PNS", "PNS"), ("PPPK", "PPPK")],
    )

    def __init__(self, *args, agencies=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Agency, PositionKind

        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["position_kind"].choices = [("", _("Semua")), *PositionKind.choices]


class EmployeeForm(forms.ModelForm):
    # Wider than the stored value: "iii / B" is typed and normalised to "III/b".
    golongan = forms.CharField(label=_("Golongan"), max_length=20)
    nip = forms.CharField(label=_("NIP / NI PPPK"), max_length=40)
    supervisor_nip = forms.CharField(label=_("NIP atasan langsung"), required=False)

    class Meta:
        model = Employee
        fields = [
            "nip",
            "name",
            "front_title",
            "back_title",
            "gender",
            "birth_date",
            "asn_status",
            "golongan",
            "position",
            "unit",
            "email",
            "is_active",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, units, positions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["position"].queryset = positions
        self.fields["position"].label = _("Jabatan")
        self.fields["birth_date"].input_formats = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
        if self.instance.supervisor_id:
            self.fields["supervisor_nip"].initial = self.instance.supervisor.nip

    def clean(self):
        data = super().clean()
        status = data.get("asn_status")
        if status and data.get("golongan"):
            try:
                data["golongan"] = normalize_golongan(data["golongan"], asn_status=status)
            except ValidationError as exc:
                self.add_error("golongan", exc)
        if data.get("nip") and status:
            try:
                data["nip"] = validate_nip(
                    data["nip"],
                    asn_status=status,
                    birth_date=data.get("birth_date"),
                    gender=data.get("gender"),
                )
            except ValidationError as exc:
                self.add_error("nip", exc)
        return data


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas (.xlsx atau .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".xlsx") or name.endswith(".csv")):
            raise ValidationError(_("Jenis berkas tidak didukung; gunakan .xlsx atau .csv"))
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(_("Berkas terlalu besar (maksimal 20 MB)"))
        return upload
