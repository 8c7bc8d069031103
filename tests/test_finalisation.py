"""Finalising an agency computes each result from the data at hand then: a result left
provisional before the deadline is computed as at the deadline, and attendance imported
after scoring counts."""

import datetime as dt

from appraisals import services
from appraisals.models import Appraisal, PlanIndicator, State
from indicators.models import AttendanceRecord

from .appraisal_fixtures import (
    BEFORE_PLANNING,
    advance,
    appraisal_of,
    force_scored,
    fresh,
    make_cycle,
    make_indicator_set,
)


def test_finalising_recomputes_a_result_that_was_provisional(planning, time_machine):
    personas, cycle, appraisal = planning
    for indicator in PlanIndicator.objects.filter(result__appraisal=appraisal, kind="rubrik"):
        indicator.level = 4
        indicator.save()
    appraisal.behaviours.update(level=4)
    services.appraisal_recompute(appraisal=appraisal)  # before the deadline: I1, I3 pending
    appraisal.refresh_from_db()
    assert appraisal.breakdown["complete"] is False
    force_scored(Appraisal.objects.filter(cycle=cycle))

    time_machine.move_to(dt.datetime(2027, 1, 2, 9, tzinfo=dt.UTC))  # past the scoring deadline
    services.agency_finalise(acting_user=personas.hr_a.user, cycle=cycle, agency=personas.agency_a)
    appraisal.refresh_from_db()
    assert appraisal.state == State.FINALISED
    indicators = appraisal.breakdown["components"][0]["results"][0]["indicators"]
    assert any(i["zeroed"] for i in indicators)


def test_finalising_takes_in_attendance_imported_after_scoring(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key="tebingtinggi")
    appraisal = appraisal_of(cycle, personas.pegawai)
    advance(appraisal, State.SCORED)
    before = fresh(appraisal).final_value
    AttendanceRecord.objects.create(
        employee=personas.pegawai, period=dt.date(2026, 3, 1), working_days=20, present_days=10
    )
    force_scored(Appraisal.objects.filter(cycle=cycle).exclude(pk=appraisal.pk))
    services.agency_finalise(acting_user=personas.hr_a.user, cycle=cycle, agency=personas.agency_a)
    after = fresh(appraisal)
    assert after.state == State.FINALISED
    assert after.final_value < before
    attendance = next(c for c in after.breakdown["components"] if c["key"] == "kehadiran")
    assert attendance["status"] == "ada"
