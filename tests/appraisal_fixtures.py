"""Builders for appraisal tests: an indicator set, a cycle, and appraisals in a given state;
and the fixtures most appraisal tests share (``planning``, ``approved``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

import pytest
import time_machine as time_travel
from django.utils import timezone

from agencies.models import User
from appraisals import services
from appraisals.access import AppraisalAccess, get_appraisal_for
from appraisals.models import (
    AgencyCycleSetting,
    Appraisal,
    BehaviourScore,
    Cycle,
    PlanIndicator,
    State,
)
from indicators.models import Indicator, IndicatorSet, ResultTemplate

from .personas import Personas, load_personas
from .shared_data import layer, layer_value

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


def future_deadlines() -> dict[str, dt.date]:
    """Every deadline still ahead of today, so that a journey follows the ordinary path."""
    today = timezone.localdate()
    days = {"planning": 30, "self_assessment": 60, "scoring": 90, "peer": 90, "calibration": 120}
    return {phase: today + dt.timedelta(days=n) for phase, n in days.items()}


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
    # Finalising needs each agency's organisation predikat; Istimewa allows a set rated Baik.
    for agency in cycle.agencies.all():
        set_organisation_predikat(cycle, agency, "istimewa")
    services.cycle_open(acting_user=personas.hr_a.user, cycle=cycle)  # the job row; no worker here
    services.cycle_create_appraisals(cycle_id=cycle.pk)  # what the job's handler runs
    cycle.refresh_from_db()
    return cycle


def set_organisation_predikat(cycle, agency, predikat: str, *, block: bool = False) -> None:
    """What the Admin Daerah sets on the organisation predikat page (tests of finalising)."""
    AgencyCycleSetting.objects.update_or_create(
        cycle=cycle, agency=agency,
        defaults={"organisation_predikat": predikat, "block_on_mismatch": block},
    )  # fmt: skip


def appraisal_of(cycle, employee) -> Appraisal:
    return Appraisal.objects.get(cycle=cycle, employee=employee)


def access(user, appraisal):
    return get_appraisal_for(getattr(user, "user", user), appraisal.pk)


def fresh(appraisal) -> Appraisal:
    return Appraisal.objects.get(pk=appraisal.pk)


# --- driving appraisals through the services (tests of transitions, access and audit) ------

# Before the planning deadline of DEADLINES, in the region's time zone (WIB).
BEFORE_PLANNING = dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)
AFTER_PLANNING = dt.datetime(2026, 2, 16, 2, tzinfo=dt.UTC)
AFTER_SELF_ASSESSMENT = dt.datetime(2026, 12, 21, 2, tzinfo=dt.UTC)
AFTER_SCORING = dt.datetime(2026, 12, 29, 2, tzinfo=dt.UTC)

STATE_ORDER = [s.value for s in State]


def user_of(who) -> User:
    """A fresh User row: the scope memoised on a user object never leaks between steps."""
    return User.objects.get(pk=getattr(who, "user", who).pk)


def act(who, appraisal) -> AppraisalAccess:
    """What ``who`` may do on the appraisal, as a view would compute it (write access)."""
    return get_appraisal_for(user_of(who), appraisal.pk, write=True)


def indicators_of(appraisal) -> dict[str, PlanIndicator]:
    return {i.code: i for i in PlanIndicator.objects.filter(result__appraisal=appraisal)}


def fill_realisations(appraisal, *, ratio: Decimal = Decimal(1)) -> None:
    """The employee fills every quantitative indicator at ``ratio`` of its target."""
    for indicator in indicators_of(appraisal).values():
        if indicator.is_rubric:
            continue
        value = indicator.target * ratio
        if indicator.direction == "turun":
            value = indicator.target * (2 - ratio)
        services.appraisal_save_realisation(
            acting_user=user_of(appraisal.employee), appraisal=appraisal,
            version=fresh(appraisal).version, indicator_id=indicator.pk, realisation=value,
        )  # fmt: skip


def give_levels(appraisal, *, level: int = 4, rater=None, reason: str = "", **extra) -> None:
    """The atasan (or ``rater``) gives every rubric indicator and behaviour value ``level``."""
    rater = rater or appraisal.supervisor
    appraisal = fresh(appraisal)
    services.appraisal_save_scores(
        acting_user=user_of(rater), appraisal=appraisal, version=appraisal.version,
        indicator_levels={i.pk: level for i in indicators_of(appraisal).values() if i.is_rubric},
        behaviour_levels={b.pk: level for b in appraisal.behaviours.all()},
        reason=reason, **extra,
    )  # fmt: skip


def advance(appraisal, to: str, *, hr=None, level: int = 4) -> Appraisal:
    """Drive one appraisal through the services, as its employee, atasan and ``hr`` would.

    Realisations are filled at target and every level is ``level``. Finalising acts on the
    whole agency, so the agency's other appraisals are set to ``scored`` directly first.
    """
    appraisal = fresh(appraisal)
    owner, atasan = appraisal.employee, appraisal.supervisor
    services.plan_ensure(appraisal)

    def due(state: str) -> bool:
        return (
            STATE_ORDER.index(fresh(appraisal).state)
            < STATE_ORDER.index(state)
            <= (STATE_ORDER.index(to))
        )

    if due(State.TARGETS_SUBMITTED):
        name_supported_results(appraisal)
        services.appraisal_submit_targets(
            acting_user=user_of(owner), appraisal=appraisal,
            version=fresh(appraisal).version,
        )  # fmt: skip
    if due(State.TARGETS_APPROVED):
        services.appraisal_approve_targets(
            acting_user=user_of(atasan), appraisal=appraisal,
            version=fresh(appraisal).version,
        )  # fmt: skip
    if due(State.SELF_ASSESSED):
        fill_realisations(appraisal)
        services.appraisal_submit_self_assessment(
            acting_user=user_of(owner), appraisal=appraisal,
            version=fresh(appraisal).version,
        )  # fmt: skip
    if due(State.SCORED):
        give_levels(appraisal, level=level)
        services.appraisal_mark_scored(
            acting_user=user_of(atasan), appraisal=appraisal,
            version=fresh(appraisal).version,
        )  # fmt: skip
    if due(State.FINALISED):
        force_scored(
            Appraisal.objects.filter(cycle=appraisal.cycle, agency=appraisal.agency)
            .exclude(pk=appraisal.pk)
            .filter(state__in=STATE_ORDER[: STATE_ORDER.index(State.SCORED)])
        )
        services.agency_finalise(
            acting_user=user_of(hr), cycle=appraisal.cycle, agency=appraisal.agency
        )
    if due(State.RELEASED):
        services.agency_release(
            acting_user=user_of(hr), cycle=appraisal.cycle, agency=appraisal.agency
        )
    return fresh(appraisal)


LONG_PLAN = 12  # quantitative indicators of long_plan


def long_plan(personas) -> Appraisal:
    """The pegawai's plan of LONG_PLAN quantitative indicators, approved, in a jakarta cycle
    whose deadlines are all ahead (a long self-assessment form)."""
    indicator_set, _ = IndicatorSet.objects.get_or_create(
        position=personas.pegawai.position, defaults={"region": personas.region}
    )
    result = ResultTemplate.objects.create(
        indicator_set=indicator_set, code="R1", name="Layanan", order=0
    )
    for n in range(1, LONG_PLAN + 1):
        weight = Decimal(8 if n < LONG_PLAN else 100 - 8 * (LONG_PLAN - 1))
        Indicator.objects.create(
            indicator_set=indicator_set, result=result, code=f"K{n:02d}", name=f"Keluaran {n}",
            kind="kuantitatif", unit="berkas", direction="naik", aspect="kuantitas",
            target=Decimal(1000), weight=weight, guidance="Jumlah berkas selesai.", order=n,
        )  # fmt: skip
    cycle = make_cycle(personas, scheme_key="jakarta", deadlines=future_deadlines())
    appraisal = appraisal_of(cycle, personas.pegawai)
    services.plan_ensure(appraisal)
    return advance(appraisal, State.TARGETS_APPROVED)


def draft_appraisal(personas, time_machine, *, scheme_key: str = "jakarta") -> Appraisal:
    """The pegawai's plan, copied from the position's set, before the planning deadline: the
    starting point most appraisal tests share."""
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    appraisal = appraisal_of(make_cycle(personas, scheme_key=scheme_key), personas.pegawai)
    services.plan_ensure(appraisal)
    return fresh(appraisal)


def force_scored(appraisals) -> None:
    """Put a set of appraisals straight into ``scored``, as if each atasan had rated every
    value and rubric level 4 (the shortcut of tests about what comes after scoring)."""
    ids = list(appraisals.values_list("pk", flat=True))
    BehaviourScore.objects.filter(appraisal_id__in=ids, level__isnull=True).update(level=4)
    PlanIndicator.objects.filter(
        result__appraisal_id__in=ids, kind="rubrik", level__isnull=True
    ).update(level=4)
    Appraisal.objects.filter(pk__in=ids).update(state=State.SCORED)


def name_supported_results(appraisal) -> None:
    """In a cascading scheme, each result that names no result of the atasan's plan names the
    first one, through the plan service (as the employee would on the page)."""
    appraisal = fresh(appraisal)
    if not appraisal.cycle.scheme.cascading:
        return
    first = services.supervisor_results(appraisal).order_by("pk").first()
    if first is None:
        return
    missing = {r.pk: first.pk for r in appraisal.results.filter(supports__isnull=True)}
    if missing:
        services.plan_update(
            acting_user=user_of(appraisal.employee), appraisal=appraisal,
            version=appraisal.version, indicators={}, supports=missing,
        )  # fmt: skip


# --- shared fixtures (built once per module, each test rolled back: tests/shared_data.py) ----


class World(NamedTuple):
    personas: Personas
    cycle: Cycle
    appraisal: Appraisal  # the pegawai's


# Layers are built with the clock stopped at the instant their tests start from, so that
# whatever a test does comes after them (audit entries are ordered by time).


def opened_cycle_layer(name: str, *, scheme_key: str, period_type: str = "annual", fixture=None):
    """Register the layer ``name``: the pegawai's position with the set of
    ``make_indicator_set`` and a cycle of agency A in ``scheme_key`` opened before the
    planning deadline (every plan copied). Its value: the cycle's and the pegawai's
    appraisal's primary keys."""

    @layer(name, on="personas", fixture=fixture)
    def build(built) -> dict[str, int]:
        personas = load_personas(built["personas"])
        with time_travel.travel(BEFORE_PLANNING, tick=False):
            make_indicator_set(personas.pegawai.position, personas.region)
            cycle = make_cycle(personas, scheme_key=scheme_key, period_type=period_type)
        return {"cycle": cycle.pk, "appraisal": appraisal_of(cycle, personas.pegawai).pk}

    return name


opened_cycle_layer("planning", scheme_key="jakarta", fixture="planning")


@layer("targets_approved", on="planning", fixture="approved")
def targets_approved_layer(built) -> None:
    with time_travel.travel(BEFORE_PLANNING, tick=False):
        advance(Appraisal.objects.get(pk=built["planning"]["appraisal"]), State.TARGETS_APPROVED)


def world_of(request, personas, name: str = "planning") -> World:
    """Fresh objects of the layer ``name`` of ``opened_cycle_layer``."""
    pks = layer_value(request, name)
    cycle = Cycle.objects.get(pk=pks["cycle"])
    return World(personas, cycle, Appraisal.objects.get(pk=pks["appraisal"]))


@pytest.fixture
def planning(request, personas, time_machine) -> World:
    """The jakarta cycle of agency A opened from ``make_indicator_set`` before the planning
    deadline (the time of the test): every plan copied, the pegawai's appraisal a draft."""
    time_machine.move_to(BEFORE_PLANNING)
    return world_of(request, personas)


@pytest.fixture
def approved(request, personas, time_machine, settings, tmp_path) -> World:
    """``planning`` with the pegawai's plan approved (still before the planning deadline);
    uploads go to the test's own folder."""
    time_machine.move_to(BEFORE_PLANNING)
    layer_value(request, "targets_approved")
    settings.MEDIA_ROOT = tmp_path / "private"
    return world_of(request, personas)


HR_JOBS = ("agency_finalise", "agency_release", "scores_recompute")


def run_jobs(kinds: tuple[str, ...] = HR_JOBS) -> list[int]:
    """Run the background jobs of ``kinds`` the pages queued, as a worker would once their
    transaction commits (a test's transaction never does); returns their ids. (The shared
    layers open cycles without running the ``open_cycle`` job: it is not among the kinds.)"""
    from reports.jobs import job_run
    from reports.models import Job

    queued = Job.objects.filter(status=Job.Status.QUEUED, kind__in=kinds)
    ids = list(queued.order_by("pk").values_list("pk", flat=True))
    for job_id in ids:
        job_run(job_id=job_id)
    return ids
