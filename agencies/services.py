"""Writes to organisation data (STYLE.md convention 3)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from .access import scope_for
from .importing.specs import find_cycles
from .models import Employee, User


def supervisor_cycle(employee: Employee, supervisor: Employee | None) -> list[str] | None:
    """The cycle (as NIPs) that making ``supervisor`` the atasan of ``employee`` would close."""
    if supervisor is None:
        return None
    if supervisor.pk == employee.pk:
        return [employee.nip, employee.nip]
    parent_of = dict(
        Employee.objects.filter(region_id=employee.region_id).values_list("nip", "supervisor__nip")
    )
    parent_of[employee.nip] = supervisor.nip
    return find_cycles(parent_of, [employee.nip]).get(employee.nip)


@transaction.atomic
def employee_update(
    *, acting_user: User, employee: Employee, data: dict[str, Any], supervisor_nip: str
) -> Employee:
    """Save an HR edit. A move to a unit of another agency is a transfer (Admin Daerah)."""
    scope = scope_for(acting_user)
    locked = Employee.objects.select_for_update().get(pk=employee.pk)
    unit = data["unit"]
    if unit.agency_id != locked.agency_id and locked.region_id not in scope.region_ids:
        raise ValidationError({"unit": "Mutasi antar Perangkat Daerah dilakukan oleh Admin Daerah"})
    supervisor = None
    if supervisor_nip:
        nip = "".join(supervisor_nip.split())
        supervisor = Employee.objects.filter(nip=nip, region_id=locked.region_id).first()
        if supervisor is None:
            raise ValidationError({"supervisor_nip": "NIP atasan tidak ditemukan di daerah ini"})
        cycle = supervisor_cycle(locked, supervisor)
        if cycle:
            raise ValidationError(
                {"supervisor_nip": "Membentuk siklus atasan: " + " → ".join(cycle)}
            )
    for field, value in data.items():
        setattr(locked, field, value)
    locked.agency_id = unit.agency_id
    locked.supervisor = supervisor
    locked.full_clean(exclude=["user"])
    locked.save()
    if locked.user_id:
        user = locked.user
        changed = []
        if user.username != locked.nip:
            user.username = locked.nip
            changed.append("username")
        if user.email != locked.email:
            user.email = locked.email
            changed.append("email")
        if user.is_active != locked.is_active:
            user.is_active = locked.is_active
            changed.append("is_active")
        if changed:
            user.save(update_fields=changed)
    return locked
