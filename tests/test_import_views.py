"""HR pages for imports: upload → preview (row errors) → confirm; templates and exports
(docs/imports.md)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from agencies.importing.base import REGISTRY
from agencies.importing.specs import OTHER_AGENCY_NIP
from agencies.models import Agency, Employee, ImportRun, JobPosition, Unit
from reports.models import Job

from .factories import UserFactory
from .import_files import (  # noqa: F401  (_fresh_employee_sequence: autouse)
    EMPLOYEE_HEADERS,
    POSITION_HEADERS,
    UNIT_HEADERS,
    _fresh_employee_sequence,
    employee_row,
    read_xlsx,
    run_queued_import_jobs,
    table,
    xlsx_bytes,
)

KINDS = ["agencies", "units", "positions", "employees"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def new_row(personas, **kwargs):
    kwargs.setdefault("position", personas.pegawai.position.code)
    kwargs.setdefault("unit", personas.unit_a.code)
    kwargs.setdefault("supervisor", personas.kasi.nip)
    return employee_row(**kwargs)


def upload(client, kind: str, content: bytes, name: str = "berkas.xlsx"):
    """Upload, then let the worker check the file (the page follows the job)."""
    response = client.post(
        reverse("import_upload", args=[kind]), {"file": SimpleUploadedFile(name, content)}
    )
    run_queued_import_jobs()
    return response


def confirm(client, run: ImportRun):
    response = client.post(reverse("import_confirm", args=[run.pk]))
    run_queued_import_jobs()
    return response


# --- who may import what ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["units", "employees"])
def test_admin_hr_opens_the_unit_and_employee_import_pages(personas, login, kind):
    client = login(personas.hr_a)
    assert client.get(reverse("import_upload", args=[kind])).status_code == 200
    assert client.get(reverse("import_template", args=[kind])).status_code == 200


@pytest.mark.parametrize("kind", ["agencies", "positions"])
@pytest.mark.parametrize("view", ["import_upload", "import_template", "export"])
def test_admin_hr_cannot_import_agencies_or_positions(personas, login, kind, view):
    client = login(personas.hr_a)
    assert client.get(reverse(view, args=[kind])).status_code == 403


def test_admin_hr_post_of_a_positions_file_is_refused_and_writes_nothing(personas, login):
    client = login(personas.hr_a)
    content = xlsx_bytes(table(POSITION_HEADERS, [["X", "Analis", "Pelaksana", "", 7]]))
    assert upload(client, "positions", content).status_code == 403
    assert not ImportRun.objects.exists() and not JobPosition.objects.filter(code="X").exists()


@pytest.mark.parametrize("kind", KINDS)
def test_admin_daerah_opens_every_import_page(personas, login, kind):
    client = login(personas.admin_daerah)
    assert client.get(reverse("import_upload", args=[kind])).status_code == 200


@pytest.mark.parametrize("who", ["pegawai", "kasi", "kepala"])
def test_employees_without_an_admin_role_are_refused(personas, login, who):
    client = login(getattr(personas, who))
    assert client.get(reverse("import_upload", args=["employees"])).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, personas):
    response = client.get(reverse("import_upload", args=["employees"]))
    assert response.status_code == 302 and "/akun/login/" in response["Location"]


def test_an_unknown_file_kind_is_404(personas, login):
    client = login(personas.admin_daerah)
    assert client.get(reverse("import_upload", args=["gaji"])).status_code == 404


# --- upload → preview → confirm -----------------------------------------------------------


def test_upload_previews_a_valid_file_and_confirm_imports_it(personas, login):
    client = login(personas.hr_a)
    data = new_row(personas)
    response = upload(client, "employees", xlsx_bytes(table(EMPLOYEE_HEADERS, [data])))
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("import_preview", args=[run.pk])
    assert run.status == ImportRun.Status.PREVIEWED and run.summary["created"] == 1
    assert not Employee.objects.filter(nip=data["NIP"]).exists()

    page = client.get(reverse("import_preview", args=[run.pk]))
    assert page.status_code == 200
    assert reverse("import_confirm", args=[run.pk]) in page.content.decode()

    response = confirm(client, run)
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.IMPORTED and run.imported_at
    employee = Employee.objects.get(nip=data["NIP"])
    assert employee.agency == personas.agency_a
    job = Job.objects.get(pk=run.summary["invitation_job"])
    assert job.created_by == personas.hr_a.user and job.payload["user_ids"] == [employee.user_id]


def test_a_confirmed_import_cannot_be_confirmed_again(personas, login):
    client = login(personas.hr_a)
    upload(client, "employees", xlsx_bytes(table(EMPLOYEE_HEADERS, [new_row(personas)])))
    run = ImportRun.objects.get()
    confirm(client, run)
    confirm(client, run)
    assert Job.objects.filter(kind="send_invitations").count() == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.IMPORTED


def test_preview_of_a_bad_file_lists_row_errors_and_confirm_is_refused(personas, login):
    client = login(personas.hr_a)
    good = new_row(personas, serial=1)
    bad = new_row(personas, birth=dt.date(1992, 2, 2), serial=2)
    bad["NIP"] = int(bad["NIP"])
    bad["Golongan"] = "III/e"
    upload(client, "employees", xlsx_bytes(table(EMPLOYEE_HEADERS, [good, bad])))
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.INVALID

    page = client.get(reverse("import_preview", args=[run.pk])).content.decode()
    assert "Baris 3, kolom NIP: NIP tersimpan sebagai angka; format kolom sebagai Teks" in page
    assert "Baris 3, kolom Golongan: golongan PNS tidak dikenal" in page
    assert reverse("import_confirm", args=[run.pk]) not in page

    response = confirm(client, run)
    assert response.status_code == 302
    assert not Employee.objects.filter(nip=good["NIP"]).exists()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.INVALID


def test_preview_shows_the_other_agency_nip_error_to_admin_hr(personas, login):
    client = login(personas.hr_a)
    outsider = personas.outsider
    data = new_row(
        personas,
        birth=outsider.birth_date,
        gender=outsider.gender,
        NIP=outsider.nip,
        Email=outsider.email,
    )
    upload(client, "employees", xlsx_bytes(table(EMPLOYEE_HEADERS, [data])))
    run = ImportRun.objects.get()
    assert run.errors == [f"Baris 2, kolom NIP: {OTHER_AGENCY_NIP}"]
    assert OTHER_AGENCY_NIP in client.get(reverse("import_preview", args=[run.pk])).content.decode()


def test_confirm_revalidates_and_writes_nothing_when_the_data_changed_since_preview(
    personas, login
):
    client = login(personas.hr_a)
    data = new_row(personas)
    upload(client, "employees", xlsx_bytes(table(EMPLOYEE_HEADERS, [data])))
    run = ImportRun.objects.get()
    UserFactory(email=data["Email"])  # the address is taken in the meantime
    confirm(client, run)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.INVALID
    assert run.errors == ["Baris 2, kolom Email: e-mail sudah dipakai akun lain"]
    assert not Employee.objects.filter(nip=data["NIP"]).exists()


def test_confirm_needs_a_post(personas, login):
    client = login(personas.hr_a)
    upload(client, "employees", xlsx_bytes(table(EMPLOYEE_HEADERS, [new_row(personas)])))
    run = ImportRun.objects.get()
    assert client.get(reverse("import_confirm", args=[run.pk])).status_code == 405


def test_another_users_import_is_not_found(personas, login):
    upload(
        login(personas.hr_a), "employees", xlsx_bytes(table(EMPLOYEE_HEADERS, [new_row(personas)]))
    )
    run = ImportRun.objects.get()
    client = login(personas.hr_b)
    assert client.get(reverse("import_preview", args=[run.pk])).status_code == 404
    assert confirm(client, run).status_code == 404


@pytest.mark.parametrize(
    "name, content",
    [
        ("pegawai.xls", b"\xd0\xcf\x11\xe0"),
        ("pegawai.xlsx", b"bukan xlsx"),
        ("pegawai.csv", b""),
    ],
)
def test_a_file_of_the_wrong_type_or_without_header_is_refused_on_the_upload_page(
    personas, login, name, content
):
    client = login(personas.hr_a)
    response = upload(client, "employees", content, name)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportRun.objects.exists()


def test_a_csv_upload_is_previewed_and_confirmed_too(personas, login):
    client = login(personas.admin_daerah)
    rows = table(UNIT_HEADERS, [["DINB-S2", "Seksi Beta Dua", "DINB", "DINB"]])
    content = "\r\n".join(";".join(r) for r in rows).encode("utf-8-sig")
    upload(client, "units", content, "unit.csv")
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.PREVIEWED, run.errors
    confirm(client, run)
    assert Unit.objects.get(code="DINB-S2").parent.code == "DINB"


# --- templates and exports ------------------------------------------------------------------


def sheet_of(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


@pytest.mark.parametrize("kind", KINDS)
def test_the_template_has_exactly_the_contract_headers(personas, login, kind):
    client = login(personas.admin_daerah)
    sheet = sheet_of(client.get(reverse("import_template", args=[kind])))
    headers = [c.value for c in sheet[1]]
    assert headers == REGISTRY[kind].headers()


def test_the_employee_template_formats_nip_columns_as_text(personas, login):
    client = login(personas.hr_a)
    sheet = sheet_of(client.get(reverse("import_template", args=["employees"])))
    headers = [c.value for c in sheet[1]]
    assert headers == EMPLOYEE_HEADERS
    for header in ("NIP", "NIP Atasan"):
        column = headers.index(header) + 1
        letter = sheet.cell(row=1, column=column).column_letter
        assert sheet.column_dimensions[letter].number_format == "@"
        assert sheet.cell(row=1, column=column).number_format == "@"
    assert sheet.max_row == 1  # rows appended to the template start at row 2


@pytest.mark.parametrize("kind", KINDS)
def test_the_export_has_the_columns_of_the_template(personas, login, kind):
    client = login(personas.admin_daerah)
    template = sheet_of(client.get(reverse("import_template", args=[kind])))
    export = sheet_of(client.get(reverse("export", args=[kind])))
    assert [c.value for c in export[1]] == [c.value for c in template[1]]
    assert export.max_row > 1


def test_the_employee_export_writes_nip_as_text_cells(personas, login):
    client = login(personas.admin_daerah)
    sheet = sheet_of(client.get(reverse("export", args=["employees"])))
    headers = [c.value for c in sheet[1]]
    by_nip = {}
    for cells in sheet.iter_rows(min_row=2):
        nip_cell = cells[headers.index("NIP")]
        assert nip_cell.data_type == "s" and nip_cell.number_format == "@"
        by_nip[nip_cell.value] = cells
    kasi = by_nip[personas.kasi.nip]
    supervisor_cell = kasi[headers.index("NIP Atasan")]
    assert supervisor_cell.value == personas.kepala.nip and supervisor_cell.data_type == "s"
    assert supervisor_cell.number_format == "@"
    assert len(by_nip) == Employee.objects.count()


def test_admin_hr_exports_only_their_agency(personas, login):
    client = login(personas.hr_a)
    rows = read_xlsx(client.get(reverse("export", args=["employees"])).content)
    nips = {r[0] for r in rows[1:]}
    assert nips == set(
        Employee.objects.filter(agency=personas.agency_a).values_list("nip", flat=True)
    )


def snapshot():
    return {
        "agencies": set(Agency.objects.values_list("code", "name", "region_id")),
        "units": set(Unit.objects.values_list("code", "name", "parent_id", "agency_id")),
        "positions": set(
            JobPosition.objects.values_list("code", "name", "kind", "jf_level", "grade")
        ),
        "employees": set(
            Employee.objects.values_list(
                "nip", "name", "front_title", "back_title", "gender", "birth_date",
                "asn_status", "golongan", "position_id", "unit_id", "supervisor_id", "email",
                "agency_id",
            )
        ),
    }  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_re_importing_an_export_round_trips(personas, login, kind):
    JobPosition.objects.create(
        region=personas.region, code="JF-9", name="Dokter", kind="Fungsional",
        jf_level="Ahli Muda", grade=11,
    )  # fmt: skip
    Employee.objects.filter(pk=personas.pegawai.pk).update(front_title="dr.", back_title="Sp.PD")
    client = login(personas.admin_daerah)
    before = snapshot()
    exported = client.get(reverse("export", args=[kind])).content
    upload(client, kind, exported, f"{kind}.xlsx")
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.PREVIEWED, run.errors
    confirm(client, run)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.IMPORTED, run.errors
    assert run.summary["created"] == 0 and run.summary["updated"] == len(before[kind])
    assert snapshot() == before


def test_admin_hr_round_trips_their_employee_export(personas, login):
    client = login(personas.hr_a)
    before = snapshot()["employees"]
    upload(client, "employees", client.get(reverse("export", args=["employees"])).content)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.PREVIEWED, run.errors
    confirm(client, run)
    assert snapshot()["employees"] == before


def test_export_of_a_file_kind_without_an_export_is_404_not_a_crash(personas, login, monkeypatch):
    from agencies.importing.base import ImportSpec

    class Other(ImportSpec):
        kind = "lain"
        title = "Lain"
        columns = ()

    monkeypatch.setitem(REGISTRY, "lain", Other)
    client = login(personas.admin_daerah)
    assert client.get(reverse("export", args=["lain"])).status_code == 404
