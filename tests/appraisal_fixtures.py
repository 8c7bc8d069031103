"""Builders for appraisal tests: an indicator set, a cycle, and appraisals in a given state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from appraisals import services
from appraisals.access import get_appraisal_for
from appraisals.models import Appraisal, Cycle
from indicators.models import Indicator, IndicatorSet, ResultTemplate

DEADLINES = {
    "planning": dt.date(2026, 2, 15),
    "self_assessment": dt.date(2026, 12, 20),
    "scoring": dt.date(2026, 12, 28),
    "peer": dt.date(2026, 12, 28),
    "calibration": dt.date(2026, 12, 31),
}


def make_indicator_set(position, region) -> IndicatorSet:
    """R1 (utama): I1 quantitative 100 dokumen (60) + I2 rubric (20); R2 (tambahan): I3
    quantitative, lower is better, 5 hari (20)."""
    s, _ = IndicatorSet.objects.get_or_create(position=position, defaults={"region": region})
    r1 = ResultTemplate.objects.create(indicator_set=s, code="R1", name="Layanan dokumen", order=0)
    r2 = ResultTemplate.objects.create(
        indicator_set=s, code="R2", name="Kecepatan layanan", kind="tambahan", order=1
    )
    Indicator.objects.create(
        indicator_set=s,
        result=r1,
        code="I1",
        name="Dokumen selesai",
        kind="kuantitatif",
        unit="dokumen",
        direction="naik",
        aspect="kuantitas",
        target=Decimal(100),
        weight=Decimal(60),
        guidance="Jumlah dokumen yang selesai diproses.",
        order=0,
    )
    Indicator.objects.create(
        indicator_set=s,
        result=r1,
        code="I2",
        name="Mutu layanan",
        kind="rubrik",
        unit="level",
        aspect="kualitas",
        weight=Decimal(20),
        guidance="Dinilai atasan dengan rubrik.",
        order=1,
        rubric={str(i): f"Level {i}" for i in range(1, 6)},
    )
    Indicator.objects.create(
        indicator_set=s, result=r2, code="I3", name="Hari penyelesaian", kind="kuantitatif",
        unit="hari", direction="turun", aspect="waktu", target=Decimal(5), weight=Decimal(20),
        guidance="Rata-rata hari kerja dari berkas lengkap sampai selesai.", order=2,
    )  # fmt: skip
    return s


def make_cycle(
    personas, *, scheme_key="jakarta", period_type="annual", deadlines=None, agencies=None
) -> Cycle:
    cycle = services.cycle_create(
        acting_user=personas.hr_a.user,
        region=personas.region,
        agencies=agencies or [personas.agency_a],
        name=f"Penilaian 2026 {scheme_key}",
        scheme_key=scheme_key,
        period_type=period_type,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        deadlines=deadlines or DEADLINES,
    )
    services.cycle_open(acting_user=personas.hr_a.user, cycle=cycle)  # the job row; no worker here
    services.cycle_create_appraisals(cycle_id=cycle.pk)  # what the job's handler runs
    cycle.refresh_from_db()
    return cycle


def appraisal_of(cycle, employee) -> Appraisal:
    return Appraisal.objects.get(cycle=cycle, employee=employee)


def access(user, appraisal):
    return get_appraisal_for(getattr(user, "user", user), appraisal.pk)


def fresh(appraisal) -> Appraisal:
    return Appraisal.objects.get(pk=appraisal.pk)
