"""Who may see and do what (see docs/roles.md). Every view and queryset goes through here.

Scope, not agency, decides: an employee sees themself; a supervisor or acting official their
direct and indirect subordinates in any agency; an Admin HR their agencies; an Admin Daerah
their region. Outside the scope an object is 404; inside it but read-only, a change is 403.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import (
    ActingAssignment,
    Agency,
    Employee,
    EmployeeQuerySet,
    JobPosition,
    Region,
    Role,
    Unit,
    User,
)
from .paths import subtree, subtree_condition


def subordinates_of(root_ids: list[int]) -> EmployeeQuerySet:
    """Direct and indirect subordinates of the given employees (their supervisor paths are
    read first: one small query, then one indexed prefix query)."""
    if not root_ids:
        return Employee.objects.none()
    roots = Employee.objects.filter(pk__in=root_ids).values_list("pk", "supervisor_path")
    return subtree(f"{path}{pk}/" for pk, path in roots)


@dataclass
class Scope:
    """What one user may reach, computed once per request."""

    user: User
    employee: Employee | None
    hr_agency_ids: frozenset[int] = field(default_factory=frozenset)
    team_agency_ids: frozenset[int] = field(default_factory=frozenset)
    verifier_agency_ids: frozenset[int] = field(default_factory=frozenset)
    region_ids: frozenset[int] = field(default_factory=frozenset)
    acting_for_ids: tuple[int, ...] = ()
    # ``subtree_prefix`` of the employee and of whom they act for (see agencies/paths.py).
    subtree_prefixes: tuple[str, ...] = ()
    has_subordinates: bool = False
    is_second_level: bool = False

    # --- roles -------------------------------------------------------------------------
    @property
    def is_pegawai(self) -> bool:
        return self.employee is not None

    @property
    def is_atasan(self) -> bool:
        return self.has_subordinates

    @property
    def is_admin_hr(self) -> bool:
        return bool(self.hr_agency_ids)

    @property
    def is_admin_daerah(self) -> bool:
        return bool(self.region_ids)

    @property
    def is_tim_penilai(self) -> bool:
        return bool(self.team_agency_ids)

    @property
    def is_verifikator(self) -> bool:
        return bool(self.verifier_agency_ids)

    @property
    def has_dashboards(self) -> bool:
        """The dashboards: an atasan sees their team, Admin HR their agencies, the Admin
        Daerah the region (docs/dashboards.md)."""
        return self.is_atasan or self.is_admin_hr or self.is_admin_daerah

    @property
    def sees_agency_dashboards(self) -> bool:
        """The dashboards of whole agencies (distribution, supervisors' spread)."""
        return self.is_admin_hr or self.is_admin_daerah

    @property
    def role_labels(self) -> list[str]:
        labels = []
        if self.is_pegawai:
            labels.append("Pegawai")
        if self.is_atasan:
            labels.append("Atasan")
        if self.is_second_level:
            labels.append("Atasan Pejabat Penilai")
        if self.is_tim_penilai:
            labels.append("Tim Penilai")
        if self.is_verifikator:
            labels.append("Verifikator")
        if self.is_admin_hr:
            labels.append("Admin HR")
        if self.is_admin_daerah:
            labels.append("Admin Daerah")
        return labels

    @property
    def region_id(self) -> int | None:
        """The region this user works in (a user belongs to one region)."""
        if self.region_ids:
            return min(self.region_ids)
        if self.employee:
            return self.employee.region_id
        if self.hr_agency_ids:
            return Agency.objects.filter(pk__in=self.hr_agency_ids).values_list(
                "region_id", flat=True
            )[0]
        return None

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        """The time zone of the user's region (the portal's default without one)."""
        region_id = self.region_id
        name = (
            Region.objects.filter(pk=region_id).values_list("timezone", flat=True).first()
            if region_id
            else None
        )
        return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)

    # --- agencies ----------------------------------------------------------------------
    def manageable_agencies(self) -> QuerySet[Agency]:
        """Agencies whose units and employees this user administers."""
        return Agency.objects.filter(
            Q(pk__in=self.hr_agency_ids) | Q(region_id__in=self.region_ids)
        ).select_related("region")

    def can_manage_agency(self, agency_id: int, region_id: int) -> bool:
        return agency_id in self.hr_agency_ids or region_id in self.region_ids

    def visible_agencies(self) -> QuerySet[Agency]:
        return self.manageable_agencies()

    # --- employees ---------------------------------------------------------------------
    def subordinate_roots(self) -> list[int]:
        roots = list(self.acting_for_ids)
        if self.employee:
            roots.append(self.employee.pk)
        return roots

    def subordinates(self) -> EmployeeQuerySet:
        """Direct and indirect subordinates: one indexed prefix query per root."""
        return subtree(self.subtree_prefixes)

    def visible_employees(self) -> EmployeeQuerySet:
        condition = Q(agency_id__in=self.hr_agency_ids) | Q(region_id__in=self.region_ids)
        if self.employee:
            condition |= Q(pk=self.employee.pk)
        if self.has_subordinates:
            condition |= subtree_condition(self.subtree_prefixes)
        if not (self.employee or self.hr_agency_ids or self.region_ids):
            return Employee.objects.none()
        return Employee.objects.filter(condition)

    def can_edit_employee(self, employee: Employee) -> bool:
        """HR edits their agency's employees, never their own record's org data."""
        if self.employee and self.employee.pk == employee.pk and not self.region_ids:
            return False
        return self.can_manage_agency(employee.agency_id, employee.region_id)

    def visible_units(self) -> QuerySet[Unit]:
        return Unit.objects.filter(
            Q(agency_id__in=self.hr_agency_ids) | Q(region_id__in=self.region_ids)
        )

    def visible_positions(self) -> QuerySet[JobPosition]:
        region_id = self.region_id
        if region_id is None or not (self.hr_agency_ids or self.region_ids):
            return JobPosition.objects.none()
        return JobPosition.objects.filter(region_id=region_id)


def _today_for(employee: Employee | None) -> dt.date:
    if employee is not None:
        return employee.region.today()
    return timezone.localdate()


def build_scope(user: User) -> Scope:
    employee = (
        Employee.objects.select_related("region", "agency", "unit", "position")
        .filter(user=user, is_active=True)
        .first()
    )
    grants = list(user.role_grants.values_list("role", "agency_id", "region_id"))

    def agencies_with(role: str) -> frozenset[int]:
        return frozenset(a for r, a, _ in grants if r == role and a)

    acting_for: tuple[int, ...] = ()
    prefixes: tuple[str, ...] = ()
    has_subordinates = is_second_level = False
    if employee:
        today = _today_for(employee)
        acting = list(
            ActingAssignment.objects.filter(
                official=employee, start_date__lte=today, end_date__gte=today
            ).values_list("replaces_id", "replaces__supervisor_path")
        )
        acting_for = tuple(pk for pk, _path in acting)
        prefixes = (employee.subtree_prefix, *(f"{path}{pk}/" for pk, path in acting))
        roots = [employee.pk, *acting_for]
        direct = Employee.objects.filter(supervisor_id__in=roots, is_active=True)
        has_subordinates = direct.exists()
        is_second_level = (
            has_subordinates
            and Employee.objects.filter(supervisor__in=direct, is_active=True).exists()
        )
    return Scope(
        user=user,
        employee=employee,
        hr_agency_ids=agencies_with(Role.ADMIN_HR),
        team_agency_ids=agencies_with(Role.TIM_PENILAI),
        verifier_agency_ids=agencies_with(Role.VERIFIKATOR),
        region_ids=frozenset(rg for r, _, rg in grants if r == Role.ADMIN_DAERAH and rg),
        acting_for_ids=acting_for,
        subtree_prefixes=prefixes,
        has_subordinates=has_subordinates,
        is_second_level=is_second_level,
    )


def scope_for(user: User) -> Scope:
    """The user's scope, memoised on the user object for the length of a request."""
    cached: Scope | None = getattr(user, "_asn_scope", None)
    if cached is None:
        cached = build_scope(user)
        user._asn_scope = cached
    return cached


# --- one access helper per object type (see docs/architecture.md) -----------------------


def get_employee_for(user: User, pk: int, *, write: bool = False) -> Employee:
    scope = scope_for(user)
    employee = (
        scope.visible_employees().with_related().select_related("region").filter(pk=pk).first()
    )
    if employee is None:
        raise Http404("Pegawai tidak ditemukan")
    if write and not scope.can_edit_employee(employee):
        raise PermissionDenied("Anda tidak berwenang mengubah data pegawai ini")
    return employee


def get_agency_for(user: User, pk: int, *, write: bool = False) -> Agency:
    scope = scope_for(user)
    agency = scope.visible_agencies().filter(pk=pk).first()
    if agency is None:
        raise Http404("Perangkat Daerah tidak ditemukan")
    if write and not scope.can_manage_agency(agency.pk, agency.region_id):
        raise PermissionDenied
    return agency


def get_region_for_admin(user: User) -> Region:
    """The region an Admin Daerah administers; 403 for anybody else."""
    scope = scope_for(user)
    if not scope.region_ids:
        raise PermissionDenied("Hanya Admin Daerah")
    return Region.objects.get(pk=min(scope.region_ids))


def require_manager(user: User) -> Scope:
    """Admin HR or Admin Daerah pages; everybody else is refused with 403."""
    scope = scope_for(user)
    if not (scope.hr_agency_ids or scope.region_ids):
        raise PermissionDenied("Halaman ini untuk Admin HR dan Admin Daerah")
    return scope
