"""Time the main pages of each demo role in process (Django test client), with query counts.

``measure_pages`` logs in as each role of the demo region (``seed_demo``, any size), GETs
each of its main pages ``repeats`` times after one warm-up request, and returns
``{"<role>: <page>": {"status", "queries", "median_ms", "p95_ms"}}``. Measured, never
asserted: the bench command prints it, and a before/after comparison reads it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterable

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

ROLES = ("admin_daerah", "sekda", "admin_hr", "atasan", "pegawai")
DEEP_PAGE = 1000
PAGE_SIZE = 25


def _deep_cursor(user, page: int) -> str:
    """``?page=N`` and the keyset cursor of the same page (the id of the last row before it),
    so that the same URL measures page N with either kind of pagination."""
    from agencies.access import scope_for

    offset = (page - 1) * PAGE_SIZE - 1
    last = (
        scope_for(user).visible_employees().order_by("name", "pk").values_list("pk", flat=True)
    )[offset : offset + 1]
    cursor = list(last)
    return f"?page={page}" + (f"&setelah={cursor[0]}" if cursor else "")


def role_pages(roles: Iterable[str] = ROLES) -> list[tuple[str, str, object, str]]:
    """``(role, page label, user, url)`` for the demo region in the database."""
    from agencies.models import Employee, Role, RoleGrant, User
    from appraisals.models import Appraisal, Cycle

    wanted = set(roles)
    admin = User.objects.get(username="admin.daerah")
    # The top of the tree with the most people below: the Sekda of the demo region.
    sekda = (
        Employee.objects.filter(supervisor__isnull=True, user__isnull=False)
        .annotate(direct=Count("subordinates"))
        .order_by("-direct", "pk")
        .first()
    )
    hr_grant = RoleGrant.objects.filter(role=Role.ADMIN_HR).select_related("user").first()
    appraisal = (
        Appraisal.objects.filter(supervisor__isnull=False, employee__user__isnull=False)
        .select_related("employee__user", "supervisor__user")
        .order_by("pk")
        .first()
    )
    cycle = Cycle.objects.order_by("pk").first()
    employees = reverse("employee_list")
    pages: list[tuple[str, str, object, str]] = []
    if "admin_daerah" in wanted:
        pages += [
            ("admin_daerah", "beranda", admin, reverse("home")),
            ("admin_daerah", "daftar pegawai, halaman 1", admin, employees),
            ("admin_daerah", "daftar pegawai, cari nama", admin, employees + "?q=Sari"),
            (
                "admin_daerah",
                f"daftar pegawai, halaman {DEEP_PAGE}",
                admin,
                employees + _deep_cursor(admin, DEEP_PAGE),
            ),
            ("admin_daerah", "siklus penilaian", admin, reverse("cycle_list")),
        ]
        if cycle is not None:
            pages.append(
                ("admin_daerah", "halaman siklus", admin, reverse("cycle_detail", args=[cycle.pk]))
            )
    if "sekda" in wanted and sekda is not None and sekda.user is not None:
        user = sekda.user
        pages += [
            ("sekda", "beranda", user, reverse("home")),
            ("sekda", "daftar pegawai (bawahan), halaman 1", user, employees),
            (
                "sekda",
                f"daftar pegawai (bawahan), halaman {DEEP_PAGE}",
                user,
                employees + _deep_cursor(user, DEEP_PAGE),
            ),
            ("sekda", "penilaian saya", user, reverse("my_appraisals")),
            ("sekda", "antrian tim", user, reverse("team")),
        ]
    if "admin_hr" in wanted and hr_grant is not None:
        user = hr_grant.user
        pages += [
            ("admin_hr", "beranda", user, reverse("home")),
            ("admin_hr", "daftar pegawai, halaman 1", user, employees),
            ("admin_hr", "siklus penilaian", user, reverse("cycle_list")),
        ]
        hr_cycle = Cycle.objects.filter(agencies__pk=hr_grant.agency_id).order_by("pk").first()
        if hr_cycle is not None:
            pages.append(
                ("admin_hr", "halaman siklus", user, reverse("cycle_detail", args=[hr_cycle.pk]))
            )
    if appraisal is not None:
        atasan, pegawai = appraisal.supervisor.user, appraisal.employee.user
        detail = reverse("appraisal_detail", args=[appraisal.pk])
        if "atasan" in wanted and atasan is not None:
            pages += [
                ("atasan", "beranda", atasan, reverse("home")),
                ("atasan", "antrian tim", atasan, reverse("team")),
                ("atasan", "daftar pegawai (bawahan)", atasan, employees),
                ("atasan", "penilaian bawahan", atasan, detail),
            ]
        if "pegawai" in wanted:
            pages += [
                ("pegawai", "beranda", pegawai, reverse("home")),
                ("pegawai", "penilaian saya", pegawai, reverse("my_appraisals")),
                ("pegawai", "halaman penilaian", pegawai, detail),
            ]
    return pages


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


@override_settings(ALLOWED_HOSTS=["*"], DEBUG=False)
def measure_pages(roles: Iterable[str] = ROLES, repeats: int = 20) -> dict[str, dict]:
    """``{"<role>: <page>": {"status", "queries", "median_ms", "p95_ms"}}``."""
    results: dict[str, dict] = {}
    client = Client()
    for role, label, user, url in role_pages(roles):
        client.force_login(user)
        client.get(url)  # warm-up: templates, translations, the connection
        timings = []
        queries = status = 0
        for _ in range(repeats):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            queries, status = len(captured), response.status_code
        results[f"{role}: {label}"] = {
            "status": status,
            "queries": queries,
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(_percentile(timings, 0.95), 1),
        }
    return results


def format_results(results: dict[str, dict]) -> str:
    lines = [f"{'Halaman':<58} {'HTTP':>4} {'query':>5} {'median ms':>10} {'p95 ms':>8}"]
    for page, row in results.items():
        lines.append(
            f"{page:<58} {row['status']:>4} {row['queries']:>5} "
            f"{row['median_ms']:>10.1f} {row['p95_ms']:>8.1f}"
        )
    return "\n".join(lines)
