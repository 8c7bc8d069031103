"""Exports larger than the inline limit are jobs that stream an .xlsx to disk in bounded memory
(agencies/exporting.py); the file reads back with openpyxl and still re-imports."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from agencies.exporting import EXPORTS, export_write
from agencies.importing.base import REGISTRY
from agencies.models import Employee
from agencies.selectors import employee_export_rows
from reports.jobs import job_run
from reports.models import Job

from .factories import EmployeeFactory


def _read(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def _rows(sheet) -> list[list]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def _employee_plan(user):
    return EXPORTS["file_kind"](user, {"kind": "employees"})


def test_the_streamed_employee_file_has_the_import_headers_text_nips_and_every_row(personas):
    plan = _employee_plan(personas.admin_daerah)
    buffer = io.BytesIO()
    written = export_write(plan, buffer)
    sheet = _read(buffer.getvalue())
    rows = _rows(sheet)
    assert rows[0] == REGISTRY["employees"].headers()
    assert written == len(rows) - 1 == Employee.objects.count()
    expected = [
        ["" if v in (None, "") else v for v in row]
        for row in employee_export_rows(Employee.objects.all())
    ]
    assert [[("" if v is None else v) for v in row] for row in rows[1:]] == expected
    headers = rows[0]
    for cells in sheet.iter_rows(min_row=2):
        for header in ("NIP", "NIP Atasan"):
            cell = cells[headers.index(header)]
            assert cell.number_format == "@"
            assert cell.value is None or cell.data_type == "s"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:L{written + 1}"
    assert sheet.column_dimensions["A"].width == 22  # NIP, as text, is wide


def test_the_streamed_file_reports_its_progress(personas):
    seen: list[int] = []
    plan = _employee_plan(personas.admin_daerah)
    from agencies.importing.writer import write_xlsx_to

    written = write_xlsx_to(
        io.BytesIO(), plan.headers, plan.rows(), progress=seen.append, progress_every=5
    )
    assert seen == list(range(5, written + 1, 5))


@pytest.mark.parametrize("kind", ["agencies", "units", "positions", "employees"])
def test_an_export_above_the_inline_limit_becomes_a_job_of_its_requester(
    personas, login, settings, kind
):
    settings.EXPORT_INLINE_MAX_ROWS = 0
    client = login(personas.admin_daerah)
    page = client.get(reverse("export", args=[kind]))
    assert page.status_code == 200 and b"export-job-start" in page.content
    assert not Job.objects.filter(kind="export_file").exists()  # a GET changes nothing
    response = client.post(reverse("export", args=[kind]))
    job = Job.objects.get(kind="export_file")
    assert response.status_code == 302
    assert response.url == reverse("job_detail", args=[job.pk])
    assert job.payload == {"export": "file_kind", "params": {"kind": kind}}
    assert job.created_by == personas.admin_daerah
    assert job.total == 1  # counted only up to just past the limit


def test_an_export_within_the_limit_is_answered_in_the_request(personas, login):
    client = login(personas.hr_a)
    response = client.get(reverse("export", args=["employees"]))
    assert response.status_code == 200
    assert not Job.objects.filter(kind="export_file").exists()
    nips = {row[0] for row in _rows(_read(response.content))[1:]}
    assert nips == set(
        Employee.objects.filter(agency=personas.agency_a).values_list("nip", flat=True)
    )


def test_the_export_counts_without_reading_every_row(personas, django_assert_max_num_queries):
    for _ in range(5):
        EmployeeFactory(unit=personas.unit_a, supervisor=personas.kasi)
    plan = _employee_plan(personas.admin_daerah)
    total = Employee.objects.count()
    with django_assert_max_num_queries(1):
        assert plan.count() == total


# --- the job writes the file and offers it to its requester only --------------------------------


def _export_job(personas, login, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 0
    client = login(personas.admin_daerah)
    client.post(reverse("export", args=["employees"]))
    job = Job.objects.get(kind="export_file")
    job_run(job_id=job.pk)
    job.refresh_from_db()
    return client, job


def test_the_export_job_attaches_a_file_that_reads_back_and_re_imports(personas, login, settings):
    client, job = _export_job(personas, login, settings)
    assert job.status == Job.Status.DONE, job.error
    assert job.result["rows"] == Employee.objects.count()
    response = client.get(reverse("job_download", args=[job.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = _read(content)
    rows = _rows(sheet)
    assert rows[0] == REGISTRY["employees"].headers()
    assert {r[0] for r in rows[1:]} == set(Employee.objects.values_list("nip", flat=True))
    assert all(row[0].data_type == "s" for row in sheet.iter_rows(min_row=2))
    # The file imports back without an error and without a change.
    from .import_files import run

    result = run(
        "employees", content, "pegawai.xlsx", region=personas.region, user=personas.admin_daerah
    )
    assert result.errors == [] and result.applied


def test_only_the_requester_downloads_the_export(personas, login, settings, client):
    _client, job = _export_job(personas, login, settings)
    for other in (personas.hr_a.user, personas.kasi.user):
        client.force_login(other)
        assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


def test_a_second_click_follows_the_running_export(personas, login, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 0
    client = login(personas.admin_daerah)
    first = client.post(reverse("export", args=["employees"]))
    second = client.post(reverse("export", args=["employees"]))
    assert first.url == second.url
    assert Job.objects.filter(kind="export_file").count() == 1


def test_the_job_exports_what_its_requester_may_see_when_it_runs(personas, login, settings):
    """An Admin HR's job holds their agency only."""
    settings.EXPORT_INLINE_MAX_ROWS = 0
    client = login(personas.hr_a)
    client.post(reverse("export", args=["employees"]))
    job = Job.objects.get(kind="export_file")
    job_run(job_id=job.pk)
    content = client.get(reverse("job_download", args=[job.pk]))
    content = b"".join(content.streaming_content) if content.streaming else content.content
    nips = {r[0] for r in _rows(_read(content))[1:]}
    assert nips == set(
        Employee.objects.filter(agency=personas.agency_a).values_list("nip", flat=True)
    )
