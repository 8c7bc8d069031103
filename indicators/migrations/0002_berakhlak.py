"""Load the seven BerAKHLAK core values and their guidelines (SE MenPANRB 20/2021) as data."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "berakhlak.json"


def load(apps, schema_editor):
    BehaviourValue = apps.get_model("indicators", "BehaviourValue")
    for order, item in enumerate(json.loads(DATA.read_text(encoding="utf-8")), start=1):
        BehaviourValue.objects.update_or_create(
            code=item["code"],
            defaults={"name": item["name"], "order": order, "guidelines": item["guidelines"]},
        )


def unload(apps, schema_editor):
    apps.get_model("indicators", "BehaviourValue").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
