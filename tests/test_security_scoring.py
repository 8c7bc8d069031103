"""Scores cannot be emptied after scoring, and the employee learns no reason before release.

The attacks: a rater clears levels on an appraisal already ``scored``, which HR then
finalises with levels missing; the reason of a score change ("nilai diturunkan karena …")
tells the employee their result before HR releases it.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from appraisals import services
from appraisals.models import Appraisal, PlanIndicator, State

from .appraisal_fixtures import (
    advance,
    force_scored,
    fresh,
    indicators_of,
    user_of,
)

SECRET_REASON = "Nilai diturunkan karena target tidak tercapai"


@pytest.fixture
def scored(planning):
    personas, cycle, appraisal = planning
    return personas, cycle, advance(appraisal, State.SCORED)


def _rubric(appraisal):
    return next(i for i in indicators_of(appraisal).values() if i.is_rubric)


def test_a_rater_cannot_clear_a_rubric_level_once_scored(scored):
    personas, cycle, appraisal = scored
    rubric = _rubric(appraisal)
    with pytest.raises(ValidationError) as exc:
        services.appraisal_save_scores(
            acting_user=user_of(personas.kasi), appraisal=appraisal,
            version=fresh(appraisal).version, indicator_levels={rubric.pk: None},
            reason="kosongkan",
        )  # fmt: skip
    assert "tidak dapat dikosongkan" in exc.value.message_dict[f"level_{rubric.pk}"][0]
    assert PlanIndicator.objects.get(pk=rubric.pk).level is not None


def test_a_rater_cannot_clear_a_behaviour_level_once_scored(scored):
    personas, cycle, appraisal = scored
    behaviour = fresh(appraisal).behaviours.first()
    with pytest.raises(ValidationError):
        services.appraisal_save_scores(
            acting_user=user_of(personas.kasi), appraisal=appraisal,
            version=fresh(appraisal).version, behaviour_levels={behaviour.pk: None},
            reason="kosongkan",
        )  # fmt: skip


def test_finalisation_checks_again_that_every_level_is_given(scored):
    personas, cycle, appraisal = scored
    force_scored(Appraisal.objects.filter(cycle=cycle).exclude(pk=appraisal.pk))
    PlanIndicator.objects.filter(pk=_rubric(appraisal).pk).update(level=None)  # by any path
    with pytest.raises(services.TransitionRefused, match="belum lengkap diberi level"):
        services.agency_finalise(
            acting_user=user_of(personas.hr_a), cycle=cycle, agency=personas.agency_a
        )
    assert fresh(appraisal).state == State.SCORED
    assert not Appraisal.objects.filter(cycle=cycle, state=State.FINALISED).exists()


def test_the_reason_of_a_score_change_is_hidden_from_the_employee_before_release(scored, client):
    personas, cycle, appraisal = scored
    rubric = _rubric(appraisal)
    services.appraisal_save_scores(
        acting_user=user_of(personas.kasi), appraisal=appraisal,
        version=fresh(appraisal).version, indicator_levels={rubric.pk: 2}, reason=SECRET_REASON,
    )  # fmt: skip
    client.force_login(personas.pegawai.user)
    page = client.get(reverse("appraisal_detail", args=[appraisal.pk])).content.decode()
    assert SECRET_REASON not in page
    client.force_login(personas.hr_a.user)
    page = client.get(reverse("appraisal_detail", args=[appraisal.pk])).content.decode()
    assert SECRET_REASON in page
