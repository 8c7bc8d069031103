"""After `make loadtest`: every save the portal confirmed to a simulated user is in the
database, nothing lost. Exit status 1 when one is missing.

For each appraisal the users touched: its version moved on by at least the number of saves
confirmed and at most the number sent (each save takes one version; nobody else wrote to
these appraisals during the run; a save sent when the run stopped may be stored without its
answer), each indicator holds the last realisation confirmed for it and each BerAKHLAK value
the last level confirmed (or a value sent after it); the same for the levels.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asn_portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

from appraisals.models import Appraisal, BehaviourScore, PlanIndicator  # noqa: E402


def main() -> int:
    folder = Path(settings.DATA_DIR) / "loadtest"
    users = json.loads((folder / "users.json").read_text())
    rows = [json.loads(line) for line in (folder / "saves.jsonl").read_text().splitlines() if line]
    saves = [r for r in rows if not r.get("sent")]
    # A save sent but not answered when the run stopped may or may not be stored: it widens
    # what is allowed, never excuses a confirmed save that is missing.
    sent = Counter(r["appraisal"] for r in rows if r.get("sent"))
    confirmed = Counter(s["appraisal"] for s in saves)
    problems: list[str] = []
    before = {int(k): v for k, v in users["versions"].items()}
    touched_pks = set(sent) | set(confirmed)
    now = dict(Appraisal.objects.filter(pk__in=touched_pks).values_list("pk", "version"))
    for pk in touched_pks:
        moved = now[pk] - before[pk]
        if not confirmed[pk] <= moved <= sent[pk]:
            problems.append(
                f"appraisal {pk}: {confirmed[pk]} saves confirmed of {sent[pk]} sent, "
                f"version moved {moved}"
            )
    # Per field: the value stored is the last one confirmed, or one sent after it.
    allowed: dict[tuple[str, int], set] = {}
    for row in rows:
        if row["kind"] == "realisation":
            fields = {("realisation", row["indicator"]): Decimal(row["value"])}
        else:  # level_<indicator>, behaviour_<BerAKHLAK value>
            fields = {tuple(k.split("_")): v for k, v in row["levels"].items()}
            fields = {(kind, int(pk)): v for (kind, pk), v in fields.items()}
        for key, value in fields.items():
            if not row.get("sent"):
                allowed[key] = {value}  # confirmed: what was sent before it is settled
            else:
                allowed.setdefault(key, set()).add(value)
    confirmed_keys = {
        key
        for r in saves
        for key in (
            [("realisation", r["indicator"])]
            if r["kind"] == "realisation"
            else [(k.split("_")[0], int(k.split("_")[1])) for k in r["levels"]]
        )
    }

    def stored_of(kind: str, model: Any, column: str) -> dict[int, Any]:
        pks = [pk for k, pk in confirmed_keys if k == kind]
        return dict(model.objects.filter(pk__in=pks).values_list("pk", column))

    stored_values = {
        "realisation": stored_of("realisation", PlanIndicator, "realisation"),
        "level": stored_of("level", PlanIndicator, "level"),
        "behaviour": stored_of("behaviour", BehaviourScore, "level"),
    }
    for kind, pk in sorted(confirmed_keys):
        stored = stored_values[kind][pk]
        if stored not in allowed[(kind, pk)]:
            problems.append(f"{kind} {pk}: stored {stored}, confirmed {allowed[(kind, pk)]}")
    kinds = Counter(s["kind"] for s in saves)
    touched = {kind: len({s["appraisal"] for s in saves if s["kind"] == kind}) for kind in kinds}
    unanswered = sum(sent.values()) - sum(confirmed.values())
    print(
        f"Saves confirmed to the users: {kinds['realisation']} realisations on "
        f"{touched.get('realisation', 0)} appraisals, {kinds['scores']} score saves on "
        f"{touched.get('scores', 0)} appraisals ({unanswered} sent without a confirmation: "
        f"refused, or unanswered when the run stopped); checked against the database: "
        f"{len(confirmed_keys)} fields, {len(touched_pks)} appraisal versions."
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
