"""The appraisal work that waits for people, for the home page and the reminders.

Registered with ``asn_portal.waiting`` in ``AppraisalsConfig.ready()``. Every read is one
grouped query, whatever the size of the team or the region.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.access import scope_for
from asn_portal.waiting import WorkItem

from .models import Appraisal, CycleStatus, Phase, State

# Who moves an appraisal on from each state, the deadline that applies, and the words.
OWNER_WORK = {
    State.DRAFT: ("plan", Phase.PLANNING),
    State.TARGETS_APPROVED: ("self_assessment", Phase.SELF_ASSESSMENT),
}
RATER_WORK = {
    State.TARGETS_SUBMITTED: ("plan_review", Phase.PLANNING),
    State.SELF_ASSESSED: ("scoring", Phase.SCORING),
}
DEADLINE_FIELDS = {
    Phase.PLANNING: "planning_deadline",
    Phase.SELF_ASSESSMENT: "self_assessment_deadline",
    Phase.SCORING: "scoring_deadline",
}


def _title(kind: str) -> str:
    return {
        "plan": _("Susun dan ajukan rencana kinerja"),
        "self_assessment": _("Isi dan kirim penilaian diri"),
        "plan_review": _("Setujui atau kembalikan rencana bawahan"),
        "scoring": _("Nilai bawahan"),
        "late_planning": _("Penilaian terlambat: perencanaan target"),
        "late_self_assessment": _("Penilaian terlambat: penilaian diri"),
        "late_scoring": _("Penilaian terlambat: penilaian atasan"),
    }[kind]


def _cycle_values() -> list[str]:
    return ["cycle_id", "cycle__name", *(f"cycle__{f}" for f in DEADLINE_FIELDS.values())]


def _deadline(row: dict, phase: Phase) -> dt.date:
    return row[f"cycle__{DEADLINE_FIELDS[phase]}"]


def _in_phase(states: dict, days: set[dt.date] | None = None) -> Q:
    """Appraisals in one of ``states`` whose phase deadline is one of ``days`` (or any)."""
    condition = Q(pk__in=[])
    for state, (_kind, phase) in states.items():
        part = Q(state=state)
        if days is not None:
            part &= Q(**{f"cycle__{DEADLINE_FIELDS[phase]}__in": days})
        condition |= part
    return condition


class AppraisalWork:
    def for_user(self, user: object, *, today: dt.date) -> Iterable[WorkItem]:
        scope = scope_for(user)
        items: list[WorkItem] = []
        open_cycles = Appraisal.objects.filter(cycle__status=CycleStatus.OPEN)
        if scope.employee:
            own = (
                open_cycles.filter(_in_phase(OWNER_WORK), employee=scope.employee)
                .values("pk", "state", *_cycle_values())
                .order_by("cycle_id")
            )
            for row in own:
                kind, phase = OWNER_WORK[State(row["state"])]
                items.append(
                    WorkItem(
                        kind=kind, title=_title(kind), count=1, cycle_name=row["cycle__name"],
                        deadline=_deadline(row, phase),
                        url=reverse("appraisal_detail", args=[row["pk"]]),
                    )
                )  # fmt: skip
            team = (
                open_cycles.filter(
                    _in_phase(RATER_WORK), supervisor_id__in=scope.subordinate_roots()
                )
                .exclude(employee=scope.employee)
                .values("state", *_cycle_values())
                .annotate(n=Count("pk"))
                .order_by("cycle_id", "state")
            )
            for row in team:
                kind, phase = RATER_WORK[State(row["state"])]
                items.append(
                    WorkItem(
                        kind=kind, title=_title(kind), count=row["n"],
                        cycle_name=row["cycle__name"], deadline=_deadline(row, phase),
                        url=reverse("team"),
                    )
                )  # fmt: skip
        if scope.hr_agency_ids or scope.region_ids:
            late = Q(pk__in=[])
            for states, phase in (
                ({State.DRAFT, State.TARGETS_SUBMITTED}, Phase.PLANNING),
                ({State.TARGETS_APPROVED}, Phase.SELF_ASSESSMENT),
                ({State.SELF_ASSESSED}, Phase.SCORING),
            ):
                late |= Q(state__in=states, **{f"cycle__{DEADLINE_FIELDS[phase]}__lt": today})
            rows = (
                open_cycles.filter(late)
                .filter(
                    Q(agency_id__in=scope.hr_agency_ids) | Q(cycle__region_id__in=scope.region_ids)
                )
                .values("state", *_cycle_values())
                .annotate(n=Count("pk"))
                .order_by("cycle_id", "state")
            )
            merged: dict[tuple[int, Phase], list] = {}
            for row in rows:
                state = State(row["state"])
                phase = (
                    Phase.PLANNING
                    if state in (State.DRAFT, State.TARGETS_SUBMITTED)
                    else Phase.SELF_ASSESSMENT
                    if state == State.TARGETS_APPROVED
                    else Phase.SCORING
                )
                key = (row["cycle_id"], phase)
                if key in merged:
                    merged[key][0] += row["n"]
                else:
                    merged[key] = [row["n"], row]
            for (cycle_id, phase), (count, row) in merged.items():
                kind = f"late_{phase.value}"
                items.append(
                    WorkItem(
                        kind=kind, title=_title(kind), count=count,
                        cycle_name=row["cycle__name"], deadline=_deadline(row, phase),
                        url=reverse("cycle_detail", args=[cycle_id]),
                    )
                )  # fmt: skip
        return items

    def due(self, *, region_id: int, days: set[dt.date]) -> dict[int, list[WorkItem]]:
        """The owners' and the atasan's work whose deadline is one of ``days``."""
        found: dict[int, list[WorkItem]] = {}
        in_region = Appraisal.objects.filter(
            cycle__status=CycleStatus.OPEN, cycle__region_id=region_id
        )
        for who, states in (("employee_id", OWNER_WORK), ("supervisor_id", RATER_WORK)):
            rows = (
                in_region.filter(_in_phase(states, days))
                .filter(**({"supervisor__is_active": True} if who == "supervisor_id" else {}))
                .values(who, "state", *_cycle_values())
                .annotate(n=Count("pk"))
                .order_by(who, "cycle_id", "state")
            )
            for row in rows:
                kind, phase = states[State(row["state"])]
                found.setdefault(row[who], []).append(
                    WorkItem(
                        kind=kind, title=_title(kind), count=row["n"],
                        cycle_name=row["cycle__name"], deadline=_deadline(row, phase),
                        url=reverse("team") if who == "supervisor_id" else reverse("my_appraisals"),
                    )
                )  # fmt: skip
        return found


WORK = AppraisalWork()
