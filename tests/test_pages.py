"""What users see on the organisation pages: lists, filters, the unit tree, login, language."""

import pytest
from django.urls import reverse

from .factories import EmployeeFactory, UnitFactory
from .personas import PASSWORD


def test_login_by_nip_typed_with_spaces(personas, client):
    nip = personas.pegawai.nip
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    response = client.post(reverse("account_login"), {"login": spaced, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == personas.pegawai.user


def test_login_by_email(personas, client):
    response = client.post(
        reverse("account_login"), {"login": "admin@uji.go.id", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_wrong_password_is_refused_in_indonesian(personas, client):
    response = client.post(
        reverse("account_login"), {"login": personas.pegawai.nip, "password": "salah"}
    )
    assert response.status_code == 200
    assert "tidak benar" in response.content.decode() or "salah" in response.content.decode()


def test_repeated_failed_logins_are_rate_limited(personas, client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    pages = [
        client.post(
            reverse("account_login"), {"login": personas.pegawai.nip, "password": "salah"}
        ).content.decode()
        for _ in range(6)
    ]
    assert "Terlalu banyak percobaan masuk yang gagal" not in pages[0]
    assert "Terlalu banyak percobaan masuk yang gagal" in pages[-1]
    # Even the right password is refused while the limit holds.
    page = client.post(
        reverse("account_login"), {"login": personas.pegawai.nip, "password": PASSWORD}
    ).content.decode()
    assert "Terlalu banyak percobaan masuk yang gagal" in page


def test_pages_are_in_indonesian_by_default_and_english_on_request(personas, client):
    client.force_login(personas.pegawai.user)
    page = client.get(reverse("profile")).content.decode()
    assert 'lang="id"' in page and "Tanggal lahir" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("profile")).content.decode()
    assert 'lang="en"' in page


def test_dates_are_shown_dd_mm_yyyy(personas, client):
    client.force_login(personas.pegawai.user)
    page = client.get(reverse("profile")).content.decode()
    assert personas.pegawai.birth_date.strftime("%d/%m/%Y") in page


def test_missing_page_is_explained_in_indonesian(personas, client, settings):
    settings.DEBUG = False
    client.force_login(personas.pegawai.user)
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_home_shows_each_role(personas, client):
    client.force_login(personas.kepala.user)
    page = client.get(reverse("home")).content.decode()
    assert "Atasan Pejabat Penilai" in page
    client.force_login(personas.hr_a.user)
    page = client.get(reverse("home")).content.decode()
    assert "Admin HR" in page and "Dinas Alfa" in page


def test_unit_tree_shows_head_counts_including_sub_units(personas, client):
    client.force_login(personas.hr_a.user)
    response = client.get(reverse("agency_detail", args=[personas.agency_a.pk]))
    rows = {node.unit.code: node for node, _depth in response.context["rows"]}
    assert rows["DINA-S1"].head_count == 5  # kasi, pegawai, three peers
    assert rows["DINA"].total == 9


def test_employee_list_search_and_filters(personas, client):
    client.force_login(personas.hr_a.user)
    url = reverse("employee_list")
    names = lambda r: {e.name for e in r.context["page"]}  # noqa: E731
    assert names(client.get(url, {"q": "Rekan"})) == {
        "Rekan Alfa 1",
        "Rekan Alfa 2",
        "Rekan Alfa 3",
    }
    assert names(client.get(url, {"q": personas.pegawai.nip[:12]})) >= {"Pegawai Alfa"}
    assert names(client.get(url, {"unit": personas.unit_a.pk})) == {
        "Kasi Alfa", "Pegawai Alfa", "Rekan Alfa 1", "Rekan Alfa 2", "Rekan Alfa 3",
    }  # fmt: skip
    assert names(client.get(url, {"golongan": "IV/c"})) == {"Kepala Alfa"}
    assert names(client.get(url, {"status": "PPPK"})) == set()
    assert names(client.get(url, {"position_kind": "Pelaksana"})) >= {"Pegawai Alfa"}


def test_employee_list_paginates(personas, client):
    for _ in range(30):
        EmployeeFactory(unit=personas.unit_a, supervisor=personas.kasi)
    client.force_login(personas.hr_a.user)
    first = client.get(reverse("employee_list"))
    assert len(first.context["page"]) == 25
    second = client.get(reverse("employee_list"), {"setelah": first.context["page"].next_cursor})
    assert len(second.context["page"]) == 39 - 25
    assert not second.context["page"].has_next
    back = client.get(reverse("employee_list"), {"sebelum": second.context["page"].previous_cursor})
    assert [e.pk for e in back.context["page"]] == [e.pk for e in first.context["page"]]


def test_htmx_filter_returns_only_the_table(personas, client):
    client.force_login(personas.hr_a.user)
    response = client.get(reverse("employee_list"), {"q": "Rekan"}, HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "agencies/partials/employee_table.html"


@pytest.mark.parametrize("raw", ["²", "99999999999999999999999", "abc"])
def test_a_malformed_agency_filter_never_crashes_the_list(personas, client, raw):
    client.force_login(personas.admin_daerah)
    assert client.get(reverse("employee_list"), {"agency": raw}).status_code == 200


# --- query counts do not grow with the data (docs/architecture.md) -----------------------


def _grow(personas, n):
    unit = UnitFactory(agency=personas.agency_a, parent=personas.unit_a)
    for _ in range(n):
        EmployeeFactory(unit=unit, supervisor=personas.kasi)


@pytest.mark.parametrize(
    ("role", "url_name", "args"),
    [
        ("hr_a", "employee_list", []),
        ("kepala", "employee_list", []),
        ("hr_a", "agency_list", []),
        ("hr_a", "position_list", []),
        ("hr_a", "home", []),
        ("kasi", "home", []),
    ],
)
def test_page_query_count_does_not_grow_with_the_data(
    personas, client, django_assert_max_num_queries, role, url_name, args
):
    client.force_login(personas.user(role))
    url = reverse(url_name, args=args)
    _grow(personas, 5)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(personas, 50)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


def test_agency_tree_query_count_does_not_grow_with_units(personas, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas.hr_a.user)
    url = reverse("agency_detail", args=[personas.agency_a.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(40):
        UnitFactory(agency=personas.agency_a, parent=personas.unit_a)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
