"""The Excel exports of a cycle (docs/exports.md): the recap's exact headers and values for
every demo preset, the region layout, the detail per indicator, the peer and survey
summaries, and their query counts."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from agencies.models import Agency
from appraisals import services
from appraisals.models import Appraisal, Cycle, PlanIndicator
from indicators.schemes.base import Predikat, Rating
from indicators.scoring import JFLevel, angka_kredit
from reports import exports
from reports.xlsx import write_workbook

from .appraisal_fixtures import (
    BEFORE_PLANNING,
    DEADLINES,
    force_scored,
    make_cycle,
    make_indicator_set,
)
from .factories import EmployeeFactory, UnitFactory

COMPONENT_KEYS = {
    "nasional": ["hasil_kerja", "perilaku"],
    "jakarta": ["indikator_jabatan", "perilaku"],
    "tangsel": ["kompetensi_teknis", "sikap", "perilaku"],
    "rakumpit": ["output_terukur", "kepuasan_masyarakat", "penilaian_atasan"],
    "tebingtinggi": ["kehadiran", "disiplin", "kualitas_kerja", "kontribusi_tim"],
    "kotalama": ["target_jabatan", "kualitas_layanan"],
}
HEAD = ["NIP", "Nama", "Jabatan", "Unit", "Golongan"]
TAIL = ["Nilai Akhir", "Hasil Kerja", "Perilaku Kerja", "Predikat", "Predikat Label",
        "Faktor TPP", "Angka Kredit"]  # fmt: skip


def _book(sheets):
    buffer = io.BytesIO()
    write_workbook(buffer, sheets)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def _records(ws):
    rows = list(ws.iter_rows())
    headers = [c.value for c in rows[0]]
    return headers, [dict(zip(headers, row, strict=True)) for row in rows[1:]]


def _demo_cycle(scheme_key: str) -> Cycle:
    return Cycle.objects.get(scheme_key=scheme_key, status="open")  # not last year's


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@pytest.mark.parametrize("scheme_key", list(COMPONENT_KEYS))
def test_the_recap_has_exactly_the_documented_headers(prescored_demo, scheme_key):
    cycle = _demo_cycle(scheme_key)
    book = _book(exports.recap_sheets(cycle))
    expected = HEAD + COMPONENT_KEYS[scheme_key] + TAIL
    for ws in book.worksheets:
        assert [c.value for c in next(ws.iter_rows())] == expected
        assert ws.freeze_panes == "A2"


@pytest.mark.parametrize("scheme_key", list(COMPONENT_KEYS))
def test_recap_values_equal_the_stored_breakdown(prescored_demo, scheme_key):
    cycle = _demo_cycle(scheme_key)
    matrix = scheme_key == "nasional"
    (ws,) = _book(exports.recap_sheets(cycle)).worksheets
    headers, records = _records(ws)
    appraisals = {
        a.employee.nip: a
        for a in Appraisal.objects.filter(cycle=cycle).select_related("employee", "position")
    }
    assert len(records) == len(appraisals) > 0
    seen_predikat = set()
    for record in records:
        nip = record["NIP"]
        assert nip.data_type == "s" and nip.number_format == "@"
        assert len(nip.value) == 18 and nip.value.isdigit()
        appraisal = appraisals[nip.value]
        assert record["Nama"].value == appraisal.employee.full_name
        assert record["Jabatan"].value == appraisal.position.name
        assert record["Golongan"].value == appraisal.golongan
        stored = {c["key"]: c["value_rounded"] for c in appraisal.breakdown.get("components", ())}
        for key in COMPONENT_KEYS[scheme_key]:
            assert _dec(record[key].value) == _dec(stored.get(key)), (nip.value, key)
        if matrix:
            assert record["Nilai Akhir"].value is None
            hk, pk = appraisal.hasil_kerja_rating, appraisal.perilaku_rating
            assert record["Hasil Kerja"].value == (Rating(hk).label if hk else None)
            assert record["Perilaku Kerja"].value == (Rating(pk).label if pk else None)
        else:
            assert _dec(record["Nilai Akhir"].value) == appraisal.final_value
            assert record["Nilai Akhir"].value is None or record["Nilai Akhir"].data_type == "n"
            assert record["Hasil Kerja"].value is None
            assert record["Perilaku Kerja"].value is None
        assert (record["Predikat"].value or "") == appraisal.predikat
        if appraisal.predikat:
            seen_predikat.add(appraisal.predikat)
            assert record["Predikat Label"].value == appraisal.breakdown["predikat_label"]
        tpp = record["Faktor TPP"].value
        if scheme_key == "kotalama" and appraisal.predikat:
            assert _dec(tpp) == _dec(appraisal.breakdown["incentive_percent"])
        else:
            assert tpp is None
        credit = record["Angka Kredit"]
        if appraisal.position.kind == "Fungsional" and appraisal.predikat:
            level = next(lv for lv in JFLevel if lv.label == appraisal.position.jf_level)
            assert _dec(credit.value) == angka_kredit(appraisal.predikat, level, 12)
            assert credit.number_format == "0.000"
        else:
            assert credit.value is None
    assert seen_predikat <= {p.value for p in Predikat}
    assert seen_predikat, "the prescored demo has predikat in every preset"


def test_every_predikat_label_in_matrix_mode_uses_the_matrix_name(prescored_demo):
    cycle = _demo_cycle("nasional")
    appraisal = Appraisal.objects.filter(cycle=cycle).exclude(predikat="").first()
    Appraisal.objects.filter(pk=appraisal.pk).update(predikat="kurang")
    (ws,) = _book(exports.recap_sheets(cycle)).worksheets
    _headers, records = _records(ws)
    labels = {r["NIP"].value: r["Predikat Label"].value for r in records}
    assert labels[appraisal.employee.nip] == "Kurang/Misconduct"


def test_an_18_digit_nip_and_a_formula_like_name_stay_text(prescored_demo):
    cycle = _demo_cycle("jakarta")
    appraisal = Appraisal.objects.filter(cycle=cycle).select_related("employee").first()
    employee = appraisal.employee
    employee.name = '=HYPERLINK("http://x")'
    employee.front_title = ""
    employee.back_title = ""
    employee.save()
    (ws,) = _book(exports.recap_sheets(cycle)).worksheets
    _headers, records = _records(ws)
    (record,) = [r for r in records if r["NIP"].value == employee.nip]
    assert record["Nama"].value == '\'=HYPERLINK("http://x")'
    assert all(cell.data_type != "f" for r in records for cell in r.values())


# --- a cycle of several agencies: one sheet per agency ---------------------------------------


@pytest.fixture
def two_agency_cycle(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    if personas.outsider.position_id != personas.pegawai.position_id:
        make_indicator_set(personas.outsider.position, personas.region)
    cycle = services.cycle_create(
        acting_user=personas.admin_daerah,
        region=personas.region,
        agencies=[personas.agency_b, personas.agency_a],
        name="Penilaian 2026 dua perangkat daerah",
        scheme_key="jakarta",
        period_type="annual",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        deadlines=DEADLINES,
    )
    services.cycle_create_appraisals(cycle_id=cycle.pk)
    force_scored(Appraisal.objects.filter(cycle=cycle))
    return personas, cycle


def test_a_region_recap_has_one_sheet_per_agency_in_code_order(two_agency_cycle):
    personas, cycle = two_agency_cycle
    book = _book(exports.recap_sheets(cycle))
    assert book.sheetnames == ["DINA Dinas Alfa", "DINB Dinas Beta"]
    for ws, agency in zip(book.worksheets, (personas.agency_a, personas.agency_b), strict=True):
        _headers, records = _records(ws)
        expected = set(
            Appraisal.objects.filter(cycle=cycle, agency=agency).values_list(
                "employee__nip", flat=True
            )
        )
        assert {r["NIP"].value for r in records} == expected
        assert (
            ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{len(expected) + 1}"
        )
    only_b = _book(exports.recap_sheets(cycle, [personas.agency_b.pk]))
    assert only_b.sheetnames == ["DINB Dinas Beta"]


def test_export_recap_writes_a_file_and_counts_rows(two_agency_cycle, tmp_path):
    personas, cycle = two_agency_cycle
    target = tmp_path / "rekap.xlsx"
    n = exports.export_recap(cycle, personas.agency_a, target)
    assert n == Appraisal.objects.filter(cycle=cycle, agency=personas.agency_a).count()
    assert load_workbook(target).sheetnames == ["DINA Dinas Alfa"]
    assert (
        exports.export_recap(cycle, None, target) == Appraisal.objects.filter(cycle=cycle).count()
    )


# --- detail per indicator --------------------------------------------------------------------


@pytest.mark.parametrize("scheme_key", ["rakumpit", "kotalama", "nasional"])
def test_the_detail_has_one_row_per_plan_indicator_with_the_breakdown_value(
    prescored_demo, scheme_key
):
    cycle = _demo_cycle(scheme_key)
    (ws,) = _book(exports.detail_sheets(cycle)).worksheets
    headers, records = _records(ws)
    assert headers[:4] == ["NIP", "Nama", "Kode Hasil", "Hasil Kerja (RHK)"]
    assert ("Tanggal Target" in headers) == (scheme_key == "kotalama")
    indicators = PlanIndicator.objects.filter(result__appraisal__cycle=cycle).select_related(
        "result__appraisal__employee"
    )
    assert len(records) == indicators.count() > 0
    stored = {}
    for appraisal in Appraisal.objects.filter(cycle=cycle).select_related("employee"):
        for component in appraisal.breakdown.get("components", ()):
            for result in component.get("results") or ():
                for row in result["indicators"]:
                    stored[(appraisal.employee.nip, result["code"], row["code"])] = row
    by_key = {(i.result.appraisal.employee.nip, i.result.code, i.code): i for i in indicators}
    for record in records:
        key = (record["NIP"].value, record["Kode Hasil"].value, record["Kode Indikator"].value)
        indicator = by_key[key]
        assert record["NIP"].data_type == "s"
        assert record["Indikator"].value == indicator.name
        assert record["Jenis"].value == indicator.kind
        assert _dec(record["Bobot"].value) == indicator.weight
        assert _dec(record["Target"].value) == indicator.target
        assert _dec(record["Realisasi"].value) == indicator.realisation
        assert record["Level"].value == indicator.level
        row = stored.get(key, {})
        assert _dec(record["Nilai"].value) == _dec(row.get("value_rounded"))
        if scheme_key == "rakumpit" and indicator.kind != "rubrik":
            assert record["Verifikasi"].value == indicator.get_verification_display()
        else:
            assert record["Verifikasi"].value is None
        if scheme_key == "kotalama" and indicator.is_dated:
            assert record["Tanggal Target"].value.date() == indicator.due_date
            expected = {"tepat_waktu": "tepat waktu", "terlambat": "terlambat",
                        "belum_selesai": "belum selesai"}[indicator.timeliness]  # fmt: skip
            assert record["Ketepatan Waktu"].value == expected


# --- peer summary ----------------------------------------------------------------------------


def test_the_peer_summary_shows_a_mean_only_from_the_minimum_number_of_peers(prescored_demo):
    from feedback.models import PeerAnswer

    cycle = _demo_cycle("nasional")
    (ws,) = _book(exports.peer_sheets(cycle)).worksheets
    headers, records = _records(ws)
    assert headers == ["NIP", "Nama", "Unit", "Rekan Menjawab", "Nilai BerAKHLAK",
                       "Jumlah Rekan", "Rerata Level"]  # fmt: skip
    answers = {}
    for appraisal_id, value_name, level in PeerAnswer.objects.filter(
        appraisal__cycle=cycle
    ).values_list("appraisal__employee__nip", "value__name", "level"):
        answers.setdefault((appraisal_id, value_name), []).append(level)
    counts = {len(v) for v in answers.values()}
    assert 3 in counts and 2 in counts  # the demo: one pegawai with 3 peers, one with 2
    shown = 0
    for record in records:
        levels = answers.get((record["NIP"].value, record["Nilai BerAKHLAK"].value), [])
        assert record["Jumlah Rekan"].value == len(levels)
        if len(levels) >= 3:
            mean = (Decimal(sum(levels)) / len(levels)).quantize(Decimal("0.01"))
            assert _dec(record["Rerata Level"].value) == mean
            shown += 1
        else:
            assert record["Rerata Level"].value is None
    assert shown


def test_the_peer_summary_waits_for_the_peer_deadline(prescored_demo):
    cycle = _demo_cycle("nasional")
    cycle.peer_deadline = cycle.region.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="setelah batas umpan balik rekan"):
        exports.peer_sheets(cycle)
    with pytest.raises(ValidationError, match="tidak memakai umpan balik rekan"):
        exports.peer_sheets(_demo_cycle("jakarta"))


# --- survey summary --------------------------------------------------------------------------


def test_the_survey_summary_has_the_ikm_of_each_public_unit(prescored_demo):
    from feedback.survey_selectors import unit_ikm

    cycle = _demo_cycle("rakumpit")
    (ws,) = _book(exports.survey_sheets(cycle)).worksheets
    headers, records = _records(ws)
    assert headers[:5] == ["Kode Perangkat Daerah", "Perangkat Daerah", "Kode Unit", "Unit",
                           "Responden"]  # fmt: skip
    assert headers[-3:] == ["IKM", "Mutu", "Cukup Responden"]
    assert {r["Responden"].value for r in records} >= {36, 8}
    from agencies.models import Unit

    for record in records:
        unit = Unit.objects.get(code=record["Kode Unit"].value)
        result = unit_ikm(unit.pk, cycle.start_date, cycle.end_date)
        assert _dec(record["IKM"].value) == result.value_rounded
        assert record["Cukup Responden"].value == ("ya" if result.respondents >= 30 else "tidak")


# --- queries do not grow with the rows -------------------------------------------------------


def _grow(personas, cycle, n: int) -> None:
    unit = UnitFactory(agency=personas.agency_a, parent=personas.unit_a)
    employees = [EmployeeFactory(unit=unit, supervisor=personas.kasi,
                                 position=personas.pegawai.position) for _ in range(n)]  # fmt: skip
    services.cycle_create_appraisals(cycle_id=cycle.pk)
    for appraisal in Appraisal.objects.filter(cycle=cycle, employee__in=employees):
        services.plan_ensure(appraisal)
    force_scored(Appraisal.objects.filter(cycle=cycle))


def _queries(cycle, kind) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        book = _book(exports.export_sheets(Cycle.objects.get(pk=cycle.pk), kind))
    return len(queries), sum(ws.max_row - 1 for ws in book.worksheets)


@pytest.mark.parametrize("kind", ["rekap", "detail", "rekan", "survei"])
def test_export_queries_do_not_grow_with_the_rows(personas, time_machine, kind):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key="nasional" if kind == "rekan" else "kotalama")
    _grow(personas, cycle, 5)
    time_machine.move_to(dt.datetime(2026, 12, 30, 9, tzinfo=dt.UTC))  # past the peer deadline
    small, small_rows = _queries(cycle, kind)
    time_machine.move_to(BEFORE_PLANNING)
    _grow(personas, cycle, 45)
    time_machine.move_to(dt.datetime(2026, 12, 30, 9, tzinfo=dt.UTC))
    large, large_rows = _queries(cycle, kind)
    assert large == small
    if kind != "survei":
        assert large_rows > small_rows


def test_agency_filter_keeps_agencies_of_the_cycle_only(two_agency_cycle):
    personas, cycle = two_agency_cycle
    other = Agency.objects.create(region=personas.region, code="LAIN", name="Lain")
    assert exports.recap_sheets(cycle, [other.pk]) == []
