"""Importing employees (docs/imports.md): NIP cells, NIP and golongan rules,
required cells, duplicates, supervisors, atomicity, upsert, Admin HR scope, invitations."""

from __future__ import annotations

import datetime as dt

import pytest

from agencies.importing.specs import OTHER_AGENCY_NIP
from agencies.models import Employee, User
from reports.models import Job

from .factories import EmployeeFactory, RegionFactory, UnitFactory, UserFactory
from .import_files import (  # noqa: F401  (_fresh_employee_sequence: autouse)
    EMPLOYEE_HEADERS,
    _fresh_employee_sequence,
    csv_bytes,
    employee_row,
    messages,
    pns_nip,
    run,
    table,
    xlsx_bytes,
)

NIP_AS_NUMBER = "NIP tersimpan sebagai angka; format kolom sebagai Teks"
OPTIONAL = ["Gelar Depan", "Gelar Belakang", "NIP Atasan", "Email"]
REQUIRED = [h for h in EMPLOYEE_HEADERS if h not in OPTIONAL]


@pytest.fixture
def org(personas):
    """Personas plus the codes a valid row needs."""
    personas.position_code = personas.pegawai.position.code
    return personas


def row(org, **kwargs):
    kwargs.setdefault("position", org.position_code)
    kwargs.setdefault("unit", org.unit_a.code)
    kwargs.setdefault("supervisor", org.kasi.nip)
    return employee_row(**kwargs)


def xlsx(*rows) -> bytes:
    return xlsx_bytes(table(EMPLOYEE_HEADERS, rows))


def import_as_admin(org, content: bytes, filename: str = "pegawai.xlsx", **kwargs):
    return run("employees", content, filename, region=org.region, user=org.admin_daerah, **kwargs)


def import_as_hr(org, content: bytes, filename: str = "pegawai.xlsx", **kwargs):
    return run(
        "employees",
        content,
        filename,
        region=org.region,
        user=org.hr_a.user,
        agency_ids=[org.agency_a.pk],
        **kwargs,
    )


def only_error(result) -> tuple[int, str, str]:
    assert len(result.errors) == 1, messages(result)
    error = result.errors[0]
    return error.row, error.header, error.message


# --- a valid file -----------------------------------------------------------------------------


def test_valid_employees_are_created_with_accounts_supervisors_and_agency(org):
    first = row(org, serial=1, Gelar_Depan="dr.", Gelar_Belakang="M.Kes.")
    second = row(
        org, birth=dt.date(1993, 8, 1), gender="P", serial=2, status="PPPK", supervisor=first["NIP"]
    )
    result = import_as_admin(org, xlsx(first, second))
    assert result.ok, messages(result)
    assert (result.created, result.updated) == (2, 0)
    one = Employee.objects.get(nip=first["NIP"])
    assert (one.front_title, one.name, one.back_title) == ("dr.", "Pegawai Impor 1", "M.Kes.")
    assert (one.gender, one.birth_date, one.asn_status, one.golongan) == (
        "L",
        dt.date(1991, 5, 17),
        "PNS",
        "III/a",
    )
    assert one.supervisor == org.kasi and one.agency == org.agency_a and one.region == org.region
    assert one.user.username == first["NIP"] and not one.user.has_usable_password()
    assert one.user.email == first["Email"]
    two = Employee.objects.get(nip=second["NIP"])
    assert (two.asn_status, two.golongan, two.gender, two.supervisor) == ("PPPK", "IX", "P", one)


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_employees_import_from_csv(org, delimiter):
    content = csv_bytes(table(EMPLOYEE_HEADERS, [row(org)]), delimiter=delimiter, bom=True)
    result = import_as_admin(org, content, "pegawai.csv")
    assert result.ok, messages(result)
    assert Employee.objects.filter(nip=row(org)["NIP"]).exists()


def test_nip_header_written_with_trailing_non_breaking_space_is_recognised(org):
    rows = table(EMPLOYEE_HEADERS, [row(org)])
    rows[0][0] = "NIP\xa0 "
    rows[0][10] = " nip  atasan"
    result = import_as_admin(org, xlsx_bytes(rows))
    assert result.ok, messages(result)


def test_headers_with_an_explanation_in_brackets_or_a_required_mark_are_recognised(org):
    rows = table(EMPLOYEE_HEADERS, [row(org)])
    rows[0][0] = "NIP *"
    rows[0][4] = "Jenis Kelamin (L/P)"
    rows[0][5] = "Tanggal Lahir (dd-mm-yyyy)*"
    rows[0][6] = "STATUS ASN (PNS/PPPK)"
    result = import_as_admin(org, xlsx_bytes(rows))
    assert result.ok, messages(result)


def test_an_explained_header_never_shadows_the_exact_column(org):
    data = row(org)
    rows = [["NIP (lama)", *EMPLOYEE_HEADERS], ["010123456", *[data[h] for h in EMPLOYEE_HEADERS]]]
    result = import_as_admin(org, xlsx_bytes(rows))
    assert result.ok, messages(result)
    assert Employee.objects.filter(nip=data["NIP"]).exists()


@pytest.mark.parametrize(
    "birth_cell",
    [dt.datetime(1991, 5, 17), dt.date(1991, 5, 17), "17-05-1991", "17/05/1991", "1991-05-17"],
)
def test_birth_date_is_an_excel_date_cell_or_text_in_three_formats(org, birth_cell):
    result = import_as_admin(org, xlsx(row(org, Tanggal_Lahir=birth_cell)))
    assert result.ok, messages(result)
    assert Employee.objects.get(nip=row(org)["NIP"]).birth_date == dt.date(1991, 5, 17)


def test_an_invalid_birth_date_names_row_and_column(org):
    result = import_as_admin(org, xlsx(row(org, Tanggal_Lahir="17.05.1991")))
    assert only_error(result) == (
        2,
        "Tanggal Lahir",
        "tanggal tidak valid; gunakan dd-mm-yyyy, dd/mm/yyyy atau yyyy-mm-dd",
    )


# --- NIP cells ------------------------------------------------------------------------------


@pytest.mark.parametrize("column", ["NIP", "NIP Atasan"])
@pytest.mark.parametrize("as_number", [int, float])
def test_numeric_nip_cell_is_rejected_with_text_format_hint(org, column, as_number):
    data = row(org)
    data[column] = as_number(data[column])
    result = import_as_admin(org, xlsx(data))
    assert [str(e) for e in result.errors if e.header == column] == [
        f"Baris 2, kolom {column}: {NIP_AS_NUMBER}"
    ]
    assert not Employee.objects.filter(nip=row(org)["NIP"]).exists()


@pytest.mark.parametrize("column", ["NIP", "NIP Atasan"])
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_nip_in_scientific_notation_is_rejected_with_text_format_hint(org, column, kind):
    data = row(org, **{column.replace(" ", "_"): "1.98503E+17"})
    rows = table(EMPLOYEE_HEADERS, [data])
    content = xlsx_bytes(rows) if kind == "xlsx" else csv_bytes(rows, delimiter=";")
    result = import_as_admin(org, content, f"pegawai.{kind}")
    assert f"Baris 2, kolom {column}: {NIP_AS_NUMBER}" in messages(result)


def test_nip_cell_formatted_as_text_in_xlsx_is_accepted(org):
    content = xlsx_bytes(table(EMPLOYEE_HEADERS, [row(org)]), text_format=["NIP", "NIP Atasan"])
    assert import_as_admin(org, content).ok


def test_spaces_and_a_leading_apostrophe_are_stripped_from_nip_cells(org):
    nip = row(org)["NIP"]
    spaced = f"'{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    sup = org.kasi.nip
    data = row(org, NIP=spaced, NIP_Atasan=f"'{sup[:8]}\xa0{sup[8:]}")
    for content, name in (
        (xlsx(data), "p.xlsx"),
        (csv_bytes(table(EMPLOYEE_HEADERS, [data])), "p.csv"),
    ):
        result = import_as_admin(org, content, name)
        assert result.ok, messages(result)
    employee = Employee.objects.get(nip=nip)
    assert employee.supervisor == org.kasi and employee.user.username == nip


# --- NIP, NI PPPK and golongan rules --------------------------------------------------------


def test_nip_whose_birth_digits_differ_from_the_birth_date_is_a_nip_error(org):
    result = import_as_admin(org, xlsx(row(org, Tanggal_Lahir="18-05-1991")))
    number, header, message = only_error(result)
    assert (number, header) == (2, "NIP") and "tanggal lahir" in message


def test_nip_whose_gender_digit_differs_from_jenis_kelamin_is_a_nip_error(org):
    result = import_as_admin(org, xlsx(row(org, Jenis_Kelamin="P")))
    number, header, message = only_error(result)
    assert (number, header) == (2, "NIP") and "jenis kelamin" in message


@pytest.mark.parametrize(
    "nip, fragment",
    [
        ("19910517201501100", "18 digit"),
        ("199105172015131001", "digit 9-14"),
        ("199105172015011000", "001-999"),
        ("199105172008041001", "18 tahun"),
    ],
)
def test_nip_pns_rules_are_checked_on_import(org, nip, fragment):
    number, header, message = only_error(import_as_admin(org, xlsx(row(org, NIP=nip))))
    assert (number, header) == (2, "NIP") and fragment in message


def test_nip_tmt_after_the_current_month_is_rejected(org):
    nip = pns_nip(dt.date(1991, 5, 17), tmt=(2024, 8))
    result = import_as_admin(org, xlsx(row(org, NIP=nip)), today=dt.date(2024, 7, 31))
    assert only_error(result)[:2] == (2, "NIP")
    assert import_as_admin(org, xlsx(row(org, NIP=nip)), today=dt.date(2024, 8, 1)).ok


def test_ni_pppk_checks_only_the_birth_date(org):
    data = row(org, status="PPPK", NIP="199105179999999990")
    result = import_as_admin(org, xlsx(data))
    assert result.ok, messages(result)
    bad = row(org, status="PPPK", NIP="199105189999999990", Email="")
    assert only_error(import_as_admin(org, xlsx(bad)))[:2] == (2, "NIP")


def test_nip_format_is_checked_even_when_the_birth_date_is_invalid(org):
    result = import_as_admin(org, xlsx(row(org, NIP="1991", Tanggal_Lahir="kemarin")))
    assert [(e.row, e.header) for e in result.errors] == [(2, "NIP"), (2, "Tanggal Lahir")]


@pytest.mark.parametrize(
    "status, raw, stored",
    [("PNS", "iii / A", "III/a"), ("PNS", "IV/e", "IV/e"), ("PPPK", "xvii", "XVII")],
)
def test_golongan_is_normalised(org, status, raw, stored):
    result = import_as_admin(org, xlsx(row(org, status=status, Golongan=raw)))
    assert result.ok, messages(result)
    assert Employee.objects.get(nip=row(org, status=status)["NIP"]).golongan == stored


@pytest.mark.parametrize("status, raw", [("PNS", "III/e"), ("PNS", "IX"), ("PPPK", "III/a")])
def test_anything_else_is_a_golongan_error(org, status, raw):
    result = import_as_admin(org, xlsx(row(org, status=status, Golongan=raw)))
    assert only_error(result)[:2] == (2, "Golongan")


def test_gender_and_status_are_case_insensitive_and_gender_may_be_spelled_out(org):
    data = row(org, Jenis_Kelamin="laki-laki", Status_ASN="pns")
    other = row(org, birth=dt.date(1992, 1, 2), gender="P", serial=7, Jenis_Kelamin="p")
    result = import_as_admin(org, xlsx(data, other))
    assert result.ok, messages(result)


def test_status_p3k_is_read_as_pppk(org):
    result = import_as_admin(org, xlsx(row(org, status="PPPK", Status_ASN="P3K")))
    assert result.ok, messages(result)
    assert Employee.objects.get(nip=row(org, status="PPPK")["NIP"]).asn_status == "PPPK"


@pytest.mark.parametrize("column, value", [("Jenis Kelamin", "X"), ("Status ASN", "Honorer")])
def test_unknown_gender_or_status_is_a_row_error(org, column, value):
    result = import_as_admin(org, xlsx(row(org, **{column.replace(" ", "_"): value})))
    assert (2, column) in [(e.row, e.header) for e in result.errors]


# --- required and optional cells ------------------------------------------------------------


@pytest.mark.parametrize("column", REQUIRED)
def test_a_blank_required_cell_is_wajib_diisi(org, column):
    data = row(org)
    data[column] = "   "
    result = import_as_admin(org, xlsx(data))
    assert f"Baris 2, kolom {column}: wajib diisi" in messages(result)


def test_optional_cells_may_be_blank(org):
    data = row(org)
    for column in OPTIONAL:
        data[column] = None
    result = import_as_admin(org, xlsx(data))
    assert result.ok, messages(result)
    employee = Employee.objects.get(nip=data["NIP"])
    assert employee.supervisor is None and employee.email == "" and employee.front_title == ""


def test_unknown_position_or_unit_is_a_row_error(org):
    result = import_as_admin(org, xlsx(row(org, position="NOPE", unit="NOPE")))
    assert [(e.row, e.header) for e in result.errors] == [(2, "Kode Jabatan"), (2, "Kode Unit")]


def test_an_invalid_email_is_a_row_error(org):
    assert only_error(import_as_admin(org, xlsx(row(org, Email="bukan-email"))))[:2] == (2, "Email")


def test_an_email_of_another_account_is_a_row_error(org):
    data = row(org, Email=org.pegawai.email.upper())
    assert only_error(import_as_admin(org, xlsx(data)))[:2] == (2, "Email")


# --- duplicates and supervisors -------------------------------------------------------------


def test_a_nip_twice_is_an_error_on_its_second_row(org):
    first = row(org, serial=1)
    other = row(org, birth=dt.date(1992, 2, 2), serial=2)
    nip = first["NIP"]
    again = row(org, serial=1, NIP=f"{nip[:8]} {nip[8:]}", Email="lain@uji.go.id")
    result = import_as_admin(org, xlsx(first, other, again))
    assert messages(result) == ["Baris 4, kolom NIP: duplikat dengan baris 2"]
    assert not Employee.objects.filter(nip=nip).exists()


def test_an_email_twice_is_an_error_on_its_second_row(org):
    first = row(org, serial=1, Email="sama@uji.go.id")
    second = row(org, birth=dt.date(1992, 2, 2), serial=2, Email="SAMA@uji.go.id")
    result = import_as_admin(org, xlsx(first, second))
    assert messages(result) == ["Baris 3, kolom Email: duplikat dengan baris 2"]


def test_a_supervisor_may_be_a_later_row_of_the_file(org):
    boss = row(org, birth=dt.date(1975, 1, 1), serial=9, supervisor="")
    staff = row(org, serial=1, supervisor=boss["NIP"])
    result = import_as_admin(org, xlsx(staff, boss))
    assert result.ok, messages(result)
    assert Employee.objects.get(nip=staff["NIP"]).supervisor.nip == boss["NIP"]


def test_an_unknown_supervisor_is_a_row_error(org):
    ghost = pns_nip(dt.date(1970, 1, 1), serial=5)
    assert only_error(import_as_admin(org, xlsx(row(org, supervisor=ghost))))[:2] == (
        2,
        "NIP Atasan",
    )


def test_a_supervisor_in_another_region_is_unknown(org):
    stranger = EmployeeFactory(unit=UnitFactory(agency__region=RegionFactory(code="7777")))
    result = import_as_admin(org, xlsx(row(org, supervisor=stranger.nip)))
    assert only_error(result)[:2] == (2, "NIP Atasan")


def test_nobody_supervises_themself(org):
    data = row(org)
    data["NIP Atasan"] = data["NIP"]
    assert only_error(import_as_admin(org, xlsx(data)))[:2] == (2, "NIP Atasan")


def test_a_supervisor_cycle_is_reported_on_every_row_in_it(org):
    a = row(org, birth=dt.date(1980, 1, 1), serial=1)
    b = row(org, birth=dt.date(1980, 1, 2), serial=2)
    c = row(org, birth=dt.date(1980, 1, 3), serial=3)
    fine = row(org, birth=dt.date(1980, 1, 4), serial=4, supervisor=a["NIP"])
    a["NIP Atasan"], b["NIP Atasan"], c["NIP Atasan"] = b["NIP"], c["NIP"], a["NIP"]
    result = import_as_admin(org, xlsx(a, fine, b, c))
    assert [(e.row, e.header) for e in result.errors] == [
        (2, "NIP Atasan"),
        (4, "NIP Atasan"),
        (5, "NIP Atasan"),
    ]
    assert all("siklus" in e.message for e in result.errors)


def test_a_supervisor_cycle_closed_through_an_existing_employee_is_reported(org):
    # kasi reports to kepala in the database; making kepala report to kasi closes a loop.
    kepala = org.kepala
    data = row(
        org,
        birth=kepala.birth_date,
        gender=kepala.gender,
        NIP=kepala.nip,
        Email=kepala.email,
        supervisor=org.kasi.nip,
        unit=kepala.unit.code,
    )
    result = import_as_admin(org, xlsx(data))
    number, header, message = only_error(result)
    assert (number, header) == (2, "NIP Atasan") and "siklus" in message
    kepala.refresh_from_db()
    assert kepala.supervisor == org.sekda


# --- atomicity and upsert -------------------------------------------------------------------


def thousand_rows(org) -> list[dict]:
    start = dt.date(1990, 1, 1)
    rows = []
    for i in range(1000):
        birth = start + dt.timedelta(days=i)
        rows.append(
            row(
                org,
                birth=birth,
                gender="LP"[i % 2],
                serial=i % 999 + 1,
                Email=f"massal{i}@uji.go.id" if i % 2 else "",
            )
        )
    return rows


def test_one_bad_row_among_1000_means_nothing_is_written_and_fixing_it_imports_all(org):
    rows = thousand_rows(org)
    before = (Employee.objects.count(), User.objects.count(), Job.objects.count())
    rows[736]["Golongan"] = "III/e"
    result = import_as_admin(org, xlsx(*rows))
    assert messages(result) == [
        "Baris 738, kolom Golongan: golongan PNS tidak dikenal: III/e; gunakan I/a-I/d, "
        "II/a-II/d, III/a-III/d atau IV/a-IV/e"
    ]
    assert not result.applied
    assert (Employee.objects.count(), User.objects.count(), Job.objects.count()) == before

    rows[736]["Golongan"] = "III/e".replace("e", "d")
    result = import_as_admin(org, xlsx(*rows))
    assert result.ok and result.applied and result.created == 1000
    assert Employee.objects.count() == before[0] + 1000
    assert User.objects.count() == before[1] + 1000


def test_existing_employees_are_updated_and_absent_ones_left_unchanged(org):
    pegawai, peer = org.pegawai, org.peers[0]
    peer_before = Employee.objects.filter(pk=peer.pk).values().get()
    data = row(
        org,
        birth=pegawai.birth_date,
        gender=pegawai.gender,
        NIP=pegawai.nip,
        Nama="Pegawai Alfa Baru",
        Golongan="iii/b",
        Email=pegawai.email,
        supervisor=org.kepala.nip,
        unit="DINA-UMPEG",
    )
    result = import_as_admin(org, xlsx(data))
    assert result.ok, messages(result)
    assert (result.created, result.updated) == (0, 1)
    pegawai.refresh_from_db()
    assert (pegawai.name, pegawai.golongan, pegawai.supervisor, pegawai.unit.code) == (
        "Pegawai Alfa Baru",
        "III/b",
        org.kepala,
        "DINA-UMPEG",
    )
    peer_after = Employee.objects.filter(pk=peer.pk).values().get()
    assert peer_after == peer_before


def test_a_dry_run_reports_creates_and_updates_without_writing(org):
    pegawai = org.pegawai
    existing = row(
        org, birth=pegawai.birth_date, gender=pegawai.gender, NIP=pegawai.nip, Email=pegawai.email
    )
    result = import_as_admin(org, xlsx(row(org), existing), dry_run=True)
    assert result.ok and (result.created, result.updated) == (1, 1) and not result.applied
    assert not Employee.objects.filter(nip=row(org)["NIP"]).exists()


def test_a_nip_registered_in_another_region_is_a_row_error(org):
    stranger = EmployeeFactory(unit=UnitFactory(agency__region=RegionFactory(code="7777")))
    data = row(org, birth=stranger.birth_date, gender=stranger.gender, NIP=stranger.nip, Email="")
    assert only_error(import_as_admin(org, xlsx(data)))[:2] == (2, "NIP")


def test_admin_daerah_may_transfer_an_employee_to_another_agency(org):
    outsider = org.outsider
    data = row(
        org,
        birth=outsider.birth_date,
        gender=outsider.gender,
        NIP=outsider.nip,
        Email=outsider.email,
    )
    result = import_as_admin(org, xlsx(data))
    assert result.ok, messages(result)
    outsider.refresh_from_db()
    assert outsider.agency == org.agency_a and outsider.unit == org.unit_a


def test_a_login_left_over_with_the_nip_as_username_is_reused(org):
    data = row(org)
    orphan = UserFactory(username=data["NIP"], email="lama@uji.go.id")
    orphan.set_unusable_password()  # never used: a new e-mail of a used one waits (security)
    orphan.save()
    result = import_as_admin(org, xlsx(data))
    assert result.ok, messages(result)
    orphan.refresh_from_db()
    assert Employee.objects.get(nip=data["NIP"]).user == orphan
    assert orphan.email == data["Email"]


# --- Admin HR scope -------------------------------------------------------------------------


def test_admin_hr_imports_employees_of_their_own_agency_with_a_supervisor_elsewhere(org):
    result = import_as_hr(org, xlsx(row(org, supervisor=org.sekda.nip)))
    assert result.ok, messages(result)
    assert Employee.objects.get(nip=row(org)["NIP"]).supervisor == org.sekda


def test_admin_hr_cannot_import_a_nip_of_another_agency(org):
    outsider = org.outsider
    data = row(
        org,
        birth=outsider.birth_date,
        gender=outsider.gender,
        NIP=outsider.nip,
        Email=outsider.email,
    )
    result = import_as_hr(org, xlsx(data))
    assert messages(result) == [f"Baris 2, kolom NIP: {OTHER_AGENCY_NIP}"]
    assert OTHER_AGENCY_NIP == "NIP terdaftar di Perangkat Daerah lain; mutasi oleh Admin Daerah"
    outsider.refresh_from_db()
    assert outsider.agency == org.agency_b


def test_admin_hr_cannot_import_into_a_unit_of_another_agency(org):
    result = import_as_hr(org, xlsx(row(org, unit=org.unit_b.code)))
    number, header, message = only_error(result)
    assert (number, header) == (2, "Kode Unit")
    assert "Perangkat Daerah lain" in message


# --- invitations ----------------------------------------------------------------------------


def test_new_accounts_with_email_get_one_invitation_job_enqueued_after_commit(
    org, django_capture_on_commit_callbacks
):
    with_email = row(org, serial=1)
    without = row(org, birth=dt.date(1992, 2, 2), serial=2, Email="")
    with django_capture_on_commit_callbacks() as callbacks:
        result = import_as_admin(org, xlsx(with_email, without))
    assert result.ok, messages(result)
    job = Job.objects.get(pk=result.details["invitation_job"])
    user = User.objects.get(username=with_email["NIP"])
    assert (job.kind, job.payload, job.status) == (
        "send_invitations",
        {"user_ids": [user.pk]},
        "queued",
    )
    assert job.created_by == org.admin_daerah and job.region == org.region
    assert len(callbacks) == 1
    assert result.details["invitations"] == 1


def test_no_invitation_job_when_no_new_account_has_an_email(
    org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        result = import_as_admin(org, xlsx(row(org, Email="")))
    assert result.ok and "invitation_job" not in result.details
    assert callbacks == [] and not Job.objects.exists()


def test_re_importing_existing_employees_sends_no_invitation(
    org, django_capture_on_commit_callbacks
):
    pegawai = org.pegawai
    data = row(
        org, birth=pegawai.birth_date, gender=pegawai.gender, NIP=pegawai.nip, Email=pegawai.email
    )
    with django_capture_on_commit_callbacks() as callbacks:
        result = import_as_admin(org, xlsx(data))
    assert result.ok and result.details["invitations"] == 0
    assert callbacks == []


def test_a_dry_run_creates_no_invitation_job(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        result = import_as_admin(org, xlsx(row(org)), dry_run=True)
    assert result.ok and callbacks == [] and not Job.objects.exists()
