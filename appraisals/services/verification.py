"""The Verifikator's check of realisations (schemes that verify them, `rakumpit`): verify,
reject with a reason, or correct the value with a reason (see docs/cycle.md)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import User

from ..models import Appraisal, PlanIndicator, Verification
from ._base import TransitionRefused, _audit, _lock, _number, _recompute, access_for

OWN_REALISATION = "Tidak seorang pun memverifikasi realisasinya sendiri"


def _plain(number: Decimal | None) -> str:
    return "" if number is None else f"{number.normalize():f}"


def _checked(acting_user: User, indicator: PlanIndicator) -> tuple[Appraisal, PlanIndicator]:
    appraisal = Appraisal.objects.with_related().get(pk=indicator.result.appraisal_id)
    access = access_for(acting_user, appraisal)
    if access.is_owner:
        raise PermissionDenied(OWN_REALISATION)
    if not access.is_verifier:
        raise PermissionDenied(
            "Hanya Verifikator Perangkat Daerah ini yang memverifikasi realisasi"
        )
    if not access.can_verify:
        raise TransitionRefused(
            "Realisasi diverifikasi setelah rencana disetujui dan sebelum penilaian final."
        )
    appraisal = _lock(appraisal, None)
    indicator = PlanIndicator.objects.select_for_update().get(pk=indicator.pk)
    if indicator.is_rubric:
        raise ValidationError("Indikator rubrik tidak memiliki realisasi untuk diverifikasi")
    if indicator.realisation is None:
        raise ValidationError(f"Realisasi {indicator.code} belum diisi pegawai")
    return appraisal, indicator


def _decide(indicator: PlanIndicator, acting_user: User, state: str, note: str) -> None:
    indicator.verification = state
    indicator.verified = state == Verification.VERIFIED
    indicator.verification_note = note
    indicator.verified_by = acting_user
    indicator.verified_at = timezone.now()
    indicator.save(
        update_fields=[
            "verification", "verified", "verification_note", "verified_by", "verified_at",
            "realisation", "original_realisation",
        ]
    )  # fmt: skip


@transaction.atomic
def realisation_verify(*, acting_user: User, indicator: PlanIndicator) -> PlanIndicator:
    """The realisation and its evidence are correct: from now on it counts."""
    appraisal, indicator = _checked(acting_user, indicator)
    before = {"verifikasi": indicator.verification}
    _decide(indicator, acting_user, Verification.VERIFIED, "")
    _audit(
        appraisal, actor=acting_user, action="realisation_verify",
        summary=f"Realisasi {indicator.code} diverifikasi",
        before=before, after={"verifikasi": indicator.verification},
    )  # fmt: skip
    _recompute(appraisal, actor=acting_user, action="verification")
    return indicator


@transaction.atomic
def realisation_reject(
    *, acting_user: User, indicator: PlanIndicator, reason: str
) -> PlanIndicator:
    """Back to the employee, who corrects it and sends it again (until the scoring deadline)."""
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": "Tuliskan alasan penolakan agar pegawai tahu apa yang diperbaiki"}
        )
    appraisal, indicator = _checked(acting_user, indicator)
    before = {"verifikasi": indicator.verification}
    _decide(indicator, acting_user, Verification.REJECTED, reason.strip())
    _audit(
        appraisal, actor=acting_user, action="realisation_reject",
        summary=f"Realisasi {indicator.code} ditolak Verifikator",
        before=before, after={"verifikasi": indicator.verification}, reason=reason.strip(),
    )  # fmt: skip
    _recompute(appraisal, actor=acting_user, action="verification")
    return indicator


@transaction.atomic
def realisation_correct(
    *, acting_user: User, indicator: PlanIndicator, value: Decimal, reason: str
) -> PlanIndicator:
    """The Verifikator sets the value the evidence supports, saying why; it counts as verified.
    The employee's value is kept (`original_realisation`) and both are in the audit trail."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "Koreksi realisasi wajib disertai alasan"})
    value = _number(value, "value", allow_none=False)
    appraisal, indicator = _checked(acting_user, indicator)
    original = indicator.realisation
    if indicator.original_realisation is None:
        indicator.original_realisation = original
    indicator.realisation = value
    _decide(indicator, acting_user, Verification.VERIFIED, reason.strip())
    _audit(
        appraisal, actor=acting_user, action="realisation_correct",
        summary=f"Realisasi {indicator.code} dikoreksi Verifikator",
        before={"realisasi": _plain(original)}, after={"realisasi": _plain(value)},
        reason=reason.strip(),
    )  # fmt: skip
    _recompute(appraisal, actor=acting_user, action="verification")
    return indicator
