"""The atasan's levels and feedback, HR calibration, and marking an appraisal scored (see
docs/cycle.md and docs/scoring.md)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from agencies.models import User
from indicators.schemes.base import Mode, Rating, Source

from ..models import (
    Appraisal,
    BehaviourScore,
    PlanIndicator,
    State,
)
from ._base import (
    TransitionRefused,
    _audit,
    _level,
    _lock,
    _recompute,
    _require_state,
    _transition,
    access_for,
)


@transaction.atomic
def appraisal_save_scores(
    *, acting_user: User, appraisal: Appraisal, version: int,
    indicator_levels: dict[int, int | None] | None = None,
    behaviour_levels: dict[int, int | None] | None = None,
    result_feedback: dict[int, str] | None = None,
    behaviour_feedback: dict[int, str] | None = None,
    overrides: dict[str, str] | None = None,
    reason: str = "",
) -> Appraisal:  # fmt: skip
    """The atasan's levels and feedback (state self_assessed), or HR's calibration with a
    reason (state scored). Every change is audited and recomputed in this transaction."""
    access = access_for(acting_user, appraisal)
    state = Appraisal.objects.values_list("state", flat=True).get(pk=appraisal.pk)
    calibrating = access.is_hr and state == State.SCORED
    if not (access.is_rater or calibrating):
        if access.is_owner:
            raise PermissionDenied("Tidak seorang pun menilai penilaiannya sendiri")
        raise PermissionDenied(
            "Hanya atasan langsung yang memberi nilai; Admin HR mengkalibrasi setelah dinilai"
        )
    appraisal = _lock(appraisal, version)
    if calibrating:
        _require_state(appraisal, State.SCORED, what="mengkalibrasi")
        if not reason.strip():
            raise ValidationError({"reason": "Kalibrasi wajib disertai alasan"})
    else:
        _require_state(appraisal, State.SELF_ASSESSED, State.SCORED, what="memberi nilai")
        if appraisal.score_change_needs_reason and not reason.strip():
            raise ValidationError(
                {"reason": "Perubahan nilai setelah dinilai wajib disertai alasan"}
            )
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    behaviours = _apply_levels(appraisal, indicator_levels, behaviour_levels, before, after)
    for pk, text in (behaviour_feedback or {}).items():
        behaviour = behaviours.get(pk)
        if behaviour is not None and behaviour.feedback != text.strip():
            behaviour.feedback = text.strip()
            behaviour.save(update_fields=["feedback"])
            after[f"umpan_balik:{behaviour.value.code}"] = "diperbarui"
    feedback_by_result = result_feedback or {}
    for result in appraisal.results.filter(pk__in=list(feedback_by_result.keys())):
        text = feedback_by_result[result.pk].strip()
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


def _apply_levels(
    appraisal: Appraisal,
    indicator_levels: dict[int, int | None] | None,
    behaviour_levels: dict[int, int | None] | None,
    before: dict[str, Any],
    after: dict[str, Any],
) -> dict[int, BehaviourScore]:
    """Set the posted levels of rubric indicators and BerAKHLAK values, noting each change in
    ``before``/``after`` (keyed by indicator or value code); returns the behaviours by pk."""
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
    return behaviours


def _refuse_clearing(
    appraisal: Appraisal, current: int | None, level: int | None, field: str
) -> None:
    """Once scored, a level may change (with a reason) but never go back to empty: the
    appraisal would be scored with a level missing."""
    done = (State.SCORED, State.FINALISED, State.RELEASED)
    if appraisal.state in done and current is not None and level is None:
        raise ValidationError(
            {field: "Level tidak dapat dikosongkan setelah penilaian berstatus Dinilai atasan"}
        )


def _apply_overrides(
    appraisal: Appraisal, overrides: dict[str, str], reason: str,
    before: dict[str, Any], after: dict[str, Any],
) -> None:  # fmt: skip
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
    members = RoleGrant.objects.filter(role=Role.TIM_PENILAI, agency_id=appraisal.agency_id)
    if appraisal.employee.user_id is not None:
        members = members.exclude(user_id=appraisal.employee.user_id)
    if scheme.component_for(Source.TIM) and not appraisal.team_scores.exists() and members.exists():
        # With Tim Penilai members in the agency (other than the employee, who never scores
        # themself), `scored` needs at least one member's score; without members the team
        # weight is redistributed (docs/scoring.md).
        problems.append(
            "Belum ada nilai dari Tim Penilai Perangkat Daerah ini; sedikitnya satu anggota Tim "
            "Penilai harus memberi nilai sebelum penilaian diselesaikan."
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
def appraisal_mark_scored(*, acting_user: User, appraisal: Appraisal, version: int) -> Appraisal:
    access = access_for(acting_user, appraisal)
    if not access.is_rater:
        raise PermissionDenied("Hanya atasan langsung yang menyelesaikan penilaian")
    appraisal = _lock(appraisal, version)
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
