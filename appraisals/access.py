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

from .models import Appraisal, Cycle, Objection, ObjectionState, Phase, State


def visible_appraisals(user) -> QuerySet[Appraisal]:
    scope = scope_for(user)
    condition = Q(agency_id__in=scope.hr_agency_ids) | Q(cycle__region_id__in=scope.region_ids)
    if scope.employee:
        condition |= Q(employee_id=scope.employee.pk)
        roots = scope.subordinate_roots()
        condition |= Q(supervisor_id__in=roots)
        if scope.has_subordinates:
            condition |= Q(employee__in=scope.subordinates().values("pk"))
    if not (scope.employee or scope.hr_agency_ids or scope.region_ids):
        return Appraisal.objects.none()
    return Appraisal.objects.filter(condition)


@dataclass(frozen=True)
class AppraisalAccess:
    appraisal: Appraisal
    scope: Scope

    @property
    def is_owner(self) -> bool:
        return bool(self.scope.employee) and self.scope.employee.pk == self.appraisal.employee_id

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
    def sees_results(self) -> bool:
        """The employee sees levels, values and the predikat only after release."""
        if self.is_owner:
            return self.appraisal.is_released
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
    def can_reopen(self) -> bool:
        return self.is_hr and self.appraisal.is_locked

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


def get_appraisal_for(user, pk: int, *, write: bool = False) -> AppraisalAccess:
    appraisal = visible_appraisals(user).with_related().filter(pk=pk).first()
    if appraisal is None:
        raise Http404("Penilaian tidak ditemukan")
    access = AppraisalAccess(appraisal=appraisal, scope=scope_for(user))
    if write and not (access.is_owner or access.is_rater or access.is_hr):
        raise PermissionDenied("Anda hanya dapat melihat penilaian ini")
    return access


def get_objection_for(user, pk: int, *, write: bool = False) -> tuple[Objection, AppraisalAccess]:
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


def visible_cycles(user) -> QuerySet[Cycle]:
    return Cycle.objects.for_user(user)


def get_cycle_for(user, pk: int, *, write: bool = False) -> Cycle:
    cycle = visible_cycles(user).select_related("region").filter(pk=pk).first()
    if cycle is None:
        raise Http404("Siklus tidak ditemukan")
    return cycle


def cycle_agencies_managed(user, cycle: Cycle):
    """The agencies of a cycle this user administers (all of them for the Admin Daerah)."""
    scope = scope_for(user)
    agencies = cycle.agencies.all()
    if cycle.region_id in scope.region_ids:
        return agencies
    return agencies.filter(pk__in=scope.hr_agency_ids)
