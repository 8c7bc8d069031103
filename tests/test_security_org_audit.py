"""Every change to organisation data leaves an audit entry: who, when, before, after, why.

The attack it answers: an insider moves a colleague under another supervisor, changes a
golongan or an e-mail, or hands out a role, and nothing shows who did it or what it was.
"""

import pytest
from django.urls import reverse

from agencies.importing.specs import EmployeeSpec, PositionSpec, UnitSpec
from agencies.models import ImportRun, OrgAuditEntry, Role, RoleGrant
from agencies.services import role_grant_create, role_grant_revoke

from .import_files import csv_bytes, employee_row, run, table
from .test_org_rules import _form


def test_an_hr_edit_records_each_changed_field_before_and_after(personas, client):
    client.force_login(personas.hr_a.user)
    client.post(
        reverse("employee_edit", args=[personas.pegawai.pk]),
        _form(personas.pegawai, golongan="III/c", supervisor_nip=personas.kepala.nip),
    )
    entry = OrgAuditEntry.objects.get(employee=personas.pegawai, action="employee_updated")
    assert entry.actor == personas.hr_a.user and entry.at
    assert entry.before == {"golongan": "III/a", "supervisor": personas.kasi.nip}
    assert entry.after == {"golongan": "III/c", "supervisor": personas.kepala.nip}


def test_an_edit_that_changes_nothing_records_nothing(personas, client):
    client.force_login(personas.hr_a.user)
    client.post(reverse("employee_edit", args=[personas.pegawai.pk]), _form(personas.pegawai))
    assert not OrgAuditEntry.objects.exists()


def test_an_import_records_one_entry_per_changed_row_naming_the_run(personas):
    kasi = personas.kasi
    changed = employee_row(
        position=kasi.position.code, unit=kasi.unit.code, birth=kasi.birth_date,
        gender=kasi.gender, NIP=kasi.nip, Nama=kasi.name, NIP_Atasan=kasi.supervisor.nip,
        Email=kasi.email, Golongan="IV/a", Gelar_Belakang="",
    )  # fmt: skip
    new = employee_row(position=kasi.position.code, unit=kasi.unit.code, serial=5)
    import_run = ImportRun.objects.create(
        kind="employees", region=personas.region, uploaded_by=personas.admin_daerah,
        original_name="pegawai.csv", status="importing",
    )  # fmt: skip
    from agencies.importing.base import REGISTRY, ImportContext, run_import

    context = ImportContext(region=personas.region, user=personas.admin_daerah)
    context.import_run = import_run
    result = run_import(
        REGISTRY["employees"], csv_bytes(table(EmployeeSpec.headers(), [changed, new])),
        "pegawai.csv", context,
    )  # fmt: skip
    assert result.ok, result.errors
    entries = OrgAuditEntry.objects.filter(import_run=import_run)
    assert entries.count() == 2
    update = entries.get(employee=kasi)
    assert update.after == {"golongan": "IV/a"} and update.before == {"golongan": "III/d"}
    assert update.reason == f"Impor #{import_run.pk}: pegawai.csv"
    assert update.actor == personas.admin_daerah


def test_unit_and_position_imports_are_audited(personas):
    units = [["DINA-S9", "Seksi Baru", "DINA", "DINA"]]
    assert run("units", csv_bytes(table(UnitSpec.headers(), units)), "u.csv",
               region=personas.region).ok  # fmt: skip
    positions = [["JAB-X", "Analis Data", "Pelaksana", "", 7]]
    assert run("positions", csv_bytes(table(PositionSpec.headers(), positions)), "p.csv",
               region=personas.region).ok  # fmt: skip
    assert (
        OrgAuditEntry.objects.filter(object_type="unit", action="unit_imported_create").count() == 1
    )
    entry = OrgAuditEntry.objects.get(object_type="position")
    assert entry.after["name"] == "Analis Data"


def test_granting_and_revoking_a_role_is_audited(personas):
    grant = role_grant_create(
        acting_user=personas.admin_daerah, user=personas.kasi.user, role=Role.VERIFIKATOR,
        agency=personas.agency_a, reason="SK Kepala Dinas",
    )  # fmt: skip
    role_grant_revoke(acting_user=personas.admin_daerah, grant=grant, reason="Pindah tugas")
    actions = list(OrgAuditEntry.objects.values_list("action", "reason", "employee_id"))
    assert actions == [
        ("grant_created", "SK Kepala Dinas", personas.kasi.pk),
        ("grant_revoked", "Pindah tugas", personas.kasi.pk),
    ]
    assert not RoleGrant.objects.filter(user=personas.kasi.user, role=Role.VERIFIKATOR).exists()


def test_hr_sees_the_changes_on_the_employee_page_and_the_audit_page(personas, client):
    client.force_login(personas.hr_a.user)
    client.post(
        reverse("employee_edit", args=[personas.pegawai.pk]),
        _form(personas.pegawai, golongan="III/c"),
    )
    page = client.get(reverse("employee_detail", args=[personas.pegawai.pk])).content.decode()
    assert 'data-testid="org-audit"' in page and "III/c" in page
    page = client.get(reverse("org_audit")).content.decode()
    assert "Data pegawai diubah" in page and personas.pegawai.name in page


@pytest.mark.parametrize("who", ["hr_b", "pegawai", "kasi"])
def test_others_do_not_see_the_changes(personas, client, who):
    client.force_login(personas.hr_a.user)
    client.post(
        reverse("employee_edit", args=[personas.pegawai.pk]),
        _form(personas.pegawai, golongan="III/c"),
    )
    client.force_login(personas.user(who))
    response = client.get(reverse("org_audit"))
    if who == "hr_b":
        assert response.status_code == 200
        assert personas.pegawai.name not in response.content.decode()
    else:
        assert response.status_code == 403
    detail = client.get(reverse("employee_detail", args=[personas.pegawai.pk]))
    assert detail.status_code == 404 or 'data-testid="org-audit"' not in detail.content.decode()


def test_admin_edits_are_audited(personas, client):
    from tests.factories import UserFactory

    root = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(root)
    unit = personas.unit_a
    response = client.post(
        reverse("admin:agencies_unit_change", args=[unit.pk]),
        {"region": unit.region_id, "agency": unit.agency_id, "code": unit.code,
         "name": "Seksi Layanan Baru", "parent": unit.parent_id or ""},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = OrgAuditEntry.objects.get(action="admin_update", object_type="unit")
    assert entry.after == {"name": "Seksi Layanan Baru"} and entry.actor == root


@pytest.mark.parametrize("rows", [5, 50])
def test_the_audit_page_needs_the_same_queries_for_5_or_50_entries(
    personas, client, django_assert_max_num_queries, rows
):
    from agencies.audit import org_audit_record

    for n in range(rows):
        org_audit_record(
            actor=personas.hr_a.user, action="employee_updated", summary=f"Ubah {n}",
            obj=personas.pegawai, before={"golongan": "III/a"}, after={"golongan": "III/b"},
        )  # fmt: skip
    client.force_login(personas.hr_a.user)
    client.get(reverse("org_audit"))  # warm the session and scope caches
    with django_assert_max_num_queries(12):
        assert client.get(reverse("org_audit")).status_code == 200
    with django_assert_max_num_queries(16):
        page = client.get(reverse("employee_detail", args=[personas.pegawai.pk]))
        assert page.status_code == 200
