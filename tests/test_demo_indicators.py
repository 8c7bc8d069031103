"""The demo's indicator sets, attendance and discipline: realistic demo indicators.

The sets must be coherent with the presets: a plan built from a position's set, with every
target met and every level "as expected", scores Baik under the agency's scheme, and in a
``tangsel`` agency no plan component (``sikap`` in particular) is redistributed for want of a
planned indicator (docs/scoring.md: data within the employee's control never is).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

from django.core.management import call_command
from django.db.models import Sum

from agencies.demo import POSITIONS, build_demo
from agencies.models import Agency, Employee, JobPosition
from appraisals import services
from appraisals.models import Appraisal
from indicators.demo import INDICATOR_FILE, RUBRIC_FILE, RUBRIC_LEVELS, read_rows, rubric_levels
from indicators.importing import IndicatorSpec
from indicators.models import (
    AttendanceRecord,
    DisciplineRecord,
    Indicator,
    IndicatorSet,
    ResultTemplate,
)
from indicators.resources import IndicatorResource
from indicators.schemes import get_scheme
from indicators.schemes.base import Source
from indicators.scoring import (
    BERAKHLAK,
    AppraisalInput,
    AttendanceInput,
    BehaviourInput,
    ComponentStatus,
    Direction,
    IkmInput,
    IndicatorInput,
    IndicatorKind,
    Predikat,
    ResultInput,
    ResultKind,
    attendance_score,
    compute_appraisal,
)

from .readme import demo_logins

YEAR_2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def indicators_of(code: str) -> list[Indicator]:
    return list(
        Indicator.objects.filter(indicator_set__position__code=code).select_related("result")
    )


def names_of(code: str) -> str:
    return " | ".join(i.name for i in indicators_of(code)).casefold()


def plan_input(employee: Employee, *, period=YEAR_2025) -> AppraisalInput:
    """Everything as expected: realisation = target, rubric and behaviour level 4.

    Like ``plan_ensure``, a result routed to a component the scheme lacks (sets are
    region-wide) falls back to the scheme's main results component.
    """
    scheme_key = employee.agency.default_scheme
    plan_keys = set(get_scheme(scheme_key).plan_component_keys)
    results = []
    templates = ResultTemplate.objects.filter(
        indicator_set__position=employee.position
    ).prefetch_related("indicators")
    for template in templates:
        indicators = tuple(
            IndicatorInput(
                code=i.code,
                name=i.name,
                kind=IndicatorKind(i.kind),
                weight=i.weight,
                direction=Direction(i.direction or "naik"),
                target=i.target,
                realisation=i.target if i.kind == "kuantitatif" else None,
                verified=True,
                level=4 if i.kind == "rubrik" else None,
            )
            for i in template.indicators.all()
        )
        results.append(
            ResultInput(
                code=template.code,
                name=template.name,
                indicators=indicators,
                kind=ResultKind(template.kind),
                component=template.component if template.component in plan_keys else None,
            )
        )
    extra = {}
    if scheme_key == "tebingtinggi":
        totals = AttendanceRecord.objects.filter(employee=employee, period__range=period).aggregate(
            w=Sum("working_days"), p=Sum("present_days"), late=Sum("late"), e=Sum("early_leave")
        )
        if totals["w"]:
            extra["attendance"] = AttendanceInput(
                totals["w"], totals["p"], totals["late"], totals["e"]
            )
        extra["sanctions"] = tuple(
            DisciplineRecord.objects.filter(
                employee=employee, decree_date__range=period
            ).values_list("level", flat=True)
        )
    if scheme_key == "kotalama":
        extra["team_levels"] = (4,)
    if scheme_key == "rakumpit":
        extra["ikm"] = IkmInput(Decimal(80), 40)
    return AppraisalInput(
        results=tuple(results),
        behaviour={code: BehaviourInput(supervisor=4) for code in BERAKHLAK},
        **extra,
    )


def test_every_position_has_a_set_whose_weights_sum_to_100(demo):
    positions = JobPosition.objects.all()
    assert {p.code for p in positions} == {code for code, *_ in POSITIONS}
    totals = {s.position.code: s.total_weight for s in IndicatorSet.objects.with_totals()}
    assert set(totals) == {p.code for p in positions}
    assert all(total == 100 for total in totals.values()), totals


def test_sets_have_two_to_four_results_each_with_one_to_three_indicators(demo):
    for indicator_set in IndicatorSet.objects.prefetch_related("results__indicators"):
        results = list(indicator_set.results.all())
        assert 2 <= len(results) <= 4, indicator_set
        assert any(r.kind == "utama" for r in results), indicator_set
        for result in results:
            assert 1 <= result.indicators.count() <= 3, result
        kinds = {i.kind for r in results for i in r.indicators.all()}
        assert "kuantitatif" in kinds, indicator_set


def test_every_indicator_is_complete_and_explained(demo):
    indicators = list(Indicator.objects.all())
    assert len(indicators) > 80
    for i in indicators:
        assert i.guidance.strip() and "Bukti dukung" in i.guidance, i
        assert i.unit and i.aspect in {"kuantitas", "kualitas", "waktu", "biaya"}, i
        if i.kind == "kuantitatif":
            assert i.target is not None and i.target > 0, i
            assert i.direction in {"naik", "turun"}, i
            assert not i.rubric, i
        else:
            assert i.kind == "rubrik"
            assert i.target is None and i.direction == "", i
            levels = [text for _level, text in i.rubric_levels()]
            assert len(levels) == 5 and all(t.strip() for t in levels), i
            assert len(set(levels)) == 5, i
    turun = [i for i in indicators if i.direction == "turun"]
    assert turun and all(i.aspect == "waktu" for i in turun)
    assert {i.aspect for i in indicators} == {"kuantitas", "kualitas", "waktu", "biaya"}


# --- the demo files ---------------------------------------------------------------------------


def by_position(rows) -> dict[str, list[list[str]]]:
    """Rows grouped by their Kode Jabatan (the first column), in their own order."""
    grouped = defaultdict(list)
    for row in rows:
        grouped[row[0]].append([str(cell) for cell in row])
    return dict(grouped)


def exported_sets() -> tuple[dict[str, list[list[str]]], dict[tuple[str, str], dict[int, str]]]:
    """The indicator export of the seeded region, and the level texts of its rubrics."""
    dataset = IndicatorResource().export()
    assert dataset.headers == IndicatorSpec.headers()
    rubrics = {
        (i.indicator_set.position.code, i.code): {int(level): t for level, t in i.rubric.items()}
        for i in Indicator.objects.filter(kind="rubrik").select_related("indicator_set__position")
    }
    return by_position(dataset), rubrics


def test_the_seeded_sets_are_the_demo_file_which_imports_back_unchanged(demo):
    """The export of the seeded sets gives back the demo file, every cell in the set's order;
    ``import_indicators`` takes the file as it is and changes nothing."""
    expected = by_position([list(row.values()) for row in read_rows(INDICATOR_FILE)])
    assert set(expected) == {code for code, *_ in POSITIONS}
    assert exported_sets() == (expected, rubric_levels())

    out = io.StringIO()
    call_command("import_indicators", str(INDICATOR_FILE), stdout=out)
    rows = sum(len(r) for r in expected.values())
    assert out.getvalue().strip() == f"Impor selesai: {rows} baris (0 baru, {rows} diperbarui)."
    assert exported_sets() == (expected, rubric_levels())


def test_the_demo_files_are_csv_as_indonesian_excel_writes_it():
    for path in (INDICATOR_FILE, RUBRIC_FILE):
        header = path.read_bytes().decode("utf-8").splitlines()[0]
        assert header.count(";") > header.count(","), path  # the reader's delimiter: ";"
    header = INDICATOR_FILE.read_text(encoding="utf-8").splitlines()[0]
    assert header == ";".join(IndicatorSpec.headers())  # every column, in the contract's order
    for row in read_rows(INDICATOR_FILE):
        # Whole numbers without marks read alike under either delimiter's number rules.
        assert row["Bobot"].isdigit() and (row["Target"].isdigit() or row["Jenis"] == "rubrik")
        # Every row names its result in full: sorting the rows in a spreadsheet loses nothing.
        assert row["Kode Hasil"] and row["Nama Hasil"] and row["Jenis Hasil"], row


def test_the_rubric_file_has_the_levels_of_every_rubric_indicator_and_no_other():
    rubrics = [
        (row["Kode Jabatan"], row["Kode Indikator"])
        for row in read_rows(INDICATOR_FILE)
        if row["Jenis"] == "rubrik"
    ]
    rows = read_rows(RUBRIC_FILE)
    keys = [(row["Kode Jabatan"], row["Kode Indikator"]) for row in rows]
    assert len(rubrics) > 20 and sorted(keys) == sorted(rubrics)  # each once
    for row in rows:
        assert list(row) == ["Kode Jabatan", "Kode Indikator", *RUBRIC_LEVELS]
        assert all(row[level].strip() for level in RUBRIC_LEVELS), row


def test_seeding_refills_a_set_left_empty_from_the_file(demo):
    before = exported_sets()
    Indicator.objects.filter(indicator_set__position__code="JF-GURU-AP").delete()
    ResultTemplate.objects.filter(indicator_set__position__code="JF-GURU-AP").update(name="X")
    out = io.StringIO()
    call_command("seed_demo", quiet_logins=True, no_prescore=True, stdout=out)
    assert "1 set indikator baru" in out.getvalue()
    assert exported_sets() == before


def test_health_sets_name_patients_satisfaction_and_immunisation(demo):
    doctor = names_of("JF-DOKTER-AP")
    for words in ("jumlah pasien yang dilayani", "kepuasan pasien", "imunisasi"):
        assert words in doctor
    assert "kepuasan pasien" in names_of("JF-PERAWAT-TRP")
    midwife = names_of("JF-BIDAN-TRP")
    assert "imunisasi" in midwife and "kepuasan pasien" in midwife


def test_teacher_sets_name_teaching_extracurricular_innovation_and_attitude(demo):
    for code in ("JF-GURU-AP", "JF-GURU-AM"):
        names = names_of(code)
        for words in ("jam pelajaran", "ekstrakurikuler", "inovasi"):
            assert words in names, (code, words)
        attitude = [i for i in indicators_of(code) if i.result.component == "sikap"]
        assert attitude and all(i.kind == "rubrik" for i in attitude)


def test_civil_registration_sets_count_ktp_kk_and_days_to_complete(demo):
    for code in ("PLK-OPERATOR-ADMINDUK", "JF-ADMINDUK-TRP"):
        names = names_of(code)
        assert "ktp-el" in names and "kartu keluarga" in names, code
    days = [
        i
        for i in indicators_of("PLK-OPERATOR-ADMINDUK")
        if "hari penyelesaian" in i.name.casefold()
    ]
    assert len(days) == 1 and days[0].direction == "turun" and days[0].unit == "hari kerja"


def test_kecamatan_public_works_and_leader_sets(demo):
    letters = [
        i for i in indicators_of("PLK-PELAYANAN-SURAT") if "standar pelayanan" in i.name.casefold()
    ]
    assert letters and letters[0].aspect == "waktu"
    assert "surat" in names_of("PLK-PELAYANAN-SURAT")
    roads = indicators_of("JF-TEKNIK-JALAN-AP")
    assert any("sesuai jadwal" in i.name and i.aspect == "waktu" for i in roads)
    assert any(i.unit == "km" for i in roads)
    assert any(i.unit == "km" for i in indicators_of("PLK-TEKNISI-JALAN"))
    for code in ("JPT-SEKDA", "JPT-KEPALA", "ADM-KABID"):  # leaders: budget absorption
        assert any("anggaran" in i.name and i.aspect == "biaya" for i in indicators_of(code)), code
    assert "perda" in names_of("JPT-SEKDA") and "kebijakan" in names_of("ADM-KABID")


def test_agency_specific_positions_are_held_in_their_agencies(demo):
    held = defaultdict(set)
    for agency_code, position_code in Employee.objects.values_list(
        "agency__code", "position__code"
    ).distinct():
        held[agency_code].add(position_code)
    assert {"JF-DOKTER-AP", "JF-PERAWAT-TRP", "JF-BIDAN-TRP"} <= held["DINKES"]
    assert {"JF-GURU-AP", "JF-GURU-AM"} <= held["DISDIK"]
    assert {"PLK-OPERATOR-ADMINDUK", "JF-ADMINDUK-TRP"} <= held["DISDUKCAPIL"]
    assert {"JF-TEKNIK-JALAN-AP", "PLK-TEKNISI-JALAN"} <= held["DPUPR"]
    assert "PLK-PELAYANAN-SURAT" in held["KEC-SUKAMAJU"]


def test_a_routed_component_is_a_plan_component_of_a_preset_and_falls_back_elsewhere(demo):
    """A set is region-wide; a component it names must be a plan component of some preset
    (``sikap``: the attitude results for ``tangsel``), and a plan copied in an agency whose
    scheme lacks it routes the result to that scheme's main results component."""
    routed = set(ResultTemplate.objects.exclude(component="").values_list("component", flat=True))
    assert routed == {"sikap"}  # the attitude results
    assert "sikap" in get_scheme("tangsel").plan_component_keys

    # The same position in a tangsel and a nasional agency: sikap there, fallback here.
    for scheme_key, expected in (("tangsel", "sikap"), ("nasional", "")):
        appraisal = (
            Appraisal.objects.filter(
                agency__default_scheme=scheme_key,
                employee__position__code="PLK-PENGADMINISTRASI",
            )
            .order_by("employee__nip")
            .first()
        )
        services.plan_ensure(appraisal)
        attitude = appraisal.results.get(code="RHK-4")
        assert attitude.component == expected, scheme_key
        assert attitude.indicators.filter(kind="rubrik").count() == 2


def test_every_demo_position_in_every_agency_builds_a_plan_the_scorer_accepts(demo):
    pairs = Employee.objects.values_list("agency_id", "position_id").distinct()
    assert len(pairs) >= 30
    for agency_id, position_id in pairs:
        employee = (
            Employee.objects.filter(agency_id=agency_id, position_id=position_id)
            .select_related("agency", "position")
            .order_by("nip")
            .first()
        )
        scheme = get_scheme(employee.agency.default_scheme)
        breakdown = compute_appraisal(scheme, plan_input(employee))
        assert breakdown.predikat is not None, employee
        assert breakdown.complete, (employee, breakdown.notes)
        main = breakdown.component(scheme.main_component.key)
        assert main.status == ComponentStatus.ADA and main.value == 100, employee
        if employee.agency.default_scheme == "tebingtinggi":
            assert breakdown.component("kehadiran").status == ComponentStatus.ADA
        if scheme.key == "tangsel":
            assert breakdown.component("sikap").value == 100, employee


def test_each_agencys_demo_employee_scores_baik_when_everything_is_as_expected(demo):
    rows, _password = demo_logins()
    pegawai = [r for r in rows if r["Role"] == "pegawai"]
    assert len(pegawai) == 6
    schemes = set()
    for row in pegawai:
        employee = Employee.objects.select_related("agency", "position").get(nip=row["Login"])
        scheme = get_scheme(employee.agency.default_scheme)
        schemes.add(scheme.key)
        breakdown = compute_appraisal(scheme, plan_input(employee))
        assert breakdown.predikat == Predikat.BAIK, (row, breakdown.notes)
        for component in scheme.components:
            assert breakdown.component(component.key).status == ComponentStatus.ADA, (
                row,
                component.key,
            )
    assert schemes == {"nasional", "jakarta", "tangsel", "rakumpit", "tebingtinggi", "kotalama"}


def test_no_tangsel_employee_has_a_plan_component_redistributed(demo):
    """Every position held in a tangsel agency plans attitude (``sikap``), so a plan built
    from its set leaves no plan component to redistribute."""
    scheme = get_scheme("tangsel")
    employees = (
        Employee.objects.filter(agency__default_scheme="tangsel")
        .select_related("agency", "position")
        .order_by("nip")
    )
    by_position = {}
    for employee in employees:
        by_position.setdefault(employee.position.code, employee)
    assert {"JF-GURU-AP", "PLK-PENGADMINISTRASI", "JPT-KEPALA"} <= set(by_position)
    for code, employee in sorted(by_position.items()):
        attitude = ResultTemplate.objects.filter(
            indicator_set__position__code=code, component="sikap"
        )
        assert attitude.exists(), code
        assert all(
            1 <= r.indicators.count() <= 2 and not r.indicators.exclude(kind="rubrik").exists()
            for r in attitude
        ), code
        breakdown = compute_appraisal(scheme, plan_input(employee))
        plan = [c for c in breakdown.components if c.source == Source.RENCANA]
        assert {c.key for c in plan} == {"kompetensi_teknis", "sikap"}
        redistributed = [c.key for c in plan if c.status == ComponentStatus.DIALIHKAN]
        assert not redistributed, (code, redistributed, breakdown.notes)


def test_positions_of_generated_tangsel_agencies_plan_attitude_too():
    """``seed_demo --agencies N`` cycles the presets over generic agencies: their positions
    plan attitude as well."""
    data = build_demo(employees=600, agencies=12)
    held = {
        person.position_code
        for agency in data.agencies
        if agency.blueprint.scheme == "tangsel"
        for person in agency.people
    }
    assert {"PLK-OPERATOR-LAYANAN", "JF-ANALIS-SDM-AP"} <= held
    attitude = {
        row["Kode Jabatan"] for row in read_rows(INDICATOR_FILE) if row["Komponen"] == "sikap"
    }
    for code in sorted(held):
        assert code in attitude, code


def test_attendance_covers_the_tebingtinggi_agency_for_2025_and_2026(demo):
    agency = Agency.objects.get(default_scheme="tebingtinggi")
    staff = list(Employee.objects.filter(agency=agency))
    records = AttendanceRecord.objects.filter(employee__agency=agency)
    assert records.count() == len(staff) * 23
    assert not AttendanceRecord.objects.exclude(employee__agency=agency).exists()
    periods = sorted(set(records.values_list("period", flat=True)))
    assert periods[0] == dt.date(2025, 1, 1) and periods[-1] == dt.date(2026, 11, 1)
    for record in records:
        assert 18 <= record.working_days <= 23
        assert record.present_days <= record.working_days
    scores = []
    for employee in staff:
        totals = records.filter(employee=employee, period__year=2025).aggregate(
            w=Sum("working_days"), p=Sum("present_days"), late=Sum("late"), e=Sum("early_leave")
        )
        scores.append(
            attendance_score(AttendanceInput(totals["w"], totals["p"], totals["late"], totals["e"]))
        )
    assert sum(1 for s in scores if s < 75) >= 2  # a few people with poor attendance
    assert sum(1 for s in scores if s >= 90) > len(scores) / 2  # most attend well


def test_a_handful_of_sanctions_of_every_level(demo):
    sanctions = list(DisciplineRecord.objects.select_related("employee__agency"))
    assert 3 <= len(sanctions) <= 10
    assert {s.level for s in sanctions} == {"ringan", "sedang", "berat"}
    assert all(s.employee.agency.default_scheme == "tebingtinggi" for s in sanctions)
    assert all(dt.date(2025, 1, 1) <= s.decree_date <= dt.date(2026, 12, 31) for s in sanctions)


def test_seeding_twice_changes_nothing(demo):
    def counts():
        return tuple(
            model.objects.count()
            for model in (
                IndicatorSet,
                ResultTemplate,
                Indicator,
                AttendanceRecord,
                DisciplineRecord,
            )
        )

    before = counts()
    snapshot = list(AttendanceRecord.objects.order_by("pk").values_list("present_days", "late"))
    out = io.StringIO()
    call_command("seed_demo", quiet_logins=True, no_prescore=True, stdout=out)
    assert counts() == before
    assert list(AttendanceRecord.objects.order_by("pk").values_list("present_days", "late")) == (
        snapshot
    )
    assert "0 set indikator baru, 0 data kehadiran dan 0 hukuman disiplin baru" in out.getvalue()


def test_seeding_keeps_an_edited_set(demo):
    indicator = Indicator.objects.filter(indicator_set__position__code="JF-DOKTER-AP").first()
    indicator.target = Decimal(1234)
    indicator.save()
    call_command("seed_demo", quiet_logins=True, no_prescore=True, stdout=io.StringIO())
    indicator.refresh_from_db()
    assert indicator.target == 1234
