"""HR's moves on a whole agency of a cycle (finalise, release) and on one appraisal
(reopen), see docs/cycle.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from agencies.access import scope_for
from agencies.models import Agency, User
from indicators.schemes.base import Scheme, Source

from ..models import (
    AgencyCycleSetting,
    Appraisal,
    AppraisalQuerySet,
    AuditEntry,
    BehaviourScore,
    Cycle,
    Phase,
    PlanIndicator,
    State,
)
from ._base import (
    TransitionRefused,
    _lock,
    _require_state,
    _transition,
    access_for,
    recompute_appraisals,
)
from .organisation import (
    distribution_check,
    mismatch_message,
    missing_predikat_message,
    predikat_counts,
)

# Appraisals scored per batch by a background recompute: the inputs of a batch are loaded in
# a fixed number of queries, so a larger batch costs fewer round trips and more memory.
RECOMPUTE_BATCH = 500

DONE_STATES = {
    State.SCORED: (State.SCORED, State.FINALISED, State.RELEASED),
    State.FINALISED: (State.FINALISED, State.RELEASED),
}


def _agency_set(cycle: Cycle, agency: Agency) -> AppraisalQuerySet:
    return Appraisal.objects.filter(cycle=cycle, agency=agency)


CHANGED_MEANWHILE = (
    "Penilaian di {agency} berubah selama finalisasi (status atau nilai diubah orang lain). "
    "Tidak ada yang difinalkan: ulangi finalisasi."
)


def finalise_candidates(*, acting_user: User, cycle: Cycle, agency: Agency) -> list[int]:
    """The first step of finalising an agency, without any lock: what would be finalised (the
    appraisals scored by the atasan), or the refusal in words."""
    scope = scope_for(acting_user)
    if not scope.can_manage_agency(agency.pk, agency.region_id):
        raise PermissionDenied("Perangkat Daerah di luar wewenang Anda")
    setting = AgencyCycleSetting.objects.filter(cycle=cycle, agency=agency).first()
    if setting is None or not setting.organisation_predikat:
        raise TransitionRefused(missing_predikat_message(agency))
    appraisals = _agency_set(cycle, agency)
    # Already final or released ones count as done: after HR reopens one appraisal, finalising
    # again moves just that one, and the rest of the set stays as it is.
    pending = appraisals.exclude(state__in=DONE_STATES[State.SCORED]).count()
    if pending:
        raise TransitionRefused(
            f"Belum dapat difinalkan: {pending} penilaian di {agency.name} belum berstatus Dinilai atasan."
        )
    # Finalising locks the whole agency's set as it stands: it judges nobody, so an Admin HR
    # whose own appraisal is in the set may do it (calibration of their own stays refused).
    ids = list(appraisals.filter(state=State.SCORED).order_by("pk").values_list("pk", flat=True))
    if not ids:
        raise TransitionRefused("Tidak ada penilaian untuk difinalkan.")
    _refuse_incomplete_scores(ids)
    return ids


def finalise_precheck(*, cycle: Cycle, agency: Agency, justification: str) -> str:
    """What the confirmation page says before a finalise job starts: the message asking for a
    justification, when the predikat stored today (every appraisal of the set has one) do not
    fit the pattern and none was typed; else "". The job recomputes and checks again."""
    if justification.strip():
        return ""
    setting = AgencyCycleSetting.objects.filter(cycle=cycle, agency=agency).first()
    if setting is None or not setting.organisation_predikat or setting.block_on_mismatch:
        return ""
    counted = _agency_set(cycle, agency).filter(state__in=DONE_STATES[State.SCORED])
    if counted.filter(predikat="").exists():
        return ""  # some were never scored through: only the job's recompute can tell
    check = distribution_check(setting, predikat_counts(cycle, [agency.pk])[agency.pk])
    if check is None or not check.needs_justification:
        return ""
    return f"{mismatch_message(check)} Tuliskan justifikasinya."


def finalise_recompute(
    *,
    acting_user: User,
    cycle: Cycle,
    ids: list[int],
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = RECOMPUTE_BATCH,
) -> dict[int, int]:
    """The second step: recompute the set as at the scoring deadline, with the data of today
    (a realisation still missing counts 0; attendance or sanctions imported after the atasan
    scored are taken in), in batches and without holding any row lock while scoring. Returns
    the version each appraisal was scored at: the last step finalises only what is unchanged
    since."""
    as_at = max(timezone.now(), cycle.deadline_end(Phase.SCORING) + dt.timedelta(seconds=1))
    versions: dict[int, int] = {}
    for start in range(0, len(ids), batch_size):
        appraisals = list(_scoring_rows(ids[start : start + batch_size]))
        versions.update((a.pk, a.version) for a in appraisals)
        recompute_appraisals(
            appraisals, actor=acting_user, action="finalise", now=as_at, unlocked=True
        )
        if progress:
            progress(min(start + batch_size, len(ids)), len(ids) + 1)
    return versions


@transaction.atomic
def finalise_commit(
    *,
    acting_user: User,
    cycle: Cycle,
    agency: Agency,
    versions: dict[int, int],
    justification: str = "",
) -> int:
    """The last step, one short transaction: lock just the appraisals being finalised, refuse
    if any changed since it was scored, check the predikat distribution of the set as it will
    stand, then move the set to final."""
    ids = sorted(versions)
    locked = dict(
        Appraisal.objects.select_for_update()
        .filter(pk__in=ids, state=State.SCORED)
        .values_list("pk", "version")
    )
    scored_now = set(
        _agency_set(cycle, agency).filter(state=State.SCORED).values_list("pk", flat=True)
    )
    pending = _agency_set(cycle, agency).exclude(state__in=DONE_STATES[State.SCORED]).exists()
    if locked != versions or scored_now != set(ids) or pending:
        raise TransitionRefused(CHANGED_MEANWHILE.format(agency=agency.name))
    setting = AgencyCycleSetting.objects.filter(cycle=cycle, agency=agency).first()
    if setting is None or not setting.organisation_predikat:
        raise TransitionRefused(missing_predikat_message(agency))
    justification = justification.strip()
    # The distribution of the set as it will stand: those finalised now plus those already
    # final, against the pattern of the organisation predikat (an impossible pattern only warns).
    counts = predikat_counts(cycle, [agency.pk])[agency.pk]
    check = distribution_check(setting, counts)
    assert check is not None  # the organisation predikat is set (checked above)
    if check.needs_justification:
        if setting.block_on_mismatch:
            raise TransitionRefused(
                f"Finalisasi ditolak: {mismatch_message(check)} Perangkat Daerah ini diatur "
                "menolak finalisasi bila distribusi tidak sesuai."
            )
        if not justification:
            raise ValidationError(
                {"justification": f"{mismatch_message(check)} Tuliskan justifikasinya."}
            )
    Appraisal.objects.filter(pk__in=ids).update(state=State.FINALISED, version=F("version") + 1)
    AuditEntry.objects.create(
        appraisal=None, cycle=cycle, actor=acting_user, action="distribution",
        summary=f"Distribusi predikat {agency.name} saat finalisasi: "
        + ("sesuai pola" if check.satisfied else (check.warning or "")),
        after={"predikat_organisasi": setting.organisation_predikat, "jumlah": counts,
               "sesuai": check.satisfied, "dapat_dipenuhi": check.satisfiable},
        reason=justification,
    )  # fmt: skip
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


def agency_finalise(
    *,
    acting_user: User,
    cycle: Cycle,
    agency: Agency,
    justification: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Finalise an agency's scored appraisals: check, recompute as at the scoring deadline
    (no row lock held while scoring), then check the distribution and move the set to final in
    one short transaction. HR's page runs it as a job (``agency_finalise_start``); tests and
    commands call it directly. Returns how many were finalised."""
    ids = finalise_candidates(acting_user=acting_user, cycle=cycle, agency=agency)
    versions = finalise_recompute(acting_user=acting_user, cycle=cycle, ids=ids, progress=progress)
    return finalise_commit(
        acting_user=acting_user, cycle=cycle, agency=agency, versions=versions,
        justification=justification,
    )  # fmt: skip


def _scoring_rows(ids: list[int]) -> AppraisalQuerySet:
    """The appraisals of a batch with what scoring reads of them (the stored breakdown is
    not read: it is replaced)."""
    return (
        Appraisal.objects.filter(pk__in=ids)
        .select_related("cycle__region")
        .defer("breakdown")
        .order_by("pk")
    )


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


def _scheme_of(ids: list[int]) -> Scheme:
    return Appraisal.objects.select_related("cycle").get(pk=ids[0]).cycle.scheme


@transaction.atomic
def agency_release(*, acting_user: User, cycle: Cycle, agency: Agency) -> int:
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
    *, acting_user: User, appraisal: Appraisal, version: int | None, reason: str
) -> Appraisal:
    access = access_for(acting_user, appraisal)
    if not access.is_hr:
        raise PermissionDenied("Hanya Admin HR yang membuka kembali penilaian")
    if not reason.strip():
        raise ValidationError({"reason": "Alasan membuka kembali wajib diisi"})
    appraisal = _lock(appraisal, version)
    _require_state(appraisal, State.FINALISED, State.RELEASED, what="membuka kembali")
    appraisal.released_at = None
    appraisal.save(update_fields=["released_at"])
    _transition(appraisal, State.SCORED, actor=acting_user, action="reopen",
                summary="Dibuka kembali oleh Admin HR", reason=reason.strip())  # fmt: skip
    return appraisal
