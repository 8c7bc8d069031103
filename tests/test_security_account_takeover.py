"""An Admin HR cannot take over an account by changing its e-mail or NIP.

The attack: HR sets a colleague's e-mail to an address HR reads, asks for a password reset
there, and logs in as that person (their own supervisor, or a holder of roles elsewhere).
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from agencies.models import OrgAuditEntry, Role
from tests.factories import grant

from .test_org_rules import _form

ATTACKER_ADDRESS = "hr.attacker@contoh.id"


def _hr_changes_email(client, personas, employee, address, capture):
    client.force_login(personas.hr_a.user)
    with capture(execute=True):
        return client.post(
            reverse("employee_edit", args=[employee.pk]), _form(employee, email=address)
        )


def test_admin_hr_changing_the_email_of_an_account_in_use_only_requests_it(
    personas, client, django_capture_on_commit_callbacks
):
    kasi = personas.kasi
    old = kasi.email
    response = _hr_changes_email(
        client, personas, kasi, ATTACKER_ADDRESS, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    kasi.refresh_from_db()
    kasi.user.refresh_from_db()
    assert kasi.email == old and kasi.user.email == old  # nothing changed yet
    pending = EmailAddress.objects.get(user=kasi.user, email=ATTACKER_ADDRESS)
    assert not pending.verified
    recipients = {tuple(m.to) for m in mail.outbox}
    assert (ATTACKER_ADDRESS,) in recipients  # the confirmation link
    assert (old,) in recipients  # the notice to the old address
    assert OrgAuditEntry.objects.filter(employee=kasi, action="email_change_requested").exists()


def test_password_reset_is_never_sent_to_an_address_awaiting_confirmation(
    personas, client, django_capture_on_commit_callbacks
):
    kasi = personas.kasi
    _hr_changes_email(client, personas, kasi, ATTACKER_ADDRESS, django_capture_on_commit_callbacks)
    client.logout()
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": ATTACKER_ADDRESS})
    assert not any("password/reset/key" in m.body or "/kunci/" in m.body for m in mail.outbox)
    assert not any(kasi.user.username in m.body for m in mail.outbox)


def test_password_reset_still_reaches_the_current_address(personas, client):
    client.post(reverse("account_reset_password"), {"email": personas.kasi.email})
    assert [m.to for m in mail.outbox] == [[personas.kasi.email]]


def test_the_new_email_takes_effect_once_confirmed_from_the_new_address(
    personas, client, django_capture_on_commit_callbacks
):
    kasi = personas.kasi
    _hr_changes_email(
        client, personas, kasi, "kasi.baru@uji.go.id", django_capture_on_commit_callbacks
    )
    confirmation = next(m for m in mail.outbox if m.to == ["kasi.baru@uji.go.id"])
    url = re.search(r"https?://\S+", confirmation.body)[0]
    path = url.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    response = client.post("/" + path)
    assert response.status_code in (200, 302)
    kasi.refresh_from_db()
    kasi.user.refresh_from_db()
    assert kasi.email == kasi.user.email == "kasi.baru@uji.go.id"
    assert OrgAuditEntry.objects.filter(employee=kasi, action="email_change_confirmed").exists()


def test_an_unused_account_takes_a_corrected_email_at_once(personas, client):
    user = personas.pegawai.user
    user.set_unusable_password()
    user.save()
    client.force_login(personas.hr_a.user)
    client.post(
        reverse("employee_edit", args=[personas.pegawai.pk]),
        _form(personas.pegawai, email="ketik.benar@uji.go.id"),
    )
    user.refresh_from_db()
    assert user.email == "ketik.benar@uji.go.id"


@pytest.mark.parametrize("where", ["other_agency", "admin_daerah"])
def test_admin_hr_can_never_change_the_email_of_a_holder_of_outside_roles(personas, client, where):
    target = personas.pegawai
    if where == "other_agency":
        grant(target.user, Role.VERIFIKATOR, agency=personas.agency_b)
    else:
        grant(target.user, Role.ADMIN_DAERAH, region=personas.region)
    client.force_login(personas.hr_a.user)
    response = client.post(
        reverse("employee_edit", args=[target.pk]), _form(target, email=ATTACKER_ADDRESS)
    )
    assert response.status_code == 200
    assert "hanya dapat diubah oleh Admin Daerah" in response.content.decode()
    assert not EmailAddress.objects.filter(email=ATTACKER_ADDRESS).exists()
    assert mail.outbox == []


def test_admin_daerah_may_request_the_change_for_a_holder_of_roles(
    personas, client, django_capture_on_commit_callbacks
):
    target = personas.hr_b
    client.force_login(personas.admin_daerah)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("employee_edit", args=[target.pk]), _form(target, email="hrb@uji.go.id")
        )
    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=target.user, email="hrb@uji.go.id").exists()


def test_a_nip_change_of_an_account_in_use_waits_for_the_owner(
    personas, client, django_capture_on_commit_callbacks
):
    from tests.factories import make_nip

    kasi = personas.kasi
    old_nip = kasi.nip
    new_nip = make_nip(kasi.birth_date, kasi.gender, 777, tmt=(2011, 4))
    client.force_login(personas.hr_a.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("employee_edit", args=[kasi.pk]), _form(kasi, nip=new_nip))
    assert response.status_code == 302
    kasi.refresh_from_db()
    assert kasi.nip == old_nip and kasi.user.username == old_nip
    message = next(m for m in mail.outbox if m.to == [kasi.email])
    path = "/" + re.search(r"https?://\S+", message.body)[0].split("://", 1)[1].split("/", 1)[1]
    client.logout()
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    kasi.refresh_from_db()
    kasi.user.refresh_from_db()
    assert kasi.nip == kasi.user.username == new_nip


def test_a_forged_nip_change_link_is_refused(personas, client):
    response = client.post(reverse("nip_change_confirm", args=["palsu:xyz"]))
    assert response.status_code == 404


def test_a_supervisor_who_never_logged_in_keeps_the_email_until_confirmation(
    personas, client, django_capture_on_commit_callbacks
):
    """Taking over a supervisor's unused account would let HR score their own appraisal."""
    kasi = personas.kasi
    kasi.user.set_unusable_password()
    kasi.user.save()
    old = kasi.email
    _hr_changes_email(client, personas, kasi, ATTACKER_ADDRESS, django_capture_on_commit_callbacks)
    kasi.user.refresh_from_db()
    assert kasi.user.email == old
    assert EmailAddress.objects.filter(user=kasi.user, email=ATTACKER_ADDRESS, verified=False)
