"""Data migrations do what they say on data that predates them."""

import importlib

from django.apps import apps

from appraisals.models import BehaviourScore

from .appraisal_fixtures import appraisal_of, make_cycle

backfill = importlib.import_module("appraisals.migrations.0003_backfill_behaviour_scores")


def test_appraisals_without_their_seven_values_get_them_and_others_keep_theirs(personas):
    cycle = make_cycle(personas)
    bare = appraisal_of(cycle, personas.pegawai)
    kept = appraisal_of(cycle, personas.kasi)
    BehaviourScore.objects.filter(appraisal=bare).delete()  # as before cycles made them
    BehaviourScore.objects.filter(appraisal=kept).update(level=4)
    backfill.backfill(apps, None)
    assert bare.behaviours.count() == 7
    assert list(kept.behaviours.values_list("level", flat=True)) == [4] * 7
    backfill.backfill(apps, None)  # twice changes nothing
    assert BehaviourScore.objects.filter(appraisal__in=[bare, kept]).count() == 14
