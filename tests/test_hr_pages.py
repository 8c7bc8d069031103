"""HR's pages say what they are: each import names its kind and columns, every import the
user may run is reachable, and the cycle form shows every error where it can be seen."""

import pytest
from django.urls import reverse

from agencies.importing.base import REGISTRY


@pytest.mark.parametrize("kind", ["units", "employees", "attendance", "discipline"])
def test_each_import_page_names_its_kind_lists_its_columns_and_links_its_template(
    personas, client, kind
):
    client.force_login(personas.hr_a.user)
    page = client.get(reverse("import_upload", args=[kind])).content.decode()
    spec = REGISTRY[kind]
    assert f'data-testid="import-title">Impor: {spec.title}</h1>' in page
    for column in spec.columns:
        assert f"<code>{column.header}</code>" in page
    assert "wajib diisi" in page
    assert reverse("import_template", args=[kind]) in page


def test_hr_reaches_every_import_of_their_agency_and_no_region_wide_one(personas, client):
    client.force_login(personas.hr_a.user)
    page = client.get(reverse("import_upload", args=["employees"])).content.decode()
    for kind in ("units", "employees", "attendance", "discipline"):
        assert reverse("import_upload", args=[kind]) in page
    for kind in ("agencies", "positions", "indicators"):
        assert reverse("import_upload", args=[kind]) not in page
    home = client.get(reverse("home")).content.decode()
    assert reverse("import_upload", args=["attendance"]) in home
    assert reverse("import_upload", args=["discipline"]) in home


def test_the_admin_daerah_reaches_every_import(personas, client):
    client.force_login(personas.admin_daerah)
    page = client.get(reverse("import_upload", args=["agencies"])).content.decode()
    for kind in REGISTRY:
        assert reverse("import_upload", args=[kind]) in page


def test_the_employee_column_list_marks_optional_cells(personas, client):
    client.force_login(personas.hr_a.user)
    page = client.get(reverse("import_upload", args=["employees"])).content.decode()
    assert "<td><code>Gelar Depan</code></td><td>boleh kosong</td>" in page
    assert "<td><code>NIP</code></td><td>wajib diisi</td>" in page


def test_the_cycle_form_defaults_to_a_period_every_scheme_allows(personas, client):
    client.force_login(personas.hr_a.user)
    form = client.get(reverse("cycle_create")).context["form"]
    assert form["period_type"].value() == "annual"


def test_the_cycle_form_names_components_in_indonesian(personas, client):
    client.force_login(personas.hr_a.user)
    page = client.get(reverse("cycle_create")).content.decode()
    assert "Indikator Jabatan" in page and "Kepuasan Masyarakat" in page
    assert ">indikator_jabatan<" not in page


def test_a_weight_error_is_listed_on_top_and_its_section_is_open(personas, client):
    client.force_login(personas.hr_a.user)
    response = client.post(
        reverse("cycle_create"),
        {
            "name": "Uji bobot", "agencies": [personas.agency_a.pk], "scheme_key": "jakarta",
            "period_type": "annual", "start_date": "2026-01-01", "end_date": "2026-12-31",
            "planning_deadline": "2026-02-15", "self_assessment_deadline": "2026-12-10",
            "scoring_deadline": "2026-12-20", "peer_deadline": "2026-12-20",
            "calibration_deadline": "2026-12-28", "weight_indikator_jabatan": "80",
        },
    )  # fmt: skip
    page = response.content.decode()
    assert 'data-testid="error-summary"' in page
    assert "bobot belum diisi: Perilaku Kerja (perilaku)" in page
    assert 'data-testid="weights" open' in page


def test_the_employee_form_labels_are_indonesian(personas, client):
    client.force_login(personas.hr_a.user)
    page = client.get(reverse("employee_edit", args=[personas.pegawai.pk])).content.decode()
    assert ">Jabatan<" in page and ">Position<" not in page


def test_the_password_change_page_has_the_portal_style(personas, client):
    client.force_login(personas.pegawai.user)
    page = client.get(reverse("account_change_password")).content.decode()
    assert 'class="form-control' in page and 'class="btn btn-primary"' in page
    assert "navbar" in page
