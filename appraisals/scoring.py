"""Gather one appraisal's inputs from the database and score it with the pure module.

The same path serves the pages, the PDFs and ``explain_score`` (which builds the same
``AppraisalInput`` from JSON), so what HR checks by hand is what the portal stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

from indicators import scoring
from indicators.models import AttendanceRecord, DisciplineRecord
from indicators.schemes.base import Scheme, Source

from .models import Appraisal, Phase

# Where the IKM of a unit over a period comes from: `(unit_id, start, end) -> IkmInput | None`.
# The citizens' survey lives in a higher app (`feedback`), which registers its selector in
# `FeedbackConfig.ready()`, so this module never imports upward.
_ikm_source: Callable[[int, dt.date, dt.date], scoring.IkmInput | None] | None = None


def register_ikm_source(
    source: Callable[[int, dt.date, dt.date], scoring.IkmInput | None],
) -> None:
    global _ikm_source
    _ikm_source = source


PeerLevels = Callable[[Appraisal], Mapping[str, Sequence[int]]]
_peer_levels: list[PeerLevels] = []


def register_peer_levels(source: PeerLevels) -> None:
    """The peers' levels per BerAKHLAK value code of one appraisal: registered by the app
    that stores them (``feedback``, a layer above), so this module never imports it."""
    if source not in _peer_levels:
        _peer_levels.append(source)


def peer_levels(appraisal: Appraisal, *, now: dt.datetime) -> Mapping[str, Sequence[int]]:
    """What the peers answered, counted only once the cycle's peer deadline has passed: a
    score never shows a live aggregate of the peers (docs/feedback.md)."""
    cycle = appraisal.cycle
    if not _peer_levels or not any(c.uses_peers for c in cycle.scheme.components):
        return {}
    if not cycle.is_past(Phase.PEER, now):
        return {}
    merged: dict[str, list[int]] = {}
    for source in _peer_levels:
        for code, levels in source(appraisal).items():
            merged.setdefault(code, []).extend(levels)
    return merged


def build_input(appraisal: Appraisal, *, now: dt.datetime | None = None) -> scoring.AppraisalInput:
    cycle = appraisal.cycle
    scheme = cycle.scheme
    now = now or timezone.now()
    results = []
    plan_keys = set(scheme.plan_component_keys)
    for result in appraisal.results.all():
        indicators = tuple(
            scoring.IndicatorInput(
                code=i.code,
                name=i.name,
                kind=scoring.IndicatorKind(i.kind),
                weight=i.weight,
                direction=scoring.Direction(i.direction or "naik"),
                target=i.target,
                realisation=i.realisation,
                verified=i.verified,
                level=i.level,
                self_level=i.self_level,
            )
            for i in result.indicators.all()
        )
        if indicators:
            results.append(
                scoring.ResultInput(
                    code=result.code,
                    name=result.name,
                    indicators=indicators,
                    kind=scoring.ResultKind(result.kind),
                    component=result.component if result.component in plan_keys else None,
                )
            )
    peers = peer_levels(appraisal, now=now)
    behaviour = {
        b.value.code: scoring.BehaviourInput(
            supervisor=b.level, self_level=b.self_level, peers=tuple(peers.get(b.value.code, ()))
        )
        for b in appraisal.behaviours.all()
    }
    attendance = None
    if scheme.component_for(Source.KEHADIRAN):
        rows = AttendanceRecord.objects.filter(
            employee_id=appraisal.employee_id,
            period__gte=cycle.start_date.replace(day=1),
            period__lte=cycle.end_date,
        ).values_list("working_days", "present_days", "late", "early_leave")
        if rows:
            totals = [sum(column) for column in zip(*rows, strict=True)]
            attendance = scoring.AttendanceInput(*totals)
    sanctions: tuple[scoring.Sanction, ...] = ()
    if scheme.component_for(Source.DISIPLIN):
        sanctions = tuple(
            scoring.Sanction(level)
            for level in DisciplineRecord.objects.filter(
                employee_id=appraisal.employee_id,
                decree_date__gte=cycle.start_date,
                decree_date__lte=cycle.end_date,
            ).values_list("level", flat=True)
        )
    ikm = None
    if scheme.component_for(Source.IKM) and _ikm_source is not None:
        ikm = _ikm_source(appraisal.unit_id, cycle.start_date, cycle.end_date)
    return scoring.AppraisalInput(
        results=tuple(results),
        behaviour=behaviour,
        attendance=attendance,
        sanctions=sanctions,
        ikm=ikm,
        team_levels=_team_levels(appraisal, scheme),
        deadline_passed=cycle.is_past(Phase.SCORING, now),
    )


def _team_levels(appraisal: Appraisal, scheme: Scheme) -> tuple[int, ...] | None:
    """The levels of the Tim Penilai members who scored; None (the weight is redistributed)
    while nobody has."""
    if not scheme.component_for(Source.TIM):
        return None
    levels = tuple(appraisal.team_scores.order_by("pk").values_list("level", flat=True))
    return levels or None


def compute(appraisal: Appraisal, *, now: dt.datetime | None = None) -> scoring.Breakdown:
    scheme = appraisal.cycle.scheme
    overrides = {}
    if appraisal.hasil_kerja_override:
        overrides["hasil_kerja_override"] = scoring.RatingOverride(
            scoring.Rating(appraisal.hasil_kerja_override), appraisal.override_reason
        )
    if appraisal.perilaku_override:
        overrides["perilaku_override"] = scoring.RatingOverride(
            scoring.Rating(appraisal.perilaku_override), appraisal.override_reason
        )
    return scoring.compute_appraisal(scheme, build_input(appraisal, now=now), **overrides)


def store(appraisal: Appraisal, breakdown: scoring.Breakdown) -> list[str]:
    """Copy the breakdown's values onto the appraisal; returns the changed field names."""
    values = {
        "final_value": breakdown.final_value_rounded,
        "hasil_kerja_value": breakdown.hasil_kerja.value_rounded if breakdown.hasil_kerja else None,
        "perilaku_value": breakdown.perilaku.value_rounded if breakdown.perilaku else None,
        "hasil_kerja_rating": str(breakdown.hasil_kerja.effective)
        if breakdown.hasil_kerja and breakdown.hasil_kerja.effective
        else "",
        "perilaku_rating": str(breakdown.perilaku.effective)
        if breakdown.perilaku and breakdown.perilaku.effective
        else "",
        "predikat": str(breakdown.predikat) if breakdown.predikat else "",
        "breakdown": _with_on_time_share(appraisal, breakdown.to_dict()),
        "computed_at": timezone.now(),
    }
    for field, value in values.items():
        setattr(appraisal, field, value)
    return list(values)


def _with_on_time_share(appraisal: Appraisal, data: dict[str, Any]) -> dict[str, Any]:
    """The breakdown says which realisation the portal computed from the plan's dates."""
    from .models import PlanIndicator

    if not appraisal.cycle.scheme.has_due_dates:
        return data
    shares = [
        i for i in PlanIndicator.objects.filter(result__appraisal=appraisal) if i.on_time_share
    ]
    if not shares:
        return data
    dated = [i for i in PlanIndicator.objects.filter(result__appraisal=appraisal) if i.is_dated]
    on_time = sum(1 for i in dated if i.timeliness == "tepat_waktu")
    for share in shares:
        note = (
            f"Indikator {share.code}: realisasi dihitung portal sebagai persentase target "
            f"bertanggal yang selesai tepat waktu ({on_time} dari {len(dated)})."
        )
        data.setdefault("notes", []).append(note)
        for component in data.get("components", ()):
            for result in component.get("results") or ():
                for row in result.get("indicators", ()):
                    if row.get("code") == share.code:
                        row["on_time_share"] = {"on_time": on_time, "dated": len(dated)}
    return data


def summary(appraisal: Appraisal) -> dict[str, str]:
    """The score values for the audit trail's before/after."""

    def text(value: Decimal | None) -> str:
        return (
            "" if value is None else (f"{value:.2f}" if isinstance(value, Decimal) else str(value))
        )

    return {
        "nilai_akhir": text(appraisal.final_value),
        "hasil_kerja": text(appraisal.hasil_kerja_value),
        "perilaku": text(appraisal.perilaku_value),
        "predikat": appraisal.predikat,
    }
