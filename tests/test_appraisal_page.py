"""What the appraisal page shows each reader: readable audit entries, the behaviour feedback
once released, and the scoring form's words for the scheme at hand."""

from django.urls import reverse

from appraisals import services
from appraisals.models import BehaviourScore, State

from .appraisal_fixtures import advance, fresh, indicators_of, user_of


def _page(client, who, appraisal, **params):
    client.force_login(who.user)
    return client.get(reverse("appraisal_detail", args=[appraisal.pk]), params).content.decode()


def _feedback_on_every_value(personas, appraisal):
    appraisal = fresh(appraisal)
    services.appraisal_save_scores(
        acting_user=user_of(personas.kasi), appraisal=appraisal,
        version=appraisal.version,
        behaviour_feedback={b.pk: f"Umpan balik {b.value.code}" for b in appraisal.behaviours.all()},
    )  # fmt: skip


def test_the_employee_sees_the_behaviour_feedback_only_after_release(planning, client):
    personas, _cycle, appraisal = planning
    appraisal = advance(appraisal, State.SELF_ASSESSED)
    _feedback_on_every_value(personas, appraisal)
    advance(appraisal, State.FINALISED, hr=personas.hr_a)
    before = _page(client, personas.pegawai, appraisal)
    assert "Umpan balik akuntabel" not in before
    advance(appraisal, State.RELEASED, hr=personas.hr_a)
    after = _page(client, personas.pegawai, appraisal)
    assert 'data-testid="behaviour-feedback"' in after
    assert BehaviourScore.objects.filter(appraisal=appraisal).count() == 7
    for code in ("berorientasi_pelayanan", "akuntabel", "kolaboratif"):
        assert f"Umpan balik {code}" in after


def test_the_audit_trail_reads_as_sentences_with_indonesian_numbers_newest_first(planning, client):
    personas, _cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    i1 = indicators_of(appraisal)["I1"]
    services.appraisal_save_realisation(
        acting_user=user_of(personas.pegawai), appraisal=appraisal,
        version=fresh(appraisal).version, indicator_id=i1.pk, realisation=1150,
    )  # fmt: skip
    page = _page(client, personas.hr_a, appraisal)
    assert "Realisasi I1 disimpan" in page
    assert "Realisasi: — → 1.150" in page
    assert "Status: Rencana diajukan → Rencana disetujui" in page
    assert "{'" not in page and "realisasi:" not in page
    assert page.index("Realisasi I1 disimpan") < page.index("Rencana target disetujui")


def test_a_long_audit_trail_is_paginated(planning, client):
    personas, _cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    i1 = indicators_of(appraisal)["I1"]
    for value in range(1, 16):  # each save writes the save and a recompute: 30 entries
        services.appraisal_save_realisation(
            acting_user=user_of(personas.pegawai), appraisal=appraisal,
            version=fresh(appraisal).version, indicator_id=i1.pk, realisation=value,
        )  # fmt: skip
    first = _page(client, personas.pegawai, appraisal)
    assert "Halaman 1 dari 2" in first and "Realisasi: 14 → 15" in first
    second = _page(client, personas.pegawai, appraisal, jejak=2)
    assert "Halaman 2 dari 2" in second and "Realisasi: 14 → 15" not in second


def test_the_numeric_scoring_form_asks_no_matrix_reason(planning, client):
    personas, _cycle, appraisal = planning
    appraisal = advance(appraisal, State.SELF_ASSESSED)
    page = _page(client, personas.kasi, appraisal)
    assert 'data-testid="scoring-form"' in page
    assert "wajib bila rating rekomendasi diubah" not in page
