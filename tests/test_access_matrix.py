"""Role × page matrix for every URL of the organisation pages (docs/roles.md).

Outside the user's scope an object is 404; in scope but read-only, a change is 403; a page
for a role the user does not have is 403; anonymous users are sent to the login page.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

ROLES = ("pegawai", "kasi", "kepala", "sekda", "hr_a", "admin_daerah", "outsider", "hr_b")


def _url(personas, name: str) -> str:
    p = personas
    return {
        "home": reverse("home"),
        "profile": reverse("profile"),
        "agency_list": reverse("agency_list"),
        "agency_a": reverse("agency_detail", args=[p.agency_a.pk]),
        "employee_list": reverse("employee_list"),
        "pegawai_detail": reverse("employee_detail", args=[p.pegawai.pk]),
        "pegawai_edit": reverse("employee_edit", args=[p.pegawai.pk]),
        "outsider_detail": reverse("employee_detail", args=[p.outsider.pk]),
        "outsider_edit": reverse("employee_edit", args=[p.outsider.pk]),
        "positions": reverse("position_list"),
        "import_employees": reverse("import_upload", args=["employees"]),
        "import_units": reverse("import_upload", args=["units"]),
        "import_agencies": reverse("import_upload", args=["agencies"]),
        "import_positions": reverse("import_upload", args=["positions"]),
        "template_employees": reverse("import_template", args=["employees"]),
        "template_positions": reverse("import_template", args=["positions"]),
        "export_employees": reverse("export", args=["employees"]),
        "export_agencies": reverse("export", args=["agencies"]),
        "unknown_import": reverse("import_upload", args=["nonsense"]),
    }[name]


# view: expected status per role, in the order of ROLES
MATRIX = {
    #                    pegawai kasi kepala sekda hr_a adm_d outsider hr_b
    "home":              (200, 200, 200, 200, 200, 200, 200, 200),
    "profile":           (200, 200, 200, 200, 200, 200, 200, 200),
    "agency_list":       (403, 403, 403, 403, 200, 200, 403, 200),
    "agency_a":          (404, 404, 404, 404, 200, 200, 404, 404),
    "employee_list":     (200, 200, 200, 200, 200, 200, 200, 200),
    "pegawai_detail":    (200, 200, 200, 200, 200, 200, 404, 404),
    "pegawai_edit":      (403, 403, 403, 403, 200, 200, 404, 404),
    "outsider_detail":   (404, 404, 404, 200, 404, 200, 200, 200),
    "outsider_edit":     (404, 404, 404, 403, 404, 200, 403, 200),
    "positions":         (403, 403, 403, 403, 200, 200, 403, 200),
    "import_employees":  (403, 403, 403, 403, 200, 200, 403, 200),
    "import_units":      (403, 403, 403, 403, 200, 200, 403, 200),
    "import_agencies":   (403, 403, 403, 403, 403, 200, 403, 403),
    "import_positions":  (403, 403, 403, 403, 403, 200, 403, 403),
    "template_employees": (403, 403, 403, 403, 200, 200, 403, 200),
    "template_positions": (403, 403, 403, 403, 403, 200, 403, 403),
    "export_employees":  (403, 403, 403, 403, 200, 200, 403, 200),
    "export_agencies":   (403, 403, 403, 403, 403, 200, 403, 403),
    "unknown_import":    (404, 404, 404, 404, 404, 404, 404, 404),
}  # fmt: skip

CASES = [
    (view, role, expected)
    for view, statuses in MATRIX.items()
    for role, expected in zip(ROLES, statuses, strict=True)
]


@pytest.mark.parametrize(("view", "role", "expected"), CASES)
def test_role_page_matrix(personas, client, view, role, expected):
    client.force_login(personas.user(role))
    response = client.get(_url(personas, view))
    assert response.status_code == expected, f"{role} on {view}"


@pytest.mark.parametrize("view", sorted(MATRIX))
def test_anonymous_user_is_sent_to_login(personas, client, view):
    response = client.get(_url(personas, view))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["pegawai", "kasi", "kepala", "outsider"])
def test_non_hr_cannot_post_an_employee_edit(personas, client, role):
    client.force_login(personas.user(role))
    before = personas.pegawai.name
    response = client.post(_url(personas, "pegawai_edit"), {"name": "Diubah"})
    assert response.status_code in (403, 404)
    personas.pegawai.refresh_from_db()
    assert personas.pegawai.name == before


def test_admin_hr_cannot_edit_own_org_record(personas, client):
    client.force_login(personas.hr_a.user)
    response = client.get(reverse("employee_edit", args=[personas.hr_a.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("public", ["account_login", "account_reset_password", "healthz"])
def test_public_pages_need_no_login(db, client, public):
    assert client.get(reverse(public)).status_code == 200


def test_signup_is_closed(db, client):
    response = client.get(reverse("account_signup"))
    assert "Pendaftaran ditutup" in response.content.decode()
    assert b'name="password1"' not in response.content


def test_django_admin_is_for_superusers_only(personas, client, django_user_model):
    hr = personas.hr_a.user
    hr.is_staff = True
    hr.save()
    client.force_login(hr)
    assert client.get("/admin/").status_code == 302
    superuser = django_user_model.objects.create_superuser("root", "root@uji.go.id", "x")
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200
