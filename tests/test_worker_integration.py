"""Background work really runs in a separate worker process."""

from __future__ import annotations

import os

import pytest

from agencies.importing.base import ImportContext, run_import
from agencies.importing.specs import EmployeeSpec
from agencies.models import User
from reports.models import Job

from .factories import make_nip
from .personas import build_personas
from .worker import wait_for


def csv_bytes(headers, rows) -> bytes:
    return "\n".join(",".join(map(str, r)) for r in [headers, *rows]).encode()


pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_invitation_emails_of_an_import_are_sent_by_a_separate_worker(celery_worker_process):
    import datetime as dt

    personas = build_personas()
    rows = []
    for i in range(3):
        birth = dt.date(1990, 1, 1 + i)
        rows.append(
            [make_nip(birth, "P", 500 + i), f"Pegawai Baru {i}", "", "S.Kom.", "P",
             birth.strftime("%d-%m-%Y"), "PNS", "III/a", personas.pegawai.position.code,
             personas.unit_a.code, personas.kasi.nip, f"baru{i}@uji.go.id"]
        )  # fmt: skip
    data = csv_bytes(
        ["NIP", "Nama", "Gelar Depan", "Gelar Belakang", "Jenis Kelamin", "Tanggal Lahir",
         "Status ASN", "Golongan", "Kode Jabatan", "Kode Unit", "NIP Atasan", "Email"],
        rows,
    )  # fmt: skip
    context = ImportContext(region=personas.region, agency_ids=None, user=personas.admin_daerah)
    result = run_import(EmployeeSpec, data, "pegawai.csv", context)
    assert result.ok, result.errors
    job_id = result.details["invitation_job"]

    job = wait_for(
        lambda: Job.objects.filter(pk=job_id, status__in=["done", "failed"]).first(), timeout=90
    )
    assert job.status == "done", job.error + celery_worker_process.log_path.read_text()
    assert job.worker and not job.worker.endswith(f":{os.getpid()}")
    sent = sorted(User.objects.filter(pk__in=job.result["sent"]).values_list("email", flat=True))
    assert sent == ["baru0@uji.go.id", "baru1@uji.go.id", "baru2@uji.go.id"]
    messages = "".join(p.read_text() for p in celery_worker_process.mail_dir.iterdir())
    assert messages.count("Atur kata sandi") == 3
    assert "/akun/password/reset/key/" in messages


def test_an_hr_upload_is_checked_and_written_by_a_separate_worker(celery_worker_process, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from agencies.models import Employee, ImportRun

    from .import_files import employee_row, table, xlsx_bytes

    personas = build_personas()
    row = employee_row(
        position=personas.pegawai.position.code, unit=personas.unit_a.code,
        supervisor=personas.kasi.nip, serial=42,
    )  # fmt: skip
    client.force_login(personas.hr_a.user)
    client.post(
        reverse("import_upload", args=["employees"]),
        {"file": SimpleUploadedFile("p.xlsx", xlsx_bytes(table(EmployeeSpec.headers(), [row])))},
    )
    run = ImportRun.objects.get()

    def status_is(status):
        return lambda: ImportRun.objects.filter(pk=run.pk, status=status).first()

    log = celery_worker_process.log_path
    assert wait_for(status_is("previewed"), timeout=90), log.read_text()
    client.post(reverse("import_confirm", args=[run.pk]))
    assert wait_for(status_is("imported"), timeout=90), log.read_text()
    assert Employee.objects.filter(nip=row["NIP"]).exists()
