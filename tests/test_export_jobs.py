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
    response = client.get(reverse("export", args=[kind]))
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
