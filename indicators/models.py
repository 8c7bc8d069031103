"""What is measured: BerAKHLAK values, indicator sets per position, attendance and discipline."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from indicators.schemes.base import Sanction


class BehaviourValue(models.Model):
    """One of the seven BerAKHLAK core values, with its three behaviour guidelines (data)."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField()
    guidelines = models.JSONField(default=list)  # three sentences

    class Meta:
        ordering = ["order"]
        verbose_name = _("nilai BerAKHLAK")
        verbose_name_plural = _("nilai BerAKHLAK")

    def __str__(self) -> str:
        return self.name


class LeaderExpectation(models.Model):
    """A leader's specific expectation for one value ("ekspektasi khusus pimpinan")."""

    leader = models.ForeignKey(
        "agencies.Employee", on_delete=models.CASCADE, related_name="leader_expectations"
    )
    value = models.ForeignKey(BehaviourValue, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("ekspektasi khusus"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["leader", "value"], name="one_expectation_per_value")
        ]

    def __str__(self) -> str:
        return f"{self.leader} · {self.value}"


class IndicatorKind(models.TextChoices):
    KUANTITATIF = "kuantitatif", _("Kuantitatif (target)")
    RUBRIK = "rubrik", _("Rubrik (level 1-5)")


class Direction(models.TextChoices):
    NAIK = "naik", _("Semakin tinggi semakin baik")
    TURUN = "turun", _("Semakin rendah semakin baik")


class Aspect(models.TextChoices):
    KUANTITAS = "kuantitas", _("Kuantitas")
    KUALITAS = "kualitas", _("Kualitas")
    WAKTU = "waktu", _("Waktu")
    BIAYA = "biaya", _("Biaya")


class ResultKind(models.TextChoices):
    UTAMA = "utama", _("Utama")
    TAMBAHAN = "tambahan", _("Tambahan")


class IndicatorSetQuerySet(models.QuerySet):
    def with_totals(self):
        return self.annotate(
            indicator_count=models.Count("indicators", distinct=True),
            total_weight=Sum("indicators__weight"),
        )


class IndicatorSet(models.Model):
    """The indicators of one job position (tupoksi), region-wide, reused by every agency."""

    region = models.ForeignKey("agencies.Region", on_delete=models.CASCADE, related_name="+")
    position = models.OneToOneField(
        "agencies.JobPosition", on_delete=models.CASCADE, related_name="indicator_set"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = IndicatorSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("set indikator")
        verbose_name_plural = _("set indikator")

    def __str__(self) -> str:
        return str(self.position)


class ResultTemplate(models.Model):
    """A result (RHK) of an indicator set; a plan copies it. ``component`` routes it to a
    scheme component (blank: the scheme's main results component)."""

    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="results"
    )
    code = models.CharField(_("kode hasil"), max_length=40)
    name = models.CharField(_("nama hasil"), max_length=300)
    kind = models.CharField(
        _("jenis hasil"), max_length=10, choices=ResultKind.choices, default=ResultKind.UTAMA
    )
    component = models.CharField(_("komponen"), max_length=40, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "code"], name="result_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="indicators"
    )
    result = models.ForeignKey(ResultTemplate, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("kode indikator"), max_length=40)
    name = models.CharField(_("nama indikator"), max_length=300)
    kind = models.CharField(_("jenis"), max_length=12, choices=IndicatorKind.choices)
    unit = models.CharField(_("satuan"), max_length=60)
    direction = models.CharField(_("arah"), max_length=6, choices=Direction.choices, blank=True)
    aspect = models.CharField(_("aspek"), max_length=10, choices=Aspect.choices)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=4, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )  # fmt: skip
    weight = models.DecimalField(_("bobot"), max_digits=7, decimal_places=4)
    guidance = models.TextField(_("panduan"))
    # Level texts of a rubric indicator: {"1": "...", ..., "5": "..."}, edited on the set page.
    rubric = models.JSONField(_("rubrik"), default=dict, blank=True)
    # Schemes with dated targets (`kotalama`): the target's due date (blank: the cycle's end),
    # and the one indicator per position whose realisation the portal computes as the share of
    # the plan's other dated targets completed by their due dates.
    due_date = models.DateField(_("tanggal target"), null=True, blank=True)
    on_time_share = models.BooleanField(_("ketepatan waktu"), default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_set", "code"], name="indicator_code_unique_in_set"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="indicator_weight_positive"),
            models.CheckConstraint(
                condition=Q(kind="rubrik") | Q(target__gt=0, direction__in=["naik", "turun"]),
                name="quantitative_indicator_has_target_and_direction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_rubric(self) -> bool:
        return self.kind == IndicatorKind.RUBRIK

    def rubric_levels(self) -> list[tuple[int, str]]:
        return [(level, self.rubric.get(str(level), "")) for level in range(1, 6)]


def sanction_choices() -> list[tuple[str, str]]:
    """The three sanction levels of the scoring module, with their labels translated."""
    return [(s.value, _(s.label)) for s in Sanction]


class AttendanceRecord(models.Model):
    """One month of attendance; ``present_days`` already includes approved leave."""

    employee = models.ForeignKey(
        "agencies.Employee", on_delete=models.CASCADE, related_name="attendance"
    )
    period = models.DateField(_("periode"))  # the first day of the month
    working_days = models.PositiveSmallIntegerField(_("hari kerja"))
    present_days = models.PositiveSmallIntegerField(_("hari hadir"))
    late = models.PositiveSmallIntegerField(_("terlambat"), default=0)
    early_leave = models.PositiveSmallIntegerField(_("pulang cepat"), default=0)

    class Meta:
        ordering = ["employee", "period"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "period"], name="attendance_per_month"),
            models.CheckConstraint(
                condition=Q(present_days__lte=models.F("working_days")),
                name="present_not_more_than_working",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.period:%Y-%m}"


class DisciplineRecord(models.Model):
    employee = models.ForeignKey(
        "agencies.Employee", on_delete=models.CASCADE, related_name="sanctions"
    )
    decree_date = models.DateField(_("tanggal SK"))
    level = models.CharField(_("tingkat hukuman"), max_length=10, choices=sanction_choices)

    class Meta:
        ordering = ["employee", "decree_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "decree_date", "level"], name="sanction_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.get_level_display()} {self.decree_date}"
