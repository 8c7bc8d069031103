"""Before `make loadtest`: the logins the simulated users play, written to
``<ASN_DATA_DIR>/loadtest/users.json``.

On the seeded demo region, in the Dinas Kesehatan cycle (numeric `jakarta` scheme): pegawai
whose plans are approved (they fill realisations), atasan each with subordinates whose
self-assessment is sent (they save levels), every Admin HR, and the Admin Daerah. Every move
goes through the services, as the pages would make it. The appraisals' versions are recorded
so that `loadtest/verify.py` can tell afterwards that every save the users made is there.
Idempotent: an appraisal already moved on is taken as it is.
"""

from __future__ import annotations

import json
import os
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asn_portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402

from agencies import demo  # noqa: E402
from agencies.models import Employee, Role, RoleGrant, User  # noqa: E402
from appraisals import services  # noqa: E402
from appraisals.models import Appraisal, Cycle, PlanIndicator, State  # noqa: E402

AGENCY = "DINKES"
PEGAWAI = int(os.environ.get("LOADTEST_PEGAWAI", "100"))
ATASAN = int(os.environ.get("LOADTEST_ATASAN", "25"))
SCORED_PER_ATASAN = 2


def fresh(appraisal: Appraisal) -> Appraisal:
    return Appraisal.objects.with_related().get(pk=appraisal.pk)


def user(employee: Employee) -> User:
    assert employee.user is not None
    return employee.user


def approve(appraisal: Appraisal) -> bool:
    """Plan submitted by the pegawai and approved by the atasan (True when it got there)."""
    services.plan_ensure(appraisal)
    try:
        if fresh(appraisal).state == State.DRAFT:
            services.appraisal_submit_targets(
                acting_user=user(appraisal.employee), appraisal=appraisal,
                version=fresh(appraisal).version,
            )  # fmt: skip
        if fresh(appraisal).state == State.TARGETS_SUBMITTED:
            assert appraisal.supervisor is not None
            services.appraisal_approve_targets(
                acting_user=user(appraisal.supervisor), appraisal=appraisal,
                version=fresh(appraisal).version,
            )  # fmt: skip
    except ValidationError as exc:
        print(f"  {appraisal.employee.nip}: {' '.join(exc.messages)}", file=sys.stderr)
        return False
    return fresh(appraisal).state != State.DRAFT


def quantitative(appraisal: Appraisal) -> list[PlanIndicator]:
    return [
        i
        for i in PlanIndicator.objects.filter(
            result__appraisal=appraisal, kind="kuantitatif"
        ).order_by("pk")
        if not i.on_time_share
    ]


def self_assess(appraisal: Appraisal) -> bool:
    if not approve(appraisal):
        return False
    if fresh(appraisal).state == State.TARGETS_APPROVED:
        for indicator in quantitative(appraisal):
            services.appraisal_save_realisation(
                acting_user=user(appraisal.employee), appraisal=appraisal,
                version=fresh(appraisal).version, indicator_id=indicator.pk,
                realisation=indicator.target or Decimal(1),
            )  # fmt: skip
        services.appraisal_submit_self_assessment(
            acting_user=user(appraisal.employee), appraisal=appraisal,
            version=fresh(appraisal).version,
        )  # fmt: skip
    return fresh(appraisal).state in (State.SELF_ASSESSED, State.SCORED)


def main() -> None:
    out = Path(settings.DATA_DIR) / "loadtest" / "users.json"
    cycle = (
        Cycle.objects.filter(region__code=demo.REGION_CODE, agencies__code=AGENCY)
        .order_by("pk")
        .first()
    )
    if cycle is None:
        sys.exit("No demo cycle: run `manage.py seed_demo --no-prescore` first")
    appraisals = list(
        Appraisal.objects.with_related()
        .filter(cycle=cycle, supervisor__isnull=False, employee__user__isnull=False)
        .order_by("pk")
    )
    supervisors = {a.supervisor_id for a in appraisals}
    staff = [a for a in appraisals if a.employee_id not in supervisors]
    by_atasan: dict[int, list[Appraisal]] = {}
    for appraisal in staff:
        assert appraisal.supervisor_id is not None
        by_atasan.setdefault(appraisal.supervisor_id, []).append(appraisal)

    atasan_rows, scored_ids = [], set()
    for theirs in list(by_atasan.values())[:ATASAN]:
        ready = [a for a in theirs[:SCORED_PER_ATASAN] if self_assess(a)]
        if ready:
            scored_ids.update(a.pk for a in ready)
            boss = ready[0].supervisor
            assert boss is not None
            atasan_rows.append({"login": user(boss).username, "appraisals": [a.pk for a in ready]})
    pegawai_rows = []
    for appraisal in staff:
        if len(pegawai_rows) >= PEGAWAI:
            break
        if appraisal.pk in scored_ids or not approve(appraisal):
            continue
        if fresh(appraisal).state != State.TARGETS_APPROVED:
            continue
        indicators = [i.pk for i in quantitative(appraisal)]
        if indicators:
            pegawai_rows.append(
                {"login": user(appraisal.employee).username, "appraisal": appraisal.pk,
                 "indicators": indicators}
            )  # fmt: skip
    hr_rows = [
        {"login": g.user.username, "agency": g.agency_id}
        for g in RoleGrant.objects.filter(role=Role.ADMIN_HR, agency__region=cycle.region)
        .select_related("user")
        .order_by("pk")
    ]
    cycles = {
        agency_id: cycle_id
        for cycle_id, agency_id in Cycle.objects.filter(region=cycle.region)
        .order_by("-pk")
        .values_list("pk", "agencies")
    }
    for row in hr_rows:
        row["cycle"] = cycles.get(row["agency"])
    touched = [r["appraisal"] for r in pegawai_rows] + sorted(scored_ids)
    versions = dict(Appraisal.objects.filter(pk__in=touched).values_list("pk", "version"))
    data = {
        "password": settings.DEMO_PASSWORD,
        "cycle": cycle.pk,
        "pegawai": pegawai_rows,
        "atasan": atasan_rows,
        "admin_hr": [r for r in hr_rows if r["cycle"]],
        "admin_daerah": [{"login": "admin.daerah"}],
        "versions": {str(k): v for k, v in versions.items()},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1))
    print(
        f"loadtest: {len(pegawai_rows)} pegawai, {len(atasan_rows)} atasan "
        f"({len(scored_ids)} appraisals to score), {len(data['admin_hr'])} Admin HR -> {out}"
    )


if __name__ == "__main__":
    main()
