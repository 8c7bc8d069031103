"""Reads for the appraisal pages, with their joins built in (no queries in templates)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from .models import Appraisal, AuditEntry, Cycle, Phase, PlanIndicator, PlanResult, State

STATE_ORDER = [s.value for s in State]

# A phase is late for an appraisal still in one of these states after its deadline.
LATE_STATES = {
    Phase.PLANNING: {State.DRAFT, State.TARGETS_SUBMITTED},
    Phase.SELF_ASSESSMENT: {State.TARGETS_APPROVED},
    Phase.SCORING: {State.SELF_ASSESSED},
}


def appraisal_detail(appraisal_id: int) -> Appraisal:
    return (
        Appraisal.objects.with_related()
        .prefetch_related(
            Prefetch(
                "results",
                queryset=PlanResult.objects.select_related("supports").prefetch_related(
                    Prefetch(
                        "indicators",
                        queryset=PlanIndicator.objects.prefetch_related("evidence"),
                    )
                ),
            ),
            "behaviours__value",
        )
        .get(pk=appraisal_id)
    )


def audit_for(appraisal: Appraisal, *, full: bool) -> list[AuditEntry]:
    """The audit trail; the employee's own view hides levels and values until release."""
    # The actor's name comes from their employee record: joined here, not one query a row.
    entries = list(appraisal.audit.select_related("actor__employee_record"))
    if not full and not appraisal.is_released:
        for entry in entries:
            if entry.sensitive or entry.action in {"recompute"}:
                entry.before, entry.after, entry.reason = {}, {}, ""
                entry.hidden = True
    return entries


def team_queue(rater_roots: list[int]):
    """Appraisals the user rates, with what waits for them first."""
    return (
        Appraisal.objects.filter(supervisor_id__in=rater_roots)
        .exclude(cycle__status="closed")
        .select_related("employee", "cycle", "unit", "position")
        .order_by("cycle__name", "state", "employee__name")
    )


def cycle_progress(cycle: Cycle, agency_ids) -> dict:
    """Counts per unit and state, and who is late, in a constant number of queries."""
    rows = (
        Appraisal.objects.filter(cycle=cycle, agency_id__in=agency_ids)
        .values("agency_id", "agency__name", "unit_id", "unit__name", "state")
        .annotate(n=Count("pk"))
        .order_by("agency__name", "unit__name")
    )
    units: dict[int, dict] = {}
    agencies: dict[int, dict] = defaultdict(lambda: {"states": defaultdict(int), "total": 0})
    for row in rows:
        unit = units.setdefault(
            row["unit_id"],
            {
                "name": row["unit__name"],
                "agency": row["agency__name"],
                "states": defaultdict(int),
                "total": 0,
            },
        )
        unit["states"][row["state"]] += row["n"]
        unit["total"] += row["n"]
        agency = agencies[row["agency_id"]]
        agency["name"] = row["agency__name"]
        agency["id"] = row["agency_id"]
        agency["states"][row["state"]] += row["n"]
        agency["total"] += row["n"]
    for bucket in [*units.values(), *agencies.values()]:
        done = sum(
            bucket["states"].get(s, 0) for s in (State.SCORED, State.FINALISED, State.RELEASED)
        )
        bucket["percent"] = round(100 * done / bucket["total"]) if bucket["total"] else 0
        # Ready when nothing is behind and something is left to move (after a reopen, only
        # the reopened appraisal is finalised again).
        counts = bucket["states"]
        bucket["all_scored"] = counts.get(State.SCORED, 0) > 0 and done == bucket["total"]
        bucket["all_finalised"] = (
            counts.get(State.FINALISED, 0) > 0
            and counts.get(State.FINALISED, 0) + counts.get(State.RELEASED, 0) == bucket["total"]
        )
        bucket["rows"] = [(State(s).label, bucket["states"].get(s, 0)) for s in STATE_ORDER]
    now = timezone.now()
    late_filter = Q()
    for phase, states in LATE_STATES.items():
        if cycle.is_past(phase, now):
            late_filter |= Q(state__in=states)
    late = []
    if late_filter:
        late = list(
            Appraisal.objects.filter(late_filter, cycle=cycle, agency_id__in=agency_ids)
            .select_related("employee", "unit", "supervisor")
            .order_by("unit__name", "employee__name")[:200]
        )
    return {"units": list(units.values()), "agencies": list(agencies.values()), "late": late}
