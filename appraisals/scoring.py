"""Gather appraisals' inputs from the database and score them with the pure module.

One path for one appraisal and for thousands: ``gather`` loads a whole batch's inputs in a
fixed number of queries (the plan with its indicators, the BerAKHLAK levels, attendance,
sanctions, the Tim Penilai's levels, the peers' levels and the unit's IKM through the sources
registered by the app above), whatever the batch's size; a single appraisal is a batch of
one. The same path serves the pages, the PDFs and ``explain_score`` (which builds the same
``AppraisalInput`` from JSON), so what HR checks by hand is what the portal stored.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from indicators import scoring
from indicators.models import AttendanceRecord, DisciplineRecord
from indicators.schemes.base import Scheme, Source

from .models import Appraisal, BehaviourScore, Cycle, Phase, PlanIndicator, TeamScore

# Where the IKM of a unit over a period comes from: `(unit_id, start, end) -> IkmInput | None`,
# and its batch variant `(unit_ids, start, end) -> {unit_id: IkmInput | None}` (one query for
# a whole batch). The citizens' survey lives in a higher app (`feedback`), which registers its
# selectors in `FeedbackConfig.ready()`, so this module never imports upward.
IkmSource = Callable[[int, dt.date, dt.date], scoring.IkmInput | None]
IkmBatchSource = Callable[[Sequence[int], dt.date, dt.date], Mapping[int, scoring.IkmInput | None]]
_ikm_source: IkmSource | None = None
_ikm_batch_source: IkmBatchSource | None = None


def register_ikm_source(source: IkmSource, *, batch: IkmBatchSource | None = None) -> None:
    global _ikm_source, _ikm_batch_source
    _ikm_source = source
    _ikm_batch_source = batch


def ikm_inputs(
    unit_ids: Sequence[int], start: dt.date, end: dt.date
) -> dict[int, scoring.IkmInput | None]:
    """The IKM of each unit: the batch source when registered, else one call per unit."""
    if _ikm_batch_source is not None:
        return dict(_ikm_batch_source(unit_ids, start, end))
    if _ikm_source is not None:
        return {unit_id: _ikm_source(unit_id, start, end) for unit_id in unit_ids}
    return {}


PeerLevels = Callable[[Appraisal], Mapping[str, Sequence[int]]]
PeerLevelsBatch = Callable[[Sequence[int]], Mapping[int, Mapping[str, Sequence[int]]]]
_peer_levels: list[tuple[PeerLevels, PeerLevelsBatch | None]] = []


def register_peer_levels(source: PeerLevels, *, batch: PeerLevelsBatch | None = None) -> None:
    """The peers' levels per BerAKHLAK value code of one appraisal, and (``batch``) of many
    appraisals by id in one query: registered by the app that stores them (``feedback``, a
    layer above), so this module never imports it."""
    if all(registered != source for registered, _ in _peer_levels):
        _peer_levels.append((source, batch))


def _peers_counted(cycle: Cycle, scheme: Scheme, now: dt.datetime) -> bool:
    """What the peers answered counts only once the cycle's peer deadline has passed: a
    score never shows a live aggregate of the peers (docs/feedback.md)."""
    return (
        bool(_peer_levels)
        and any(c.uses_peers for c in scheme.components)
        and cycle.is_past(Phase.PEER, now)
    )


def _peer_levels_of(appraisals: Sequence[Appraisal]) -> dict[int, dict[str, list[int]]]:
    merged: dict[int, dict[str, list[int]]] = {a.pk: {} for a in appraisals}
    ids = [a.pk for a in appraisals]
    for source, batch in _peer_levels:
        found = batch(ids) if batch is not None else {a.pk: source(a) for a in appraisals}
        for pk, levels in found.items():
            for code, values in levels.items():
                merged[pk].setdefault(code, []).extend(values)
    # Anonymous answers have no order: sorted, a batch and a single read give the same tuple.
    return {pk: {c: sorted(v) for c, v in codes.items()} for pk, codes in merged.items()}


def peer_levels(appraisal: Appraisal, *, now: dt.datetime) -> Mapping[str, Sequence[int]]:
    cycle = appraisal.cycle
    if not _peers_counted(cycle, cycle.scheme, now):
        return {}
    return _peer_levels_of([appraisal])[appraisal.pk]


@dataclass
class OnTime:
    """The dated targets of one plan, for the note on the on-time share indicator."""

    share_codes: list[str] = field(default_factory=list)
    dated: int = 0
    on_time: int = 0


@dataclass
class Gathered:
    """A batch's inputs: the engine's input per appraisal id, and what the stored breakdown
    adds (the on-time share of dated targets)."""

    inputs: dict[int, scoring.AppraisalInput]
    on_time: dict[int, OnTime]
    schemes: dict[int, Scheme]  # by cycle id


def schemes_of(appraisals: Iterable[Appraisal]) -> dict[int, Scheme]:
    """Each cycle's scheme once (building it parses the cycle's weights and settings)."""
    schemes: dict[int, Scheme] = {}
    for appraisal in appraisals:
        if appraisal.cycle_id not in schemes:
            schemes[appraisal.cycle_id] = appraisal.cycle.scheme
    return schemes


def gather(appraisals: Sequence[Appraisal], *, now: dt.datetime | None = None) -> Gathered:
    """Every input of every appraisal of the batch, in a number of queries that does not grow
    with the batch: one each for the plans, the BerAKHLAK levels and the Tim Penilai, and per
    cycle of the batch one each for attendance, sanctions, IKM and peers (when its scheme uses
    them). ``appraisals`` carry their cycle (with its region, for the deadlines)."""
    now = now or timezone.now()
    ids = [a.pk for a in appraisals]
    schemes = schemes_of(appraisals)
    results: dict[int, list[scoring.ResultInput]] = defaultdict(list)
    on_time: dict[int, OnTime] = defaultdict(OnTime)
    plan_keys = {cycle_id: set(s.plan_component_keys) for cycle_id, s in schemes.items()}
    cycle_of = {a.pk: a.cycle_id for a in appraisals}
    dated_cycles = {cycle_id for cycle_id, s in schemes.items() if s.has_due_dates}
    rows = (
        PlanIndicator.objects.filter(result__appraisal_id__in=ids)
        .order_by("result__order", "result_id", "order", "pk")
        .values_list(
            "result__appraisal_id", "result_id", "result__code", "result__name", "result__kind",
            "result__component", "code", "name", "kind", "weight", "direction", "target",
            "realisation", "verified", "level", "self_level", "due_date", "completed_on",
            "on_time_share",
        )
    )  # fmt: skip
    open_result: dict[int, tuple[int, tuple[Any, ...], list[scoring.IndicatorInput]]] = {}

    def close(appraisal_id: int) -> None:
        if appraisal_id not in open_result:
            return
        _result_id, (code, name, kind, component), indicators = open_result.pop(appraisal_id)
        keys = plan_keys[cycle_of[appraisal_id]]
        results[appraisal_id].append(
            scoring.ResultInput(
                code=code, name=name, indicators=tuple(indicators),
                kind=scoring.ResultKind(kind), component=component if component in keys else None,
            )
        )  # fmt: skip

    for (appraisal_id, result_id, r_code, r_name, r_kind, r_component, code, name, kind, weight,
         direction, target, realisation, verified, level, self_level, due_date, completed_on,
         share) in rows:  # fmt: skip
        current = open_result.get(appraisal_id)
        if current is None or current[0] != result_id:
            close(appraisal_id)
            current = (result_id, (r_code, r_name, r_kind, r_component), [])
            open_result[appraisal_id] = current
        current[2].append(
            scoring.IndicatorInput(
                code=code, name=name, kind=scoring.IndicatorKind(kind), weight=weight,
                direction=scoring.Direction(direction or "naik"), target=target,
                realisation=realisation, verified=verified, level=level, self_level=self_level,
            )
        )  # fmt: skip
        # The same rule as PlanIndicator.is_dated and .timeliness, on the loaded columns.
        if cycle_of[appraisal_id] not in dated_cycles:
            continue
        if share:
            on_time[appraisal_id].share_codes.append(code)
        elif due_date is not None and kind != "rubrik":
            on_time[appraisal_id].dated += 1
            if completed_on is not None and completed_on <= due_date:
                on_time[appraisal_id].on_time += 1
    for appraisal_id in list(open_result):
        close(appraisal_id)

    behaviour_rows: dict[int, list[tuple[str, int | None, int | None]]] = defaultdict(list)
    for appraisal_id, code, level, self_level in (
        BehaviourScore.objects.filter(appraisal_id__in=ids)
        .order_by("value__order", "pk")
        .values_list("appraisal_id", "value__code", "level", "self_level")
    ):
        behaviour_rows[appraisal_id].append((code, level, self_level))

    team: dict[int, list[int]] = defaultdict(list)
    if any(s.component_for(Source.TIM) for s in schemes.values()):
        for appraisal_id, level in (
            TeamScore.objects.filter(appraisal_id__in=ids)
            .order_by("pk")
            .values_list("appraisal_id", "level")
        ):
            team[appraisal_id].append(level)

    attendance: dict[int, scoring.AttendanceInput] = {}  # by appraisal id
    sanctions: dict[int, list[scoring.Sanction]] = defaultdict(list)
    ikm: dict[int, scoring.IkmInput | None] = {}
    peers: dict[int, dict[str, list[int]]] = {}
    for cycle_id, members in _by_cycle(appraisals).items():
        cycle, scheme = members[0].cycle, schemes[cycle_id]
        if scheme.component_for(Source.KEHADIRAN):
            by_employee = {
                row["employee_id"]: scoring.AttendanceInput(row["w"], row["p"], row["l"], row["e"])
                for row in AttendanceRecord.objects.filter(
                    employee_id__in={a.employee_id for a in members},
                    period__gte=cycle.start_date.replace(day=1),
                    period__lte=cycle.end_date,
                )
                .values("employee_id")
                .annotate(
                    n=Count("pk"),
                    w=Sum("working_days"),
                    p=Sum("present_days"),
                    l=Sum("late"),
                    e=Sum("early_leave"),
                )  # fmt: skip
                .order_by()
            }
            for a in members:
                if a.employee_id in by_employee:
                    attendance[a.pk] = by_employee[a.employee_id]
        if scheme.component_for(Source.DISIPLIN):
            decrees: dict[int, list[str]] = defaultdict(list)
            for employee_id, decree in DisciplineRecord.objects.filter(
                employee_id__in={a.employee_id for a in members},
                decree_date__gte=cycle.start_date,
                decree_date__lte=cycle.end_date,
            ).values_list("employee_id", "level"):
                decrees[employee_id].append(decree)
            for a in members:
                sanctions[a.pk] = [scoring.Sanction(x) for x in decrees.get(a.employee_id, ())]
        if scheme.component_for(Source.IKM):
            by_unit = ikm_inputs(sorted({a.unit_id for a in members}), cycle.start_date,
                                 cycle.end_date)  # fmt: skip
            for a in members:
                ikm[a.pk] = by_unit.get(a.unit_id)
        if _peers_counted(cycle, scheme, now):
            peers.update(_peer_levels_of(members))

    inputs = {}
    for a in appraisals:
        scheme = schemes[a.cycle_id]
        answers = peers.get(a.pk, {})
        team_levels = tuple(team.get(a.pk, ())) if scheme.component_for(Source.TIM) else None
        inputs[a.pk] = scoring.AppraisalInput(
            results=tuple(results.get(a.pk, ())),
            behaviour={
                code: scoring.BehaviourInput(
                    supervisor=level, self_level=self_level, peers=tuple(answers.get(code, ()))
                )
                for code, level, self_level in behaviour_rows.get(a.pk, ())
            },
            attendance=attendance.get(a.pk),
            sanctions=tuple(sanctions.get(a.pk, ())),
            ikm=ikm.get(a.pk),
            # None (the weight is redistributed) while no member of the Tim Penilai scored.
            team_levels=team_levels or None,
            deadline_passed=a.cycle.is_past(Phase.SCORING, now),
        )
    return Gathered(inputs=inputs, on_time=dict(on_time), schemes=schemes)


def _by_cycle(appraisals: Sequence[Appraisal]) -> dict[int, list[Appraisal]]:
    groups: dict[int, list[Appraisal]] = defaultdict(list)
    for appraisal in appraisals:
        groups[appraisal.cycle_id].append(appraisal)
    return groups


def build_input(appraisal: Appraisal, *, now: dt.datetime | None = None) -> scoring.AppraisalInput:
    return gather([appraisal], now=now).inputs[appraisal.pk]


def overrides_of(appraisal: Appraisal) -> dict[str, scoring.RatingOverride]:
    """The supervisor's matrix-mode decisions stored on the appraisal."""
    overrides = {}
    if appraisal.hasil_kerja_override:
        overrides["hasil_kerja_override"] = scoring.RatingOverride(
            scoring.Rating(appraisal.hasil_kerja_override), appraisal.override_reason
        )
    if appraisal.perilaku_override:
        overrides["perilaku_override"] = scoring.RatingOverride(
            scoring.Rating(appraisal.perilaku_override), appraisal.override_reason
        )
    return overrides


def compute_one(appraisal: Appraisal, gathered: Gathered) -> scoring.Breakdown:
    """The pure module's breakdown of one appraisal of a gathered batch."""
    return scoring.compute_appraisal(
        gathered.schemes[appraisal.cycle_id], gathered.inputs[appraisal.pk],
        **overrides_of(appraisal),
    )  # fmt: skip


def compute(appraisal: Appraisal, *, now: dt.datetime | None = None) -> scoring.Breakdown:
    return compute_one(appraisal, gather([appraisal], now=now))


def store(
    appraisal: Appraisal,
    breakdown: scoring.Breakdown,
    *,
    on_time: OnTime | None = None,
    now: dt.datetime | None = None,
) -> list[str]:
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
        "breakdown": _with_on_time_share(breakdown.to_dict(), on_time),
        "computed_at": now or timezone.now(),
    }
    for name, value in values.items():
        setattr(appraisal, name, value)
    return list(values)


def _with_on_time_share(data: dict[str, Any], on_time: OnTime | None) -> dict[str, Any]:
    """The breakdown says which realisation the portal computed from the plan's dates."""
    if on_time is None or not on_time.share_codes:
        return data
    for code in on_time.share_codes:
        note = (
            f"Indikator {code}: realisasi dihitung portal sebagai persentase target "
            f"bertanggal yang selesai tepat waktu ({on_time.on_time} dari {on_time.dated})."
        )
        data.setdefault("notes", []).append(note)
        for component in data.get("components", ()):
            for result in component.get("results") or ():
                for row in result.get("indicators", ()):
                    if row.get("code") == code:
                        row["on_time_share"] = {"on_time": on_time.on_time, "dated": on_time.dated}
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
