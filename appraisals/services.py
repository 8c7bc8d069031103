"""Every change to a cycle or an appraisal (see docs/architecture.md).

Each service is keyword-only, runs in one transaction, checks who acts, writes its audit row
in that transaction and recomputes the score when a score input changed. Transitions follow
docs/cycle.md exactly; anything else is refused with a message that says what to do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from agencies.access import scope_for
from agencies.models import Employee
from asn_portal.numbers import format_number
from indicators.models import BehaviourValue, IndicatorSet
from indicators.schemes import get_scheme
from indicators.schemes.base import Mode, Rating, SchemeError, Source
from indicators.scoring import ScoringInputError
from reports.jobs import job_create, job_handler

from . import scoring as appraisal_scoring
from .access import AppraisalAccess
from .models import (
    DEADLINE_FIELDS,
    Appraisal,
    AuditEntry,
    BehaviourScore,
    Cycle,
    CycleStatus,
    Evidence,
    Phase,
    PlanIndicator,
    PlanResult,
    State,
)

STALE_MESSAGE = (
    "Penilaian ini telah diubah oleh orang lain sejak halaman Anda dibuka. Perubahan Anda "
    "belum disimpan: muat ulang halaman, periksa perubahan terbaru, lalu ulangi."
)
EVIDENCE_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


class StaleEdit(ValidationError):
    def __init__(self):
        super().__init__(STALE_MESSAGE, code="stale")


class TransitionRefused(ValidationError):
    pass


# --- helpers -------------------------------------------------------------------------------


def _audit(
    appraisal: Appraisal | None,
    *,
    cycle: Cycle | None = None,
    actor,
    action: str,
    summary: str,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    sensitive: bool = False,
) -> AuditEntry:
    return AuditEntry.objects.create(
        appraisal=appraisal,
        cycle=cycle or appraisal.cycle,
        actor=actor,
        action=action,
        summary=summary,
        before=before or {},
        after=after or {},
        reason=reason,
        sensitive=sensitive,
    )


def _lock(
    appraisal: Appraisal, version: int | None, *, unchanged: Callable[[], bool] | None = None
) -> Appraisal:
    """Claim the appraisal for this change: refused if someone changed it meanwhile.

    ``unchanged`` serves field-level saves: when the version moved on, the save is still taken
    if, under the row lock, the fields it writes are as the author last saw them."""
    query = Appraisal.objects.filter(pk=appraisal.pk)
    if version is not None and not query.filter(version=version).update(version=F("version") + 1):
        if unchanged is None:
            raise StaleEdit()
        query.select_for_update(of=("self",)).first()
        if not unchanged():
            raise StaleEdit()
        query.update(version=F("version") + 1)
    elif version is None:
        query.update(version=F("version") + 1)
    return Appraisal.objects.with_related().select_for_update(of=("self",)).get(pk=appraisal.pk)


RECOMPUTE_REASONS = {
    "plan_copy": "rencana disalin dari set indikator jabatan",
    "plan_update": "rencana diubah",
    "realisation_save": "realisasi disimpan",
    "score_save": "nilai atasan disimpan",
    "score": "penilaian atasan selesai",
    "calibrate": "kalibrasi",
    "finalise": "dihitung ulang saat finalisasi",
    "recompute": "dihitung ulang",
}


def _recompute(
    appraisal: Appraisal, *, actor, action: str, reason: str = "", now: dt.datetime | None = None
) -> None:
    """Recompute through the scoring module and store, audited when the outcome changed."""
    before = appraisal_scoring.summary(appraisal)
    try:
        breakdown = appraisal_scoring.compute(appraisal, now=now)
    except ScoringInputError as exc:  # the engine's last line of defence, in words for people
        raise ValidationError(str(exc)) from exc
    fields = appraisal_scoring.store(appraisal, breakdown)
    appraisal.save(update_fields=[*fields, "updated_at"])
    after = appraisal_scoring.summary(appraisal)
    if before != after:
        _audit(
            appraisal,
            actor=actor,
            action="recompute",
            summary="Nilai dihitung ulang",
            before=before,
            after=after,
            reason=reason or RECOMPUTE_REASONS.get(action, action),
            sensitive=True,
        )


def _transition(
    appraisal: Appraisal, to: str, *, actor, action: str, summary: str, reason: str = ""
) -> None:
    before = appraisal.state
    appraisal.state = to
    appraisal.save(update_fields=["state", "updated_at"])
    _audit(
        appraisal,
        actor=actor,
        action=action,
        summary=summary,
        before={"state": before},
        after={"state": to},
        reason=reason,
    )


def _require_state(appraisal: Appraisal, *states: str, what: str) -> None:
    if appraisal.state not in states:
        labels = ", ".join(str(State(s).label) for s in states)
        raise TransitionRefused(
            f"Tidak dapat {what}: status penilaian adalah {State(appraisal.state).label}, "
            f"sedangkan tindakan ini hanya untuk status {labels}."
        )


def _now() -> dt.datetime:
    return timezone.now()


# --- cycles --------------------------------------------------------------------------------


@transaction.atomic
def cycle_create(
    *,
    acting_user,
    region,
    agencies: list,
    name: str,
    scheme_key: str,
    period_type: str,
    start_date: dt.date,
    end_date: dt.date,
    deadlines: dict[str, dt.date],
    weights: dict[str, Any] | None = None,
) -> Cycle:
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
    cycle = Cycle.objects.create(
        region=region,
        name=name,
        scheme_key=scheme_key,
        weights={k: str(v) for k, v in scheme.weights.items()}
        if scheme.mode == Mode.NUMERIC
        else {},
        period_type=period_type,
        start_date=start_date,
        end_date=end_date,
        created_by=acting_user,
        **{DEADLINE_FIELDS[Phase(k)]: v for k, v in deadlines.items()},
    )
    cycle.agencies.set(agencies)
    _audit(
        None,
        cycle=cycle,
        actor=acting_user,
        action="cycle_create",
        summary=f"Siklus dibuat: {name}",
    )
    return cycle


def require_cycle_authority(acting_user, cycle: Cycle) -> None:
    """Opening, extending and closing act on every agency of a cycle: only someone who
    administers all of them (the Admin Daerah, or HR of each) may do it."""
    scope = scope_for(acting_user)
    for agency_id, region_id in cycle.agencies.values_list("pk", "region_id"):
        if not scope.can_manage_agency(agency_id, region_id):
            raise PermissionDenied(
                "Siklus ini mencakup Perangkat Daerah di luar wewenang Anda; hubungi Admin Daerah"
            )


@transaction.atomic
def cycle_open(*, acting_user, cycle: Cycle):
    """Open the cycle: the appraisals are created in the background (progress on a job)."""
    require_cycle_authority(acting_user, cycle)
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.status != CycleStatus.DRAFT:
        raise TransitionRefused("Siklus ini sudah dibuka.")
    job = job_create(
        kind="open_cycle",
        payload={"cycle_id": locked.pk},
        created_by=acting_user,
        region=locked.region,
    )
    locked.status = CycleStatus.OPENING
    locked.open_job = job
    locked.save(update_fields=["status", "open_job"])
    _audit(None, cycle=locked, actor=acting_user, action="cycle_open", summary="Siklus dibuka")
    return job


@job_handler("open_cycle")
def _open_cycle_job(job, progress) -> dict:
    return cycle_create_appraisals(cycle_id=job.payload["cycle_id"], progress=progress)


def cycle_create_appraisals(*, cycle_id: int, progress=None, batch: int = 2000) -> dict:
    """One appraisal per active employee of the cycle's agencies, with a snapshot of their
    position, unit, golongan and supervisor. Idempotent: existing appraisals are kept."""
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
                progress(done, total)
    if chunk:
        Appraisal.objects.bulk_create(chunk, ignore_conflicts=True)
        created += len(chunk)
    Cycle.objects.filter(pk=cycle.pk, status=CycleStatus.OPENING).update(
        status=CycleStatus.OPEN, opened_at=timezone.now()
    )
    if progress:
        progress(total, total)
    return {"created": created, "employees": total}


@transaction.atomic
def cycle_extend_deadline(
    *, acting_user, cycle: Cycle, phase: str, new_date: dt.date, reason: str
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
def cycle_close(*, acting_user, cycle: Cycle) -> Cycle:
    require_cycle_authority(acting_user, cycle)
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    open_left = Appraisal.objects.filter(cycle=locked).exclude(state=State.RELEASED).count()
    if open_left:
        raise TransitionRefused(f"Siklus belum dapat ditutup: {open_left} penilaian belum dirilis.")
    locked.status = CycleStatus.CLOSED
    locked.save(update_fields=["status"])
    _audit(None, cycle=locked, actor=acting_user, action="cycle_close", summary="Siklus ditutup")
    return locked


@transaction.atomic
def cycle_reopen(*, acting_user, cycle: Cycle, reason: str) -> Cycle:
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


# --- the plan -------------------------------------------------------------------------------


def plan_ensure(appraisal: Appraisal) -> None:
    """Copy the position's indicator set and the seven values into a new plan, once."""
    if appraisal.results.exists() or appraisal.state != State.DRAFT:
        _ensure_behaviours(appraisal)
        return
    with transaction.atomic():
        locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
        if locked.results.exists():
            return
        indicator_set = (
            IndicatorSet.objects.filter(position_id=locked.position_id)
            .prefetch_related("results__indicators")
            .first()
        )
        plan_keys = set(locked.cycle.scheme.plan_component_keys)
        if indicator_set is not None:
            for order, template in enumerate(indicator_set.results.all()):
                result = PlanResult.objects.create(
                    appraisal=locked, code=template.code, name=template.name,
                    kind=template.kind, order=order,
                    # Sets are region-wide: a component of another preset falls back to this
                    # scheme's main results component.
                    component=template.component if template.component in plan_keys else "",
                )  # fmt: skip
                PlanIndicator.objects.bulk_create(
                    PlanIndicator(
                        result=result,
                        code=i.code,
                        name=i.name,
                        kind=i.kind,
                        unit=i.unit,
                        direction=i.direction,
                        aspect=i.aspect,
                        target=i.target,
                        weight=i.weight,
                        guidance=i.guidance,
                        rubric=i.rubric,
                        order=i.order,
                    )  # fmt: skip
                    for i in template.indicators.all()
                )
        _ensure_behaviours(locked)
        appraisal_recompute(appraisal=locked, actor=None, action="plan_copy")


def _ensure_behaviours(appraisal: Appraisal) -> None:
    if appraisal.behaviours.exists():
        return
    BehaviourScore.objects.bulk_create(
        [BehaviourScore(appraisal=appraisal, value=v) for v in BehaviourValue.objects.all()],
        ignore_conflicts=True,
    )


def appraisal_recompute(*, appraisal: Appraisal, actor=None, action: str = "recompute") -> None:
    _recompute(appraisal, actor=actor, action=action)


def _number(
    value: Decimal | None, field: str, *, positive: bool = False, allow_none: bool = False,
    digits: int = 10,
) -> Decimal | None:  # fmt: skip
    """A typed number within what the column holds (forms parse what people type; this is
    the services' own guard for every caller): at most 4 decimals and ``digits`` digits."""
    if value is None:
        if allow_none:
            return None
        raise ValidationError({field: "Wajib diisi"})
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError({field: "Harus berupa angka"})
    if value < 0 or (positive and value == 0):
        raise ValidationError(
            {field: "Harus lebih besar dari 0" if positive else "Tidak boleh negatif"}
        )
    if value >= Decimal(10) ** digits:
        raise ValidationError({field: f"Terlalu besar: paling banyak {digits} digit"})
    if value != value.quantize(Decimal("0.0001")):
        raise ValidationError({field: "Paling banyak 4 angka di belakang koma"})
    return value.quantize(Decimal("0.0001"))


@transaction.atomic
def plan_update(
    *, acting_user, access: AppraisalAccess, version: int, indicators: dict[int, dict[str, Any]],
    supports: dict[int, int | None] | None = None,
) -> Appraisal:  # fmt: skip
    """The employee adjusts targets and weights of their draft plan."""
    if not access.is_owner:
        raise PermissionDenied("Hanya pegawai yang bersangkutan yang menyusun rencananya")
    appraisal = _lock(access.appraisal, version)
    _require_state(appraisal, State.DRAFT, what="mengubah rencana")
    by_pk = {i.pk: i for i in PlanIndicator.objects.filter(result__appraisal=appraisal)}
    changes = {}
    for pk, data in indicators.items():
        indicator = by_pk.get(pk)
        if indicator is None:
            raise ValidationError("Indikator tidak ditemukan dalam rencana ini")
        before = (indicator.target, indicator.weight)
        if "weight" in data:
            indicator.weight = _number(data["weight"], f"weight_{pk}", positive=True, digits=3)
        if "target" in data and not indicator.is_rubric:
            indicator.target = _number(data["target"], f"target_{pk}", positive=True)
        if before != (indicator.target, indicator.weight):
            indicator.save(update_fields=["target", "weight"])
            changes[indicator.code] = {
                "target": str(indicator.target or ""),
                "weight": str(indicator.weight),
            }
    if supports:
        allowed = dict(_supervisor_results(appraisal).values_list("pk", "name"))
        for result in appraisal.results.all():
            if result.pk in supports:
                target = supports[result.pk]
                if target is not None and target not in allowed:
                    raise ValidationError("Hasil kerja atasan yang dipilih tidak valid")
                if result.supports_id != target:
                    result.supports_id = target
                    result.save(update_fields=["supports"])
                    changes[f"intervensi:{result.code}"] = allowed.get(target, "")
    if changes:
        _audit(
            appraisal,
            actor=acting_user,
            action="plan_update",
            summary="Rencana diubah",
            after=changes,
        )
        _recompute(appraisal, actor=acting_user, action="plan_update")
    return appraisal


def _supervisor_results(appraisal: Appraisal):
    return PlanResult.objects.filter(
        appraisal__cycle=appraisal.cycle, appraisal__employee_id=appraisal.supervisor_id
    )


def plan_problems(appraisal: Appraisal) -> list[str]:
    """What keeps a plan from being submitted, in words the employee can act on."""
    problems = []
    indicators = list(PlanIndicator.objects.filter(result__appraisal=appraisal))
    if not indicators:
        problems.append(
            "Rencana belum memiliki indikator; hubungi Admin HR (set indikator jabatan belum ada)."
        )
        return problems
    total = sum((i.weight for i in indicators), Decimal(0))
    if total != 100:
        problems.append(f"Jumlah bobot indikator adalah {format_number(total)}; harus tepat 100.")
    if not appraisal.results.filter(kind="utama").exists():
        problems.append("Rencana harus memiliki sedikitnya satu hasil kerja utama.")
    scheme = appraisal.cycle.scheme
    if scheme.cascading and _supervisor_results(appraisal).exists():
        missing = appraisal.results.filter(supports__isnull=True).count()
        if missing:
            problems.append(
                f"{missing} hasil kerja belum menyebut hasil kerja atasan yang didukungnya (intervensi)."
            )
    return problems


def empty_realisations(appraisal: Appraisal) -> list[PlanIndicator]:
    """Quantitative indicators of the plan still without a realisation, in plan order."""
    return list(
        PlanIndicator.objects.filter(
            result__appraisal=appraisal, kind="kuantitatif", realisation__isnull=True
        ).order_by("result__order", "result__pk", "order", "pk")
    )


# --- transitions -----------------------------------------------------------------------------


@transaction.atomic
def appraisal_submit_targets(*, acting_user, access: AppraisalAccess, version: int) -> Appraisal:
    if not access.is_owner:
        raise PermissionDenied("Hanya pegawai yang bersangkutan yang mengajukan rencananya")
    appraisal = _lock(access.appraisal, version)
    _require_state(appraisal, State.DRAFT, what="mengajukan rencana")
    problems = plan_problems(appraisal)
    if problems:
        raise TransitionRefused(problems)
    _transition(appraisal, State.TARGETS_SUBMITTED, actor=acting_user, action="targets_submit",
                summary="Rencana target diajukan kepada atasan")  # fmt: skip
    return appraisal


def _return_with_comment(
    *, acting_user, access: AppraisalAccess, version: int, comment: str,
    from_state: str, to_state: str, what: str, action: str, summary: str,
) -> Appraisal:  # fmt: skip
    """Both returns (of a plan, of a self-assessment): the atasan sends it back, saying why."""
    if not access.is_rater:
        raise PermissionDenied(f"Hanya atasan langsung yang dapat {what}")
    if not comment.strip():
        raise ValidationError(
            {"comment": "Tuliskan alasan pengembalian agar pegawai tahu apa yang diperbaiki"}
        )
    appraisal = _lock(access.appraisal, version)
    _require_state(appraisal, from_state, what=what)
    appraisal.return_comment = comment.strip()
    appraisal.save(update_fields=["return_comment"])
    _transition(appraisal, to_state, actor=acting_user, action=action, summary=summary,
                reason=comment.strip())  # fmt: skip
    return appraisal


@transaction.atomic
def appraisal_return_targets(
    *, acting_user, access: AppraisalAccess, version: int, comment: str
) -> Appraisal:
    return _return_with_comment(
        acting_user=acting_user, access=access, version=version, comment=comment,
        from_state=State.TARGETS_SUBMITTED, to_state=State.DRAFT, what="mengembalikan rencana",
        action="targets_return", summary="Rencana dikembalikan untuk diperbaiki",
    )  # fmt: skip


@transaction.atomic
def appraisal_approve_targets(
    *, acting_user, access: AppraisalAccess, version: int | None
) -> Appraisal:
    """The atasan approves a submitted plan; after the planning deadline the atasan or HR
    may approve a plan as it stands, so that nobody is stuck."""
    if not (access.is_rater or access.is_hr):
        raise PermissionDenied("Hanya atasan langsung atau Admin HR yang menyetujui rencana")
    appraisal = _lock(access.appraisal, version)
    late = appraisal.cycle.is_past(Phase.PLANNING, _now())
    if appraisal.state == State.TARGETS_SUBMITTED and access.is_rater:
        summary, action = "Rencana target disetujui", "targets_approve"
    elif late and appraisal.state in (State.DRAFT, State.TARGETS_SUBMITTED):
        plan_ensure(appraisal)
        summary, action = (
            "Rencana disetujui apa adanya setelah batas perencanaan",
            "targets_approve_late",
        )
    else:
        _require_state(appraisal, State.TARGETS_SUBMITTED, what="menyetujui rencana")
        raise TransitionRefused(
            "Admin HR hanya dapat menyetujui rencana setelah batas perencanaan."
        )
    appraisal.return_comment = ""
    appraisal.save(update_fields=["return_comment"])
    _transition(
        appraisal, State.TARGETS_APPROVED, actor=acting_user, action=action, summary=summary
    )
    return appraisal


@transaction.atomic
def appraisal_save_realisation(
    *, acting_user, access: AppraisalAccess, version: int, indicator_id: int,
    realisation: Decimal | None, comment: str = "", self_level: int | None = None,
    base: dict[str, str] | None = None,
) -> PlanIndicator:  # fmt: skip
    """Save one indicator of the self-assessment (a partial save: nothing typed is lost).

    ``base`` holds the values the author's page last saw saved for this indicator: other
    partial saves of the same page move the appraisal's version on, and a save whose own
    fields nobody else changed must not be refused for that."""
    if not access.is_owner:
        raise PermissionDenied("Hanya pegawai yang bersangkutan yang mengisi realisasi")
    indicator = PlanIndicator.objects.filter(
        pk=indicator_id, result__appraisal_id=access.appraisal.pk
    ).first()
    if indicator is None:
        raise ValidationError("Indikator tidak ditemukan dalam rencana ini")

    def unchanged() -> bool:
        if base is None:
            return False
        indicator.refresh_from_db(fields=["realisation", "self_comment", "self_level"])
        return _stored_values(indicator) == _canonical(base)

    appraisal = _lock(access.appraisal, version, unchanged=unchanged)
    _require_state(appraisal, State.TARGETS_APPROVED, what="mengisi realisasi")
    indicator.refresh_from_db(fields=["realisation", "self_comment", "self_level"])
    before = {"realisasi": _plain(indicator.realisation), "level_diri": indicator.self_level}
    if not indicator.is_rubric:
        indicator.realisation = _number(realisation, "realisation", allow_none=True)
    indicator.self_comment = (comment or "").strip()
    indicator.self_level = _level(self_level, "self_level", allow_none=True)
    indicator.save(update_fields=["realisation", "self_comment", "self_level"])
    after = {"realisasi": _plain(indicator.realisation), "level_diri": indicator.self_level}
    if before != after:
        _audit(appraisal, actor=acting_user, action="realisation_save",
               summary=f"Realisasi {indicator.code} disimpan", before=before, after=after)  # fmt: skip
        _recompute(appraisal, actor=acting_user, action="realisation_save")
    indicator.appraisal_version = appraisal.version
    return indicator


def _plain(number: Decimal | None) -> str:
    return "" if number is None else f"{number.normalize():f}"


def _stored_values(indicator: PlanIndicator) -> tuple:
    return (indicator.realisation, indicator.self_level, indicator.self_comment.strip())


def _canonical(base: dict[str, str]) -> tuple | None:
    """``base`` as :func:`_stored_values` would give it, or None if it is malformed."""
    try:
        realisation = Decimal(base["realisation"]) if base.get("realisation") else None
        level = int(base["self_level"]) if base.get("self_level") else None
    except (ArithmeticError, ValueError):
        return None
    return (realisation, level, (base.get("comment") or "").strip())


def _level(value: int | None, field: str, *, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise ValidationError({field: "Pilih level 1 sampai 5"})
    return value


@transaction.atomic
def evidence_add(*, acting_user, access: AppraisalAccess, indicator_id: int, upload) -> Evidence:
    if not access.is_owner:
        raise PermissionDenied("Hanya pegawai yang bersangkutan yang mengunggah bukti dukung")
    appraisal = access.appraisal
    if appraisal.state not in (State.TARGETS_APPROVED,):
        raise TransitionRefused("Bukti dukung diunggah saat mengisi penilaian diri.")
    indicator = PlanIndicator.objects.filter(pk=indicator_id, result__appraisal=appraisal).first()
    if indicator is None:
        raise ValidationError("Indikator tidak ditemukan dalam rencana ini")
    name = upload.name or "bukti"
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in EVIDENCE_TYPES:
        raise ValidationError(
            {
                "file": "Jenis berkas tidak diizinkan; gunakan pdf, jpg, png, docx, xlsx, pptx, odt atau ods"
            }
        )
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"file": "Berkas terlalu besar; maksimal 10 MB per berkas"})
    _check_evidence_limits(appraisal, indicator, upload, suffix)
    evidence = Evidence(
        indicator=indicator, original_name=name[:255], content_type=EVIDENCE_TYPES[suffix],
        size=upload.size, uploaded_by=acting_user,
    )  # fmt: skip
    evidence.file.save(name, upload, save=False)
    evidence.save()
    _audit(appraisal, actor=acting_user, action="evidence_add",
           summary=f"Bukti dukung {indicator.code} diunggah: {evidence.original_name}")  # fmt: skip
    return evidence


def _check_evidence_limits(appraisal: Appraisal, indicator, upload, suffix: str) -> None:
    """The content matches the extension; files per indicator and the appraisal's total
    size stay within the limits (the appraisal row is locked so two uploads cannot both
    squeeze under them)."""
    from django.conf import settings
    from django.db.models import Sum

    from .evidence_checks import check_evidence_content

    check_evidence_content(upload, suffix)
    Appraisal.objects.select_for_update().filter(pk=appraisal.pk).first()
    max_files = settings.EVIDENCE_MAX_FILES_PER_INDICATOR
    if Evidence.objects.filter(indicator=indicator).count() >= max_files:
        raise ValidationError(
            {"file": f"Paling banyak {max_files} berkas bukti dukung per indikator"}
        )
    max_total = settings.EVIDENCE_MAX_BYTES_PER_APPRAISAL
    used = (
        Evidence.objects.filter(indicator__result__appraisal=appraisal).aggregate(
            total=Sum("size")
        )["total"]
        or 0
    )
    if used + upload.size > max_total:
        raise ValidationError(
            {
                "file": (
                    f"Total bukti dukung penilaian ini paling banyak {max_total // (1024 * 1024)} MB"
                    f"; sudah terpakai {used / (1024 * 1024):.1f} MB".replace(".", ",")
                )
            }
        )


@transaction.atomic
def evidence_delete(*, acting_user, access: AppraisalAccess, evidence: Evidence) -> None:
    if not access.is_owner:
        raise PermissionDenied("Hanya pegawai yang bersangkutan yang menghapus bukti dukung")
    _require_state(access.appraisal, State.TARGETS_APPROVED, what="menghapus bukti dukung")
    name = evidence.original_name
    evidence.file.delete(save=False)
    evidence.delete()
    _audit(
        access.appraisal,
        actor=acting_user,
        action="evidence_delete",
        summary=f"Bukti dukung dihapus: {name}",
    )


@transaction.atomic
def appraisal_submit_self_assessment(
    *, acting_user, access: AppraisalAccess, version: int, comment: str = ""
) -> Appraisal:
    """The employee sends the self-assessment; after its deadline the atasan or HR may move
    it on as it stands. Missing realisations never block (they count 0 at the deadline)."""
    appraisal = _lock(access.appraisal, version)
    if access.is_owner:
        _require_state(appraisal, State.TARGETS_APPROVED, what="mengirim penilaian diri")
        appraisal.employee_comment = (comment or "").strip()
        appraisal.save(update_fields=["employee_comment"])
        summary, action = "Penilaian diri dikirim", "self_assessment_submit"
    elif access.is_rater or access.is_hr:
        _require_state(appraisal, State.TARGETS_APPROVED, what="meneruskan penilaian diri")
        if not appraisal.cycle.is_past(Phase.SELF_ASSESSMENT, _now()):
            raise TransitionRefused(
                "Penilaian diri dapat diteruskan tanpa pegawai hanya setelah batasnya lewat."
            )
        summary, action = (
            "Penilaian diri diteruskan apa adanya setelah batasnya",
            "self_assessment_late",
        )
    else:
        raise PermissionDenied
    _transition(appraisal, State.SELF_ASSESSED, actor=acting_user, action=action, summary=summary)
    return appraisal


@transaction.atomic
def appraisal_return_self_assessment(
    *, acting_user, access: AppraisalAccess, version: int, comment: str
) -> Appraisal:
    return _return_with_comment(
        acting_user=acting_user, access=access, version=version, comment=comment,
        from_state=State.SELF_ASSESSED, to_state=State.TARGETS_APPROVED,
        what="mengembalikan penilaian diri", action="self_assessment_return",
        summary="Penilaian diri dikembalikan",
    )  # fmt: skip


@transaction.atomic
def appraisal_save_scores(
    *, acting_user, access: AppraisalAccess, version: int,
    indicator_levels: dict[int, int | None] | None = None,
    behaviour_levels: dict[int, int | None] | None = None,
    result_feedback: dict[int, str] | None = None,
    behaviour_feedback: dict[int, str] | None = None,
    overrides: dict[str, str] | None = None,
    reason: str = "",
) -> Appraisal:  # fmt: skip
    """The atasan's levels and feedback (state self_assessed), or HR's calibration with a
    reason (state scored). Every change is audited and recomputed in this transaction."""
    calibrating = access.is_hr and access.appraisal.state == State.SCORED
    if not (access.is_rater or calibrating):
        if access.is_owner:
            raise PermissionDenied("Tidak seorang pun menilai penilaiannya sendiri")
        raise PermissionDenied(
            "Hanya atasan langsung yang memberi nilai; Admin HR mengkalibrasi setelah dinilai"
        )
    appraisal = _lock(access.appraisal, version)
    if calibrating:
        if not reason.strip():
            raise ValidationError({"reason": "Kalibrasi wajib disertai alasan"})
    else:
        _require_state(appraisal, State.SELF_ASSESSED, State.SCORED, what="memberi nilai")
        if appraisal.state == State.SCORED and not reason.strip():
            raise ValidationError(
                {"reason": "Perubahan nilai setelah dinilai wajib disertai alasan"}
            )
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for pk, value in (indicator_levels or {}).items():
        indicator = PlanIndicator.objects.filter(
            pk=pk, result__appraisal=appraisal, kind="rubrik"
        ).first()
        if indicator is None:
            raise ValidationError("Indikator rubrik tidak ditemukan dalam penilaian ini")
        level = _level(value, f"level_{pk}", allow_none=True)
        _refuse_clearing(appraisal, indicator.level, level, f"level_{pk}")
        if level != indicator.level:
            before[indicator.code], after[indicator.code] = indicator.level, level
            indicator.level = level
            indicator.save(update_fields=["level"])
    behaviours = {b.pk: b for b in appraisal.behaviours.select_related("value")}
    for pk, value in (behaviour_levels or {}).items():
        behaviour = behaviours.get(pk)
        if behaviour is None:
            raise ValidationError("Nilai perilaku tidak ditemukan dalam penilaian ini")
        level = _level(value, f"behaviour_{pk}", allow_none=True)
        _refuse_clearing(appraisal, behaviour.level, level, f"behaviour_{pk}")
        if level != behaviour.level:
            before[behaviour.value.code], after[behaviour.value.code] = behaviour.level, level
            behaviour.level = level
            behaviour.save(update_fields=["level"])
    for pk, text in (behaviour_feedback or {}).items():
        behaviour = behaviours.get(pk)
        if behaviour is not None and behaviour.feedback != text.strip():
            behaviour.feedback = text.strip()
            behaviour.save(update_fields=["feedback"])
            after[f"umpan_balik:{behaviour.value.code}"] = "diperbarui"
    for result in appraisal.results.filter(pk__in=list((result_feedback or {}).keys())):
        text = result_feedback[result.pk].strip()
        if result.feedback != text:
            result.feedback = text
            result.save(update_fields=["feedback"])
            after[f"umpan_balik:{result.code}"] = "diperbarui"
    if overrides is not None and appraisal.cycle.scheme.mode == Mode.MATRIX:
        _apply_overrides(appraisal, overrides, reason, before, after)
    if before or after:
        _audit(
            appraisal, actor=acting_user,
            action="calibrate" if calibrating else "score_save",
            summary="Kalibrasi oleh Admin HR" if calibrating else "Nilai atasan disimpan",
            before=before, after=after, reason=reason.strip(), sensitive=True,
        )  # fmt: skip
        _recompute(
            appraisal,
            actor=acting_user,
            action="calibrate" if calibrating else "score_save",
            reason=reason.strip(),
        )
    return appraisal


def _refuse_clearing(appraisal: Appraisal, current, level, field: str) -> None:
    """Once scored, a level may change (with a reason) but never go back to empty: the
    appraisal would be scored with a level missing."""
    if appraisal.state == State.SCORED and current is not None and level is None:
        raise ValidationError(
            {field: "Level tidak dapat dikosongkan setelah penilaian berstatus Dinilai atasan"}
        )


def _apply_overrides(appraisal, overrides, reason, before, after) -> None:
    valid = {r.value for r in Rating}
    changed = False
    for field in ("hasil_kerja", "perilaku"):
        value = (overrides.get(field) or "").strip()
        if value and value not in valid:
            raise ValidationError({field: "Rating tidak dikenal"})
        current = getattr(appraisal, f"{field}_override")
        if value != current:
            changed = True
            before[f"rating_{field}"], after[f"rating_{field}"] = current, value
            setattr(appraisal, f"{field}_override", value)
    if not changed:
        # The form posts the standing override with every save: it keeps the reason given
        # when it was set, so a later change of a level does not need that reason again.
        return
    overridden = bool(appraisal.hasil_kerja_override or appraisal.perilaku_override)
    if overridden and not reason.strip():
        raise ValidationError({"reason": "Mengubah rating rekomendasi wajib disertai alasan"})
    appraisal.override_reason = reason.strip() if overridden else ""
    appraisal.save(update_fields=["hasil_kerja_override", "perilaku_override", "override_reason"])


def scoring_problems(appraisal: Appraisal) -> list[str]:
    """What the atasan still has to rate before the appraisal can be marked scored."""
    from agencies.models import Role, RoleGrant

    problems = []
    scheme = appraisal.cycle.scheme
    if (
        scheme.component_for(Source.TIM)
        and RoleGrant.objects.filter(role=Role.TIM_PENILAI, agency_id=appraisal.agency_id).exists()
    ):
        # docs/cycle.md: with Tim Penilai members in the agency, `scored` needs at
        # least one member's score; the team's scoring pages are planned.
        problems.append(
            "Belum ada nilai dari Tim Penilai Perangkat Daerah ini; penilaian oleh Tim Penilai "
            "harus ada sebelum penilaian diselesaikan."
        )
    missing = PlanIndicator.objects.filter(
        result__appraisal=appraisal, kind="rubrik", level__isnull=True
    ).count()
    if missing:
        problems.append(f"{missing} indikator rubrik belum diberi level.")
    if any(c.source == Source.PERILAKU for c in scheme.components):
        missing = appraisal.behaviours.filter(level__isnull=True).count()
        if missing:
            problems.append(f"{missing} nilai perilaku BerAKHLAK belum diberi level.")
    return problems


@transaction.atomic
def appraisal_mark_scored(*, acting_user, access: AppraisalAccess, version: int) -> Appraisal:
    if not access.is_rater:
        raise PermissionDenied("Hanya atasan langsung yang menyelesaikan penilaian")
    appraisal = _lock(access.appraisal, version)
    _require_state(appraisal, State.SELF_ASSESSED, what="menyelesaikan penilaian")
    problems = scoring_problems(appraisal)
    if problems:
        raise TransitionRefused(problems)
    _recompute(appraisal, actor=acting_user, action="score")
    _transition(
        appraisal,
        State.SCORED,
        actor=acting_user,
        action="score",
        summary="Penilaian atasan selesai",
    )
    return appraisal


# --- HR: finalise, release, reopen --------------------------------------------------------------


# The states at or past a step of the agency-wide moves.
DONE_STATES = {
    State.SCORED: (State.SCORED, State.FINALISED, State.RELEASED),
    State.FINALISED: (State.FINALISED, State.RELEASED),
}


def _agency_set(cycle: Cycle, agency):
    return Appraisal.objects.filter(cycle=cycle, agency=agency)


@transaction.atomic
def agency_finalise(*, acting_user, cycle: Cycle, agency, justification: str = "") -> int:
    scope = scope_for(acting_user)
    if not scope.can_manage_agency(agency.pk, agency.region_id):
        raise PermissionDenied("Perangkat Daerah di luar wewenang Anda")
    appraisals = _agency_set(cycle, agency).select_for_update()
    # Already final or released ones count as done: after HR reopens one appraisal, finalising
    # again moves just that one, and the rest of the set stays as it is.
    pending = appraisals.exclude(state__in=DONE_STATES[State.SCORED]).count()
    if pending:
        raise TransitionRefused(
            f"Belum dapat difinalkan: {pending} penilaian di {agency.name} belum berstatus Dinilai atasan."
        )
    # Finalising locks the whole agency's set as it stands: it judges nobody, so an Admin HR
    # whose own appraisal is in the set may do it (calibration of their own stays refused).
    ids = list(appraisals.filter(state=State.SCORED).values_list("pk", flat=True))
    if not ids:
        raise TransitionRefused("Tidak ada penilaian untuk difinalkan.")
    _refuse_incomplete_scores(ids)
    # What is final is computed as at the scoring deadline, with the data of today: a
    # realisation still missing counts 0, and attendance or sanctions imported after the
    # atasan scored are taken in. Recompute the whole set (about 8 ms an appraisal).
    as_at = max(timezone.now(), cycle.deadline_end(Phase.SCORING) + dt.timedelta(seconds=1))
    for appraisal in (
        Appraisal.objects.with_related()
        .filter(pk__in=ids)
        .prefetch_related("results__indicators", "behaviours__value")
    ):
        _recompute(appraisal, actor=acting_user, action="finalise", now=as_at)
    Appraisal.objects.filter(pk__in=ids).update(state=State.FINALISED, version=F("version") + 1)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            appraisal_id=pk,
            cycle=cycle,
            actor=acting_user,
            action="finalise",
            summary=f"Difinalkan untuk {agency.name}",
            before={"state": State.SCORED},
            after={"state": State.FINALISED},
            reason=justification,
        )  # fmt: skip
        for pk in ids
    )
    return len(ids)


def _refuse_incomplete_scores(ids: list[int]) -> None:
    """Finalisation checks again what marking an appraisal scored checked: a level cleared
    since (by any path) must not be finalised as if it had been given."""
    incomplete = set(
        PlanIndicator.objects.filter(
            result__appraisal_id__in=ids, kind="rubrik", level__isnull=True
        ).values_list("result__appraisal_id", flat=True)
    )
    if any(c.source == Source.PERILAKU for c in _scheme_of(ids).components):
        incomplete.update(
            BehaviourScore.objects.filter(appraisal_id__in=ids, level__isnull=True).values_list(
                "appraisal_id", flat=True
            )
        )
    if incomplete:
        names = list(
            Appraisal.objects.filter(pk__in=incomplete)
            .order_by("employee__name")
            .values_list("employee__name", flat=True)[:5]
        )
        raise TransitionRefused(
            f"Belum dapat difinalkan: {len(incomplete)} penilaian belum lengkap diberi level "
            f"({', '.join(names)}{', …' if len(incomplete) > 5 else ''})."
        )


def _scheme_of(ids: list[int]):
    return Appraisal.objects.select_related("cycle").get(pk=ids[0]).cycle.scheme


@transaction.atomic
def agency_release(*, acting_user, cycle: Cycle, agency) -> int:
    scope = scope_for(acting_user)
    if not scope.can_manage_agency(agency.pk, agency.region_id):
        raise PermissionDenied("Perangkat Daerah di luar wewenang Anda")
    appraisals = _agency_set(cycle, agency).select_for_update()
    pending = appraisals.exclude(state__in=DONE_STATES[State.FINALISED]).count()
    if pending:
        raise TransitionRefused(f"Belum dapat dirilis: {pending} penilaian belum final.")
    ids = list(appraisals.filter(state=State.FINALISED).values_list("pk", flat=True))
    if not ids:
        raise TransitionRefused("Tidak ada penilaian untuk dirilis.")
    now = timezone.now()
    Appraisal.objects.filter(pk__in=ids).update(
        state=State.RELEASED, released_at=now, version=F("version") + 1
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(
            appraisal_id=pk,
            cycle=cycle,
            actor=acting_user,
            action="release",
            summary="Hasil dirilis kepada pegawai",
            before={"state": State.FINALISED},
            after={"state": State.RELEASED},
        )  # fmt: skip
        for pk in ids
    )
    return len(ids)


@transaction.atomic
def appraisal_reopen(
    *, acting_user, access: AppraisalAccess, version: int | None, reason: str
) -> Appraisal:
    if not access.is_hr:
        raise PermissionDenied("Hanya Admin HR yang membuka kembali penilaian")
    if not reason.strip():
        raise ValidationError({"reason": "Alasan membuka kembali wajib diisi"})
    appraisal = _lock(access.appraisal, version)
    _require_state(appraisal, State.FINALISED, State.RELEASED, what="membuka kembali")
    appraisal.released_at = None
    appraisal.save(update_fields=["released_at"])
    _transition(appraisal, State.SCORED, actor=acting_user, action="reopen",
                summary="Dibuka kembali oleh Admin HR", reason=reason.strip())  # fmt: skip
    return appraisal
