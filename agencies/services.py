"""Writes to organisation data (see docs/architecture.md)."""

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
    _check_account_is_free(locked)
    locked.save()
    _sync_account(locked, acting_user=acting_user)
    return locked


def _check_account_is_free(employee: Employee) -> None:
    """The login (NIP) and e-mail must not belong to another account."""
    others = User.objects.exclude(pk=employee.user_id) if employee.user_id else User.objects.all()
    if others.filter(username=employee.nip).exists():
        raise ValidationError({"nip": "NIP ini sudah dipakai akun lain"})
    if employee.email and others.filter(email__iexact=employee.email).exists():
        raise ValidationError({"email": "E-mail ini sudah dipakai akun lain"})


def _sync_account(employee: Employee, *, acting_user: User) -> None:
    """Keep the login in step with the record; invite a person who has never set a password
    as soon as they have an e-mail address."""
    from django.contrib.auth.hashers import make_password

    from reports.jobs import job_create

    user = employee.user
    if user is None:
        user = User.objects.create(
            username=employee.nip, email=employee.email, password=make_password(None),
            first_name=employee.name[:150], is_active=employee.is_active,
        )  # fmt: skip
        Employee.objects.filter(pk=employee.pk).update(user=user)
        had_email = False
    else:
        had_email = bool(user.email)
        changed = []
        for attr, value in (
            ("username", employee.nip),
            ("email", employee.email),
            ("is_active", employee.is_active),
        ):
            if getattr(user, attr) != value:
                setattr(user, attr, value)
                changed.append(attr)
        if changed:
            user.save(update_fields=changed)
    if employee.email and not had_email and not user.has_usable_password() and user.is_active:
        job_create(
            kind="send_invitations",
            payload={"user_ids": [user.pk]},
            created_by=acting_user,
            region=employee.region,
            total=1,
        )
