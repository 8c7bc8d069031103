"""Who may read and act on an appraisal (see docs/roles.md).

Nobody scores, verifies, calibrates or decides on their own appraisal: every rater or HR
capability below is false for the appraisal's own employee.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from agencies.access import Scope, scope_for
from agencies.models import Agency, User
from agencies.paths import subtree_condition
from indicators.schemes import SCHEMES
from indicators.schemes.base import Source

from .models import (
    Appraisal,
    AppraisalQuerySet,
    Cycle,
    CycleQuerySet,
    Objection,
    ObjectionState,
    Phase,
    State,
)

# The presets whose realisations a Verifikator checks, and those with a Tim Penilai component.
VERIFYING_SCHEMES = tuple(key for key, s in SCHEMES.items() if s.verifies_realisations)
TEAM_SCHEMES = tuple(key for key, s in SCHEMES.items() if s.component_for(Source.TIM))

# A realisation is checked once the plan is approved, until the result is final.
VERIFIABLE_STATES = (State.TARGETS_APPROVED, State.SELF_ASSESSED, State.SCORED)
# The team scores the self-assessed work; the atasan's `scored` needs one member's score.
TEAM_SCORABLE_STATES = (State.SELF_ASSESSED, State.SCORED)


def visible_appraisals(user: User) -> AppraisalQuerySet:
    scope = scope_for(user)
    condition = Q(agency_id__in=scope.hr_agency_ids) | Q(cycle__region_id__in=scope.region_ids)
    # A Verifikator reads the appraisals (and evidence) they verify, a Tim Penilai member
    # those they score: of their agencies, in the schemes that have that step.
    if scope.verifier_agency_ids:
        condition |= Q(
            agency_id__in=scope.verifier_agency_ids, cycle__scheme_key__in=VERIFYING_SCHEMES
        )
    if scope.team_agency_ids:
        condition |= Q(agency_id__in=scope.team_agency_ids, cycle__scheme_key__in=TEAM_SCHEMES)
    if scope.employee:
        condition |= Q(employee_id=scope.employee.pk)
        roots = scope.subordinate_roots()
        condition |= Q(supervisor_id__in=roots)
        if scope.has_subordinates:
            condition |= subtree_condition(
                scope.subtree_prefixes, field="employee__supervisor_path"
            )
    if not (
        scope.employee
        or scope.hr_agency_ids
        or scope.region_ids
        or scope.verifier_agency_ids
        or scope.team_agency_ids
    ):
        return Appraisal.objects.none()
    return Appraisal.objects.filter(condition)


@dataclass(frozen=True)
class AppraisalAccess:
    appraisal: Appraisal
    scope: Scope

    @property
    def is_owner(self) -> bool:
        employee = self.scope.employee
        return employee is not None and employee.pk == self.appraisal.employee_id

    @property
    def is_rater(self) -> bool:
        """The Pejabat Penilai Kinerja: the snapshot atasan, or who acts for them today.

        Where nobody in the portal can be (the top of the region, such as the Sekda, or an
        atasan who has left without a Plt/Plh), the Admin Daerah rates on behalf of the
        Kepala Daerah, as for objections where no atasan pejabat penilai exists.
        """
        if self.is_owner:
            return False
        supervisor = self.appraisal.supervisor
        if supervisor is None or not supervisor.is_active:
            return self.appraisal.cycle.region_id in self.scope.region_ids
        return self.appraisal.supervisor_id in self.scope.subordinate_roots()

    @property
    def is_objection_decider(self) -> bool:
        """The atasan pejabat penilai: the snapshot atasan's own atasan, or who acts for them
        today. Where none exists in the portal (no atasan, or an atasan without an active
        atasan), the Admin Daerah decides."""
        if self.is_owner:
            return False
        supervisor = self.appraisal.supervisor
        second = supervisor.supervisor if supervisor is not None and supervisor.is_active else None
        if second is None or not second.is_active:
            return self.appraisal.cycle.region_id in self.scope.region_ids
        return second.pk in self.scope.subordinate_roots()

    @property
    def is_hr(self) -> bool:
        if self.is_owner:
            return False
        return (
            self.appraisal.agency_id in self.scope.hr_agency_ids
            or self.appraisal.cycle.region_id in self.scope.region_ids
        )

    @property
    def is_verifier(self) -> bool:
        """A Verifikator of the appraisal's agency, in a scheme that verifies realisations;
        never for their own realisations."""
        return (
            not self.is_owner
            and self.appraisal.agency_id in self.scope.verifier_agency_ids
            and self.appraisal.cycle.scheme.verifies_realisations
        )

    @property
    def is_team_member(self) -> bool:
        """A Tim Penilai member of the appraisal's agency, in a scheme with a team component;
        never for their own appraisal."""
        return (
            not self.is_owner
            and self.appraisal.agency_id in self.scope.team_agency_ids
            and self.appraisal.cycle.scheme.component_for(Source.TIM) is not None
        )

    @property
    def sees_team_scores(self) -> bool:
        """HR and the atasan see the members' scores; the employee with the released result."""
        if self.is_owner:
            return self.appraisal.is_released
        return self.is_hr or self.is_rater

    @cached_property
    def in_line(self) -> bool:
        """Above the employee: their atasan (or who acts for them) or higher up the chain."""
        if self.is_owner or not self.scope.employee:
            return False
        if self.appraisal.supervisor_id in self.scope.subordinate_roots():
            return True
        return (
            self.scope.has_subordinates
            and self.scope.subordinates().filter(pk=self.appraisal.employee_id).exists()
        )

    @property
    def sees_results(self) -> bool:
        """The employee sees levels, values and the predikat only after release; someone who
        reads the appraisal only as its Verifikator or Tim Penilai member never does (they
        check realisations or score one component, not the result)."""
        if self.is_owner:
            return self.appraisal.is_released
        if self.is_hr or self.is_rater:
            return True
        if self.is_verifier or self.is_team_member:
            return self.in_line
        return True

    # What the pages offer. Each is the rule its service enforces, asked in one place, so a
    # template never restates a rule; the deadlines are those of the cycle, now.

    def _past(self, phase: str) -> bool:
        return self.appraisal.cycle.is_past(phase, timezone.now())

    @property
    def can_edit_plan(self) -> bool:
        return self.is_owner and self.appraisal.state == State.DRAFT

    @property
    def can_create_plan(self) -> bool:
        """Copy the position's indicator set into a draft (the service refuses when a plan
        exists or no set does): the employee, or HR for them."""
        return (self.is_owner or self.is_hr) and self.appraisal.state == State.DRAFT

    @property
    def can_fill_self_assessment(self) -> bool:
        return self.is_owner and self.appraisal.state == State.TARGETS_APPROVED

    @property
    def can_review_plan(self) -> bool:
        """Approve or return a submitted plan: the atasan."""
        return self.is_rater and self.appraisal.state == State.TARGETS_SUBMITTED

    @property
    def can_approve_plan_late(self) -> bool:
        """After the planning deadline the atasan or HR approve a plan as it stands."""
        return (
            (self.is_rater or self.is_hr)
            and self.appraisal.state in (State.DRAFT, State.TARGETS_SUBMITTED)
            and self._past(Phase.PLANNING)
            and not self.can_review_plan
        )

    @property
    def can_forward_self_assessment(self) -> bool:
        """After the self-assessment deadline the atasan or HR move it on as it stands."""
        return (
            (self.is_rater or self.is_hr)
            and self.appraisal.state == State.TARGETS_APPROVED
            and self._past(Phase.SELF_ASSESSMENT)
        )

    @property
    def can_score(self) -> bool:
        return self.is_rater and self.appraisal.state in (State.SELF_ASSESSED, State.SCORED)

    @property
    def can_finish_scoring(self) -> bool:
        return self.is_rater and self.appraisal.state == State.SELF_ASSESSED

    @property
    def can_calibrate(self) -> bool:
        return self.is_hr and not self.is_rater and self.appraisal.state == State.SCORED

    @property
    def can_verify(self) -> bool:
        """Verify, reject or correct a realisation: the agency's Verifikator, from the plan's
        approval until the result is final."""
        return self.is_verifier and self.appraisal.state in VERIFIABLE_STATES

    @property
    def can_resubmit_rejected(self) -> bool:
        """After the self-assessment was sent, the employee may still correct a realisation
        the Verifikator rejected, until the supervisor-scoring deadline."""
        return (
            self.is_owner
            and self.appraisal.cycle.scheme.verifies_realisations
            and self.appraisal.state in (State.SELF_ASSESSED, State.SCORED)
            and not self._past(Phase.SCORING)
        )

    @property
    def can_team_score(self) -> bool:
        return self.is_team_member and self.appraisal.state in TEAM_SCORABLE_STATES

    @property
    def can_reopen(self) -> bool:
        return self.is_hr and self.appraisal.is_locked

    @property
    def can_download_pdf(self) -> bool:
        """The printed evaluation document: the employee once the result is released; their
        atasan (or who acts for them) and those above, and HR, at any state (a draft is
        marked as such on every page)."""
        if self.is_owner:
            return self.appraisal.is_released
        return self.is_hr or self.is_rater or self.in_line

    @cached_property
    def open_objection(self) -> Objection | None:
        return self.appraisal.objections.filter(state=ObjectionState.SUBMITTED).first()

    @property
    def objection_window_open(self) -> bool:
        end = self.appraisal.objection_deadline_end()
        if not self.appraisal.is_released or end is None:
            return False
        return timezone.now() < end + dt.timedelta(seconds=1)  # the whole last second counts

    @property
    def can_object(self) -> bool:
        """The employee files a keberatan after release, within the window, one at a time."""
        return self.is_owner and self.objection_window_open and self.open_objection is None

    @property
    def can_decide_objection(self) -> bool:
        return self.is_objection_decider and self.open_objection is not None


def get_appraisal_for(user: User, pk: int, *, write: bool = False) -> AppraisalAccess:
    appraisal = visible_appraisals(user).with_related().filter(pk=pk).first()
    if appraisal is None:
        raise Http404("Penilaian tidak ditemukan")
    access = AppraisalAccess(appraisal=appraisal, scope=scope_for(user))
    if write and not (access.is_owner or access.is_rater or access.is_hr):
        raise PermissionDenied("Anda hanya dapat melihat penilaian ini")
    return access


def get_objection_for(
    user: User, pk: int, *, write: bool = False
) -> tuple[Objection, AppraisalAccess]:
    """An objection is seen by whoever sees its appraisal; deciding is for its decider."""
    objection = (
        Objection.objects.select_related("filed_by", "decided_by")
        .filter(pk=pk, appraisal__in=visible_appraisals(user))
        .first()
    )
    if objection is None:
        raise Http404("Keberatan tidak ditemukan")
    appraisal = Appraisal.objects.with_related().get(pk=objection.appraisal_id)
    objection.appraisal = appraisal
    access = AppraisalAccess(appraisal=appraisal, scope=scope_for(user))
    if write and not access.is_objection_decider:
        if access.is_owner:
            raise PermissionDenied("Tidak seorang pun memutus keberatan atas penilaiannya sendiri")
        raise PermissionDenied("Hanya atasan pejabat penilai yang memutus keberatan ini")
    return objection, access


def require(condition: bool, message: str = "Anda tidak berwenang melakukan tindakan ini") -> None:
    if not condition:
        raise PermissionDenied(message)


def visible_cycles(user: User) -> CycleQuerySet:
    return Cycle.objects.for_user(user)


def get_cycle_for(user: User, pk: int, *, write: bool = False) -> Cycle:
    cycle = visible_cycles(user).select_related("region").filter(pk=pk).first()
    if cycle is None:
        raise Http404("Siklus tidak ditemukan")
    return cycle


def cycle_agencies_managed(user: User, cycle: Cycle) -> QuerySet[Agency]:
    """The agencies of a cycle this user administers (all of them for the Admin Daerah)."""
    scope = scope_for(user)
    agencies = cycle.agencies.all()
    if cycle.region_id in scope.region_ids:
        return agencies
    return agencies.filter(pk__in=scope.hr_agency_ids)
