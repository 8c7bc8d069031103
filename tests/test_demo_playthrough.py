"""In the demo, the nasional, jakarta, tangsel, rakumpit and tebingtinggi agencies
are each taken through a whole cycle with the README's demo logins, and the released result
matches a hand calculation from docs/scoring.md."""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from appraisals.models import Appraisal, PlanIndicator, PlanResult, State
from asn_portal.numbers import format_number
from indicators.models import AttendanceRecord, DisciplineRecord

from .appraisal_fixtures import run_jobs
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


# The three README peers answered (feedback/demo.py), and the demo's peer deadline is past:
# per value their levels are (5,4,5) (4,4,5) (5,5,4) (4,4,5) (5,4,5) (4,5,4) (5,4,5), i.e.
# means of 110, 105, 110, 105, 110, 105, 110 (level values 100 and 115); the behaviour
# component is the mean over the seven values of (supervisor share × 100 + peer share × mean).
PEER_MEAN = Decimal(110 * 4 + 105 * 3) / 7


def _behaviour(supervisor_share: int) -> Decimal:
    return (supervisor_share * Decimal(100) + (100 - supervisor_share) * PEER_MEAN) / 100


def _expected_tebingtinggi(appraisal) -> Decimal:
    """Kehadiran 20, disiplin 20, kualitas kerja 40 (all at target: 100), kontribusi tim 20
    (level 4 from the supervisor, 50/50 with the three peers)."""
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
        attendance * scale * 20 + discipline * scale * 20 + Decimal(100) * 40 + _behaviour(50) * 20
    )
    return _round(total / 100)


def _expected_rakumpit(appraisal) -> Decimal:
    """Output terukur 50 (every indicator at target and verified: 100), kepuasan masyarakat 30
    (the unit's IKM × 1.15: 25 × the mean of the nine element means over the cycle's
    answers, at least 30 of them in the demo), penilaian atasan 20 (level 4: 100)."""
    from feedback.models import SurveyResponse

    cycle = appraisal.cycle
    rows = list(
        SurveyResponse.objects.filter(
            unit=appraisal.unit,
            submitted_on__gte=cycle.start_date,
            submitted_on__lte=cycle.end_date,
        ).values_list("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")
    )
    assert len(rows) >= 30
    means = [Decimal(sum(column)) / len(rows) for column in zip(*rows, strict=True)]
    ikm = 25 * sum(means) / 9
    total = Decimal(100) * 50 + ikm * Decimal("1.15") * 30 + Decimal(100) * 20
    return _round(total / 100)


@pytest.mark.parametrize("scheme", ["nasional", "jakarta", "tangsel", "rakumpit", "tebingtinggi"])
def test_the_demo_agency_plays_a_whole_cycle_with_the_readme_logins(db, client, logins, scheme):
    call_command("seed_demo", quiet_logins=True, stdout=io.StringIO())
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
    if cycle.scheme.verifies_realisations:
        # The Verifikator checks each realisation on the verification page.
        _login(client, person["verifikator"], password)
        for indicator in PlanIndicator.objects.filter(
            result__appraisal=appraisal, kind="kuantitatif"
        ):
            response = client.post(
                reverse("verification_decide", args=[indicator.pk]), {"decision": "verify"}
            )
            assert response.status_code == 302
        assert not PlanIndicator.objects.filter(
            result__appraisal=appraisal, kind="kuantitatif", verified=False
        ).exists()

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
    # Where the agency's predikat distribution does not fit its organisation predikat (the
    # demo sets one such agency), finalising asks for a justification: HR gives one.
    client.post(
        reverse("cycle_finalise", args=[cycle.pk]),
        {
            "agency": appraisal.agency_id, "confirmed": "1",
            "justification": "Distribusi mencerminkan kinerja nyata unit pelayanan.",
        },
    )  # fmt: skip
    run_jobs()  # finalising and releasing run as background jobs
    client.post(
        reverse("cycle_release", args=[cycle.pk]), {"agency": appraisal.agency_id, "confirmed": "1"}
    )
    run_jobs()
    released = Appraisal.objects.get(pk=appraisal.pk)
    assert released.state == State.RELEASED

    _login(client, person["pegawai"], password)
    page = client.get(reverse("appraisal_detail", args=[appraisal.pk])).content.decode()
    assert 'data-code="baik"' in page
    if scheme == "nasional":
        # Hasil Kerja 100 (every result at 100: Sesuai); Perilaku 70/30 with the peers:
        # 102.36, still Sesuai: Baik.
        assert released.hasil_kerja_value == Decimal("100.00")
        assert released.perilaku_value == _round(_behaviour(70)) == Decimal("102.36")
        assert (released.hasil_kerja_rating, released.perilaku_rating) == ("sesuai", "sesuai")
        assert released.final_value is None
    elif scheme == "tebingtinggi":
        assert released.final_value == _expected_tebingtinggi(released)
    elif scheme == "rakumpit":
        # The unit's IKM enters the score: below 100 since its answers are not all 4.
        assert released.final_value == _expected_rakumpit(released)
        assert released.final_value < Decimal(100)
    elif scheme == "tangsel":
        # Kompetensi teknis 50 and sikap 25 at 100; perilaku 25 blends the peers 70/30.
        expected = (Decimal(100) * 75 + _behaviour(70) * 25) / 100
        assert released.final_value == _round(expected) == Decimal("100.59")
    else:
        # Every indicator and value at 100, whatever the weights: the final value is 100.
        assert released.final_value == Decimal("100.00")
    assert released.predikat == "baik"
    # Where the scheme blends peers in, the three answers count: nothing was redistributed.
    # The first README peer had only two answers: their peers' share went to the atasan.
    if any(c.uses_peers for c in cycle.scheme.components):
        assert not any("rekan" in note.lower() for note in released.breakdown["notes"])
        first_peer = next(r["Login"] for r in rows if r["Scheme"] == scheme and r["Role"] == "peer")
        short = Appraisal.objects.get(employee__nip=first_peer)
        assert any("kurang dari 3" in note for note in short.breakdown["notes"])
