"""The audit trail of organisation data: snapshots of the audited fields and one writer.

Services call :func:`org_audit_record` inside their transaction, so that a change and its
audit row are committed together or not at all.
"""

from __future__ import annotations

from typing import Any

from .models import Employee, JobPosition, OrgAuditEntry, RoleGrant, Unit, User

# The employee fields whose changes are audited, with the label shown to HR.
EMPLOYEE_FIELDS = {
    "nip": "NIP",
    "name": "Nama",
    "front_title": "Gelar Depan",
    "back_title": "Gelar Belakang",
    "gender": "Jenis Kelamin",
    "birth_date": "Tanggal Lahir",
    "asn_status": "Status ASN",
    "golongan": "Golongan",
    "position": "Jabatan",
    "unit": "Unit",
    "agency": "Perangkat Daerah",
    "supervisor": "Atasan",
    "email": "Email",
    "is_active": "Aktif",
}


def employee_snapshot(employee: Employee) -> dict[str, Any]:
    """The audited fields as JSON-able values (codes and NIPs rather than ids)."""
    return employee_snapshots([employee])[employee.pk]


def employee_snapshots(employees: list[Employee]) -> dict[int, dict[str, Any]]:
    """``employee_snapshot`` for many employees with a fixed number of queries."""
    from .models import Agency

    def codes(model, ids):
        ids = {i for i in ids if i is not None}
        found: dict[int, str] = {}
        id_list = list(ids)
        for start in range(0, len(id_list), 900):
            found.update(
                model.objects.filter(pk__in=id_list[start : start + 900]).values_list("pk", "code")
            )
        return found

    positions = codes(JobPosition, [e.position_id for e in employees])
    units = codes(Unit, [e.unit_id for e in employees])
    agencies = codes(Agency, [e.agency_id for e in employees])
    supervisor_ids = list({e.supervisor_id for e in employees if e.supervisor_id})
    nips: dict[int, str] = {}
    for start in range(0, len(supervisor_ids), 900):
        nips.update(
            Employee.objects.filter(pk__in=supervisor_ids[start : start + 900]).values_list(
                "pk", "nip"
            )
        )
    return {
        e.pk: {
            "nip": e.nip,
            "name": e.name,
            "front_title": e.front_title,
            "back_title": e.back_title,
            "gender": e.gender,
            "birth_date": e.birth_date.isoformat() if e.birth_date else None,
            "asn_status": e.asn_status,
            "golongan": e.golongan,
            "position": positions.get(e.position_id),
            "unit": units.get(e.unit_id),
            "agency": agencies.get(e.agency_id),
            "supervisor": nips.get(e.supervisor_id),
            "email": e.email,
            "is_active": e.is_active,
        }
        for e in employees
    }


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only the fields that differ, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def org_audit_record(
    *,
    actor: User | None,
    action: str,
    summary: str,
    obj: Employee | Unit | JobPosition | RoleGrant | Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    import_run=None,
) -> OrgAuditEntry:
    """Write one audit row for a change to ``obj``."""
    object_type = {
        Employee: OrgAuditEntry.ObjectType.EMPLOYEE,
        Unit: OrgAuditEntry.ObjectType.UNIT,
        JobPosition: OrgAuditEntry.ObjectType.POSITION,
        RoleGrant: OrgAuditEntry.ObjectType.GRANT,
    }.get(type(obj), OrgAuditEntry.ObjectType.AGENCY)
    employee = obj if isinstance(obj, Employee) else None
    if isinstance(obj, RoleGrant):
        employee = Employee.objects.filter(user_id=obj.user_id).first()
    region_id = getattr(obj, "region_id", None)
    agency_id = getattr(obj, "agency_id", None)
    if region_id is None and agency_id is not None:
        from .models import Agency

        region_id = Agency.objects.filter(pk=agency_id).values_list("region_id", flat=True).first()
    return OrgAuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        region_id=region_id,
        agency_id=agency_id,
        employee=employee,
        object_type=object_type,
        object_id=obj.pk,
        object_label=str(obj)[:300],
        action=action,
        summary=summary[:300],
        before=before or {},
        after=after or {},
        reason=reason,
        import_run=import_run,
    )


def unit_snapshots(units: list[Unit]) -> dict[int, dict[str, Any]]:
    from .models import Agency

    ids = {u.parent_id for u in units if u.parent_id}
    parents = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "code")) if ids else {}
    parents.update({u.pk: u.code for u in units if u.pk})
    agencies = dict(
        Agency.objects.filter(pk__in={u.agency_id for u in units}).values_list("pk", "code")
    )
    return {
        u.pk: {
            "code": u.code,
            "name": u.name,
            "parent": parents.get(u.parent_id) if u.parent_id else None,
            "agency": agencies.get(u.agency_id),
        }
        for u in units
    }


def position_snapshots(positions: list[JobPosition]) -> dict[int, dict[str, Any]]:
    return {
        p.pk: {
            "code": p.code,
            "name": p.name,
            "kind": p.kind,
            "jf_level": p.jf_level,
            "grade": p.grade,
        }
        for p in positions
    }


def import_audit_entries(
    *,
    objects: list,
    before: dict[int, dict[str, Any]],
    after: dict[int, dict[str, Any]],
    object_type: str,
    label: str,
    context,
) -> int:
    """One audit entry per imported row that created or changed something, naming the run."""
    run = context.import_run
    actor = context.user if context.user is not None and context.user.pk else None
    reason = f"Impor #{run.pk}: {run.original_name}" if run is not None else "Impor"
    entries = []
    for obj in objects:
        if obj.pk in before:
            old, new = changed_fields(before[obj.pk], after[obj.pk])
            if not new:
                continue
            action, summary = f"{object_type}_imported_update", f"{label} diubah lewat impor"
        else:
            old, new = {}, after[obj.pk]
            action, summary = f"{object_type}_imported_create", f"{label} baru lewat impor"
        entries.append(
            OrgAuditEntry(
                actor=actor,
                region_id=getattr(obj, "region_id", None),
                agency_id=getattr(obj, "agency_id", None),
                employee=obj if isinstance(obj, Employee) else None,
                object_type=object_type,
                object_id=obj.pk,
                object_label=str(obj)[:300],
                action=action,
                summary=summary,
                before=old,
                after=new,
                reason=reason,
                import_run=run,
            )
        )
    OrgAuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)
