"""The demo's survey: service units marked, the rakumpit pegawai's unit with enough answers
for its IKM to count, another with fewer; a second seed adds nothing."""

from __future__ import annotations

import io

from django.core.management import call_command

from appraisals import scoring
from appraisals.models import Appraisal
from feedback.models import SurveyResponse, SurveyUnit

from .readme import demo_logins


def test_the_demo_survey_shows_both_paths_and_is_idempotent(db):
    call_command("seed_demo", quiet_logins=True, stdout=io.StringIO())
    rows, _password = demo_logins()
    nip = next(r["Login"] for r in rows if r["Scheme"] == "rakumpit" and r["Role"] == "pegawai")
    appraisal = Appraisal.objects.get(employee__nip=nip, cycle__status="open")
    counts = {
        s.unit_id: SurveyResponse.objects.filter(unit_id=s.unit_id).count()
        for s in SurveyUnit.objects.filter(melayani_publik=True, unit__agency=appraisal.agency)
    }
    assert counts.pop(appraisal.unit_id) >= 30
    assert list(counts.values()) and all(0 < n < 30 for n in counts.values())
    component = next(
        c for c in scoring.compute(appraisal).components if c.key == "kepuasan_masyarakat"
    )
    assert component.status == "ada"
    # Every agency's README pegawai works in a unit that serves the public.
    pegawai = [r["Login"] for r in rows if r["Role"] == "pegawai"]
    assert SurveyUnit.objects.filter(
        melayani_publik=True, unit__employees__nip__in=pegawai
    ).distinct().count() == len(set(pegawai))

    before = SurveyResponse.objects.count()
    call_command("seed_demo", quiet_logins=True, stdout=io.StringIO())
    assert SurveyResponse.objects.count() == before
