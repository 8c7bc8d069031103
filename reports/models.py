"""Background jobs: a database row first, then a Celery message (see docs/architecture.md)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet):
    def for_user(self, user):
        from agencies.access import scope_for

        scope = scope_for(user)
        if scope.region_ids:
            return self.filter(models.Q(region_id__in=scope.region_ids) | models.Q(created_by=user))
        return self.filter(created_by=user)


class Status(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Berjalan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


ACTIVE = (Status.QUEUED, Status.RUNNING)


def job_file_path(job: Job, filename: str) -> str:
    """Private (under MEDIA_ROOT, never a public URL): one folder per job, the name random."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"jobs/{job.pk}/{uuid.uuid4().hex}{suffix}"


# What each kind of job does, as its page and the job list name it.
KIND_LABELS = {
    "send_invitations": _("Mengirim undangan akun"),
    "import_file": _("Impor berkas"),
    "export_file": _("Ekspor berkas"),
    "open_cycle": _("Membuka siklus penilaian"),
    "scores_recompute": _("Menghitung ulang nilai"),
    "agency_finalise": _("Finalisasi Perangkat Daerah"),
    "agency_release": _("Rilis hasil Perangkat Daerah"),
    "peers_assign": _("Menugaskan rekan kerja"),
    "export_xlsx": _("Ekspor Excel siklus"),
    "agency_pdf_zip": _("ZIP dokumen evaluasi pegawai"),
    "agency_recap_pdf": _("Rekap predikat (PDF)"),
    "dashboard_xlsx": _("Daftar laporan (Excel)"),
}


class Job(models.Model):
    Status = Status

    kind = models.CharField(_("jenis"), max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    payload = models.JSONField(default=dict)
    result = models.JSONField(default=dict, blank=True)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    region = models.ForeignKey(
        "agencies.Region", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(max_length=10, default="id")
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)
    # Exclusive work: while a job with this key is queued or running, no second one starts.
    key = models.CharField(max_length=200, blank=True, default="")
    # The claim: who runs it now (a random token per claim) and until when, renewed by the
    # running worker's heartbeat. An expired lease means the worker is gone (see sweep).
    claim_token = models.CharField(max_length=32, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Messages sent by the sweep to a job no worker took (the broker lost it, no worker).
    resends = models.PositiveSmallIntegerField(default=0)
    # Set once the main handler split the work into chunks (job_fan_out).
    fanned_out_at = models.DateTimeField(null=True, blank=True)
    # A file made by the job (an export): private, for the requester only.
    result_file = models.FileField(upload_to=job_file_path, max_length=300, blank=True)
    result_file_name = models.CharField(max_length=200, blank=True, default="")
    result_content_type = models.CharField(max_length=100, blank=True, default="")

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "lease_until"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(status__in=["queued", "running"]) & ~models.Q(key=""),
                name="reports_job_one_active_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def kind_label(self) -> str:
        """What the job does, in words (the kind itself where none is known)."""
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.progress * 100 // self.total)

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class JobChunk(models.Model):
    """One part of a fanned-out job: its items, run by one chunk task, with its own claim."""

    Status = Status

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    items = models.JSONField(default=list)
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    resends = models.PositiveSmallIntegerField(default=0)
    claim_token = models.CharField(max_length=32, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["job", "index"]
        constraints = [
            models.UniqueConstraint(fields=["job", "index"], name="reports_jobchunk_unique_index")
        ]
        indexes = [models.Index(fields=["status", "lease_until"])]

    def __str__(self) -> str:
        return f"{self.job_id}/{self.index} ({self.status})"


class JobItem(models.Model):
    """One item of a job recorded as done (an invitation sent): a retry skips it."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "key"], name="reports_jobitem_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.key}"
