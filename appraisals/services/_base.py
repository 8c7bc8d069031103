"""What every appraisal service shares: the audit row, the version lock, the recompute,
the transition, and the typed guards on numbers and levels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, overload

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Field
from django.utils import timezone

from agencies.access import scope_for
from agencies.models import User
from indicators.scoring import ScoringInputError

from .. import scoring as appraisal_scoring
from ..access import AppraisalAccess
from ..models import (
    Appraisal,
    AuditEntry,
    Cycle,
    State,
)

STALE_MESSAGE = (
    "Penilaian ini telah diubah oleh orang lain sejak halaman Anda dibuka. Perubahan Anda "
    "belum disimpan: muat ulang halaman, periksa perubahan terbaru, lalu ulangi."
)


class StaleEdit(ValidationError):
    def __init__(self) -> None:
        super().__init__(STALE_MESSAGE, code="stale")


class TransitionRefused(ValidationError):
    pass


def _audit(
    appraisal: Appraisal | None,
    *,
    cycle: Cycle | None = None,
    actor: User | None,
    action: str,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    sensitive: bool = False,
) -> AuditEntry:
    if cycle is None:
        if appraisal is None:
            raise TypeError("An audit entry belongs to an appraisal or a cycle")
        cycle = appraisal.cycle
    return AuditEntry.objects.create(
        appraisal=appraisal,
        cycle=cycle,
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
    "verification": "verifikasi realisasi",
    "team_score": "nilai Tim Penilai disimpan",
}


SCORE_FIELDS = [
    "final_value", "hasil_kerja_value", "perilaku_value", "hasil_kerja_rating",
    "perilaku_rating", "predikat", "breakdown", "computed_at", "updated_at",
]  # fmt: skip


@dataclass
class Recomputed:
    """What a batch recompute did: ``stored`` rows written, ``changed`` of them with another
    value or predikat (each audited), ``skipped`` because someone changed the appraisal
    while the batch was being scored (that change recomputed it already), ``errors`` the
    appraisals the engine refused, in words."""

    stored: int = 0
    changed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def recompute_appraisals(
    appraisals: Sequence[Appraisal],
    *,
    actor: User | None,
    action: str,
    reason: str = "",
    now: dt.datetime | None = None,
    unlocked: bool = False,
    skip_errors: bool = False,
) -> Recomputed:
    """Recompute a batch through the scoring module and store it: the inputs in a fixed
    number of queries (``appraisal_scoring.gather``), the values, predikat and breakdown in
    one ``bulk_update``, an audit row (in one ``bulk_create``) for each appraisal whose
    outcome changed. The single recompute of every service is a batch of one.

    ``unlocked``: the caller holds no row lock (a background recompute). Only the rows still
    at the version they were read at are written, under a short lock taken for the write;
    the others were changed meanwhile, and that change recomputed them."""
    gathered = appraisal_scoring.gather(appraisals, now=now)
    stamp = timezone.now()
    done = Recomputed()
    rows: list[Appraisal] = []
    audits: dict[int, AuditEntry] = {}
    reason = reason or RECOMPUTE_REASONS.get(action, action)
    for appraisal in appraisals:
        before = appraisal_scoring.summary(appraisal)
        try:
            breakdown = appraisal_scoring.compute_one(appraisal, gathered)
        except ScoringInputError as exc:  # the engine's last line of defence, in words
            if not skip_errors:
                raise ValidationError(str(exc)) from exc
            done.errors.append(f"{appraisal}: {exc}")
            continue
        appraisal_scoring.store(
            appraisal, breakdown, on_time=gathered.on_time.get(appraisal.pk), now=stamp
        )
        appraisal.updated_at = stamp
        rows.append(appraisal)
        after = appraisal_scoring.summary(appraisal)
        if before != after:
            audits[appraisal.pk] = AuditEntry(
                appraisal=appraisal, cycle_id=appraisal.cycle_id, actor=actor,
                action="recompute", summary="Nilai dihitung ulang", before=before,
                after=after, reason=reason, sensitive=True,
            )  # fmt: skip
    # A locked caller writes in its own transaction; an unlocked batch locks for the write only.
    with transaction.atomic() if unlocked else nullcontext():
        if unlocked and rows:
            current = dict(
                Appraisal.objects.select_for_update()
                .filter(pk__in=[a.pk for a in rows])
                .values_list("pk", "version")
            )
            kept = [a for a in rows if current.get(a.pk) == a.version]
            done.skipped = len(rows) - len(kept)
            rows = kept
        if rows:
            _write_scores(rows)
        entries = [audits[a.pk] for a in rows if a.pk in audits]
        if entries:
            AuditEntry.objects.bulk_create(entries)
    done.stored, done.changed = len(rows), len(entries)
    return done


def _write_scores(rows: Sequence[Appraisal]) -> None:
    """The scores of a batch in one UPDATE. On PostgreSQL from a VALUES list (``bulk_update``
    builds a CASE per field and row, whose construction in Python costs more than scoring
    them); elsewhere (SQLite, for development and tests) with ``bulk_update``."""
    if connection.vendor != "postgresql":
        Appraisal.objects.bulk_update(rows, SCORE_FIELDS)
        return
    meta = Appraisal._meta
    fields = [field for name in SCORE_FIELDS if isinstance(field := meta.get_field(name), Field)]
    quote = connection.ops.quote_name
    casts = ["integer"] + [field.db_type(connection) or "text" for field in fields]
    first = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    other = "(" + ", ".join(["%s"] * len(casts)) + ")"
    params: list[Any] = []
    for appraisal in rows:
        params.append(appraisal.pk)
        params.extend(
            field.get_db_prep_save(getattr(appraisal, field.attname), connection)
            for field in fields
        )
    assignments = ", ".join(
        f"{quote(str(field.column))} = v.column{n}" for n, field in enumerate(fields, start=2)
    )
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {assignments} FROM (VALUES {first}"
        + f", {other}" * (len(rows) - 1)
        + f") AS v WHERE {quote(meta.db_table)}.{quote(meta.pk.column)} = v.column1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _recompute(
    appraisal: Appraisal,
    *,
    actor: User | None,
    action: str,
    reason: str = "",
    now: dt.datetime | None = None,
) -> None:
    """Recompute one appraisal (a batch of one) and store it, audited when the outcome
    changed. The caller holds the appraisal's row lock."""
    recompute_appraisals([appraisal], actor=actor, action=action, reason=reason, now=now)


def _transition(
    appraisal: Appraisal, to: str, *, actor: User, action: str, summary: str, reason: str = ""
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


def appraisal_recompute(
    *, appraisal: Appraisal, actor: User | None = None, action: str = "recompute"
) -> None:
    _recompute(appraisal, actor=actor, action=action)


@overload
def _number(
    value: Decimal | None, field: str, *, positive: bool = False,
    allow_none: Literal[False] = False, digits: int = 10,
) -> Decimal: ...  # fmt: skip


@overload
def _number(
    value: Decimal | None, field: str, *, positive: bool = False, allow_none: bool,
    digits: int = 10,
) -> Decimal | None: ...  # fmt: skip


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


def _level(value: int | None, field: str, *, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise ValidationError({field: "Pilih level 1 sampai 5"})
    return value


def _return_with_comment(
    *, acting_user: User, access: AppraisalAccess, version: int, comment: str,
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


def access_for(acting_user: User, appraisal: Appraisal) -> AppraisalAccess:
    """What ``acting_user`` may do on ``appraisal``: the same predicates the pages ask."""
    return AppraisalAccess(appraisal=appraisal, scope=scope_for(acting_user))
