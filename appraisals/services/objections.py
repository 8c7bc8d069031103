"""Keberatan: the employee objects to a released result; the atasan pejabat penilai (or the
Admin Daerah where none exists in the portal) accepts or rejects it once, with a reason. An
accepted objection is the one change allowed after finalisation (see docs/cycle.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role, User
from asn_portal.mail import send_templated_mail
from indicators.schemes.base import Mode, Predikat

from ..models import (
    Appraisal,
    Objection,
    ObjectionFile,
    ObjectionState,
    Phase,
    PlanIndicator,
    State,
)
from ._base import (
    TransitionRefused,
    _audit,
    _lock,
    _number,
    _recompute,
    _require_state,
    access_for,
)
from .scores import _apply_levels, _apply_overrides
from .self_assessment import EVIDENCE_MAX_BYTES, EVIDENCE_TYPES

OBJECTION_MAX_FILES = 5


@transaction.atomic
def objection_file(
    *, acting_user: User, appraisal: Appraisal, reasons: str, uploads: Sequence[File[bytes]] = ()
) -> Objection:
    """The employee files a keberatan with reasons and optional files (the evidence rules)."""
    appraisal = Appraisal.objects.with_related().get(pk=appraisal.pk)
    access = access_for(acting_user, appraisal)
    if not access.is_owner:
        raise PermissionDenied("Hanya pegawai yang bersangkutan yang mengajukan keberatan")
    Appraisal.objects.select_for_update().filter(pk=appraisal.pk).first()
    if appraisal.state != State.RELEASED:
        raise TransitionRefused("Keberatan hanya dapat diajukan setelah hasil penilaian dirilis.")
    if not access.objection_window_open:
        end = appraisal.objection_deadline_end()
        raise TransitionRefused(
            f"Batas pengajuan keberatan telah lewat ({end:%d-%m-%Y} pukul 23.59.59)."
        )
    if access.open_objection is not None:
        raise TransitionRefused("Keberatan atas penilaian ini masih menunggu keputusan.")
    if not reasons.strip():
        raise ValidationError({"reasons": "Alasan keberatan wajib diisi"})
    uploads = [u for u in uploads if u]
    if len(uploads) > OBJECTION_MAX_FILES:
        raise ValidationError(
            {"files": f"Paling banyak {OBJECTION_MAX_FILES} berkas untuk satu keberatan"}
        )
    checked = [(upload, _checked_suffix(upload)) for upload in uploads]
    objection = Objection.objects.create(
        appraisal=appraisal, reasons=reasons.strip(), filed_by=acting_user
    )
    for upload, suffix in checked:
        row = ObjectionFile(
            objection=objection, original_name=(upload.name or "berkas")[:255],
            content_type=EVIDENCE_TYPES[suffix], size=upload.size,
        )  # fmt: skip
        row.file.save(upload.name or "berkas", upload, save=False)
        row.save()
    _audit(
        appraisal, actor=acting_user, action="objection_file",
        summary="Keberatan diajukan", reason=reasons.strip(),
        after={"keberatan": "Diajukan"}
        | ({"berkas": len(checked)} if checked else {}),
    )  # fmt: skip
    _notify_deciders(objection, appraisal, filed_by=acting_user)
    return objection


def _decider_addresses(appraisal: Appraisal, *, filed_by: User) -> list[str]:
    """Who decides, as ``AppraisalAccess.is_objection_decider`` says: the snapshot atasan's
    own atasan; where none is active in the portal, the region's Admin Daerah."""
    supervisor = appraisal.supervisor
    second = supervisor.supervisor if supervisor is not None and supervisor.is_active else None
    if second is not None and second.is_active:
        address = (second.user.email if second.user_id and second.user else "") or second.email
        return [address] if address else []
    admins = (
        User.objects.filter(
            is_active=True,
            role_grants__role=Role.ADMIN_DAERAH,
            role_grants__region_id=appraisal.cycle.region_id,
        )
        .exclude(pk=filed_by.pk)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return sorted(admins)


def _notify_deciders(objection: Objection, appraisal: Appraisal, *, filed_by: User) -> None:
    """The decider learns of the objection by e-mail once it is committed (its reasons stay
    in the portal, behind the decider's login)."""
    addresses = _decider_addresses(appraisal, filed_by=filed_by)
    if not addresses:
        return
    context = {
        "employee": appraisal.employee.name,
        "cycle": appraisal.cycle.name,
        "url": settings.PORTAL_BASE_URL.rstrip("/")
        + reverse("objection_detail", args=[objection.pk]),
    }

    def send() -> None:
        for address in addresses:  # one message each: no decider sees another's address
            send_templated_mail(template="objection_filed", to=[address], context=context)

    transaction.on_commit(send)


def _checked_suffix(upload: File[bytes]) -> str:
    """The same rules as evidence: the allowed kinds, 10 MB, the content matches the name."""
    from ..evidence_checks import check_evidence_content

    name = upload.name or ""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in EVIDENCE_TYPES:
        raise ValidationError(
            {
                "files": "Jenis berkas tidak diizinkan; gunakan pdf, jpg, png, docx, xlsx, pptx, odt atau ods"
            }
        )
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"files": "Berkas terlalu besar; maksimal 10 MB per berkas"})
    try:
        check_evidence_content(upload, suffix)
    except ValidationError as exc:
        raise ValidationError({"files": exc.message_dict["file"]}) from exc
    return suffix


@transaction.atomic
def objection_decide(
    *, acting_user: User, objection: Objection, accept: bool, reason: str,
    indicator_levels: dict[int, int | None] | None = None,
    behaviour_levels: dict[int, int | None] | None = None,
    realisations: dict[int, Decimal | None] | None = None,
    overrides: dict[str, str] | None = None,
) -> Objection:  # fmt: skip
    """Accept (optionally changing levels, realisations or the matrix ratings, recomputed
    through the scoring module here) or reject, with a written reason. Final: once."""
    appraisal = Appraisal.objects.with_related().get(pk=objection.appraisal_id)
    access = access_for(acting_user, appraisal)
    if not access.is_objection_decider:
        if access.is_owner:
            raise PermissionDenied("Tidak seorang pun memutus keberatan atas penilaiannya sendiri")
        raise PermissionDenied("Hanya atasan pejabat penilai yang memutus keberatan ini")
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if not objection.is_open:
        raise TransitionRefused(
            f"Keberatan ini sudah diputuskan ({ObjectionState(objection.state).label}); "
            "keputusan bersifat final."
        )
    if not reason.strip():
        raise ValidationError({"decision_reason": "Alasan keputusan wajib diisi"})
    appraisal = _lock(appraisal, None)
    # After a reopen by HR the result is being worked on again: it is decided once final.
    _require_state(appraisal, State.FINALISED, State.RELEASED, what="memutus keberatan")
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if accept:
        _apply_levels(appraisal, indicator_levels, behaviour_levels, before, after)
        _apply_realisations(appraisal, realisations or {}, before, after)
        if overrides is not None and appraisal.cycle.scheme.mode == Mode.MATRIX:
            _apply_overrides(appraisal, overrides, reason, before, after)
    objection.state = ObjectionState.ACCEPTED if accept else ObjectionState.REJECTED
    objection.decided_by = acting_user
    objection.decided_at = timezone.now()
    objection.decision_reason = reason.strip()
    objection.before, objection.after = before, after
    objection.save()
    _audit(
        appraisal, actor=acting_user, action="objection",
        summary="Keberatan diterima" if accept else "Keberatan ditolak",
        before=before, after={**after, "keberatan": "Diterima" if accept else "Ditolak"},
        reason=reason.strip(), sensitive=bool(before or after),
    )  # fmt: skip
    if before or after:
        # The result stays computed as at the scoring deadline, as when it was finalised.
        cycle = appraisal.cycle
        as_at = max(timezone.now(), cycle.deadline_end(Phase.SCORING) + dt.timedelta(seconds=1))
        _recompute(appraisal, actor=acting_user, action="objection", reason=reason.strip(),
                   now=as_at)  # fmt: skip
    _notify(objection, appraisal)
    return objection


def _apply_realisations(
    appraisal: Appraisal,
    realisations: dict[int, Decimal | None],
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    for pk, value in realisations.items():
        indicator = (
            PlanIndicator.objects.filter(pk=pk, result__appraisal=appraisal)
            .exclude(kind="rubrik")
            .first()
        )
        if indicator is None:
            raise ValidationError("Indikator tidak ditemukan dalam penilaian ini")
        value = _number(value, f"realisation_{pk}", digits=10)
        if value != indicator.realisation:
            key = f"realisasi:{indicator.code}"
            before[key] = None if indicator.realisation is None else f"{indicator.realisation:f}"
            after[key] = f"{value:f}"
            indicator.realisation = value
            indicator.save(update_fields=["realisation"])


def _notify(objection: Objection, appraisal: Appraisal) -> None:
    """The employee learns the outcome by e-mail, once the decision is committed."""
    employee = appraisal.employee
    user = employee.user
    address = (user.email if user else "") or employee.email
    if not address:
        return
    context = {
        "name": employee.name,
        "cycle": appraisal.cycle.name,
        "accepted": objection.state == ObjectionState.ACCEPTED,
        "reason": objection.decision_reason,
        "predikat": Predikat(appraisal.predikat).label if appraisal.predikat else "",
        "url": settings.PORTAL_BASE_URL.rstrip("/")
        + reverse("appraisal_detail", args=[appraisal.pk]),
    }
    transaction.on_commit(
        lambda: send_templated_mail(template="objection_decided", to=[address], context=context)
    )
