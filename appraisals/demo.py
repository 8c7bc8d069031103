"""Demo cycles: one open annual cycle per demo agency, on the agency's own scheme preset, and
last year's, already released (the history and promotion dashboards)."""

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

    from .models import Appraisal, State

    members = _team_members(region)
    appraisals = (
        Appraisal.objects.filter(cycle__region=region, state=State.DRAFT)
        .exclude(employee__nip__in=keep_nips)
        .with_related()
    )
    if appraisals.count() > limit:
        return 0
    scored = 0
    for appraisal in appraisals:
        nip = appraisal.employee.nip
        _score(appraisal, random.Random(nip), members, own=random.Random(f"{nip}-diri"))
        scored += 1
    return scored


def _team_members(region) -> dict[int, list]:
    from agencies.models import Role, RoleGrant

    members: dict[int, list] = {}
    for grant in (
        RoleGrant.objects.filter(role=Role.TIM_PENILAI, agency__region=region)
        .select_related("user")
        .order_by("pk")
    ):
        members.setdefault(grant.agency_id, []).append(grant.user)
    return members


NORMAL = ((3, 4, 4, 4, 5), (0.75, 1.15))


def _score(appraisal, rng, members: dict[int, list], draw=NORMAL, *, own) -> None:
    """Plan, realisations, levels and team scores drawn from ``rng``; then scored. The
    employee's own levels (shown beside the atasan's, never scored) come from ``own``, a
    generator apart, so that they leave the other draws as they were."""
    from decimal import Decimal

    from django.db import transaction

    from indicators.schemes.base import Source

    from .models import Appraisal, AuditEntry, PlanIndicator, State, TeamScore, Verification

    levels, (low, high) = draw
    with transaction.atomic():
        services.plan_ensure(appraisal)
        scheme = appraisal.cycle.scheme
        for indicator in PlanIndicator.objects.filter(result__appraisal=appraisal):
            if indicator.kind == "rubrik":
                indicator.level = rng.choice(levels)
                indicator.self_level = own.choice((3, 4, 4, 5))
            else:
                factor = Decimal(str(round(rng.uniform(low, high), 2)))
                if indicator.direction == "turun":
                    factor = Decimal(2) - factor
                indicator.realisation = (indicator.target * factor).quantize(Decimal("0.01"))
                # Most realisations are verified; the rest wait in the Verifikator's
                # queue (they count 0 from the scoring deadline on until verified).
                verified = scheme.verifies_realisations and rng.random() < 0.8
                indicator.verified = verified
                indicator.verification = Verification.VERIFIED if verified else Verification.PENDING
            if indicator.is_dated:
                # About one target in four is completed late.
                days = rng.choice((-20, -7, -2, 0, 5))
                indicator.completed_on = indicator.due_date + dt.timedelta(days=days)
            indicator.save(
                update_fields=[
                    "level",
                    "self_level",
                    "realisation",
                    "verified",
                    "verification",
                    "completed_on",
                ]
            )
        services.on_time_share_refresh(appraisal)
        if scheme.component_for(Source.TIM):
            for member in members.get(appraisal.agency_id, ()):
                if member.pk != appraisal.employee.user_id:
                    TeamScore.objects.get_or_create(
                        appraisal=appraisal, member=member,
                        defaults={
                            "level": rng.choice(levels),
                            "comment": "Data demo: kualitas layanan sesuai standar.",
                        },
                    )  # fmt: skip
        for behaviour in appraisal.behaviours.all():
            behaviour.level = rng.choice(levels)
            behaviour.self_level = own.choice((3, 4, 4, 5))
            behaviour.save(update_fields=["level", "self_level"])
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


# Last year's demo results: better than this year's on the whole (Sangat Baik for the
# recognition lists), except the team of one strict atasan per agency (their subordinates
# need coaching, and their mean is far from the agency's: the supervisors' spread).
GENEROUS = ((4, 4, 5, 5, 5), (0.95, 1.2))
STRICT = ((2, 2, 3), (0.55, 0.7))


def seed_demo_history(
    region, *, acting_user: User, today: dt.date | None = None, limit: int = 5000
) -> int:
    """Idempotent: last year's annual cycle of each demo agency, scored by the demo data,
    finalised, released and closed, so that an employee's history and the promotion list
    (two annual cycles) have something to show. Returns the number of cycles created;
    skipped above ``limit`` employees (the benchmark), like the prescoring."""
    import random

    from django.db.models import Count

    from agencies.models import Employee

    from .models import Appraisal, AuditEntry, State

    if Employee.objects.filter(region=region, is_active=True).count() > limit:
        return 0
    today = today or region.today()
    year = today.year - 1
    members = _team_members(region)
    created = 0
    for agency in Agency.objects.filter(region=region).order_by("pk"):
        name = f"Penilaian Kinerja {year} - {agency.name}"
        if Cycle.objects.filter(region=region, name=name).exists():
            continue
        cycle = services.cycle_create(
            acting_user=acting_user,
            region=region,
            agencies=[agency],
            name=name,
            scheme_key=agency.default_scheme,
            period_type="annual",
            start_date=dt.date(year, 1, 1),
            end_date=dt.date(year, 12, 31),
            deadlines={
                "planning": dt.date(year, 1, 31),
                "self_assessment": dt.date(year, 12, 31),
                "scoring": dt.date(year + 1, 1, 15),
                "peer": dt.date(year + 1, 1, 10),
                "calibration": dt.date(year + 1, 1, 20),
            },
        )
        Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.OPENING)
        services.cycle_create_appraisals(cycle_id=cycle.pk)
        strict = (
            Appraisal.objects.filter(cycle=cycle, supervisor__isnull=False)
            .values("supervisor_id")
            .annotate(n=Count("pk"))
            .order_by("-n", "supervisor_id")
            .values_list("supervisor_id", flat=True)
            .first()
        )
        for appraisal in Appraisal.objects.filter(cycle=cycle).with_related():
            draw = STRICT if appraisal.supervisor_id == strict else GENEROUS
            seed = f"{appraisal.employee.nip}-{year}"
            _score(
                appraisal, random.Random(seed), members, draw,
                own=random.Random(f"{seed}-diri"),
            )  # fmt: skip
        released_at = dt.datetime.combine(
            dt.date(year + 1, 1, 31), dt.time(9), tzinfo=region.tzinfo
        )
        Appraisal.objects.filter(cycle=cycle).update(state=State.RELEASED, released_at=released_at)
        Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.CLOSED)
        AuditEntry.objects.create(
            cycle=cycle, actor=None, action="demo_seed",
            summary="Data demo: siklus tahun lalu sudah difinalkan, dirilis dan ditutup",
        )  # fmt: skip
        created += 1
    return created


# The organisation predikat the demo's Admin Daerah has set: Istimewa where the prescored set
# (no Sangat Baik) fits its pattern; Baik for the public-works agency, whose prescored set is
# all Baik (more than the 70% allowed, and no Butuh Perbaikan or Kurang), so that its
# finalisation asks for a written justification; none for the Kecamatan, so that finalising
# it shows the refusal.
DEMO_ORGANISATION_PREDIKAT = {"DPUPR": "baik", "KEC-SUKAMAJU": None}


def seed_demo_organisation_predikat(region, *, acting_user: User) -> int:
    """Idempotent: an agency whose predikat is already set for a cycle is left as it is."""
    from .models import AgencyCycleSetting

    done = 0
    for cycle in Cycle.objects.filter(region=region).prefetch_related("agencies"):
        for agency in cycle.agencies.all():
            predikat = DEMO_ORGANISATION_PREDIKAT.get(agency.code, "istimewa")
            if predikat is None:
                continue
            if AgencyCycleSetting.objects.filter(cycle=cycle, agency=agency).exists():
                continue
            services.agency_set_organisation_predikat(
                acting_user=acting_user, cycle=cycle, agency=agency,
                organisation_predikat=predikat, block_on_mismatch=False,
            )  # fmt: skip
            done += 1
    return done
