"""The seven BerAKHLAK values of every appraisal, made when its cycle opens. Appraisals that
predate this (their values were made the first time someone opened the page) get theirs
here, so that no page has to write them."""

from django.db import migrations


def backfill(apps, schema_editor):
    Appraisal = apps.get_model("appraisals", "Appraisal")
    BehaviourScore = apps.get_model("appraisals", "BehaviourScore")
    BehaviourValue = apps.get_model("indicators", "BehaviourValue")
    values = list(BehaviourValue.objects.all())
    missing = (
        Appraisal.objects.filter(behaviours__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    batch = []
    for pk in missing.iterator(chunk_size=2000):
        batch.extend(BehaviourScore(appraisal_id=pk, value=v) for v in values)
        if len(batch) >= 14000:
            BehaviourScore.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    BehaviourScore.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("appraisals", "0002_alter_cycle_period_type_alter_cycle_scheme_key"),
        ("indicators", "0002_berakhlak"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
