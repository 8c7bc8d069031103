"""In the demo, everyone but the README's pegawai is already scored, and the nasional,
jakarta, tangsel and tebingtinggi agencies are each taken through a whole cycle with the
README's demo logins: the released result matches a hand calculation from docs/scoring.md."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from agencies.models import Agency
from appraisals.models import Appraisal, PlanIndicator, PlanResult, State
from asn_portal.numbers import format_number
from indicators.models import AttendanceRecord, DisciplineRecord

from .isolation import clear_cache
from .readme import demo_logins

PENALTY = {"ringan": 10, "sedang": 25, "berat": 50}


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def logins():
    return demo_logins()


def _login(client, login: str, password: str) -> None:
    clear_cache()
    client.post(reverse("account_logout"))
    response = client.post(reverse("account_login"), {"login": login, "password": password})
    assert response.status_code == 302, login


def _post(client, name, appraisal, data=None, **kwargs):
    version = Appraisal.objects.get(pk=appraisal.pk).version
    response = client.post(
        reverse(name, kwargs={"pk": appraisal.pk, **kwargs}), {"version": version, **(data or {})}
    )
    assert response.status_code == 302
    return response


def _expected_tebingtinggi(appraisal) -> Decimal:
    """Kehadiran 20, disiplin 20, kualitas kerja 40 (all at target: 100), kontribusi tim 20
    (level 4 from the supervisor, fewer than 3 peers: 100)."""
    cycle = appraisal.cycle
    rows = AttendanceRecord.objects.filter(
        employee=appraisal.employee, period__gte=cycle.start_date, period__lte=cycle.end_date
    )
    working = sum(r.working_days for r in rows)
    present = sum(r.present_days for r in rows)
    lapses = sum(r.late + r.early_leave for r in rows)
    attendance = max(Decimal(0), Decimal(100) * present / working - Decimal("0.5") * lapses)
    sanctions = DisciplineRecord.objects.filter(
        employee=appraisal.employee,
        decree_date__gte=cycle.start_date,
        decree_date__lte=cycle.end_date,
    )
    discipline = max(Decimal(0), Decimal(100) - sum(PENALTY[s.level] for s in sanctions))
    scale = Decimal("1.15")
    total = (
        attendance * scale * 20 + discipline * scale * 20 + Decimal(100) * 40 + Decimal(100) * 20
    )
    return _round(total / 100)


def test_the_demo_cycle_can_be_played_to_the_end(prescored_demo, logins):
    """Everyone but the README's pegawai is scored, so HR can finalise once they are."""
    rows, _password = logins
    pegawai = {r["Login"] for r in rows if r["Role"] == "pegawai"}
    waiting = set(
        Appraisal.objects.exclude(state=State.SCORED).values_list("employee__nip", flat=True)
    )
    assert waiting == pegawai
    assert Agency.objects.count() == Appraisal.objects.values("cycle").distinct().count()
    scored = Appraisal.objects.filter(state=State.SCORED)
    assert not scored.filter(predikat="").exists()


@pytest.mark.parametrize("scheme", ["nasional", "jakarta", "tangsel", "tebingtinggi"])
def test_the_demo_agency_plays_a_whole_cycle_with_the_readme_logins(
    prescored_demo, client, logins, scheme
):
    rows, password = logins
    person = {r["Role"]: r["Login"] for r in rows if r["Scheme"] == scheme and r["Role"] != "peer"}
    appraisal = Appraisal.objects.get(employee__nip=person["pegawai"])
    cycle = appraisal.cycle
    assert cycle.scheme_key == scheme

    # The employee plans: targets as copied, each result naming the atasan's (nasional).
    _login(client, person["pegawai"], password)
    assert client.get(reverse("appraisal_detail", args=[appraisal.pk])).status_code == 200
    supports = {}
    if cycle.scheme.cascading:
        theirs = PlanResult.objects.filter(
            appraisal__cycle=cycle, appraisal__employee__nip=person["atasan"]
        )
        supports = {f"supports_{r.pk}": theirs.first().pk for r in appraisal.results.all()}
    _post(client, "plan_save", appraisal, {**supports, "submit": "1"})
    assert Appraisal.objects.get(pk=appraisal.pk).state == State.TARGETS_SUBMITTED

    _login(client, person["atasan"], password)
    _post(client, "appraisal_transition", appraisal, action="approve_targets")

    # Self-assessment: every quantitative indicator exactly at its target.
    _login(client, person["pegawai"], password)
    for indicator in PlanIndicator.objects.filter(result__appraisal=appraisal, kind="kuantitatif"):
        _post(
            client,
            "realisation_save",
            appraisal,
            {"realisation": format_number(indicator.target)},
            indicator_pk=indicator.pk,
        )
    _post(client, "appraisal_transition", appraisal, action="submit_self")

    # The atasan rates everything "as expected" (level 4) and finishes.
    _login(client, person["atasan"], password)
    appraisal = Appraisal.objects.get(pk=appraisal.pk)
    levels = {
        f"level_{i.pk}": "4"
        for i in PlanIndicator.objects.filter(result__appraisal=appraisal, kind="rubrik")
    }
    levels.update({f"behaviour_{b.pk}": "4" for b in appraisal.behaviours.all()})
    _post(client, "scores_save", appraisal, {**levels, "finish": "1"})
    assert Appraisal.objects.get(pk=appraisal.pk).state == State.SCORED

    # HR finalises and releases the agency; the employee sees the result.
    _login(client, person["admin_hr"], password)
    client.post(
        reverse("cycle_finalise", args=[cycle.pk]),
        {"agency": appraisal.agency_id, "confirmed": "1"},
    )
    client.post(
        reverse("cycle_release", args=[cycle.pk]), {"agency": appraisal.agency_id, "confirmed": "1"}
    )
    released = Appraisal.objects.get(pk=appraisal.pk)
    assert released.state == State.RELEASED

    _login(client, person["pegawai"], password)
    page = client.get(reverse("appraisal_detail", args=[appraisal.pk])).content.decode()
    assert 'data-code="baik"' in page
    if scheme == "nasional":
        # Hasil Kerja 100 (every result at 100: Sesuai), Perilaku 100 (Sesuai): Baik.
        assert (released.hasil_kerja_value, released.perilaku_value) == (Decimal("100.00"),) * 2
        assert (released.hasil_kerja_rating, released.perilaku_rating) == ("sesuai", "sesuai")
        assert released.final_value is None
    elif scheme == "tebingtinggi":
        assert released.final_value == _expected_tebingtinggi(released)
    else:
        # Every indicator and value at 100, whatever the weights: the final value is 100.
        assert released.final_value == Decimal("100.00")
    assert released.predikat == "baik"
    # Peer forms are planned: the breakdown says the behaviour was redistributed
    # to the supervisor wherever the scheme blends peers in.
    if any(c.uses_peers for c in cycle.scheme.components):
        assert any("rekan" in note.lower() for note in released.breakdown["notes"])
