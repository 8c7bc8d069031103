"""The survey's HR pages: who reaches them (roles × pages), constant queries, the exports read
back, and the posters' text."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from agencies.models import OrgAuditEntry
from feedback.models import SurveyResponse, SurveyUnit
from feedback.survey_posters import survey_url
from feedback.survey_services import survey_unit_set_public

ROLES = ("pegawai", "kasi", "kepala", "hr_a", "admin_daerah", "outsider", "hr_b")
PERIOD = "?dari=2026-01-01&sampai=2026-12-31"


@pytest.fixture
def served(personas):
    """Unit A of agency A serves the public, with five answers in 2026."""
    survey = survey_unit_set_public(
        unit=personas.unit_a, melayani_publik=True, acting_user=personas.hr_a.user
    )
    add_responses(personas.unit_a, 5)
    return survey


def add_responses(unit, count, *, comment="Ruang tunggu panas", start=dt.date(2026, 3, 1)):
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            unit=unit,
            submitted_at=dt.datetime.combine(
                start + dt.timedelta(days=i % 20), dt.time(2), tzinfo=dt.UTC
            ),
            submitted_on=start + dt.timedelta(days=i % 20),
            comment=f"{comment} {i}",
            gender="L",
            **{f"u{k}": 1 + (i + k) % 4 for k in range(1, 10)},
        )
        for i in range(count)
    )


def _url(p, name):
    a, ua = p.agency_a.pk, p.unit_a.pk
    return {
        "overview": reverse("survey_overview"),
        "results_a": reverse("survey_results", args=[ua]) + PERIOD,
        "responses_a": reverse("survey_responses_export", args=[ua]) + PERIOD,
        "ikm_a": reverse("survey_ikm_export", args=[a]) + PERIOD,
        "poster_pdf_a": reverse("survey_poster_pdf", args=[ua]),
        "poster_png_a": reverse("survey_poster_png", args=[ua]),
        "posters_zip_a": reverse("survey_posters_zip", args=[a]),
        "results_b": reverse("survey_results", args=[p.unit_b.pk]),
    }[name]


# page: expected status per role, in the order of ROLES
MATRIX = {
    #                pegawai kasi kepala hr_a adm_d outsider hr_b
    "overview":      (403, 403, 403, 200, 200, 403, 200),
    "results_a":     (404, 404, 404, 200, 200, 404, 404),
    "responses_a":   (404, 404, 404, 200, 200, 404, 404),
    "ikm_a":         (404, 404, 404, 200, 200, 404, 404),
    "poster_pdf_a":  (404, 404, 404, 200, 200, 404, 404),
    "poster_png_a":  (404, 404, 404, 200, 200, 404, 404),
    "posters_zip_a": (404, 404, 404, 200, 200, 404, 404),
    "results_b":     (404, 404, 404, 404, 200, 404, 200),
}  # fmt: skip


@pytest.mark.parametrize("page", MATRIX)
def test_role_page_matrix(client, personas, served, page):
    url = _url(personas, page)
    for role, expected in zip(ROLES, MATRIX[page], strict=True):
        client.force_login(personas.user(role))
        assert client.get(url).status_code == expected, (page, role)
    client.logout()
    assert client.get(url).status_code == 302  # anonymous: to the login page


@pytest.mark.parametrize(
    ("role", "unit", "expected"),
    [
        ("hr_a", "unit_a", 302),
        ("admin_daerah", "unit_b", 302),
        ("hr_b", "unit_a", 404),
        ("pegawai", "unit_a", 404),
        ("outsider", "unit_a", 404),
    ],
)
def test_who_may_mark_a_unit_as_serving_the_public(client, personas, role, unit, expected):
    client.force_login(personas.user(role))
    target = getattr(personas, unit)
    url = reverse("survey_unit_toggle", args=[target.pk])
    assert client.post(url, {"melayani_publik": "1"}).status_code == expected
    served = SurveyUnit.objects.filter(unit=target, melayani_publik=True).exists()
    assert served == (expected == 302)
    audit = OrgAuditEntry.objects.filter(action="survey_service_unit", object_id=target.pk)
    assert list(audit.values_list("actor_id", "after")) == (
        [(personas.user(role).pk, {"melayani_publik": True})] if expected == 302 else []
    )


def test_a_poster_only_for_a_unit_that_serves_the_public(client, personas, served):
    client.force_login(personas.hr_b.user)
    assert client.get(reverse("survey_poster_pdf", args=[personas.unit_b.pk])).status_code == 404


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_results_pages_queries_do_not_grow_with_the_answers(client, personas, served):
    client.force_login(personas.hr_a.user)
    pages = [_url(personas, "results_a"), _url(personas, "overview") + PERIOD]
    few = [_count(client, url) for url in pages]
    add_responses(personas.unit_a, 45)
    assert SurveyResponse.objects.count() == 50
    many = [_count(client, url) for url in pages]
    assert few == many, (few, many)


def test_the_results_page_shows_the_ikm_chart_table_days_and_comments(client, personas, served):
    client.force_login(personas.hr_a.user)
    html = client.get(_url(personas, "results_a")).content.decode()
    assert 'data-testid="chart"' in html and "<svg" in html
    assert " style=" not in html  # the CSP allows no inline style
    assert "Persyaratan" in html and "Sarana dan Prasarana" in html
    assert 'data-testid="per-day"' in html
    assert "Ruang tunggu panas 2" in html
    assert survey_url(served) in html


def test_the_answers_export_reads_back(client, personas, served):
    SurveyResponse.objects.filter(unit=personas.unit_a).update(comment="=HYPERLINK(1)")
    client.force_login(personas.hr_a.user)
    response = client.get(_url(personas, "responses_a"))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Kode unit", "Unit", "Waktu", "Tanggal")
    assert rows[0][4] == "U1 Persyaratan"
    assert len(rows) == 6
    assert rows[1][0] == personas.unit_a.code and rows[1][1] == "Seksi Layanan"
    assert all(isinstance(v, int) and 1 <= v <= 4 for v in rows[1][4:13])
    assert rows[1][-1] == "'=HYPERLINK(1)"  # formula-escaped
    assert rows[1][13] == "Laki-laki"


def test_the_ikm_export_reads_back(client, personas, served):
    from feedback.survey_selectors import unit_ikm

    client.force_login(personas.hr_a.user)
    response = client.get(_url(personas, "ikm_a"))
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.values)
    assert rows[0][-3:] == ("IKM", "Mutu", "Kinerja unit")
    assert len(rows) == 2  # only units that serve the public
    expected = unit_ikm(personas.unit_a.pk, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert rows[1][4] == 5
    assert rows[1][-3] == float(expected.value_rounded)
    assert rows[1][-2] == expected.grade.value


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_poster_pdf_names_the_unit_and_the_link(client, personas, served, tmp_path):
    client.force_login(personas.hr_a.user)
    response = client.get(_url(personas, "poster_pdf_a"))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "poster.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Seksi Layanan" in flat and "Dinas Alfa" in flat
    assert "Bantu kami melayani lebih baik" in flat
    assert survey_url(served).replace(" ", "") in text.replace("\n", "").replace(" ", "")


def test_the_poster_png_and_the_agency_zip(client, personas, served):
    client.force_login(personas.hr_a.user)
    png = client.get(_url(personas, "poster_png_a"))
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    archive = zipfile.ZipFile(io.BytesIO(client.get(_url(personas, "posters_zip_a")).content))
    assert archive.namelist() == [f"poster-survei-{personas.unit_a.code.lower()}.pdf"]
    assert archive.read(archive.namelist()[0])[:5] == b"%PDF-"


def test_the_results_page_offers_a_date_range_and_names_a_reversed_one(personas, served, client):
    client.force_login(personas.hr_a.user)
    url = reverse("survey_results", args=[personas.unit_a.pk])
    page = client.get(url + "?dari=2026-03-01&sampai=2026-03-05").content.decode()
    assert 'name="dari" value="2026-03-01"' in page
    assert 'name="sampai" value="2026-03-05"' in page
    assert "Periode: 01/03/2026 sampai 05/03/2026." in page
    assert "5 responden." in page  # the answers of 1 to 5 March
    page = client.get(url + "?dari=2026-04-01&sampai=2026-03-01").content.decode()
    assert "Tanggal awal harus sebelum tanggal akhir." in page
    assert 'name="dari" value="2026-04-01"' in page  # what was typed stays
