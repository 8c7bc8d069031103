"""Demo cycles: one open annual cycle per demo agency, on the agency's own scheme preset."""

from __future__ import annotations

import datetime as dt

from agencies.models import Agency, User

from . import services
from .models import Cycle, CycleStatus


def seed_demo_cycles(region, *, acting_user: User, today: dt.date | None = None) -> int:
    """Idempotent: an agency that already has its demo cycle is left as it is.

    Deadlines are counted from today so that every phase can still be played in the demo;
    the period is the current calendar year.
    """
    today = today or region.today()
    created = 0
    deadlines = {
        "planning": today + dt.timedelta(days=14),
        "self_assessment": today + dt.timedelta(days=30),
        "scoring": today + dt.timedelta(days=45),
        "peer": today + dt.timedelta(days=45),
        "calibration": today + dt.timedelta(days=60),
    }
    for agency in Agency.objects.filter(region=region).order_by("pk"):
        name = f"Penilaian Kinerja {today.year} - {agency.name}"
        if Cycle.objects.filter(region=region, name=name).exists():
            continue
        cycle = services.cycle_create(
            acting_user=acting_user,
            region=region,
            agencies=[agency],
            name=name,
            scheme_key=agency.default_scheme,
            period_type="annual",
            start_date=dt.date(today.year, 1, 1),
            end_date=dt.date(today.year, 12, 31),
            deadlines={k: max(v, dt.date(today.year, 1, 1)) for k, v in deadlines.items()},
        )
        # Synchronously here: a management command may take its time; the pages use the job.
        Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.OPENING)
        services.cycle_create_appraisals(cycle_id=cycle.pk)
        created += 1
    return created
