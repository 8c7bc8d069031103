"""Organisation rules enforced by services and the edit page."""

import pytest
from django.urls import reverse

from agencies.models import Employee


def _form(employee: Employee, **changes):
    data = {
        "nip": employee.nip,
        "name": employee.name,
        "front_title": employee.front_title,
        "back_title": employee.back_title,
        "gender": employee.gender,
        "birth_date": employee.birth_date.isoformat(),
        "asn_status": employee.asn_status,
        "golongan": employee.golongan,
        "position": employee.position_id,
        "unit": employee.unit_id,
        "email": employee.email,
        "is_active": "on",
        "supervisor_nip": employee.supervisor.nip if employee.supervisor else "",
    }
    data.update(changes)
    return data


def test_hr_edits_an_employee_and_golongan_is_normalised(personas, client):
    client.force_login(personas.hr_a.user)
    url = reverse("employee_edit", args=[personas.pegawai.pk])
    response = client.post(url, _form(personas.pegawai, name="Nama Baru", golongan="iii / B"))
    assert response.status_code == 302
    personas.pegawai.refresh_from_db()
    assert (personas.pegawai.name, personas.pegawai.golongan) == ("Nama Baru", "III/b")


def test_supervisor_cycle_is_refused_with_the_cycle_named(personas, client):
    client.force_login(personas.hr_a.user)
    url = reverse("employee_edit", args=[personas.kasi.pk])
    response = client.post(url, _form(personas.kasi, supervisor_nip=personas.pegawai.nip))
    assert response.status_code == 200
    assert "siklus atasan" in response.content.decode()
    personas.kasi.refresh_from_db()
    assert personas.kasi.supervisor == personas.kepala


def test_nobody_supervises_themself(personas, client):
    client.force_login(personas.hr_a.user)
    url = reverse("employee_edit", args=[personas.kasi.pk])
    response = client.post(url, _form(personas.kasi, supervisor_nip=personas.kasi.nip))
    assert "siklus atasan" in response.content.decode()


def test_supervisor_may_be_in_another_agency(personas, client):
    client.force_login(personas.hr_a.user)
    url = reverse("employee_edit", args=[personas.kepala.pk])
    response = client.post(url, _form(personas.kepala, supervisor_nip=personas.kepala_b.nip))
    assert response.status_code == 302
    personas.kepala.refresh_from_db()
    assert personas.kepala.supervisor == personas.kepala_b


def test_invalid_nip_is_explained_in_indonesian(personas, client):
    client.force_login(personas.hr_a.user)
    url = reverse("employee_edit", args=[personas.pegawai.pk])
    response = client.post(url, _form(personas.pegawai, nip="12345"))
    assert "NIP harus terdiri dari 18 digit angka" in response.content.decode()


def test_admin_hr_cannot_transfer_to_another_agency(personas, client):
    client.force_login(personas.hr_a.user)
    url = reverse("employee_edit", args=[personas.pegawai.pk])
    response = client.post(url, _form(personas.pegawai, unit=personas.unit_b.pk))
    assert response.status_code == 200  # unit of B is not even a choice for HR of A
    personas.pegawai.refresh_from_db()
    assert personas.pegawai.agency == personas.agency_a


def test_admin_daerah_transfers_between_agencies(personas, client):
    client.force_login(personas.admin_daerah)
    url = reverse("employee_edit", args=[personas.pegawai.pk])
    response = client.post(url, _form(personas.pegawai, unit=personas.unit_b.pk))
    assert response.status_code == 302
    personas.pegawai.refresh_from_db()
    assert personas.pegawai.agency == personas.agency_b


@pytest.mark.django_db
def test_employee_cannot_be_its_own_supervisor_in_the_database(personas):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Employee.objects.filter(pk=personas.kasi.pk).update(supervisor=personas.kasi)


def test_an_email_taken_by_another_account_is_refused_without_a_crash(personas, client):
    client.force_login(personas.hr_a.user)
    url = reverse("employee_edit", args=[personas.pegawai.pk])
    response = client.post(url, _form(personas.pegawai, email=personas.kasi.email.upper()))
    assert response.status_code == 200
    assert "E-mail ini sudah dipakai akun lain" in response.content.decode()


def test_a_first_email_for_an_account_without_password_sends_an_invitation(
    personas, client, django_capture_on_commit_callbacks
):
    from reports.models import Job

    user = personas.pegawai.user
    user.email = ""
    user.set_unusable_password()
    user.save()
    personas.pegawai.email = ""
    personas.pegawai.save()
    client.force_login(personas.hr_a.user)
    url = reverse("employee_edit", args=[personas.pegawai.pk])
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url, _form(personas.pegawai, email="baru@uji.go.id"))
    assert response.status_code == 302
    job = Job.objects.get(kind="send_invitations")
    assert job.payload == {"user_ids": [user.pk]}
    assert len(callbacks) == 1  # enqueued once the edit commits
