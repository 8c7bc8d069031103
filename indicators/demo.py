"""Demo indicator sets, attendance and discipline for the demo region (``seed_demo``).

The indicator sets are an import file, ``demo_data/indikator_demo.csv``, in the format of
``import_indicators`` (docs/imports.md): ``seed_demo`` loads it through the same import as the
indicator page, acting as the Admin Daerah, so the demo exercises the import and HR has a real
example to copy. The file is ``;``-delimited UTF-8, as Indonesian Excel writes it; its numbers
are whole numbers, valid under either delimiter's rules. The import has no column for rubric
level texts (they are edited on the set's page): ``demo_data/rubrik_demo.csv`` holds them, one
row per rubric indicator, and ``seed_indicator_sets`` writes them after the import.

Every position of ``agencies.demo.POSITIONS`` has a set, so every demo employee can plan
targets. The sets follow the source documents: health (patients served, patient satisfaction,
immunisation coverage), teachers (teaching, extracurricular involvement, learning innovation),
civil registration (KTP-el and KK documents, days to complete), sub-district services (letters
within the service standard), public works (road maintenance on schedule), and leaders (policy
documents, programme realisation, budget absorption).

Sets are region-wide, one per position, reused by every agency, while schemes are per
agency: a result names no component (the scheme's main results component), except the
attitude results (``RHK-4``), routed to ``sikap``. Every position held in the demo's Dinas
Pendidikan (the ``tangsel`` preset) has one, so that no one there has the 25% of ``sikap``
redistributed for want of a planned indicator; an agency on another preset has no ``sikap``
and the result falls back to its scheme's main results component. The attitude results are
``tambahan``, so that where they fall back they never count as a main result below
expectation. Every guidance text says how the indicator is measured and what evidence counts:
the source documents name indicators people do not understand as a cause of resistance.

Attendance and discipline records cover every employee of the agencies on the
``tebingtinggi`` preset, for 2025 and January to November 2026. They stay generated here
rather than written as files: they follow the employees that ``seed_demo --employees N``
generates. All random draws come from ``random.Random`` seeded with fixed strings, so the data
are the same on every run.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import random
from pathlib import Path

SEED = 20261124
ATTENDANCE_SCHEME = "tebingtinggi"

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
INDICATOR_FILE = DEMO_DATA / "indikator_demo.csv"
RUBRIC_FILE = DEMO_DATA / "rubrik_demo.csv"
DELIMITER = ";"
RUBRIC_LEVELS = ("Level 1", "Level 2", "Level 3", "Level 4", "Level 5")


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a demo file, as ``{header: cell}``."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=DELIMITER))


def rubric_levels() -> dict[tuple[str, str], dict[int, str]]:
    """``(Kode Jabatan, Kode Indikator)`` → the level texts, ``{1: text, ..., 5: text}``."""
    return {
        (row["Kode Jabatan"], row["Kode Indikator"]): {
            level: row[header] for level, header in enumerate(RUBRIC_LEVELS, start=1)
        }
        for row in read_rows(RUBRIC_FILE)
    }


# --- writers ------------------------------------------------------------------------------------


def seed_indicator_sets(region, *, acting_user) -> int:
    """Import the demo indicator set of every catalogue position that has none yet.

    ``acting_user`` is the region's Admin Daerah: the rows go through ``run_import`` with the
    authority the indicator import page would give them. Rows of a position whose set already
    has indicators are left out (the Admin Daerah may have edited it, and an import would
    overwrite it), so running twice changes nothing. Returns the number of sets filled.
    """
    from agencies.importing.base import run_import
    from agencies.models import JobPosition
    from agencies.services import import_context_for

    from .importing import IndicatorSpec
    from .models import Indicator, IndicatorKind
    from .services import indicator_rubric_update

    context = import_context_for(acting_user, IndicatorSpec)
    if context.region != region:
        raise ValueError(f"{acting_user} is not the Admin Daerah of {region}")
    catalogue = set(JobPosition.objects.filter(region=region).values_list("code", flat=True))
    filled = set(
        Indicator.objects.filter(indicator_set__position__region=region).values_list(
            "indicator_set__position__code", flat=True
        )
    )
    with INDICATOR_FILE.open(encoding="utf-8", newline="") as handle:
        header, *rows = csv.reader(handle, delimiter=DELIMITER)
    position = header.index("Kode Jabatan")
    todo = [row for row in rows if row[position] in catalogue and row[position] not in filled]
    if not todo:
        return 0
    content = io.StringIO()
    writer = csv.writer(content, delimiter=DELIMITER, lineterminator="\n")
    writer.writerows([header, *todo])
    result = run_import(
        IndicatorSpec, content.getvalue().encode("utf-8"), INDICATOR_FILE.name, context
    )
    if not result.ok:
        raise ValueError(f"{INDICATOR_FILE.name}: " + "; ".join(map(str, result.errors[:10])))

    # The import has no column for rubric level texts (they are edited on the set's page):
    # written from the demo's second file through the page's own service.
    positions = {row[position] for row in todo}
    levels = rubric_levels()
    rubrics = Indicator.objects.filter(
        indicator_set__position__region=region,
        indicator_set__position__code__in=positions,
        kind=IndicatorKind.RUBRIK,
    ).select_related("indicator_set__position")
    for indicator in rubrics.order_by("pk"):
        indicator_rubric_update(
            acting_user=acting_user,
            indicator=indicator,
            levels=levels[(indicator.indicator_set.position.code, indicator.code)],
        )
    return len(positions)


# National holidays (libur nasional; cuti bersama excluded) on which nobody is expected at work.
HOLIDAYS = frozenset(
    dt.date.fromisoformat(day)
    for day in (
        # 2025
        "2025-01-01", "2025-01-27", "2025-01-29", "2025-03-31", "2025-04-01", "2025-04-18",
        "2025-05-01", "2025-05-12", "2025-05-29", "2025-06-06", "2025-06-27", "2025-09-05",
        "2025-12-25",
        # 2026
        "2026-01-01", "2026-01-16", "2026-02-17", "2026-03-19", "2026-03-20", "2026-04-03",
        "2026-05-01", "2026-05-14", "2026-05-27", "2026-06-01", "2026-06-16", "2026-08-17",
        "2026-08-25", "2026-12-25",
    )
)  # fmt: skip

MONTHS: tuple[dt.date, ...] = tuple(dt.date(2025, m, 1) for m in range(1, 13)) + tuple(
    dt.date(2026, m, 1) for m in range(1, 12)
)
SANCTION_FROM = dt.date(2025, 2, 1)
SANCTION_UNTIL = dt.date(2026, 10, 31)


@functools.cache
def working_days(month: dt.date) -> int:
    """Monday to Friday of the month, less national holidays."""
    day, count = month, 0
    while day.month == month.month:
        if day.weekday() < 5 and day not in HOLIDAYS:
            count += 1
        day += dt.timedelta(days=1)
    return count


def attendance_rows(nip: str, profile: str) -> list[tuple[dt.date, int, int, int, int]]:
    """(month, working, present, late, early) for one employee: pure and deterministic.

    ``profile``: ``baik`` (most people), ``terlambat`` (often late) or ``kurang`` (poor
    attendance). ``present`` already includes approved leave, sick leave and official travel,
    so only unexcused absences lower it.
    """
    rng = random.Random(f"{SEED}:kehadiran:{nip}")
    rows = []
    for month in MONTHS:
        working = working_days(month)
        if profile == "kurang":
            absent = rng.randint(1, 4)
            late, early = rng.randint(2, 5), rng.randint(0, 2)
        elif profile == "terlambat":
            absent = rng.choices((0, 1), weights=(85, 15))[0]
            late, early = rng.randint(1, 4), rng.randint(0, 1)
        else:
            absent = rng.choices((0, 1, 2), weights=(92, 7, 1))[0]
            late = rng.choices((0, 1, 2), weights=(70, 22, 8))[0]
            early = rng.choices((0, 1), weights=(90, 10))[0]
        present = working - absent
        rows.append((month, working, present, min(late, present), min(early, present)))
    return rows


def _weekday_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
    while day.weekday() >= 5 or day in HOLIDAYS:
        day += dt.timedelta(days=1)
    return day


def seed_attendance_and_discipline(region) -> tuple[int, int]:
    """Monthly attendance for every employee of the region's ``tebingtinggi``-preset agencies
    (2025 and January to November 2026) and a handful of disciplinary sanctions.

    Deterministic per agency code and NIP; existing records are kept, so running twice adds
    nothing. Returns (attendance records created, sanctions created).
    """
    from agencies.models import Agency, Employee

    from .models import AttendanceRecord, DisciplineRecord

    attendance_created = sanctions_created = 0
    agencies = Agency.objects.filter(region=region, default_scheme=ATTENDANCE_SCHEME)
    for agency in agencies.order_by("code"):
        staff = list(
            Employee.objects.filter(agency=agency, is_active=True)
            .order_by("nip")
            .values_list("pk", "nip", "position__kind")
        )
        if not staff:
            continue
        rng = random.Random(f"{SEED}:{agency.code}")
        # Poor attendance and sanctions among staff (not the officials who lead them).
        eligible = [(pk, nip) for pk, nip, kind in staff if kind in ("Pelaksana", "Fungsional")]
        poor = rng.sample(eligible, min(len(eligible), max(2, len(staff) // 25)))
        often_late = rng.sample(eligible, min(len(eligible), max(3, len(staff) // 10)))
        profiles = {nip: "terlambat" for _, nip in often_late}
        profiles.update({nip: "kurang" for _, nip in poor})

        have = set(
            AttendanceRecord.objects.filter(employee__agency=agency).values_list(
                "employee_id", "period"
            )
        )
        records = [
            AttendanceRecord(
                employee_id=pk,
                period=month,
                working_days=working,
                present_days=present,
                late=late,
                early_leave=early,
            )
            for pk, nip, _kind in staff
            for month, working, present, late, early in attendance_rows(
                nip, profiles.get(nip, "baik")
            )
            if (pk, month) not in have
        ]
        AttendanceRecord.objects.bulk_create(records, batch_size=2000)
        attendance_created += len(records)

        # A handful of sanctions: half of them for people with poor attendance (the usual
        # ground: unexcused absence), every level at least once.
        count = min(len(eligible), max(3, len(staff) // 40))
        punished = poor[: (count + 1) // 2]
        others = [e for e in eligible if e not in punished]
        punished += rng.sample(others, min(len(others), count - len(punished)))
        levels = ["ringan", "sedang", "berat"]
        levels += rng.choices(("ringan", "sedang", "berat"), weights=(60, 30, 10), k=count)
        existing = set(
            DisciplineRecord.objects.filter(employee__agency=agency).values_list(
                "employee_id", "decree_date", "level"
            )
        )
        sanctions = []
        for (pk, _nip), level in zip(punished, levels, strict=False):
            decree = _weekday_between(rng, SANCTION_FROM, SANCTION_UNTIL)
            if (pk, decree, level) not in existing:
                sanctions.append(DisciplineRecord(employee_id=pk, decree_date=decree, level=level))
        DisciplineRecord.objects.bulk_create(sanctions, batch_size=2000)
        sanctions_created += len(sanctions)
    return attendance_created, sanctions_created
