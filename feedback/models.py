"""The feedback app's tables: the citizens' survey (Survei Kepuasan Masyarakat) below."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators.ikm import ELEMENTS

# --- survey: Survei Kepuasan Masyarakat (PermenPANRB 14/2017) ------------------------------


def new_survey_token() -> str:
    """The unguessable part of a unit's public survey link (128 bits)."""
    return secrets.token_urlsafe(16)


class SurveyUnit(models.Model):
    """A unit's survey settings: whether it serves the public, and its link's token.

    Kept beside the unit rather than on it, so the survey stays one app's concern; a unit
    without a row does not serve the public. The token never changes when the flag does,
    so a printed poster stays valid.
    """

    unit = models.OneToOneField(
        "agencies.Unit", on_delete=models.CASCADE, related_name="survey", verbose_name=_("unit")
    )
    melayani_publik = models.BooleanField(_("melayani publik"), default=False)
    token = models.CharField(max_length=32, unique=True, default=new_survey_token, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survei unit layanan")
        verbose_name_plural = _("survei unit layanan")

    def __str__(self) -> str:
        return str(self.unit_id)


class Gender(models.TextChoices):
    LAKI_LAKI = "L", _("Laki-laki")
    PEREMPUAN = "P", _("Perempuan")


class AgeBand(models.TextChoices):
    U_BELOW_20 = "<20", _("Di bawah 20 tahun")
    U_20 = "20-29", _("20 sampai 29 tahun")
    U_30 = "30-39", _("30 sampai 39 tahun")
    U_40 = "40-49", _("40 sampai 49 tahun")
    U_50 = "50-59", _("50 sampai 59 tahun")
    U_60 = "60+", _("60 tahun ke atas")


class Education(models.TextChoices):
    SD = "SD", _("SD ke bawah")
    SMP = "SMP", _("SMP")
    SMA = "SMA", _("SMA/SMK")
    DIPLOMA = "D1-D4", _("D1, D2, D3 atau D4")
    S1 = "S1", _("S1")
    S2 = "S2+", _("S2 ke atas")


class Occupation(models.TextChoices):
    PNS = "PNS", _("PNS/ASN")
    TNI = "TNI", _("TNI")
    POLRI = "POLRI", _("POLRI")
    SWASTA = "SWASTA", _("Pegawai swasta")
    WIRAUSAHA = "WIRAUSAHA", _("Wirausaha")
    PELAJAR = "PELAJAR", _("Pelajar/Mahasiswa")
    LAINNYA = "LAINNYA", _("Lainnya")


ANSWER_FIELDS = tuple(element.key for element in ELEMENTS)
COMMENT_MAX_LENGTH = 1000


class SurveyResponse(models.Model):
    """One citizen's answers. No user, no address: nothing that identifies the respondent.

    `submitted_on` is the date in the unit's region, what periods and days count by.
    """

    unit = models.ForeignKey("agencies.Unit", on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField()
    submitted_on = models.DateField()
    u1 = models.PositiveSmallIntegerField()
    u2 = models.PositiveSmallIntegerField()
    u3 = models.PositiveSmallIntegerField()
    u4 = models.PositiveSmallIntegerField()
    u5 = models.PositiveSmallIntegerField()
    u6 = models.PositiveSmallIntegerField()
    u7 = models.PositiveSmallIntegerField()
    u8 = models.PositiveSmallIntegerField()
    u9 = models.PositiveSmallIntegerField()
    comment = models.TextField(_("saran dan masukan"), blank=True, max_length=COMMENT_MAX_LENGTH)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender, blank=True)
    age_band = models.CharField(_("usia"), max_length=5, choices=AgeBand, blank=True)
    education = models.CharField(_("pendidikan"), max_length=5, choices=Education, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=10, choices=Occupation, blank=True)

    class Meta:
        verbose_name = _("jawaban survei")
        verbose_name_plural = _("jawaban survei")
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["unit", "submitted_on"], name="survey_unit_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{key}__gte": 1, f"{key}__lte": 4}), name=f"survey_{key}_1_to_4"
            )
            for key in ANSWER_FIELDS
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.submitted_at:%Y-%m-%d %H:%M}"

    @property
    def answers(self) -> tuple[int, ...]:
        return tuple(getattr(self, key) for key in ANSWER_FIELDS)
