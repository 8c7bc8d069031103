"""Cycles: create, open (appraisals and plans in the background), extend a deadline, close
and reopen (see docs/cycle.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.access import scope_for
from agencies.models import Agency, Employee, Region, User
from indicators.schemes import get_scheme
from indicators.schemes.base import Mode, SchemeError
from indicators.scoring_settings import (
    SettingsError,
    changed_settings,
    parse_settings,
    settings_to_json,
)
from reports.jobs import JobAlreadyRunning, job_create, job_handler
from reports.models import Job

from ..models import (
    DEADLINE_FIELDS,
    Appraisal,
    Cycle,
    CycleStatus,
    Objection,
    ObjectionState,
    Phase,
    State,
)
from ._base import TransitionRefused, _audit
from .plans import plans_copy


@transaction.atomic
def cycle_create(
    *,
    acting_user: User,
    region: Region,
    agencies: list[Agency],
    name: str,
    scheme_key: str,
    period_type: str,
    start_date: dt.date,
    end_date: dt.date,
    deadlines: dict[str, dt.date],
    weights: dict[str, Any] | None = None,
    settings: dict[str, Any] | None = None,
) -> Cycle:
    """``weights`` and ``settings`` (the ``pengaturan`` shape of explain_score, only what HR
    typed) are fixed from here on: there is no way to change them later. The cycle stores
    every setting its scheme uses, so a later change of a default never moves its scores."""
    scope = scope_for(acting_user)
    for agency in agencies:
        if not scope.can_manage_agency(agency.pk, agency.region_id):
            raise PermissionDenied("Perangkat Daerah di luar wewenang Anda")
    errors: dict[str, list[str]] = {}
    try:
        scheme = get_scheme(scheme_key)
        if weights:
            scheme = scheme.with_weights(weights)
    except (KeyError, SchemeError) as exc:
        errors.setdefault("scheme_key", []).append(str(exc).strip("'\""))
        scheme = None
    scoring_settings: dict[str, Any] = {}
    if scheme is not None:
        try:
            scoring_settings = parse_settings(settings or {}, scheme)
        except SettingsError as exc:
            errors.setdefault("scoring_settings", []).extend(e.text() for e in exc.errors)
    if scheme is not None and period_type not in {p.value for p in scheme.period_types}:
        allowed = ", ".join(p.label for p in scheme.period_types)
        errors.setdefault("period_type", []).append(f"Skema ini hanya untuk periode: {allowed}")
    if end_date < start_date:
        errors.setdefault("end_date", []).append(
            "Tanggal selesai tidak boleh sebelum tanggal mulai"
        )
    order = [Phase.PLANNING, Phase.SELF_ASSESSMENT, Phase.SCORING, Phase.CALIBRATION]
    for earlier, later in zip(order, order[1:], strict=False):
        if deadlines[later] < deadlines[earlier]:
            errors.setdefault(DEADLINE_FIELDS[later], []).append(
                f"Harus sama dengan atau setelah batas {Phase(earlier).label.lower()}"
            )
    if deadlines[Phase.PEER] > deadlines[Phase.CALIBRATION]:
        errors.setdefault("peer_deadline", []).append("Harus sebelum batas kalibrasi")
    if deadlines[Phase.PLANNING] < start_date:
        errors.setdefault("planning_deadline", []).append("Tidak boleh sebelum periode dimulai")
    if not agencies:
        errors.setdefault("agencies", []).append("Pilih sedikitnya satu Perangkat Daerah")
    if errors:
        raise ValidationError(errors)
    assert scheme is not None  # an unknown scheme is among the errors
    cycle = Cycle.objects.create(
        region=region,
        name=name,
        scheme_key=scheme_key,
        weights={k: str(v) for k, v in scheme.weights.items()}
        if scheme.mode == Mode.NUMERIC
        else {},
        scoring_settings=settings_to_json(scoring_settings),
        period_type=period_type,
        start_date=start_date,
        end_date=end_date,
        created_by=acting_user,
        **{DEADLINE_FIELDS[Phase(k)]: v for k, v in deadlines.items()},
    )
    cycle.agencies.set(agencies)
    changed = changed_settings(scheme, scoring_settings)
    _audit(
        None,
        cycle=cycle,
        actor=acting_user,
        action="cycle_create",
        summary=f"Siklus dibuat: {name}",
        after={"pengaturan": settings_to_json(changed)} if changed else None,
    )
    return cycle


def require_cycle_authority(acting_user: User, cycle: Cycle) -> None:
    """Opening, extending and closing act on every agency of a cycle: only someone who
    administers all of them (the Admin Daerah, or HR of each) may do it."""
    scope = scope_for(acting_user)
    for agency_id, region_id in cycle.agencies.values_list("pk", "region_id"):
        if not scope.can_manage_agency(agency_id, region_id):
            raise PermissionDenied(
                "Siklus ini mencakup Perangkat Daerah di luar wewenang Anda; hubungi Admin Daerah"
            )


@transaction.atomic
def cycle_open(*, acting_user: User, cycle: Cycle) -> Job:
    """Open the cycle: the appraisals are created in the background (progress on a job)."""
    require_cycle_authority(acting_user, cycle)
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.status != CycleStatus.DRAFT:
        raise TransitionRefused("Siklus ini sudah dibuka.")
    try:
        job = job_create(
            kind="open_cycle",
            payload={"cycle_id": locked.pk},
            created_by=acting_user,
            region=locked.region,
            key=f"open:{locked.pk}",
        )
    except JobAlreadyRunning:
        raise TransitionRefused("Siklus ini sedang dibuka.") from None
    locked.status = CycleStatus.OPENING
    locked.open_job = job
    locked.save(update_fields=["status", "open_job"])
    _audit(None, cycle=locked, actor=acting_user, action="cycle_open", summary="Siklus dibuka")
    return job


@job_handler("open_cycle")
def _open_cycle_job(job: Job, progress: Callable[[int, int], None]) -> dict[str, Any]:
    return cycle_create_appraisals(cycle_id=job.payload["cycle_id"], progress=progress)


def cycle_create_appraisals(
    *, cycle_id: int, progress: Callable[[int, int], None] | None = None, batch: int = 2000
) -> dict[str, int]:
    """One appraisal per active employee of the cycle's agencies, with a snapshot of their
    position, unit, golongan and supervisor, then its plan copied from the position's
    indicator set and its seven BerAKHLAK values (so that no page has to create them).
    Idempotent: existing appraisals, plans and values are kept, so a retried job resumes."""
    cycle = Cycle.objects.get(pk=cycle_id)
    employees = Employee.objects.filter(agency__in=cycle.agencies.all(), is_active=True).order_by(
        "pk"
    )
    total = employees.count()
    existing = set(Appraisal.objects.filter(cycle=cycle).values_list("employee_id", flat=True))
    created = 0
    done = 0
    rows = employees.values_list(
        "pk", "agency_id", "unit_id", "position_id", "golongan", "supervisor_id"
    )
    chunk: list[Appraisal] = []
    # Progress counts two steps per employee: the appraisal, then its plan.
    for pk, agency_id, unit_id, position_id, golongan, supervisor_id in rows.iterator(
        chunk_size=batch
    ):
        done += 1
        if pk in existing:
            continue
        chunk.append(
            Appraisal(
                cycle=cycle, employee_id=pk, agency_id=agency_id, unit_id=unit_id,
                position_id=position_id, golongan=golongan, supervisor_id=supervisor_id,
            )
        )  # fmt: skip
        if len(chunk) >= batch:
            Appraisal.objects.bulk_create(chunk, ignore_conflicts=True)
            created += len(chunk)
            chunk = []
            if progress:
                progress(done, 2 * total)
    if chunk:
        Appraisal.objects.bulk_create(chunk, ignore_conflicts=True)
        created += len(chunk)
    ids = list(Appraisal.objects.filter(cycle=cycle).order_by("pk").values_list("pk", flat=True))
    plans = 0
    step = max(1, batch // 4)
    for start in range(0, len(ids), step):
        plans += plans_copy(ids[start : start + step])
        if progress:
            progress(total + min(start + step, len(ids)), 2 * total)
    Cycle.objects.filter(pk=cycle.pk, status=CycleStatus.OPENING).update(
        status=CycleStatus.OPEN, opened_at=timezone.now()
    )
    if progress:
        progress(2 * total, 2 * total)
    return {"created": created, "employees": total, "plans": plans}


@transaction.atomic
def cycle_extend_deadline(
    *, acting_user: User, cycle: Cycle, phase: str, new_date: dt.date, reason: str
) -> Cycle:
    require_cycle_authority(acting_user, cycle)
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    field = DEADLINE_FIELDS[Phase(phase)]
    old = getattr(locked, field)
    if new_date <= old:
        raise ValidationError({"new_date": "Batas baru harus setelah batas yang berlaku"})
    if not reason.strip():
        raise ValidationError({"reason": "Alasan perpanjangan wajib diisi"})
    setattr(locked, field, new_date)
    locked.save(update_fields=[field])
    _audit(
        None, cycle=locked, actor=acting_user, action="deadline_extend",
        summary=f"Batas {Phase(phase).label.lower()} diperpanjang",
        before={field: old.isoformat()}, after={field: new_date.isoformat()}, reason=reason,
    )  # fmt: skip
    return locked


@transaction.atomic
def cycle_close(*, acting_user: User, cycle: Cycle) -> Cycle:
    require_cycle_authority(acting_user, cycle)
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    open_left = Appraisal.objects.filter(cycle=locked).exclude(state=State.RELEASED).count()
    if open_left:
        raise TransitionRefused(f"Siklus belum dapat ditutup: {open_left} penilaian belum dirilis.")
    # An objection filed in time is decided in the cycle it belongs to: closing would leave
    # the employee without the decision the rules promise them.
    undecided = Objection.objects.filter(
        appraisal__cycle=locked, state=ObjectionState.SUBMITTED
    ).count()
    if undecided:
        raise TransitionRefused(
            f"Siklus belum dapat ditutup: {undecided} keberatan pegawai belum diputuskan."
        )
    locked.status = CycleStatus.CLOSED
    locked.save(update_fields=["status"])
    _audit(None, cycle=locked, actor=acting_user, action="cycle_close", summary="Siklus ditutup")
    return locked


@transaction.atomic
def cycle_reopen(*, acting_user: User, cycle: Cycle, reason: str) -> Cycle:
    """Undo a close: the cycle runs again; what was released stays released."""
    require_cycle_authority(acting_user, cycle)
    if not reason.strip():
        raise ValidationError({"reason": "Alasan membuka kembali siklus wajib diisi"})
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.status != CycleStatus.CLOSED:
        raise TransitionRefused("Hanya siklus yang sudah ditutup yang dapat dibuka kembali.")
    locked.status = CycleStatus.OPEN
    locked.save(update_fields=["status"])
    _audit(
        None, cycle=locked, actor=acting_user, action="cycle_reopen",
        summary="Siklus dibuka kembali", before={"status": CycleStatus.CLOSED},
        after={"status": CycleStatus.OPEN}, reason=reason.strip(),
    )  # fmt: skip
    return locked
