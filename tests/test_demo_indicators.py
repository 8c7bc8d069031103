"""The demo's indicator sets, attendance and discipline (issue: realistic demo indicators).

The sets must be coherent with the presets: a plan built from a position's set, with every
target met and every level "as expected", scores Baik under the agency's scheme.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from agencies.demo import POSITIONS
from agencies.models import Agency, Employee, JobPosition
from indicators.models import (
    AttendanceRecord,
    DisciplineRecord,
    Indicator,
    IndicatorSet,
    ResultTemplate,
)
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


@pytest.fixture
def demo(db):
    call_command("seed_demo", quiet_logins=True, no_prescore=True, stdout=io.StringIO())


def indicators_of(code: str) -> list[Indicator]:
    return list(
        Indicator.objects.filter(indicator_set__position__code=code).select_related("result")
    )


def names_of(code: str) -> str:
    return " | ".join(i.name for i in indicators_of(code)).casefold()


def plan_input(employee: Employee, *, period=YEAR_2025) -> AppraisalInput:
    """Everything as expected: realisation = target, rubric and behaviour level 4."""
    scheme_key = employee.agency.default_scheme
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
                component=template.component or None,
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


def test_result_components_exist_in_the_scheme_of_every_agency_using_the_position(demo):
    """A set is region-wide; a component it names must be a plan component wherever used."""
    routed = defaultdict(set)
    for position_id, component in ResultTemplate.objects.exclude(component="").values_list(
        "indicator_set__position_id", "component"
    ):
        routed[position_id].add(component)
    assert routed  # the teachers' attitude results
    pairs = Employee.objects.filter(position_id__in=routed).values_list(
        "position_id", "agency__default_scheme"
    )
    for position_id, scheme_key in pairs.distinct():
        plan_keys = set(get_scheme(scheme_key).plan_component_keys)
        assert routed[position_id] <= plan_keys, (position_id, scheme_key)


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
        if employee.position.code.startswith("JF-GURU"):
            assert breakdown.component("sikap").value == 100


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
            if component.source == Source.RENCANA and component.key == "sikap":
                continue  # only teachers plan attitude indicators
            assert breakdown.component(component.key).status == ComponentStatus.ADA, (
                row,
                component.key,
            )
    assert schemes == {"nasional", "jakarta", "tangsel", "rakumpit", "tebingtinggi", "kotalama"}


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
