"""The plan: copied from the position's indicator set, adjusted by the employee, submitted,
then approved or returned by the atasan (see docs/cycle.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from agencies.models import User
from asn_portal.numbers import format_number
from indicators.models import BehaviourValue, Indicator, IndicatorSet

from ..models import (
    Appraisal,
    BehaviourScore,
    Cycle,
    Phase,
    PlanIndicator,
    PlanResult,
    State,
)
from ._base import (
    TransitionRefused,
    _audit,
    _lock,
    _now,
    _number,
    _recompute,
    _require_state,
    _return_with_comment,
    _transition,
    access_for,
)


def plans_copy(appraisal_ids: list[int]) -> int:
    """Give each listed appraisal the seven BerAKHLAK values and, to each draft without a
    plan, the results and indicators of its position's indicator set.

    A few queries per call whatever its size: the cycle-open job calls it per batch of
    appraisals, and :func:`plan_create` for one. Idempotent: the appraisals are locked, and
    one that already has a plan or its values is left as it is. Returns the plans copied.
    """
    with transaction.atomic():
        appraisals = list(
            Appraisal.objects.select_for_update(of=("self",))
            .select_related("cycle")
            .filter(pk__in=appraisal_ids)
            .order_by("pk")
        )
        with_values = set(
            BehaviourScore.objects.filter(appraisal_id__in=appraisal_ids)
            .values_list("appraisal_id", flat=True)
            .distinct()
        )
        values = list(BehaviourValue.objects.all())
        BehaviourScore.objects.bulk_create(
            [
                BehaviourScore(appraisal=a, value=v)
                for a in appraisals
                if a.pk not in with_values
                for v in values
            ],
            ignore_conflicts=True,
        )
        with_plan = set(
            PlanResult.objects.filter(appraisal_id__in=appraisal_ids)
            .values_list("appraisal_id", flat=True)
            .distinct()
        )
        drafts = [a for a in appraisals if a.state == State.DRAFT and a.pk not in with_plan]
        sets = {
            s.position_id: s
            for s in IndicatorSet.objects.filter(
                position_id__in={a.position_id for a in drafts}
            ).prefetch_related("results__indicators")
        }
        results: list[tuple[PlanResult, list[Indicator]]] = []
        copied = 0
        for appraisal in drafts:
            indicator_set = sets.get(appraisal.position_id)
            if indicator_set is None:
                continue
            copied += 1
            plan_keys = set(appraisal.cycle.scheme.plan_component_keys)
            for order, template in enumerate(indicator_set.results.all()):
                result = PlanResult(
                    appraisal=appraisal, code=template.code, name=template.name,
                    kind=template.kind, order=order,
                    # Sets are region-wide: a component of another preset falls back to
                    # this scheme's main results component.
                    component=template.component if template.component in plan_keys else "",
                )  # fmt: skip
                results.append((result, list(template.indicators.all())))
        PlanResult.objects.bulk_create([result for result, _ in results])
        PlanIndicator.objects.bulk_create(
            PlanIndicator(
                result=result,
                due_date=_due_date(result.appraisal.cycle, i),
                on_time_share=i.on_time_share and result.appraisal.cycle.scheme.has_due_dates,
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
            for result, templates in results
            for i in templates
        )
        # The on-time share starts at 0 % of the dated targets, not empty.
        for appraisal in {result.appraisal for result, templates in results if templates}:
            if appraisal.cycle.scheme.has_due_dates:
                on_time_share_refresh(appraisal)
    return copied


def _due_date(cycle: Cycle, indicator: Indicator) -> dt.date | None:
    """A dated target's due date: the set's ``Tanggal Target`` when it falls in the cycle's
    period (sets outlive cycles), else the cycle's end; only in schemes with dated targets,
    and never for the on-time share itself."""
    if not cycle.scheme.has_due_dates or indicator.kind == "rubrik" or indicator.on_time_share:
        return None
    due = indicator.due_date
    return due if due and cycle.start_date <= due <= cycle.end_date else cycle.end_date


def plan_ensure(appraisal: Appraisal) -> None:
    """One appraisal's plan and values, if it has none yet (see :func:`plans_copy`)."""
    plans_copy([appraisal.pk])


def behaviours_ensure(appraisal: Appraisal) -> None:
    """The seven values of an appraisal, whatever its state (see :func:`plans_copy`)."""
    if not appraisal.behaviours.exists():
        plans_copy([appraisal.pk])


@transaction.atomic
def plan_create(*, acting_user: User, appraisal: Appraisal) -> Appraisal:
    """Copy the position's indicator set into a draft without a plan, on request: for an
    appraisal whose position had no set when the cycle opened, or whose set came later."""
    access = access_for(acting_user, appraisal)
    if not (access.is_owner or access.is_hr):
        raise PermissionDenied(
            "Hanya pegawai yang bersangkutan atau Admin HR yang menyalin rencana"
        )
    appraisal = _lock(appraisal, None)
    _require_state(appraisal, State.DRAFT, what="menyalin rencana")
    if appraisal.results.exists():
        raise TransitionRefused("Rencana ini sudah ada.")
    if not plans_copy([appraisal.pk]):
        raise TransitionRefused(
            "Set indikator untuk jabatan ini belum ada; hubungi Admin HR atau Admin Daerah."
        )
    appraisal = Appraisal.objects.with_related().get(pk=appraisal.pk)
    _audit(appraisal, actor=acting_user, action="plan_copy",
           summary="Rencana disalin dari set indikator jabatan")  # fmt: skip
    _recompute(appraisal, actor=acting_user, action="plan_copy")
    return appraisal


@transaction.atomic
def plan_update(
    *, acting_user: User, appraisal: Appraisal, version: int, indicators: dict[int, dict[str, Any]],
    supports: dict[int, int | None] | None = None,
) -> Appraisal:  # fmt: skip
    """The employee adjusts targets and weights of their draft plan."""
    access = access_for(acting_user, appraisal)
    if not access.is_owner:
        raise PermissionDenied("Hanya pegawai yang bersangkutan yang menyusun rencananya")
    appraisal = _lock(appraisal, version)
    _require_state(appraisal, State.DRAFT, what="mengubah rencana")
    by_pk = {i.pk: i for i in PlanIndicator.objects.filter(result__appraisal=appraisal)}
    changes: dict[str, Any] = {}
    for pk, data in indicators.items():
        indicator = by_pk.get(pk)
        if indicator is None:
            raise ValidationError("Indikator tidak ditemukan dalam rencana ini")
        before = (indicator.target, indicator.weight, indicator.due_date)
        if "weight" in data:
            indicator.weight = _number(data["weight"], f"weight_{pk}", positive=True, digits=3)
        if "target" in data and not indicator.is_rubric:
            indicator.target = _number(data["target"], f"target_{pk}", positive=True)
        if data.get("due_date") and indicator.is_dated:
            indicator.due_date = _due(appraisal, data["due_date"], f"due_{pk}")
        if before != (indicator.target, indicator.weight, indicator.due_date):
            indicator.save(update_fields=["target", "weight", "due_date"])
            changes[indicator.code] = {
                "target": str(indicator.target or ""),
                "weight": str(indicator.weight),
            }
            if indicator.due_date != before[2]:
                changes[indicator.code]["tanggal_target"] = f"{indicator.due_date:%d-%m-%Y}"
    if supports:
        allowed = dict(supervisor_results(appraisal).values_list("pk", "name"))
        for result in appraisal.results.all():
            if result.pk in supports:
                target = supports[result.pk]
                if target is not None and target not in allowed:
                    raise ValidationError("Hasil kerja atasan yang dipilih tidak valid")
                if result.supports_id != target:
                    result.supports_id = target
                    result.save(update_fields=["supports"])
                    changes[f"intervensi:{result.code}"] = (
                        "" if target is None else allowed.get(target, "")
                    )
    if changes:
        on_time_share_refresh(appraisal)
        _audit(
            appraisal,
            actor=acting_user,
            action="plan_update",
            summary="Rencana diubah",
            after=changes,
        )
        _recompute(appraisal, actor=acting_user, action="plan_update")
    return appraisal


def _due(appraisal: Appraisal, value: object, field: str) -> dt.date:
    """A due date within the cycle's period."""
    cycle = appraisal.cycle
    if not isinstance(value, dt.date):
        raise ValidationError({field: "Tanggal tidak valid"})
    if not cycle.start_date <= value <= cycle.end_date:
        raise ValidationError(
            {field: f"Tanggal target harus dalam periode {cycle.start_date:%d-%m-%Y} sampai "
                    f"{cycle.end_date:%d-%m-%Y}"}
        )  # fmt: skip
    return value


def on_time_share(appraisal: Appraisal) -> tuple[int, int]:
    """(completed on time, dated targets) of the plan, the on-time share indicator aside."""
    dated = [i for i in PlanIndicator.objects.filter(result__appraisal=appraisal) if i.is_dated]
    return sum(1 for i in dated if i.timeliness == "tepat_waktu"), len(dated)


def on_time_share_refresh(appraisal: Appraisal) -> None:
    """Set the on-time share indicator's realisation to the percentage of the plan's other
    dated targets completed by their due dates (none dated: no realisation). Called, before
    the recompute, whenever a due date or a completion date changes."""
    share = PlanIndicator.objects.filter(result__appraisal=appraisal, on_time_share=True)
    if not share.exists():
        return
    on_time, total = on_time_share(appraisal)
    value = (Decimal(100) * on_time / total).quantize(Decimal("0.0001")) if total else None
    share.update(realisation=value)


def supervisor_results(appraisal: Appraisal) -> QuerySet[PlanResult]:
    """The results of the atasan's plan in the same cycle, which this plan may support."""
    if appraisal.supervisor_id is None:
        return PlanResult.objects.none()
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
    if scheme.cascading and supervisor_results(appraisal).exists():
        missing = appraisal.results.filter(supports__isnull=True).count()
        if missing:
            problems.append(
                f"{missing} hasil kerja belum menyebut hasil kerja atasan yang didukungnya (intervensi)."
            )
    return problems


@transaction.atomic
def appraisal_submit_targets(*, acting_user: User, appraisal: Appraisal, version: int) -> Appraisal:
    access = access_for(acting_user, appraisal)
    if not access.is_owner:
        raise PermissionDenied("Hanya pegawai yang bersangkutan yang mengajukan rencananya")
    appraisal = _lock(appraisal, version)
    _require_state(appraisal, State.DRAFT, what="mengajukan rencana")
    problems = plan_problems(appraisal)
    if problems:
        raise TransitionRefused(problems)
    _transition(appraisal, State.TARGETS_SUBMITTED, actor=acting_user, action="targets_submit",
                summary="Rencana target diajukan kepada atasan")  # fmt: skip
    return appraisal


@transaction.atomic
def appraisal_return_targets(
    *, acting_user: User, appraisal: Appraisal, version: int, comment: str
) -> Appraisal:
    access = access_for(acting_user, appraisal)
    return _return_with_comment(
        acting_user=acting_user, access=access, version=version, comment=comment,
        from_state=State.TARGETS_SUBMITTED, to_state=State.DRAFT, what="mengembalikan rencana",
        action="targets_return", summary="Rencana dikembalikan untuk diperbaiki",
    )  # fmt: skip


@transaction.atomic
def appraisal_approve_targets(
    *, acting_user: User, appraisal: Appraisal, version: int | None
) -> Appraisal:
    """The atasan approves a submitted plan; after the planning deadline the atasan or HR
    may approve a plan as it stands, so that nobody is stuck."""
    access = access_for(acting_user, appraisal)
    if not (access.is_rater or access.is_hr):
        raise PermissionDenied("Hanya atasan langsung atau Admin HR yang menyetujui rencana")
    appraisal = _lock(appraisal, version)
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
