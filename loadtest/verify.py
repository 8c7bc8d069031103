"""After `make loadtest`: every save the portal confirmed to a simulated user is in the
database, nothing lost. Exit status 1 when one is missing.

For each appraisal the users touched: its version moved on by exactly the number of saves
confirmed (each save takes one version; nobody else wrote to these appraisals during the
run), each indicator holds the last realisation confirmed for it, and each BerAKHLAK value
the last level confirmed.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asn_portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

from appraisals.models import Appraisal, BehaviourScore, PlanIndicator  # noqa: E402


def main() -> int:
    folder = Path(settings.DATA_DIR) / "loadtest"
    users = json.loads((folder / "users.json").read_text())
    saves_file = folder / "saves.jsonl"
    saves = [json.loads(line) for line in saves_file.read_text().splitlines() if line.strip()]
    per_appraisal = Counter(s["appraisal"] for s in saves)
    last_value: dict[int, str] = {}
    last_level: dict[int, int] = {}
    for save in saves:
        if save["kind"] == "realisation":
            last_value[save["indicator"]] = save["value"]
        else:
            last_level.update({int(k): v for k, v in save["levels"].items()})
    problems: list[str] = []
    before = {int(k): v for k, v in users["versions"].items()}
    now = dict(Appraisal.objects.filter(pk__in=per_appraisal).values_list("pk", "version"))
    for pk, n in per_appraisal.items():
        if now[pk] - before[pk] != n:
            problems.append(
                f"appraisal {pk}: {n} saves confirmed, version moved {now[pk] - before[pk]}"
            )
    stored = dict(PlanIndicator.objects.filter(pk__in=last_value).values_list("pk", "realisation"))
    for pk, value in last_value.items():
        if stored[pk] != Decimal(value):
            problems.append(f"indicator {pk}: last confirmed {value}, stored {stored[pk]}")
    levels = dict(BehaviourScore.objects.filter(pk__in=last_level).values_list("pk", "level"))
    for pk, level in last_level.items():
        if levels[pk] != level:
            problems.append(f"BerAKHLAK value {pk}: last confirmed {level}, stored {levels[pk]}")
    kinds = Counter(s["kind"] for s in saves)
    touched = {kind: len({s["appraisal"] for s in saves if s["kind"] == kind}) for kind in kinds}
    print(
        f"Saves confirmed to the users: {kinds['realisation']} realisations on "
        f"{touched.get('realisation', 0)} appraisals, {kinds['scores']} score saves on "
        f"{touched.get('scores', 0)} appraisals; "
        f"checked against the database: {len(last_value)} indicators, {len(last_level)} "
        f"BerAKHLAK levels, {len(per_appraisal)} versions."
    )
    if problems:
        print(f"LOST OR WRONG: {len(problems)}")
        for line in problems[:50]:
            print("  " + line)
        return 1
    print("Nothing lost: every confirmed save is in the database.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
