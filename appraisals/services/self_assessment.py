"""The self-assessment: realisations saved one indicator at a time, evidence files, submit
and return (see docs/cycle.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction

from agencies.models import User

from ..models import (
    Appraisal,
    Evidence,
    Phase,
    PlanIndicator,
    State,
    Verification,
)
from ._base import (
    TransitionRefused,
    _audit,
    _level,
    _lock,
    _now,
    _number,
    _recompute,
    _require_state,
    _return_with_comment,
    _transition,
    access_for,
)
from .plans import on_time_share_refresh

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
KEEP = object()  # a completion date not sent: the stored one stays


def empty_realisations(appraisal: Appraisal) -> list[PlanIndicator]:
    """Quantitative indicators of the plan still without a realisation, in plan order."""
    return list(
        PlanIndicator.objects.filter(
            result__appraisal=appraisal, kind="kuantitatif", realisation__isnull=True
        ).order_by("result__order", "result__pk", "order", "pk")
    )


@transaction.atomic
def appraisal_save_realisation(
    *, acting_user: User, appraisal: Appraisal, version: int, indicator_id: int,
    realisation: Decimal | None, comment: str = "", self_level: int | None = None,
    base: dict[str, str] | None = None, completed_on: dt.date | None | object = KEEP,
) -> PlanIndicator:  # fmt: skip
    """Save one indicator of the self-assessment (a partial save: nothing typed is lost).

    ``base`` holds the values the author's page last saw saved for this indicator: other
    partial saves of the same page move the appraisal's version on, and a save whose own
    fields nobody else changed must not be refused for that."""
    access = access_for(acting_user, appraisal)
    if not access.is_owner:
        raise PermissionDenied("Hanya pegawai yang bersangkutan yang mengisi realisasi")
    indicator = PlanIndicator.objects.filter(
        pk=indicator_id, result__appraisal_id=appraisal.pk
    ).first()
    if indicator is None:
        raise ValidationError("Indikator tidak ditemukan dalam rencana ini")

    def unchanged() -> bool:
        if base is None:
            return False
        indicator.refresh_from_db(
            fields=["realisation", "self_comment", "self_level", "completed_on"]
        )
        return _stored_values(indicator) == _canonical(base)

    appraisal = _lock(appraisal, version, unchanged=unchanged)
    indicator.refresh_from_db(
        fields=[
            "realisation", "self_comment", "self_level", "verification", "verification_note",
            "completed_on",
        ]
    )  # fmt: skip
    # A realisation the Verifikator rejected may be corrected after the self-assessment was
    # sent, until the supervisor-scoring deadline; everything else only while filling it in.
    resubmitting = (
        indicator.verification == Verification.REJECTED
        and access_for(acting_user, appraisal).can_resubmit_rejected
    )
    if not resubmitting:
        _require_state(appraisal, State.TARGETS_APPROVED, what="mengisi realisasi")
    before = {"realisasi": _plain(indicator.realisation), "level_diri": indicator.self_level}
    if indicator.is_dated:
        before["tanggal_selesai"] = _day(indicator.completed_on)
    # The on-time share's realisation is computed by the portal, never typed.
    if not indicator.is_rubric and not indicator.on_time_share:
        indicator.realisation = _number(realisation, "realisation", allow_none=True)
    indicator.self_comment = (comment or "").strip()
    if not resubmitting:
        indicator.self_level = _level(self_level, "self_level", allow_none=True)
    fields = ["realisation", "self_comment", "self_level"]
    if indicator.is_dated and completed_on is not KEEP:
        if completed_on is not None and not isinstance(completed_on, dt.date):
            raise ValidationError({"completed_on": "Tanggal tidak valid"})
        if completed_on is not None and completed_on < appraisal.cycle.start_date:
            raise ValidationError(
                {"completed_on": "Tanggal selesai tidak boleh sebelum periode dimulai"}
            )
        indicator.completed_on = completed_on
        fields.append("completed_on")
    changed_value = _plain(indicator.realisation) != before["realisasi"]
    if changed_value and appraisal.cycle.scheme.verifies_realisations:
        # A changed value waits for the Verifikator again, whatever they said before.
        indicator.verification = Verification.PENDING
        indicator.verified = False
        indicator.verification_note = ""
        indicator.original_realisation = None
        fields += ["verification", "verified", "verification_note", "original_realisation"]
    indicator.save(update_fields=fields)
    after = {"realisasi": _plain(indicator.realisation), "level_diri": indicator.self_level}
    if indicator.is_dated:
        after["tanggal_selesai"] = _day(indicator.completed_on)
        if after["tanggal_selesai"] != before["tanggal_selesai"]:
            on_time_share_refresh(appraisal)
    if before != after:
        summary = (
            f"Realisasi {indicator.code} diperbaiki setelah ditolak Verifikator"
            if resubmitting
            else f"Realisasi {indicator.code} disimpan"
        )
        _audit(appraisal, actor=acting_user, action="realisation_save",
               summary=summary, before=before, after=after)  # fmt: skip
        _recompute(appraisal, actor=acting_user, action="realisation_save")
    indicator.appraisal_version = appraisal.version
    return indicator


def _day(value: dt.date | None) -> str:
    return f"{value:%d-%m-%Y}" if value else ""


def _plain(number: Decimal | None) -> str:
    return "" if number is None else f"{number.normalize():f}"


_Stored = tuple[Decimal | None, int | None, str, dt.date | None]


def _stored_values(indicator: PlanIndicator) -> _Stored:
    return (
        indicator.realisation, indicator.self_level, indicator.self_comment.strip(),
        indicator.completed_on,
    )  # fmt: skip


def _canonical(base: dict[str, str]) -> _Stored | None:
    """``base`` as :func:`_stored_values` would give it, or None if it is malformed."""
    try:
        realisation = Decimal(base["realisation"]) if base.get("realisation") else None
        level = int(base["self_level"]) if base.get("self_level") else None
        completed = (
            dt.date.fromisoformat(base["completed_on"]) if base.get("completed_on") else None
        )
    except (ArithmeticError, ValueError):
        return None
    return (realisation, level, (base.get("comment") or "").strip(), completed)


@transaction.atomic
def evidence_add(
    *, acting_user: User, appraisal: Appraisal, indicator_id: int, upload: File[bytes]
) -> Evidence:
    appraisal = Appraisal.objects.with_related().get(pk=appraisal.pk)  # its state now
    access = access_for(acting_user, appraisal)
    if not access.is_owner:
        raise PermissionDenied("Hanya pegawai yang bersangkutan yang mengunggah bukti dukung")
    indicator = PlanIndicator.objects.filter(pk=indicator_id, result__appraisal=appraisal).first()
    if indicator is None:
        raise ValidationError("Indikator tidak ditemukan dalam rencana ini")
    resubmitting = indicator.verification == Verification.REJECTED and access.can_resubmit_rejected
    if appraisal.state != State.TARGETS_APPROVED and not resubmitting:
        raise TransitionRefused("Bukti dukung diunggah saat mengisi penilaian diri.")
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


def _check_evidence_limits(
    appraisal: Appraisal, indicator: PlanIndicator, upload: File[bytes], suffix: str
) -> None:
    """The content matches the extension; files per indicator and the appraisal's total
    size stay within the limits (the appraisal row is locked so two uploads cannot both
    squeeze under them)."""
    from django.conf import settings
    from django.db.models import Sum

    from ..evidence_checks import check_evidence_content

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
def evidence_delete(*, acting_user: User, appraisal: Appraisal, evidence: Evidence) -> None:
    appraisal = Appraisal.objects.with_related().get(pk=appraisal.pk)  # its state now
    access = access_for(acting_user, appraisal)
    if not access.is_owner:
        raise PermissionDenied("Hanya pegawai yang bersangkutan yang menghapus bukti dukung")
    _require_state(appraisal, State.TARGETS_APPROVED, what="menghapus bukti dukung")
    name = evidence.original_name
    evidence.file.delete(save=False)
    evidence.delete()
    _audit(
        appraisal,
        actor=acting_user,
        action="evidence_delete",
        summary=f"Bukti dukung dihapus: {name}",
    )


@transaction.atomic
def appraisal_submit_self_assessment(
    *, acting_user: User, appraisal: Appraisal, version: int, comment: str = ""
) -> Appraisal:
    """The employee sends the self-assessment; after its deadline the atasan or HR may move
    it on as it stands. Missing realisations never block (they count 0 at the deadline)."""
    access = access_for(acting_user, appraisal)
    appraisal = _lock(appraisal, version)
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
    *, acting_user: User, appraisal: Appraisal, version: int, comment: str
) -> Appraisal:
    access = access_for(acting_user, appraisal)
    return _return_with_comment(
        acting_user=acting_user, access=access, version=version, comment=comment,
        from_state=State.SELF_ASSESSED, to_state=State.TARGETS_APPROVED,
        what="mengembalikan penilaian diri", action="self_assessment_return",
        summary="Penilaian diri dikembalikan",
    )  # fmt: skip
