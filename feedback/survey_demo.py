"""Demo survey data for `seed_demo`: deterministic and idempotent.

Each agency's README pegawai works in a unit that serves the public. In the `rakumpit`
agency that unit has enough answers in the current cycle for its IKM to enter the score
(`RAKUMPIT_RESPONSES`, at least the default 30), and a second unit has a few (fewer than 30,
so its employees' IKM component is redistributed): both paths can be seen in the demo.
"""

from __future__ import annotations

import datetime as dt

from agencies.models import Unit

from .models import SurveyResponse, SurveyUnit

RAKUMPIT_RESPONSES = 36
FEW_RESPONSES = 8
# Answer patterns (u1..u9), used in turn: a unit that does well, with slow complaint handling.
PATTERNS = (
    (4, 4, 3, 4, 3, 4, 4, 3, 4),
    (3, 3, 3, 4, 3, 3, 4, 2, 3),
    (4, 3, 4, 4, 4, 4, 4, 3, 3),
    (3, 4, 3, 4, 3, 3, 3, 2, 4),
)
COMMENTS = (
    "Petugas ramah dan cepat.",
    "Antrean pagi panjang, mohon ditambah loket.",
    "Informasi persyaratan di papan pengumuman sudah jelas.",
    "",
    "Kotak pengaduan belum pernah dijawab.",
    "",
)


def demo_answers(count: int) -> list[tuple[int, ...]]:
    return [PATTERNS[i % len(PATTERNS)] for i in range(count)]


def seed_survey_demo(region, data) -> int:
    """Mark the demo service units and add their answers once; returns the answers added."""
    today = region.today()
    year_start = dt.date(today.year, 1, 1)
    units = {u.code: u for u in Unit.objects.filter(region=region)}
    plan: list[tuple[Unit, int]] = []
    for agency in data.agencies:
        pegawai = agency.personas.get("pegawai", [])
        if not pegawai:
            continue
        main_unit = units[pegawai[0].unit_code]
        if agency.blueprint.scheme == "rakumpit":
            plan.append((main_unit, RAKUMPIT_RESPONSES))
            # The next seksi (codes end in -S<n>): Pencatatan Sipil, also a front office.
            other = next(
                (
                    u
                    for u in agency.units
                    if u.code.rsplit("-", 1)[-1][:1] == "S"
                    and u.code[-1].isdigit()
                    and u.code != main_unit.code
                ),
                None,
            )
            if other is not None:
                plan.append((units[other.code], FEW_RESPONSES))
        else:
            plan.append((main_unit, 0))
    existing = {s.unit_id: s for s in SurveyUnit.objects.filter(unit__region=region)}
    for unit, _count in plan:
        survey = existing.get(unit.pk)
        if survey is None:
            SurveyUnit.objects.create(unit=unit, melayani_publik=True)
        elif not survey.melayani_publik:
            survey.melayani_publik = True
            survey.save(update_fields=["melayani_publik", "updated_at"])
    answered = set(
        SurveyResponse.objects.filter(unit__region=region).values_list("unit_id", flat=True)
    )
    tz = region.tzinfo
    new = []
    for unit, count in plan:
        if unit.pk in answered:
            continue
        for i, answers in enumerate(demo_answers(count)):
            day = max(year_start, today - dt.timedelta(days=i % 14))
            moment = dt.datetime.combine(day, dt.time(8 + i % 8, (7 * i) % 60), tzinfo=tz)
            new.append(
                SurveyResponse(
                    unit=unit,
                    submitted_at=moment,
                    submitted_on=day,
                    comment=COMMENTS[i % len(COMMENTS)],
                    **{f"u{k + 1}": a for k, a in enumerate(answers)},
                )
            )
    SurveyResponse.objects.bulk_create(new)
    return len(new)
