"""Reads of organisation data with their joins built in (see docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet

from .models import Agency, Employee, Unit

if TYPE_CHECKING:
    from .access import Scope
    from .models import OrgAuditEntry


@dataclass
class UnitNode:
    unit: Unit
    head_count: int
    children: list[UnitNode] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.head_count + sum(child.total for child in self.children)


def unit_tree(agency: Agency) -> list[UnitNode]:
    """The agency's units as a tree with active head counts, in two queries."""
    units = list(
        Unit.objects.filter(agency=agency)
        .annotate(head_count=Count("employees", filter=Q(employees__is_active=True)))
        .order_by("code")
    )
    nodes = {u.pk: UnitNode(unit=u, head_count=u.head_count) for u in units}
    roots: list[UnitNode] = []
    for unit in units:
        parent = nodes.get(unit.parent_id) if unit.parent_id is not None else None
        (parent.children if parent else roots).append(nodes[unit.pk])
    return roots


def flatten(nodes: list[UnitNode], depth: int = 0) -> Iterator[tuple[UnitNode, int]]:
    """Depth-first (node, depth) pairs, for rendering the tree without recursion in templates."""
    for node in nodes:
        yield node, depth
        yield from flatten(node.children, depth + 1)


def employee_export_rows(employees: QuerySet[Employee]) -> Iterator[list[Any]]:
    """Employee rows in the import file's column order, streamed from one query.

    The same columns as ``EmployeeResource``; going through ``values_list`` instead of the
    resource's per-field dehydration keeps a 60,000-row export to seconds.
    """
    columns = (
        "nip", "name", "front_title", "back_title", "gender", "birth_date", "asn_status",
        "golongan", "position__code", "unit__code", "supervisor__nip", "email",
    )  # fmt: skip
    for row in employees.order_by("pk").values_list(*columns).iterator(chunk_size=5000):
        row = list(row)
        row[5] = row[5].strftime("%d-%m-%Y")
        yield ["" if value is None else value for value in row]


def org_audit_for_employee(employee: Employee) -> QuerySet[OrgAuditEntry]:
    """The organisation audit trail of one employee, newest first."""
    from .models import OrgAuditEntry

    return (
        OrgAuditEntry.objects.filter(employee=employee)
        .select_related("actor__employee_record", "import_run")
        .order_by("-at", "-pk")
    )


def org_audit_visible(scope: Scope, *, object_type: str = "") -> QuerySet[OrgAuditEntry]:
    """Entries an Admin HR (their agencies) or Admin Daerah (their region) may read."""
    from django.db.models import Q

    from .models import OrgAuditEntry

    entries = OrgAuditEntry.objects.filter(
        Q(agency_id__in=scope.hr_agency_ids) | Q(region_id__in=scope.region_ids)
    )
    if object_type:
        entries = entries.filter(object_type=object_type)
    return entries.select_related("actor__employee_record", "import_run").order_by("-at", "-pk")
