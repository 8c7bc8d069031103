"""One import file cannot exhaust the server.

The attacks: a 244 KB .xlsx holding 100,000 rows validated inside the web request (116 s,
692 MB); a zip bomb whose sheet unpacks to gigabytes; one cell ``1e400000`` in an integer
column (the integer was built digit by digit); a file with a million errors stored whole.
"""

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.importing.reader import ImportFileError, read_sheet
from agencies.importing.specs import EmployeeSpec, PositionSpec
from agencies.models import Employee, ImportRun
from reports.models import Job

from .import_files import (
    csv_bytes,
    employee_row,
    messages,
    run,
    run_queued_import_jobs,
    table,
    xlsx_bytes,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_row_limit_defaults_to_100000(settings):
    assert settings.IMPORT_MAX_ROWS == 100_000


def test_a_file_over_the_row_limit_is_refused_with_the_limit_named(settings):
    settings.IMPORT_MAX_ROWS = 5
    content = csv_bytes(table(["Kode Jabatan"], [[f"J{i}"] for i in range(6)]))
    with pytest.raises(ImportFileError, match="lebih dari 5 baris data; batas per berkas 5"):
        read_sheet(content, "jabatan.csv")
    read_sheet(csv_bytes(table(["Kode Jabatan"], [[f"J{i}"] for i in range(5)])), "j.csv")


def _zip_bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * size)
    return buffer.getvalue()


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused_before_parsing(settings, monkeypatch):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    content = _zip_bomb(8 * 1024 * 1024)
    assert len(content) < 64 * 1024

    def never(*args, **kwargs):
        raise AssertionError("parsed before the size check")

    monkeypatch.setattr("agencies.importing.reader.load_workbook", never)
    with pytest.raises(ImportFileError, match="terlalu besar setelah diekstrak"):
        read_sheet(content, "bom.xlsx")


def test_the_upload_page_refuses_a_zip_bomb_at_once(settings, personas, login):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    client = login(personas.hr_a)
    response = client.post(
        reverse("import_upload", args=["employees"]),
        {"file": SimpleUploadedFile("bom.xlsx", _zip_bomb(4 * 1024 * 1024))},
    )
    assert response.status_code == 200
    assert "terlalu besar setelah diekstrak" in response.context["form"].errors["file"][0]
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("number", ["1e400000", "1e1000000", "9" * 5000])
def test_a_huge_number_in_an_integer_column_fails_fast_with_a_row_error(personas, number):
    rows = [["J1", "Analis", "Pelaksana", "", number]]
    content = csv_bytes(table(PositionSpec.headers(), rows))
    started = time.perf_counter()
    result = run("positions", content, "j.csv", region=personas.region)
    assert time.perf_counter() - started < 2
    assert [m.split(":")[0] for m in messages(result)] == ["Baris 2, kolom Kelas Jabatan"]


def test_only_the_first_errors_are_stored_and_the_total_is_shown(settings, personas, login):
    settings.IMPORT_MAX_STORED_ERRORS = 3
    rows = [[f"J{i}", "Analis", "Pelaksana", "", "x"] for i in range(7)]
    client = login(personas.admin_daerah)
    client.post(
        reverse("import_upload", args=["positions"]),
        {"file": SimpleUploadedFile("j.xlsx", xlsx_bytes(table(PositionSpec.headers(), rows)))},
    )
    run_queued_import_jobs()
    import_run = ImportRun.objects.get()
    assert len(import_run.errors) == 3 and import_run.error_count == 7
    page = client.get(reverse("import_preview", args=[import_run.pk])).content.decode()
    assert "Ditemukan 7 kesalahan" in page
    assert "3 kesalahan pertama ditampilkan; 4 kesalahan lain tidak ditampilkan" in page


def test_the_upload_is_checked_and_written_by_a_background_job_with_progress(personas, login):
    client = login(personas.hr_a)
    row = employee_row(
        position=personas.pegawai.position.code, unit=personas.unit_a.code,
        supervisor=personas.kasi.nip,
    )  # fmt: skip
    response = client.post(
        reverse("import_upload", args=["employees"]),
        {"file": SimpleUploadedFile("p.xlsx", xlsx_bytes(table(EmployeeSpec.headers(), [row])))},
    )
    import_run = ImportRun.objects.get()
    assert response["Location"] == reverse("import_preview", args=[import_run.pk])
    assert import_run.status == ImportRun.Status.VALIDATING  # nothing checked in the request
    job = Job.objects.get(pk=import_run.job_id)
    assert (job.kind, job.status, job.payload["mode"]) == ("import_file", "queued", "preview")
    page = client.get(reverse("import_preview", args=[import_run.pk])).content.decode()
    assert 'data-testid="import-progress"' in page and 'hx-trigger="every 2s"' in page

    run_queued_import_jobs()
    import_run.refresh_from_db()
    assert import_run.status == ImportRun.Status.PREVIEWED
    assert Job.objects.get(pk=import_run.job_id).percent == 100

    client.post(reverse("import_confirm", args=[import_run.pk]))
    import_run.refresh_from_db()
    assert import_run.status == ImportRun.Status.IMPORTING
    assert not Employee.objects.filter(nip=row["NIP"]).exists()  # written by the job
    run_queued_import_jobs()
    import_run.refresh_from_db()
    assert import_run.status == ImportRun.Status.IMPORTED
    assert Employee.objects.filter(nip=row["NIP"]).exists()
    page = client.get(reverse("import_preview", args=[import_run.pk])).content.decode()
    assert "Tersimpan: 1 data baru" in page and "hx-trigger" not in page


def test_an_import_job_run_twice_writes_once(personas, login):
    from reports.jobs import job_run

    client = login(personas.admin_daerah)
    rows = [["J1", "Analis", "Pelaksana", "", 7]]
    client.post(
        reverse("import_upload", args=["positions"]),
        {"file": SimpleUploadedFile("j.xlsx", xlsx_bytes(table(PositionSpec.headers(), rows)))},
    )
    run_queued_import_jobs()
    import_run = ImportRun.objects.get()
    client.post(reverse("import_confirm", args=[import_run.pk]))
    client.post(reverse("import_confirm", args=[import_run.pk]))  # a double click
    assert Job.objects.filter(kind="import_file", payload__mode="apply").count() == 1
    run_queued_import_jobs()
    job = Job.objects.get(kind="import_file", payload__mode="apply")
    Job.objects.filter(pk=job.pk).update(status="queued")
    job_run(job_id=job.pk)
    assert Job.objects.get(pk=job.pk).result == {"skipped": True}
