"""Demo cycles: one open annual cycle per demo agency, on the agency's own scheme preset."""

from __future__ import annotations

import datetime as dt

from agencies.models import Agency, User

from . import services
from .models import Cycle, CycleStatus


def seed_demo_cycles(region, *, acting_user: User, today: dt.date | None = None) -> int:
    """Idempotent: an agency that already has its demo cycle is left as it is.

    Deadlines are counted from today so that every phase can still be played in the demo,
    except the peers' feedback: its deadline is yesterday, so that the peers' answers seeded
    by ``feedback.demo`` already count in the scores and the atasan's summary (a late form
    still counts when it is sent). The period is the current calendar year.
    """
    today = today or region.today()
    created = 0
    deadlines = {
        "planning": today + dt.timedelta(days=14),
        "self_assessment": today + dt.timedelta(days=30),
        "scoring": today + dt.timedelta(days=45),
        "peer": today - dt.timedelta(days=1),
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


def prescore_demo_cycles(region, *, keep_nips: set[str], limit: int = 5000) -> int:
    """Score everyone except the demo ``pegawai`` of each agency, so that the demo can be
    played to the end: HR finalises an agency only once all its appraisals are scored.

    Realisations and levels are drawn from a generator seeded by the NIP (deterministic);
    each appraisal is recomputed through the scoring module and carries an audit entry that
    says it was scored by the demo data. Skipped above ``limit`` appraisals (the benchmark).
    """
    import random
    from decimal import Decimal

    from django.db import transaction

    from .models import Appraisal, AuditEntry, PlanIndicator, State

    appraisals = (
        Appraisal.objects.filter(cycle__region=region, state=State.DRAFT)
        .exclude(employee__nip__in=keep_nips)
        .with_related()
    )
    if appraisals.count() > limit:
        return 0
    scored = 0
    for appraisal in appraisals:
        rng = random.Random(appraisal.employee.nip)
        with transaction.atomic():
            services.plan_ensure(appraisal)
            for indicator in PlanIndicator.objects.filter(result__appraisal=appraisal):
                if indicator.kind == "rubrik":
                    indicator.level = rng.choice((3, 4, 4, 4, 5))
                else:
                    factor = Decimal(str(round(rng.uniform(0.75, 1.15), 2)))
                    if indicator.direction == "turun":
                        factor = Decimal(2) - factor
                    indicator.realisation = (indicator.target * factor).quantize(Decimal("0.01"))
                    # The verification pages are planned (docs/roles.md); the demo's
                    # pre-scored evidence counts as verified.
                    indicator.verified = appraisal.cycle.scheme.verifies_realisations
                indicator.save(update_fields=["level", "realisation", "verified"])
            for behaviour in appraisal.behaviours.all():
                behaviour.level = rng.choice((3, 4, 4, 4, 5))
                behaviour.save(update_fields=["level"])
            if appraisal.cycle.scheme.mode == "matriks":
                appraisal.override_reason = ""
            Appraisal.objects.filter(pk=appraisal.pk).update(state=State.SCORED)
            appraisal.state = State.SCORED
            services.appraisal_recompute(appraisal=appraisal, action="score")
            AuditEntry.objects.create(
                appraisal=appraisal,
                cycle=appraisal.cycle,
                actor=None,
                action="demo_seed",
                summary="Data demo: rencana, realisasi dan nilai atasan diisi otomatis",
                before={"state": State.DRAFT},
                after={"state": State.SCORED},
            )
        scored += 1
    return scored
