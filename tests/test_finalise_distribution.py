"""Finalising checks the organisation predikat and the predikat distribution (docs/cycle.md):
refused without an organisation predikat; a mismatch asks for a written justification, or
refuses when the agency is set to block; an impossible pattern only warns. The boundaries are
exercised through ``agency_finalise`` for N = 1, 2, 7, 10 and 61 in each organisation predikat.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appraisals import services
from appraisals.models import AgencyCycleSetting, Appraisal, AuditEntry, State
from appraisals.services import hr
from indicators.scoring import OrganisationPredikat

from .appraisal_fixtures import DEADLINES, run_jobs, set_organisation_predikat, user_of
from .factories import AgencyFactory, EmployeeFactory, UnitFactory, grant

SB, B, BP, K, SK = "sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"

# (kind, predikats, percent, fixed): the pattern of SE MenPANRB 3/2023, written out here
# independently of the scoring module.
PATTERNS = {
    "istimewa": [("max", (SB,), 70, None)],
    "baik": [("max", (B,), 70, None), ("min", (BP, K), None, 1)],
    "butuh_perbaikan": [("min", (BP,), 60, None), ("max", (SB,), 10, None)],
    "kurang": [("min", (K,), 60, None), ("min", (BP,), 10, None), ("max", (SB,), 10, None)],
    "sangat_kurang": [("min", (SK,), 60, None), ("min", (K, BP), 10, None), ("max", (SB,), 0, None)],
}  # fmt: skip
# A predikat no rule of the pattern counts, to fill the rest of the set with.
NEUTRAL = {"istimewa": B, "baik": SB, "butuh_perbaikan": B, "kurang": B, "sangat_kurang": B}


def bound(kind, percent, fixed, n):
    if fixed is not None:
        return fixed
    return math.floor(percent * n / 100) if kind == "max" else math.ceil(percent * n / 100)


def fitting(org, n):
    """Counts at every floor and every ceiling, or None when the floors exceed N."""
    rules = PATTERNS[org]
    floors = {r[1][0]: bound(*r[0:1], *r[2:], n) for r in rules if r[0] == "min"}
    if sum(floors.values()) > n:
        return None
    counts = dict(floors)
    for kind, predikats, percent, fixed in rules:
        if kind == "max":
            room = n - sum(counts.values())
            counts[predikats[0]] = min(bound(kind, percent, fixed, n), room)
    counts[NEUTRAL[org]] = counts.get(NEUTRAL[org], 0) + n - sum(counts.values())
    return counts


@pytest.fixture
def world(personas, monkeypatch):
    """An agency of its own with an Admin HR; finalising keeps each stored predikat (the
    recompute is the scoring module's business, tested elsewhere)."""
    monkeypatch.setattr(hr, "recompute_appraisals", lambda *args, **kwargs: None)
    agency = AgencyFactory(region=personas.region, code="DING", name="Dinas Gamma")
    grant(personas.hr_a.user, "admin_hr", agency=agency)
    cycle = services.cycle_create(
        acting_user=user_of(personas.admin_daerah), region=personas.region, agencies=[agency],
        name="Gamma 2026", scheme_key="jakarta", period_type="annual",
        start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31), deadlines=DEADLINES,
    )  # fmt: skip
    return personas, agency, cycle


def staff(world, n):
    personas, agency, cycle = world
    unit = UnitFactory(agency=agency, code="DING", name="Dinas Gamma")
    employees = [EmployeeFactory(unit=unit) for _ in range(n)]
    Appraisal.objects.bulk_create(
        Appraisal(
            cycle=cycle,
            employee=e,
            agency=agency,
            unit=unit,
            position=e.position,
            golongan=e.golongan,
            state=State.SCORED,
        )  # fmt: skip
        for e in employees
    )
    return list(Appraisal.objects.filter(cycle=cycle).order_by("pk").values_list("pk", flat=True))


def rate(ids, counts):
    Appraisal.objects.filter(pk__in=ids).update(state=State.SCORED, predikat="")
    start = 0
    for predikat, n in counts.items():
        Appraisal.objects.filter(pk__in=ids[start : start + n]).update(predikat=predikat)
        start += n
    assert start == len(ids)


def finalise(world, justification=""):
    personas, agency, cycle = world
    return services.agency_finalise(
        acting_user=user_of(personas.hr_a), cycle=cycle, agency=agency,
        justification=justification,
    )  # fmt: skip


def finalised(ids) -> bool:
    return not Appraisal.objects.filter(pk__in=ids).exclude(state=State.FINALISED).exists()


@pytest.mark.parametrize("n", [1, 2, 7, 10, 61])
@pytest.mark.parametrize("org", [p.value for p in OrganisationPredikat])
def test_floors_and_ceilings_through_finalisation(world, org, n):
    personas, agency, cycle = world
    ids = staff(world, n)
    set_organisation_predikat(cycle, agency, org)
    counts = fitting(org, n)
    if counts is None:
        # Impossible: the floors need more than N employees. Only a warning, never a block,
        # never a justification, even when set to block and every appraisal is Sangat Baik.
        set_organisation_predikat(cycle, agency, org, block=True)
        rate(ids, {SB: n})
        assert finalise(world) == n
        entry = AuditEntry.objects.filter(cycle=cycle, action="distribution").last()
        assert entry.summary.endswith(f"Pola distribusi tidak dapat dipenuhi untuk {n} pegawai")
        return
    rate(ids, counts)  # exactly at every floor and every ceiling
    assert finalise(world) == n and finalised(ids)
    for kind, predikats, percent, fixed in PATTERNS[org]:
        limit = bound(kind, percent, fixed, n)
        wrong = dict(counts)
        if kind == "max" and limit + 1 <= n:  # one above the ceiling
            wrong[NEUTRAL[org]] = wrong.get(NEUTRAL[org], 0) - 1
            wrong[predikats[0]] = wrong.get(predikats[0], 0) + 1
            if wrong[NEUTRAL[org]] < 0:
                continue
        elif kind == "min" and limit >= 1:  # one below the floor
            wrong[predikats[0]] -= 1
            wrong[NEUTRAL[org]] = wrong.get(NEUTRAL[org], 0) + 1
        else:
            continue
        rate(ids, wrong)
        with pytest.raises(ValidationError, match="justifikasi"):
            finalise(world)
        assert not finalised(ids)
        assert finalise(world, justification="Unit baru, kinerja belum merata") == n


def test_finalisation_is_refused_without_an_organisation_predikat(world):
    personas, agency, cycle = world
    ids = staff(world, 3)
    rate(ids, {B: 3})
    with pytest.raises(ValidationError, match="belum ditetapkan oleh Admin Daerah"):
        finalise(world)
    AgencyCycleSetting.objects.create(cycle=cycle, agency=agency, organisation_predikat="")
    with pytest.raises(ValidationError, match="belum ditetapkan oleh Admin Daerah"):
        finalise(world)
    assert not finalised(ids)


def test_a_mismatch_needs_a_written_justification_kept_in_the_audit(world):
    personas, agency, cycle = world
    ids = staff(world, 10)
    set_organisation_predikat(cycle, agency, "istimewa")
    rate(ids, {SB: 8, B: 2})  # at most 7 Sangat Baik
    with pytest.raises(ValidationError) as refused:
        finalise(world, justification="   ")
    assert "justification" in refused.value.message_dict
    assert "Paling banyak 70% Sangat Baik" in refused.value.message_dict["justification"][0]
    finalise(world, justification="Capaian luar biasa tahun ini")
    entry = AuditEntry.objects.get(cycle=cycle, action="distribution")
    assert entry.reason == "Capaian luar biasa tahun ini"
    assert entry.after["sesuai"] is False
    assert set(
        AuditEntry.objects.filter(action="finalise", cycle=cycle).values_list("reason", flat=True)
    ) == {"Capaian luar biasa tahun ini"}


def test_block_mode_refuses_even_with_a_justification(world):
    personas, agency, cycle = world
    ids = staff(world, 10)
    set_organisation_predikat(cycle, agency, "istimewa", block=True)
    rate(ids, {SB: 8, B: 2})
    with pytest.raises(ValidationError, match="Finalisasi ditolak"):
        finalise(world, justification="Tetap ingin")
    assert not finalised(ids)
    rate(ids, {SB: 7, B: 3})
    assert finalise(world) == 10


def test_those_already_final_count_in_the_distribution(world):
    """After a reopen only one appraisal is finalised again, but all ten are counted."""
    personas, agency, cycle = world
    ids = staff(world, 10)
    set_organisation_predikat(cycle, agency, "istimewa")
    rate(ids, {SB: 7, B: 3})
    finalise(world)
    Appraisal.objects.filter(pk=ids[-1]).update(state=State.SCORED, predikat=SB)
    with pytest.raises(ValidationError, match="justifikasi"):
        finalise(world)


def test_only_the_admin_daerah_sets_the_organisation_predikat(world):
    personas, agency, cycle = world
    for who in (personas.hr_a, personas.kepala, personas.pegawai):
        with pytest.raises(PermissionDenied):
            services.agency_set_organisation_predikat(
                acting_user=user_of(who), cycle=cycle, agency=agency,
                organisation_predikat="baik", block_on_mismatch=False,
            )  # fmt: skip
    setting = services.agency_set_organisation_predikat(
        acting_user=user_of(personas.admin_daerah), cycle=cycle, agency=agency,
        organisation_predikat="baik", block_on_mismatch=True,
    )  # fmt: skip
    assert (setting.organisation_predikat, setting.block_on_mismatch) == ("baik", True)
    entry = AuditEntry.objects.get(cycle=cycle, action="org_predikat")
    assert entry.after == {"predikat_organisasi": "baik", "tolak_bila_tidak_sesuai": True}
    with pytest.raises(ValidationError):
        services.agency_set_organisation_predikat(
            acting_user=user_of(personas.admin_daerah), cycle=cycle, agency=agency,
            organisation_predikat="luar_biasa", block_on_mismatch=False,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="tidak termasuk"):
        services.agency_set_organisation_predikat(
            acting_user=user_of(personas.admin_daerah), cycle=cycle, agency=personas.agency_b,
            organisation_predikat="baik", block_on_mismatch=False,
        )  # fmt: skip


# --- the pages ------------------------------------------------------------------------------


def test_the_confirmation_asks_for_a_justification_and_draws_the_chart(world, client):
    from django.urls import reverse

    personas, agency, cycle = world
    ids = staff(world, 10)
    set_organisation_predikat(cycle, agency, "istimewa")
    rate(ids, {SB: 8, B: 2})
    client.force_login(personas.hr_a.user)
    url = reverse("cycle_finalise", args=[cycle.pk])
    page = client.get(url, {"agency": agency.pk}).content.decode()
    assert "Justifikasi tertulis (wajib" in page
    assert "<svg" in page and 'data-testid="distribution-table"' in page
    assert 'data-count="8"' in page and 'data-kind="max"' in page
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "," not in "".join(re.findall(r'(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', svg))
    assert "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    response = client.post(url, {"agency": agency.pk, "confirmed": "1", "justification": ""})
    assert response.status_code == 400
    assert "Tuliskan justifikasinya" in response.content.decode()
    assert not finalised(ids)
    response = client.post(
        url, {"agency": agency.pk, "confirmed": "1", "justification": "Kinerja unit meningkat"}
    )
    assert response.status_code == 302 and not finalised(ids)  # a background job finalises
    run_jobs()
    assert finalised(ids)
    cycle_page = client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert "Kinerja unit meningkat" in cycle_page  # the justification on the cycle's record
    assert f'data-testid="distribution-{agency.pk}"' in cycle_page


def test_the_confirmation_warns_without_an_organisation_predikat(world, client):
    from django.urls import reverse

    personas, agency, cycle = world
    ids = staff(world, 2)
    rate(ids, {B: 2})
    client.force_login(personas.hr_a.user)
    url = reverse("cycle_finalise", args=[cycle.pk])
    page = client.get(url, {"agency": agency.pk}).content.decode()
    assert "belum ditetapkan oleh Admin Daerah" in page
    response = client.post(url, {"agency": agency.pk, "confirmed": "1"}, follow=True)
    assert "belum ditetapkan oleh Admin Daerah" in response.content.decode()
    assert not finalised(ids)


def test_the_admin_daerah_sets_the_predikat_and_the_block_on_the_page(world, client):
    from django.urls import reverse

    personas, agency, cycle = world
    url = reverse("cycle_org_predikat", args=[cycle.pk])
    client.force_login(personas.hr_a.user)
    assert client.get(url).status_code == 403
    client.force_login(personas.admin_daerah)
    page = client.get(url).content.decode()
    assert agency.name in page and "belum ditetapkan" in page
    response = client.post(
        url, {"agency": agency.pk, "organisation_predikat": "kurang", "block_on_mismatch": "on"}
    )
    assert response.status_code == 302
    setting = AgencyCycleSetting.objects.get(cycle=cycle, agency=agency)
    assert (setting.organisation_predikat, setting.block_on_mismatch) == ("kurang", True)
    client.post(url, {"agency": agency.pk, "organisation_predikat": "kurang"})
    assert not AgencyCycleSetting.objects.get(cycle=cycle, agency=agency).block_on_mismatch


def test_a_job_that_finds_a_mismatch_after_recomputing_ends_with_the_message(world, client):
    from django.urls import reverse

    from reports.models import Job

    personas, agency, cycle = world
    ids = staff(world, 10)
    set_organisation_predikat(cycle, agency, "istimewa")
    rate(ids, {SB: 7, B: 3})  # fits, as stored today: the page starts the job at once
    client.force_login(personas.hr_a.user)
    url = reverse("cycle_finalise", args=[cycle.pk])
    assert client.post(url, {"agency": agency.pk, "confirmed": "1"}).status_code == 302
    rate(ids, {SB: 8, B: 2})  # what the job's recompute finds
    run_jobs()
    assert not finalised(ids)
    job = Job.objects.get(kind="agency_finalise")
    assert job.status == Job.Status.DONE and job.result["needs_justification"] is True
    assert "Tuliskan justifikasinya." in job.result["message"]
    page = client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert "Paling banyak 70% Sangat Baik" in page
    assert "Finalkan lagi dengan justifikasi" in page
