"""Cycles, appraisals, plans, self-assessments, supervisor scores and the audit trail."""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators.schemes import get_scheme, scheme_choices
from indicators.schemes.base import PeriodType, Scheme
from indicators.scoring_settings import apply_settings, parse_settings

if TYPE_CHECKING:
    from agencies.models import User
from indicators.scoring import OrganisationPredikat


def period_type_choices() -> list[tuple[str, str]]:
    """The period types the scheme registry knows, with their labels translated."""
    return [(p.value, _(p.label)) for p in PeriodType]


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("Disiapkan")
    OPENING = "opening", _("Sedang dibuka")
    OPEN = "open", _("Berjalan")
    CLOSED = "closed", _("Ditutup")


class Phase(models.TextChoices):
    """The deadlines of a cycle, in order. Each closes at 23:59:59 local time on its date."""

    PLANNING = "planning", _("Perencanaan target")
    SELF_ASSESSMENT = "self_assessment", _("Penilaian diri")
    SCORING = "scoring", _("Penilaian atasan")
    PEER = "peer", _("Umpan balik rekan")
    CALIBRATION = "calibration", _("Kalibrasi")


DEADLINE_FIELDS = {
    Phase.PLANNING: "planning_deadline",
    Phase.SELF_ASSESSMENT: "self_assessment_deadline",
    Phase.SCORING: "scoring_deadline",
    Phase.PEER: "peer_deadline",
    Phase.CALIBRATION: "calibration_deadline",
}


@functools.lru_cache(maxsize=256)
def _cycle_scheme(scheme_key: str, weights: str, scoring_settings: str) -> Scheme:
    scheme = get_scheme(scheme_key)
    if weights != "{}":
        scheme = scheme.with_weights(json.loads(weights))
    if scoring_settings != "{}":
        scheme = apply_settings(scheme, parse_settings(json.loads(scoring_settings), scheme))
    return scheme


class CycleQuerySet(models.QuerySet["Cycle"]):
    def for_user(self, user: User) -> Self:
        from agencies.access import scope_for

        scope = scope_for(user)
        return self.filter(
            Q(region_id__in=scope.region_ids) | Q(agencies__in=scope.hr_agency_ids)
        ).distinct()


class Cycle(models.Model):
    """One appraisal period of one or more agencies with one scheme and one set of weights."""

    region = models.ForeignKey("agencies.Region", on_delete=models.PROTECT, related_name="+")
    agencies = models.ManyToManyField("agencies.Agency", related_name="cycles")
    name = models.CharField(_("nama siklus"), max_length=200)
    scheme_key = models.CharField(_("skema"), max_length=20, choices=scheme_choices)
    # Fixed when the cycle opens: {component key: weight}. Empty in matrix mode.
    weights = models.JSONField(_("bobot komponen"), default=dict, blank=True)
    # Fixed likewise: every setting the scheme uses, in the `pengaturan` shape of
    # explain_score (indicators/scoring_settings.py). Empty (cycles made before settings
    # existed) means the scheme's defaults.
    scoring_settings = models.JSONField(_("pengaturan penilaian"), default=dict, blank=True)
    period_type = models.CharField(_("jenis periode"), max_length=10, choices=period_type_choices)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))
    planning_deadline = models.DateField(_("batas perencanaan target"))
    self_assessment_deadline = models.DateField(_("batas penilaian diri"))
    scoring_deadline = models.DateField(_("batas penilaian atasan"))
    peer_deadline = models.DateField(_("batas umpan balik rekan"))
    calibration_deadline = models.DateField(_("batas kalibrasi"))
    status = models.CharField(max_length=10, choices=CycleStatus.choices, default=CycleStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    open_job = models.ForeignKey(
        "reports.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="cycle_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scheme(self) -> Scheme:
        """The preset with this cycle's fixed weights and scoring settings: what every page,
        recompute and export scores with. Built once per distinct (preset, weights,
        settings) and shared: a Scheme is frozen, and building one costs about half a
        millisecond, which opening a cycle would otherwise pay per copied indicator."""
        return _cycle_scheme(
            self.scheme_key,
            json.dumps(self.weights or {}, sort_keys=True),
            json.dumps(self.scoring_settings or {}, sort_keys=True),
        )

    def deadline(self, phase: str) -> dt.date:
        return getattr(self, DEADLINE_FIELDS[Phase(phase)])

    def deadline_end(self, phase: str) -> dt.datetime:
        """A deadline D closes at 23:59:59 on D in the region's time zone."""
        day = self.deadline(phase)
        return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=self.region.tzinfo)

    def is_past(self, phase: str, now: dt.datetime) -> bool:
        return now > self.deadline_end(phase)

    @property
    def months(self) -> int:
        return (
            (self.end_date.year - self.start_date.year) * 12
            + (self.end_date.month - self.start_date.month)
            + 1
        )


class State(models.TextChoices):
    """The appraisal states, exhaustive (see docs/cycle.md)."""

    DRAFT = "draft", _("Draf rencana")
    TARGETS_SUBMITTED = "targets_submitted", _("Rencana diajukan")
    TARGETS_APPROVED = "targets_approved", _("Rencana disetujui")
    SELF_ASSESSED = "self_assessed", _("Penilaian diri dikirim")
    SCORED = "scored", _("Dinilai atasan")
    FINALISED = "finalised", _("Final")
    RELEASED = "released", _("Dirilis")


class AppraisalQuerySet(models.QuerySet["Appraisal"]):
    def in_cycle(self, cycle: Cycle) -> Self:
        return self.filter(cycle=cycle)

    def with_related(self) -> Self:
        return self.select_related(
            "cycle",
            "cycle__region",
            "employee",
            "agency",
            "unit",
            "position",
            "supervisor",
            "supervisor__supervisor",
        )


class Appraisal(models.Model):
    """One employee in one cycle, with a snapshot of their position, unit, rank and atasan."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="appraisals")
    employee = models.ForeignKey(
        "agencies.Employee", on_delete=models.PROTECT, related_name="appraisals"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("agencies.Unit", on_delete=models.PROTECT, related_name="+")
    position = models.ForeignKey("agencies.JobPosition", on_delete=models.PROTECT, related_name="+")
    golongan = models.CharField(max_length=6)
    supervisor = models.ForeignKey(
        "agencies.Employee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appraisals_to_score",
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    # Optimistic lock: every change bumps it; an edit based on an older version is refused.
    version = models.PositiveIntegerField(default=1)
    employee_comment = models.TextField(_("komentar pegawai"), blank=True)
    return_comment = models.TextField(_("catatan pengembalian"), blank=True)
    # Matrix mode: the supervisor confirms or overrides the portal's recommended ratings.
    hasil_kerja_override = models.CharField(max_length=10, blank=True)
    perilaku_override = models.CharField(max_length=10, blank=True)
    override_reason = models.TextField(blank=True)
    # Stored results of the scoring module, recomputed in the transaction of every change.
    final_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    hasil_kerja_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    perilaku_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    hasil_kerja_rating = models.CharField(max_length=10, blank=True)
    perilaku_rating = models.CharField(max_length=10, blank=True)
    predikat = models.CharField(max_length=20, blank=True)
    breakdown = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppraisalQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee"], name="one_appraisal_per_cycle")
        ]
        indexes = [
            models.Index(fields=["cycle", "agency", "state"]),
            models.Index(fields=["supervisor", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.cycle}"

    @property
    def is_released(self) -> bool:
        return self.state == State.RELEASED

    @property
    def is_locked(self) -> bool:
        """After finalisation nothing changes (except an objection's decision)."""
        return self.state in (State.FINALISED, State.RELEASED)

    def objection_deadline_end(self) -> dt.datetime | None:
        """An objection may be filed until 23:59:59 on the release day + N calendar days
        (``OBJECTION_WINDOW_DAYS``, 14 by default) in the region's time zone."""
        if self.released_at is None:
            return None
        tz = self.cycle.region.tzinfo
        day = self.released_at.astimezone(tz).date() + dt.timedelta(
            days=settings.OBJECTION_WINDOW_DAYS
        )
        return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=tz)

    @property
    def plan_editable(self) -> bool:
        return self.state == State.DRAFT

    @property
    def plan_approved(self) -> bool:
        """The plan is approved: from now on the page shows realisations."""
        return self.state not in (State.DRAFT, State.TARGETS_SUBMITTED)

    @property
    def waits_for_supervisor(self) -> bool:
        """A plan to approve or a self-assessment to score: the atasan's move."""
        return self.state in (State.TARGETS_SUBMITTED, State.SELF_ASSESSED)

    @property
    def score_change_needs_reason(self) -> bool:
        """Once scored, every change of a level (the atasan's, or HR's calibration) says why."""
        return self.state == State.SCORED

    @property
    def realisation_editable(self) -> bool:
        return self.state == State.TARGETS_APPROVED

    @property
    def scoring_editable(self) -> bool:
        return self.state == State.SELF_ASSESSED


class PlanResult(models.Model):
    """A result (RHK) of an employee's plan."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="results")
    code = models.CharField(max_length=40)
    name = models.CharField(_("hasil kerja"), max_length=300)
    kind = models.CharField(max_length=10, default="utama")
    component = models.CharField(max_length=40, blank=True)
    # Cascading (nasional): the supervisor's result this one supports.
    supports = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supported_by"
    )
    feedback = models.TextField(_("umpan balik berkelanjutan"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Verification(models.TextChoices):
    """A realisation's check by the agency's Verifikator (schemes that verify realisations)."""

    PENDING = "pending", _("Menunggu verifikasi")
    VERIFIED = "verified", _("Diverifikasi")
    REJECTED = "rejected", _("Ditolak")


class PlanIndicator(models.Model):
    result = models.ForeignKey(PlanResult, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=12)
    unit = models.CharField(max_length=60)
    direction = models.CharField(max_length=6, blank=True)
    aspect = models.CharField(max_length=10)
    target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    weight = models.DecimalField(max_digits=7, decimal_places=4)
    guidance = models.TextField(blank=True)
    rubric = models.JSONField(default=dict, blank=True)
    realisation = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    self_comment = models.TextField(blank=True)
    self_level = models.PositiveSmallIntegerField(null=True, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    # `verified` is what the scoring engine reads; it is true exactly when `verification` is
    # verified (set together, only by the services).
    verified = models.BooleanField(default=False)
    verification = models.CharField(
        max_length=10, choices=Verification.choices, default=Verification.PENDING
    )
    verification_note = models.TextField(blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    # The employee's value before a Verifikator corrected it (the audit trail has both too).
    original_realisation = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True
    )
    # Dated targets (schemes with `has_due_dates`): due and completion dates; the on-time
    # share indicator's realisation is computed from the others (see docs/cycle.md).
    due_date = models.DateField(_("tanggal target"), null=True, blank=True)
    completed_on = models.DateField(_("tanggal selesai"), null=True, blank=True)
    on_time_share = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)

    # Set by the realisation save on the indicator it returns: the appraisal's version after
    # the save, which the page posts with its next save.
    appraisal_version: int

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="plan_weight_positive"),
            models.CheckConstraint(
                condition=Q(realisation__isnull=True) | Q(realisation__gte=0),
                name="realisation_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=5),
                name="level_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_rubric(self) -> bool:
        return self.kind == "rubrik"

    @property
    def is_dated(self) -> bool:
        """A target with a due date whose completion date the employee records."""
        return self.due_date is not None and not self.is_rubric and not self.on_time_share

    @property
    def timeliness(self) -> str:
        """``tepat_waktu``, ``terlambat`` or ``belum_selesai`` (empty when not dated)."""
        if not self.is_dated:
            return ""
        if self.completed_on is None:
            return "belum_selesai"
        return "tepat_waktu" if self.completed_on <= self.due_date else "terlambat"


class TeamScore(models.Model):
    """One Tim Penilai member's level for the team component of one appraisal."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="team_scores")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()
    comment = models.TextField(_("komentar"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "member"], name="one_team_score_per_member"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="team_level_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appraisal_id} {self.member_id}: {self.level}"


def evidence_path(instance: Evidence, filename: str) -> str:
    # A random name: the original is kept in the row, never in a guessable path.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.indicator.result.appraisal.cycle_id}/{uuid.uuid4().hex}.{suffix}"


class Evidence(models.Model):
    """Bukti dukung: private, served only to those allowed, never from a public URL."""

    indicator = models.ForeignKey(PlanIndicator, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    # Opened in the browser (`evidence_view`); any other type is downloaded.
    INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def opens_inline(self) -> bool:
        return self.content_type in self.INLINE_TYPES


class BehaviourScore(models.Model):
    """The supervisor's level (and the employee's own, for the gap) for one BerAKHLAK value."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="behaviours")
    value = models.ForeignKey(
        "indicators.BehaviourValue", on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    self_level = models.PositiveSmallIntegerField(null=True, blank=True)
    feedback = models.TextField(_("umpan balik"), blank=True)

    class Meta:
        ordering = ["value__order"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "value"], name="one_score_per_value"),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=5),
                name="behaviour_level_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appraisal_id} {self.value_id}"


class AuditEntry(models.Model):
    """Who did what, when, before and after, and why. Never edited, never deleted.

    ``sensitive`` entries carry levels or values: the employee sees that they happened,
    but not their content, until the result is released.
    """

    appraisal = models.ForeignKey(
        Appraisal, on_delete=models.CASCADE, null=True, blank=True, related_name="audit"
    )
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="audit")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    sensitive = models.BooleanField(default=False)

    # Set on the entries of one page by ``appraisals.selectors.audit_for``: whether the
    # reader may not see its content, and its changes in words (what, before, after).
    hidden: bool
    changes: list[tuple[str, str | None, str]]

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class Reminder(models.Model):
    """One reminder of one deadline to one person on one day: the row is written first, so a
    reminder is sent at most once whatever runs twice, and is not lost while the mail server
    or the broker is down (the next run sends what is still unsent)."""

    employee = models.ForeignKey(
        "agencies.Employee", on_delete=models.CASCADE, related_name="reminders"
    )
    deadline = models.DateField()
    day = models.DateField()
    items = models.JSONField(default=list)  # what the e-mail lists, as planned
    claim = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "deadline", "day"], name="one_reminder_per_deadline_and_day"
            )
        ]
        indexes = [models.Index(fields=["day", "sent_at"], name="reminder_unsent")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.deadline} {self.day}"


class ObjectionState(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")
    ACCEPTED = "accepted", _("Diterima")
    REJECTED = "rejected", _("Ditolak")


class Objection(models.Model):
    """Keberatan: the employee's objection to a released result, decided once by the atasan
    pejabat penilai (or the Admin Daerah where none exists in the portal)."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="objections")
    state = models.CharField(
        max_length=10, choices=ObjectionState.choices, default=ObjectionState.SUBMITTED
    )
    reasons = models.TextField(_("alasan keberatan"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    # What an accepted objection changed: {key: value} before and after.
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal"],
                condition=Q(state="submitted"),
                name="one_open_objection_per_appraisal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.appraisal_id} {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state == ObjectionState.SUBMITTED


def objection_file_path(instance: ObjectionFile, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"objections/{instance.objection.appraisal.cycle_id}/{uuid.uuid4().hex}.{suffix}"


class ObjectionFile(models.Model):
    """A file supporting an objection: private like evidence, served after an access check."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=objection_file_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


def organisation_predikat_choices() -> list[tuple[str, str]]:
    return [(p.value, p.label) for p in OrganisationPredikat]


class AgencyCycleSetting(models.Model):
    """What the Admin Daerah sets per agency and cycle: the organisation predikat that the
    predikat distribution is checked against, and whether a mismatch blocks finalisation."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="agency_settings")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    organisation_predikat = models.CharField(
        _("predikat organisasi"), max_length=20, choices=organisation_predikat_choices,
        blank=True,
    )  # fmt: skip
    block_on_mismatch = models.BooleanField(_("tolak finalisasi bila tidak sesuai"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "agency"], name="one_setting_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.agency_id} {self.organisation_predikat}"
