"""HR's long moves on a cycle as background jobs: recompute its scores, finalise or release
an agency (see docs/cycle.md). Each starts with a service that checks who may do it and
creates the job; the job's handler runs the same services as the tests and commands do.

One job per cycle and agency at a time: a second start while one is queued or running is
refused with a message that says so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.access import scope_for
from agencies.models import Agency, User
from reports.jobs import job_create, job_handler
from reports.models import Job

from ..models import Appraisal, Cycle, State
from ._base import Recomputed, TransitionRefused, recompute_appraisals
from .cycles import require_cycle_authority
from .hr import (
    RECOMPUTE_BATCH,
    _scoring_rows,
    agency_release,
    finalise_candidates,
    finalise_commit,
    finalise_recompute,
)

# The jobs the cycle page lists (opening has its own progress bar there while it runs).
CYCLE_JOB_KINDS = ("scores_recompute", "agency_finalise", "agency_release")
ACTIVE = (Job.Status.QUEUED, Job.Status.RUNNING)
LOCKED_STATES = (State.FINALISED, State.RELEASED)


def _start(
    *, kind: str, key: str, payload: dict[str, Any], acting_user: User, cycle: Cycle, busy: str
) -> Job:
    """Create the job unless one with the same key is queued or running. The cycle's row lock
    makes two simultaneous clicks wait for each other, so only one of them creates it."""
    with transaction.atomic():
        Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
        if Job.objects.filter(kind=kind, status__in=ACTIVE, payload__key=key).exists():
            raise TransitionRefused(busy)
        return job_create(
            kind=kind, payload={**payload, "key": key}, created_by=acting_user,
            region=cycle.region,
        )  # fmt: skip


def _messages(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, PermissionDenied):
        return str(exc)
    if hasattr(exc, "error_dict"):
        return " ".join(m for ms in exc.message_dict.values() for m in ms)
    return " ".join(exc.messages)


# --- recompute a cycle's scores ----------------------------------------------------------------


def scores_recompute_ids(
    ids: list[int], *, actor: User | None = None, now: Any = None
) -> Recomputed:
    """Recompute one batch of appraisals in the background: no row lock while scoring; an
    appraisal final or released, or changed meanwhile, is left as it is."""
    appraisals = [a for a in _scoring_rows(ids) if a.state not in LOCKED_STATES]
    return recompute_appraisals(
        appraisals, actor=actor, action="recompute", now=now, unlocked=True, skip_errors=True
    )


def _recompute_ids(cycle: Cycle, agency: Agency | None) -> list[int]:
    appraisals = Appraisal.objects.filter(cycle=cycle).exclude(state__in=LOCKED_STATES)
    if agency is not None:
        appraisals = appraisals.filter(agency=agency)
    return list(appraisals.order_by("pk").values_list("pk", flat=True))


def cycle_scores_recompute(*, acting_user: User, cycle: Cycle, agency: Agency | None = None) -> Job:
    """HR recomputes the scores of a cycle (or of one agency of it) in the background, e.g.
    after importing attendance or sanctions. Final and released appraisals never change."""
    if agency is None:
        require_cycle_authority(acting_user, cycle)
    elif not scope_for(acting_user).can_manage_agency(agency.pk, agency.region_id):
        raise PermissionDenied("Perangkat Daerah di luar wewenang Anda")
    where = agency.name if agency else cycle.name
    return _start(
        kind="scores_recompute",
        key=f"scores:{cycle.pk}:{agency.pk if agency else 'all'}",
        payload={"cycle_id": cycle.pk, "agency_id": agency.pk if agency else None},
        acting_user=acting_user,
        cycle=cycle,
        busy=f"Penghitungan ulang nilai {where} sedang berjalan. Tunggu sampai selesai.",
    )


@job_handler("scores_recompute")
def _scores_recompute_job(job: Job, progress: Callable[[int, int], None]) -> dict[str, Any]:
    cycle = Cycle.objects.get(pk=job.payload["cycle_id"])
    agency_id = job.payload.get("agency_id")
    agency = Agency.objects.get(pk=agency_id) if agency_id else None
    ids = _recompute_ids(cycle, agency)
    total = Recomputed()
    now = timezone.now()
    for start in range(0, len(ids), RECOMPUTE_BATCH):
        done = scores_recompute_ids(ids[start : start + RECOMPUTE_BATCH], now=now)
        total.stored += done.stored
        total.changed += done.changed
        total.skipped += done.skipped
        total.errors += done.errors
        progress(min(start + RECOMPUTE_BATCH, len(ids)), len(ids))
    return _recompute_result(total)


def _recompute_result(total: Recomputed) -> dict[str, Any]:
    message = _("%(n)d nilai dihitung ulang; %(c)d berubah.") % {
        "n": total.stored,
        "c": total.changed,
    }
    if total.skipped:
        message += " " + _(
            "%(n)d penilaian diubah orang lain selama penghitungan dan sudah dihitung ulang "
            "oleh perubahan itu."
        ) % {"n": total.skipped}
    if total.errors:
        message += " " + _("%(n)d penilaian tidak dapat dihitung: %(list)s") % {
            "n": len(total.errors),
            "list": "; ".join(total.errors[:5]),
        }
    return {
        "ok": not total.errors,
        "message": message,
        "stored": total.stored,
        "changed": total.changed,
        "skipped": total.skipped,
        "errors": total.errors[:50],
    }


# --- finalise and release an agency ------------------------------------------------------------


def agency_finalise_start(
    *, acting_user: User, cycle: Cycle, agency: Agency, justification: str = ""
) -> Job:
    """HR finalises an agency: checked now (so an obvious refusal is said at once), then run
    as a job (``agency_finalise``), which recomputes, checks the distribution again and moves
    the set to final. The justification typed in the form travels in the job's payload."""
    finalise_candidates(acting_user=acting_user, cycle=cycle, agency=agency)
    return _start(
        kind="agency_finalise",
        key=f"finalise:{cycle.pk}:{agency.pk}",
        payload={"cycle_id": cycle.pk, "agency_id": agency.pk, "justification": justification},
        acting_user=acting_user,
        cycle=cycle,
        busy=f"Finalisasi {agency.name} sedang berjalan. Tunggu sampai selesai; kemajuannya "
        "tampil di halaman siklus.",
    )


def _job_subject(job: Job) -> tuple[User, Cycle, Agency]:
    if job.created_by is None:
        raise PermissionDenied("Akun yang memulai pekerjaan ini sudah tidak ada.")
    cycle = Cycle.objects.select_related("region").get(pk=job.payload["cycle_id"])
    return job.created_by, cycle, Agency.objects.get(pk=job.payload["agency_id"])


@job_handler("agency_finalise")
def _agency_finalise_job(job: Job, progress: Callable[[int, int], None]) -> dict[str, Any]:
    """The steps of ``agency_finalise``: a refusal ends the job with its message (shown on
    the cycle page), not as a failure to retry."""
    try:
        user, cycle, agency = _job_subject(job)
        ids = finalise_candidates(acting_user=user, cycle=cycle, agency=agency)
        versions = finalise_recompute(acting_user=user, cycle=cycle, ids=ids, progress=progress)
        n = finalise_commit(
            acting_user=user, cycle=cycle, agency=agency, versions=versions,
            justification=job.payload.get("justification", ""),
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        needs = isinstance(exc, ValidationError) and "justification" in getattr(
            exc, "error_dict", {}
        )
        return {"ok": False, "message": _messages(exc), "needs_justification": needs}
    progress(len(ids) + 1, len(ids) + 1)
    return {
        "ok": True,
        "count": n,
        "message": _("%(n)d penilaian %(agency)s difinalkan.") % {"n": n, "agency": agency.name},
    }


def agency_release_start(*, acting_user: User, cycle: Cycle, agency: Agency) -> Job:
    if not scope_for(acting_user).can_manage_agency(agency.pk, agency.region_id):
        raise PermissionDenied("Perangkat Daerah di luar wewenang Anda")
    return _start(
        kind="agency_release",
        key=f"release:{cycle.pk}:{agency.pk}",
        payload={"cycle_id": cycle.pk, "agency_id": agency.pk},
        acting_user=acting_user,
        cycle=cycle,
        busy=f"Rilis hasil {agency.name} sedang berjalan. Tunggu sampai selesai.",
    )


@job_handler("agency_release")
def _agency_release_job(job: Job, progress: Callable[[int, int], None]) -> dict[str, Any]:
    try:
        user, cycle, agency = _job_subject(job)
        n = agency_release(acting_user=user, cycle=cycle, agency=agency)
    except (ValidationError, PermissionDenied) as exc:
        return {"ok": False, "message": _messages(exc)}
    progress(1, 1)
    return {
        "ok": True,
        "count": n,
        "message": _("%(n)d hasil penilaian %(agency)s dirilis kepada pegawai.")
        % {"n": n, "agency": agency.name},
    }


def cycle_jobs(cycle: Cycle, agency_ids: list[int], *, limit: int = 6) -> list[Job]:
    """The latest background jobs of a cycle that concern the given agencies (or the whole
    cycle), newest first, for the cycle page."""
    jobs = Job.objects.filter(kind__in=CYCLE_JOB_KINDS, payload__cycle_id=cycle.pk).order_by(
        "-created_at", "-pk"
    )
    shown = []
    for job in jobs[: limit * 4]:
        agency_id = job.payload.get("agency_id")
        if agency_id is None or agency_id in agency_ids:
            shown.append(job)
        if len(shown) == limit:
            break
    return shown
