"""An import never adopts a login holding roles elsewhere, and roles end with the person.

The attack: a login is left without an employee record (the record was deleted) but keeps
its roles, e.g. Admin HR of another agency; an Admin HR imports a row with that NIP and an
address they read, and so adopts those roles.
"""

from django.core import mail
from django.urls import reverse

from agencies.importing.specs import EmployeeSpec
from agencies.models import Employee, OrgAuditEntry, Role, RoleGrant
from tests.factories import UserFactory, grant

from .import_files import csv_bytes, employee_row, messages, run, table
from .test_org_rules import _form


def _file(row):
    return csv_bytes(table(EmployeeSpec.headers(), [row]))


def _hr_a_imports(personas, row):
    return run(
        "employees",
        _file(row),
        "p.csv",
        region=personas.region,
        agency_ids=[personas.agency_a.pk],
        user=personas.hr_a.user,
    )


def test_an_import_never_attaches_a_login_holding_roles_in_another_agency(personas):
    row = employee_row(position=personas.pegawai.position.code, unit=personas.unit_a.code)
    orphan = UserFactory(username=row["NIP"], email="yatim@uji.go.id")
    grant(orphan, Role.ADMIN_HR, agency=personas.agency_b)
    result = _hr_a_imports(personas, {**row, "Email": "penyerang@contoh.id"})
    assert messages(result) == [
        "Baris 2, kolom NIP: NIP ini milik akun yang memegang peran di luar Perangkat Daerah "
        "unitnya; hubungi Admin Daerah"
    ]
    assert not Employee.objects.filter(nip=row["NIP"]).exists()
    orphan.refresh_from_db()
    assert orphan.email == "yatim@uji.go.id"


def test_an_import_never_attaches_a_login_of_an_admin_daerah(personas):
    row = employee_row(position=personas.pegawai.position.code, unit=personas.unit_a.code)
    orphan = UserFactory(username=row["NIP"])
    grant(orphan, Role.ADMIN_DAERAH, region=personas.region)
    result = run("employees", _file(row), "p.csv", region=personas.region)  # even region-wide
    assert [m.split(":")[0] for m in messages(result)] == ["Baris 2, kolom NIP"]


def test_a_used_orphan_login_is_reattached_but_its_email_waits_for_confirmation(
    personas, django_capture_on_commit_callbacks
):
    row = employee_row(position=personas.pegawai.position.code, unit=personas.unit_a.code)
    orphan = UserFactory(username=row["NIP"], email="pemilik@uji.go.id")
    with django_capture_on_commit_callbacks(execute=True):
        result = _hr_a_imports(personas, {**row, "Email": "penyerang@contoh.id"})
    assert result.ok, messages(result)
    orphan.refresh_from_db()
    assert orphan.email == "pemilik@uji.go.id"
    assert Employee.objects.get(nip=row["NIP"]).email == "pemilik@uji.go.id"
    assert ["penyerang@contoh.id"] in [m.to for m in mail.outbox]


def test_an_import_changing_the_email_of_an_account_in_use_only_requests_it(
    personas, django_capture_on_commit_callbacks
):
    kasi = personas.kasi
    row = employee_row(
        position=kasi.position.code,
        unit=kasi.unit.code,
        birth=kasi.birth_date,
        gender=kasi.gender,
        NIP=kasi.nip,
        Nama=kasi.name,
        NIP_Atasan=kasi.supervisor.nip,
        Email="penyerang@contoh.id",
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = _hr_a_imports(personas, row)
    assert result.ok, messages(result)
    kasi.refresh_from_db()
    kasi.user.refresh_from_db()
    assert kasi.email == kasi.user.email != "penyerang@contoh.id"
    assert ["penyerang@contoh.id"] in [m.to for m in mail.outbox]


def test_an_import_may_not_change_the_email_of_a_holder_of_roles_elsewhere(personas):
    target = personas.pegawai
    grant(target.user, Role.VERIFIKATOR, agency=personas.agency_b)
    row = employee_row(
        position=target.position.code,
        unit=target.unit.code,
        birth=target.birth_date,
        gender=target.gender,
        NIP=target.nip,
        Nama=target.name,
        NIP_Atasan=target.supervisor.nip,
        Email="penyerang@contoh.id",
    )
    result = _hr_a_imports(personas, row)
    assert [m.split(":")[0] for m in messages(result)] == ["Baris 2, kolom Email"]


def test_deactivating_an_employee_revokes_their_roles_with_an_audit_entry(personas, client):
    client.force_login(personas.admin_daerah)
    data = _form(personas.team_a)
    del data["is_active"]
    response = client.post(reverse("employee_edit", args=[personas.team_a.pk]), data)
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(user=personas.team_a.user).exists()
    assert OrgAuditEntry.objects.filter(action="grant_revoked").count() == 1


def test_removing_an_employee_record_revokes_their_roles(personas):
    user = personas.verif_a.user
    personas.verif_a.delete()
    assert not RoleGrant.objects.filter(user=user).exists()


def test_deactivating_an_employee_in_the_admin_revokes_their_roles(personas, client):
    root = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(root)
    team = personas.team_a
    data = {
        "region": team.region_id, "agency": team.agency_id, "unit": team.unit_id,
        "position": team.position_id, "user": team.user_id, "nip": team.nip, "name": team.name,
        "front_title": "", "back_title": "", "gender": team.gender,
        "birth_date": team.birth_date.isoformat(), "asn_status": team.asn_status,
        "golongan": team.golongan, "supervisor": team.supervisor_id, "email": team.email,
    }  # fmt: skip
    response = client.post(reverse("admin:agencies_employee_change", args=[team.pk]), data)
    assert response.status_code == 302, response.content.decode()[:1500]
    assert not RoleGrant.objects.filter(user=team.user).exists()
    assert OrgAuditEntry.objects.filter(action="grant_revoked", actor=root).exists()
