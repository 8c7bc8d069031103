"""The appraisal work that waits for people, for the home page and the reminders.

Registered with ``asn_portal.waiting`` in ``AppraisalsConfig.ready()``. Every read is one
grouped query, whatever the size of the team or the region.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.access import Scope, scope_for
from agencies.models import Role, RoleGrant, User
from asn_portal.waiting import WorkItem

from .access import TEAM_SCHEMES, TEAM_SCORABLE_STATES, VERIFIABLE_STATES, VERIFYING_SCHEMES
from .models import Appraisal, CycleStatus, Phase, PlanIndicator, State
from .selectors import objections_waiting_for, team_score_queue, verification_queue

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
        "verify": _("Verifikasi realisasi"),
        "team_score": _("Beri nilai Tim Penilai"),
        "objection": _("Putuskan keberatan pegawai"),
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
        if isinstance(user, User):
            items.extend(self._reviews(scope, user))
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

    def _reviews(self, scope: Scope, user: User) -> list[WorkItem]:
        """The Verifikator's realisations, the Tim Penilai member's scores and the objections
        waiting for this user: one grouped query each."""
        items: list[WorkItem] = []
        if scope.verifier_agency_ids:
            for row in (
                verification_queue(scope)
                .values(
                    "result__appraisal__cycle__name", "result__appraisal__cycle__scoring_deadline"
                )
                .annotate(n=Count("pk"))
                .order_by("result__appraisal__cycle__name")
            ):
                items.append(
                    WorkItem(
                        kind="verify", title=_title("verify"), count=row["n"],
                        cycle_name=row["result__appraisal__cycle__name"],
                        deadline=row["result__appraisal__cycle__scoring_deadline"],
                        url=reverse("verification"),
                    )
                )  # fmt: skip
        if scope.team_agency_ids:
            for row in (
                team_score_queue(scope, user)
                .exclude(team_scores__member=user)
                .values("cycle__name", "cycle__scoring_deadline")
                .annotate(n=Count("pk", distinct=True))
                .order_by("cycle__name")
            ):
                items.append(
                    WorkItem(
                        kind="team_score", title=_title("team_score"), count=row["n"],
                        cycle_name=row["cycle__name"], deadline=row["cycle__scoring_deadline"],
                        url=reverse("team_scores"),
                    )
                )  # fmt: skip
        objections = objections_waiting_for(scope).count()
        if objections:
            items.append(
                WorkItem(
                    kind="objection", title=_title("objection"), count=objections,
                    cycle_name="", deadline=None, url=reverse("objection_queue"),
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
        self._due_reviews(region_id, days, found)
        return found

    def _due_reviews(
        self, region_id: int, days: set[dt.date], found: dict[int, list[WorkItem]]
    ) -> None:
        """Verifikator and Tim Penilai members, told of their agencies' work waiting before
        the supervisor-scoring deadline."""
        for role, kind in ((Role.VERIFIKATOR, "verify"), (Role.TIM_PENILAI, "team_score")):
            people: dict[int, set[int]] = {}
            for agency_id, employee_id in RoleGrant.objects.filter(
                role=role, agency__region_id=region_id, user__employee_record__is_active=True
            ).values_list("agency_id", "user__employee_record"):
                people.setdefault(agency_id, set()).add(employee_id)
            if not people:
                continue
            if kind == "verify":
                rows = (
                    PlanIndicator.objects.filter(
                        result__appraisal__agency_id__in=list(people),
                        result__appraisal__cycle__scheme_key__in=VERIFYING_SCHEMES,
                        result__appraisal__cycle__status=CycleStatus.OPEN,
                        result__appraisal__cycle__scoring_deadline__in=days,
                        result__appraisal__state__in=VERIFIABLE_STATES,
                        kind="kuantitatif", realisation__isnull=False, verification="pending",
                    )
                    .values(
                        agency_key=F("result__appraisal__agency_id"),
                        cycle_name=F("result__appraisal__cycle__name"),
                        deadline=F("result__appraisal__cycle__scoring_deadline"),
                    )
                    .annotate(n=Count("pk"))
                    .order_by("agency_key", "cycle_name")
                )  # fmt: skip
                url = reverse("verification")
            else:
                rows = (
                    Appraisal.objects.filter(
                        agency_id__in=list(people), cycle__scheme_key__in=TEAM_SCHEMES,
                        cycle__status=CycleStatus.OPEN, cycle__scoring_deadline__in=days,
                        state__in=TEAM_SCORABLE_STATES,
                    )
                    .values(
                        agency_key=F("agency_id"), cycle_name=F("cycle__name"),
                        deadline=F("cycle__scoring_deadline"),
                    )
                    .annotate(n=Count("pk"))
                    .order_by("agency_key", "cycle_name")
                )  # fmt: skip
                url = reverse("team_scores")
            for row in rows:
                for employee_id in people.get(row["agency_key"], ()):
                    found.setdefault(employee_id, []).append(
                        WorkItem(
                            kind=kind, title=_title(kind), count=row["n"],
                            cycle_name=row["cycle_name"], deadline=row["deadline"], url=url,
                        )
                    )  # fmt: skip


WORK = AppraisalWork()
