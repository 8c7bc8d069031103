"""Organisation data: regions, agencies, units, positions, employees, users and role grants."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING, Self

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from indicators.schemes import scheme_choices
from indicators.scoring import JFLevel

from .validators import PANGKAT_BY_GOLONGAN

if TYPE_CHECKING:
    from .access import Scope


class User(AbstractUser):
    """A login. Employees log in with their NIP (``username``) or e-mail; the Admin Daerah
    may have no employee record and logs in with e-mail."""

    email = models.EmailField(_("e-mail"), blank=True)

    # Set by ``agencies.access.scope_for``: what this user may reach, for one request.
    _asn_scope: Scope

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("email"),
                condition=~Q(email=""),
                name="user_email_unique_ci",
            )
        ]

    @cached_property
    def employee(self) -> Employee | None:
        try:
            return self.employee_record
        except Employee.DoesNotExist:
            return None

    def display_name(self) -> str:
        if self.employee:
            return self.employee.full_name
        return self.get_full_name() or self.username


class TimeZoneChoice(models.TextChoices):
    WIB = "Asia/Jakarta", "WIB (Asia/Jakarta)"
    WITA = "Asia/Makassar", "WITA (Asia/Makassar)"
    WIT = "Asia/Jayapura", "WIT (Asia/Jayapura)"


class Region(models.Model):
    """Pemerintah Daerah: a province, regency or city, with its time zone."""

    code = models.CharField(_("kode daerah"), max_length=20, unique=True)
    name = models.CharField(_("nama daerah"), max_length=200)
    timezone = models.CharField(
        _("zona waktu"), max_length=40, choices=TimeZoneChoice.choices, default=TimeZoneChoice.WIB
    )

    class Meta:
        verbose_name = _("pemerintah daerah")
        verbose_name_plural = _("pemerintah daerah")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def today(self) -> dt.date:
        return timezone.now().astimezone(self.tzinfo).date()


class AgencyKind(models.TextChoices):
    DINAS = "dinas", _("Dinas")
    BADAN = "badan", _("Badan")
    KECAMATAN = "kecamatan", _("Kecamatan")
    SETDA = "setda", _("Sekretariat Daerah")
    LAINNYA = "lainnya", _("Lainnya")

    @classmethod
    def guess(cls, name: str) -> AgencyKind:
        lowered = name.strip().lower()
        for kind, prefix in (
            (cls.DINAS, "dinas"),
            (cls.BADAN, "badan"),
            (cls.KECAMATAN, "kecamatan"),
            (cls.SETDA, "sekretariat daerah"),
            (cls.SETDA, "setda"),
        ):
            if lowered.startswith(prefix):
                return kind
        return cls.LAINNYA


class Agency(models.Model):
    """Perangkat Daerah."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="agencies")
    code = models.CharField(_("kode perangkat daerah"), max_length=30)
    name = models.CharField(_("nama perangkat daerah"), max_length=200)
    kind = models.CharField(
        _("jenis"), max_length=20, choices=AgencyKind.choices, default=AgencyKind.DINAS
    )
    # The scheme preset this agency's cycles use unless HR picks another (see docs/scoring.md).
    default_scheme = models.CharField(
        _("skema bawaan"), max_length=20, choices=scheme_choices, default="nasional"
    )
    # Where finalisation is blocked (not only warned) when the predikat distribution is off.
    block_on_distribution = models.BooleanField(
        _("blokir bila distribusi menyimpang"), default=False
    )

    class Meta:
        verbose_name = _("perangkat daerah")
        verbose_name_plural = _("perangkat daerah")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="agency_code_unique_in_region")
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """Bidang, Seksi, UPT, Puskesmas, Sekolah: a tree inside one agency."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    code = models.CharField(_("kode unit"), max_length=30)
    name = models.CharField(_("nama unit"), max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="unit_code_unique_in_region")
        ]

    def __str__(self) -> str:
        return self.name


class PositionKind(models.TextChoices):
    JPT = "JPT", "JPT"
    ADMINISTRATOR = "Administrator", "Administrator"
    PENGAWAS = "Pengawas", "Pengawas"
    FUNGSIONAL = "Fungsional", "Fungsional"
    PELAKSANA = "Pelaksana", "Pelaksana"


def jf_level_choices() -> list[tuple[str, str]]:
    """Jenjang jabatan fungsional, as the scoring module lists them for angka kredit."""
    return [(level.label, level.label) for level in JFLevel]


class JobPosition(models.Model):
    """The region's position catalogue, kept by the Admin Daerah."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="positions")
    code = models.CharField(_("kode jabatan"), max_length=30)
    name = models.CharField(_("nama jabatan"), max_length=200)
    kind = models.CharField(_("jenis jabatan"), max_length=20, choices=PositionKind.choices)
    jf_level = models.CharField(_("jenjang"), max_length=20, choices=jf_level_choices, blank=True)
    grade = models.PositiveSmallIntegerField(_("kelas jabatan"))

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "code"], name="position_code_unique_in_region"
            ),
            models.CheckConstraint(
                condition=Q(kind="Fungsional") | Q(jf_level=""), name="jf_level_only_for_fungsional"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.jf_level})" if self.jf_level else self.name


class Gender(models.TextChoices):
    L = "L", _("Laki-laki")
    P = "P", _("Perempuan")


class AsnStatus(models.TextChoices):
    PNS = "PNS", "PNS"
    PPPK = "PPPK", "PPPK"


class EmployeeQuerySet(models.QuerySet["Employee"]):
    def active(self) -> Self:
        return self.filter(is_active=True)

    def with_related(self) -> Self:
        return self.select_related("agency", "unit", "position", "supervisor")

    def search(self, text: str) -> Self:
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(Q(nip__icontains=text.replace(" ", "")) | Q(name__icontains=text))


class Employee(models.Model):
    """An ASN (PNS or PPPK). ``agency`` follows ``unit`` and is stored for scoped queries."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="employees")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="employees")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="employees")
    position = models.ForeignKey(JobPosition, on_delete=models.PROTECT, related_name="employees")
    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="employee_record"
    )
    nip = models.CharField(_("NIP"), max_length=18, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    front_title = models.CharField(_("gelar depan"), max_length=50, blank=True)
    back_title = models.CharField(_("gelar belakang"), max_length=80, blank=True)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("tanggal lahir"))
    asn_status = models.CharField(_("status ASN"), max_length=4, choices=AsnStatus.choices)
    golongan = models.CharField(_("golongan"), max_length=6)
    supervisor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subordinates",
        verbose_name=_("atasan langsung"),
    )
    # The ids of the supervisor chain from the top down, "/1/17/345/" ("/" without a
    # supervisor): a subtree is one indexed prefix query (``subtree_prefix``). Kept by
    # ``agencies.paths`` wherever a supervisor changes, never by ``save()``.
    supervisor_path = models.CharField(max_length=1000, default="/", editable=False)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("pk")), name="employee_not_own_supervisor"
            )
        ]
        indexes = [
            models.Index(fields=["agency", "is_active", "name"]),
            # The lists sort by (name, id); the keyset pages seek on it.
            models.Index(fields=["name", "id"], name="employee_name_id"),
            # LIKE 'prefix%' needs the pattern operator class on PostgreSQL (with a
            # non-C collation); other databases ignore ``opclasses``.
            models.Index(
                fields=["supervisor_path"],
                name="employee_supervisor_path",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.nip})"

    @property
    def subtree_prefix(self) -> str:
        """The ``supervisor_path`` prefix of every direct and indirect subordinate."""
        return f"{self.supervisor_path}{self.pk}/"

    @property
    def full_name(self) -> str:
        name = f"{self.front_title} {self.name}".strip() if self.front_title else self.name
        return f"{name}, {self.back_title}" if self.back_title else name

    @property
    def pangkat(self) -> str:
        return PANGKAT_BY_GOLONGAN.get(self.golongan, "")

    @property
    def pangkat_golongan(self) -> str:
        return f"{self.pangkat}, {self.golongan}" if self.pangkat else self.golongan

    @property
    def nip_display(self) -> str:
        """``19850312 201001 1 003`` for a PNS; an NI PPPK is shown as it is."""
        if self.asn_status == AsnStatus.PNS and len(self.nip) == 18:
            return f"{self.nip[:8]} {self.nip[8:14]} {self.nip[14]} {self.nip[15:]}"
        return self.nip


class ActingKind(models.TextChoices):
    PLT = "plt", _("Pelaksana Tugas (Plt)")
    PLH = "plh", _("Pelaksana Harian (Plh)")


class ActingAssignment(models.Model):
    """A Plt/Plh who acts for ``replaces`` from ``start_date`` to ``end_date`` inclusive.

    While it runs, the acting official is the atasan of everyone ``replaces`` supervises.
    """

    official = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="acting_assignments"
    )
    replaces = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="acted_for_by")
    kind = models.CharField(_("jenis"), max_length=3, choices=ActingKind.choices)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("sampai"))
    decree = models.CharField(_("nomor surat perintah"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("pejabat Plt/Plh")
        verbose_name_plural = _("pejabat Plt/Plh")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="acting_dates_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(official=models.F("replaces")), name="acting_not_for_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.official} untuk {self.replaces}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        if self.official_id and self.official_id == self.replaces_id:
            raise ValidationError(_("Seorang pejabat tidak dapat menjadi Plt/Plh bagi dirinya."))

    def covers(self, day: dt.date) -> bool:
        return self.start_date <= day <= self.end_date


class Role(models.TextChoices):
    """Granted roles. Pegawai, Atasan and Atasan Pejabat Penilai are derived, not granted."""

    ADMIN_HR = "admin_hr", _("Admin HR")
    TIM_PENILAI = "tim_penilai", _("Tim Penilai")
    VERIFIKATOR = "verifikator", _("Verifikator")
    ADMIN_DAERAH = "admin_daerah", _("Admin Daerah")


class RoleGrant(models.Model):
    """A role granted per agency, or per region for the Admin Daerah."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="role_grants"
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="role_grants"
    )

    class Meta:
        verbose_name = _("pemberian peran")
        verbose_name_plural = _("pemberian peran")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="admin_daerah", region__isnull=False, agency__isnull=True)
                    | (~Q(role="admin_daerah") & Q(agency__isnull=False, region__isnull=True))
                ),
                name="grant_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "agency"],
                condition=Q(agency__isnull=False),
                name="grant_unique_per_agency",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(region__isnull=False),
                name="grant_unique_per_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency or self.region}"


class ImportKind(models.TextChoices):
    AGENCIES = "agencies", _("Perangkat Daerah")
    UNITS = "units", _("Unit kerja")
    POSITIONS = "positions", _("Jabatan")
    EMPLOYEES = "employees", _("Pegawai")


class ImportRun(models.Model):
    """One uploaded file from upload to preview to confirmation, kept as an audit record."""

    class Status(models.TextChoices):
        VALIDATING = "validating", _("Sedang diperiksa")
        PREVIEWED = "previewed", _("Pratinjau")
        INVALID = "invalid", _("Ditolak")
        IMPORTING = "importing", _("Sedang diimpor")
        IMPORTED = "imported", _("Diimpor")

    # The background job (reports.Job) that checks or writes the file, by id: organisation
    # data sits below the job machinery.
    job_id = models.PositiveBigIntegerField(null=True, blank=True)

    kind = models.CharField(max_length=20)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    status = models.CharField(max_length=20, choices=Status.choices)
    summary = models.JSONField(default=dict)
    errors = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.original_name} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in {self.Status.VALIDATING, self.Status.IMPORTING}

    @property
    def error_count(self) -> int:
        """All errors found; only the first ``IMPORT_MAX_STORED_ERRORS`` are stored."""
        return max(len(self.errors), int(self.summary.get("error_count", 0) or 0))

    @property
    def hidden_error_count(self) -> int:
        return self.error_count - len(self.errors)


class OrgAuditEntry(models.Model):
    """A change to organisation data: who, when, what before and after, and why.

    Written by the service that makes the change, in the same transaction; never edited,
    never deleted. ``employee`` is set for changes to an employee (and their login), so
    that their page can list them; ``import_run`` names the file a change came from.
    """

    class ObjectType(models.TextChoices):
        EMPLOYEE = "employee", _("Pegawai")
        UNIT = "unit", _("Unit kerja")
        POSITION = "position", _("Jabatan")
        GRANT = "grant", _("Pemberian peran")
        AGENCY = "agency", _("Perangkat Daerah")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    employee = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="org_audit"
    )
    object_type = models.CharField(max_length=20, choices=ObjectType.choices)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    import_run = models.ForeignKey(
        "ImportRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="audit"
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("jejak audit organisasi")
        verbose_name_plural = _("jejak audit organisasi")
        indexes = [models.Index(fields=["region", "at"]), models.Index(fields=["agency", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_label}"
