"""The steps of `make bench`, in the order they run. Each is one function taking the
:class:`~reports.benchmarks.runner.Bench`; it prepares what it needs (untimed), then reports
through ``bench.measure`` (a step run once, or the median of several when short),
``bench.samples`` (a page: median and p95) or ``bench.record``. A new step (a PDF, a ZIP, an
Excel recap) is one more function here, added to ``STEPS`` at the end of this module.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any
from unittest import mock

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from agencies import demo
from agencies.models import Agency, Employee, Region, User
from appraisals import services
from appraisals.models import (
    AgencyCycleSetting,
    Appraisal,
    BehaviourScore,
    Cycle,
    PlanIndicator,
    State,
)

from .runner import Bench

BENCH_CYCLE = "Siklus uji beban (bench)"
# The agency whose pages, finalisation and personas are measured: the second preset agency
# (Dinas Kesehatan, numeric `jakarta` scheme), present in the 300 and the 60,000 seed alike.
AGENCY_INDEX = 1


# --- shared helpers -------------------------------------------------------------------------


def analyze() -> None:
    """Fresh planner statistics after bulk writes (PostgreSQL and SQLite both know ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def reset_database() -> None:
    """Empty every table, then put back the rows a migration loads (the seven BerAKHLAK
    values), which flush removes with the rest."""
    import importlib

    from django.apps import apps

    call_command("flush", interactive=False, verbosity=0)
    importlib.import_module("indicators.migrations.0002_berakhlak").load(apps, None)


def seed(employees: int, agencies: int, *, prescore: bool = True) -> str:
    out = io.StringIO()
    call_command(
        "seed_demo", employees=employees, agencies=agencies, quiet_logins=True,
        no_prescore=not prescore, stdout=out,
    )  # fmt: skip
    return out.getvalue().strip().splitlines()[-1]


def admin_daerah() -> User:
    return User.objects.get(username="admin.daerah")


def chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


# --- the pages ------------------------------------------------------------------------------


def page_list(employees: int, agencies: int) -> list[tuple[str, User, str]]:
    """(name, user, url) of each main page, seen by each role that uses it."""
    data = demo.build_demo(employees=employees, agencies=agencies)
    blueprint = data.agencies[AGENCY_INDEX]
    personas = {role: people[0].nip for role, people in blueprint.personas.items() if people}
    sekda_nip = data.agencies[0].people[0].nip
    users = {
        u.username: u for u in User.objects.filter(username__in=[*personas.values(), sekda_nip])
    }
    pegawai, atasan, hr = (users[personas[r]] for r in ("pegawai", "atasan", "admin_hr"))
    sekda = users[sekda_nip]
    admin = admin_daerah()
    agency = Agency.objects.get(region__code=demo.REGION_CODE, code=blueprint.blueprint.code)
    cycle = Cycle.objects.filter(agencies=agency).exclude(name=BENCH_CYCLE).order_by("pk").first()
    appraisal = Appraisal.objects.filter(cycle=cycle, employee__nip=personas["pegawai"]).first()
    if cycle is None or appraisal is None:
        raise RuntimeError("seed_demo left no demo cycle for the measured agency")
    employees_url = reverse("employee_list")
    return [
        ("home_pegawai", pegawai, reverse("home")),
        ("home_atasan", atasan, reverse("home")),
        ("home_admin_hr", hr, reverse("home")),
        ("home_admin_daerah", admin, reverse("home")),
        ("home_sekda", sekda, reverse("home")),
        ("my_appraisals_pegawai", pegawai, reverse("my_appraisals")),
        ("appraisal_pegawai", pegawai, reverse("appraisal_detail", args=[appraisal.pk])),
        ("appraisal_atasan", atasan, reverse("appraisal_detail", args=[appraisal.pk])),
        ("team_atasan", atasan, reverse("team")),
        ("team_sekda", sekda, reverse("team")),
        ("cycle_admin_hr", hr, reverse("cycle_detail", args=[cycle.pk])),
        ("cycle_admin_daerah", admin, reverse("cycle_detail", args=[cycle.pk])),
        ("cycles_admin_daerah", admin, reverse("cycle_list")),
        ("agency_admin_hr", hr, reverse("agency_detail", args=[agency.pk])),
        ("employees_admin_hr", hr, employees_url),
        ("employees_admin_daerah", admin, employees_url),
        ("employees_search_admin_daerah", admin, employees_url + "?q=Sari"),
        ("employees_sekda", sekda, employees_url),
    ]


def measure_pages(bench: Bench, employees: int, agencies: int) -> None:
    """Each page as ``page:<name>:<employees in the database>``."""
    size = Employee.objects.count()
    client = Client(HTTP_HOST="localhost")
    for name, user, url in page_list(employees, agencies):
        client.force_login(user)

        def get(url: str = url, login: str = user.username) -> int:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} as {login}: HTTP {response.status_code}")
            return response.status_code

        bench.samples(f"page:{name}:{size}", get)


# --- the steps ------------------------------------------------------------------------------


def pages_small(bench: Bench) -> None:
    """The main pages on a small region (the demo's 300 employees), in a database emptied
    before and after: query counts and times to compare with the same pages at full size."""
    seed(bench.small, min(bench.agencies, 6))
    analyze()
    measure_pages(bench, bench.small, min(bench.agencies, 6))
    reset_database()


def seed_region(bench: Bench) -> None:
    """seed_demo: the region, its agencies, employees and accounts, indicator sets, one open
    cycle per agency (appraisals and plans), attendance and discipline rows. Without the demo's
    pre-scoring, which seed_demo skips above 5,000 appraisals anyway, so that every size
    measures the same bulk path."""
    bench.measure(
        "seed",
        lambda: seed(bench.employees, bench.agencies, prescore=False),
        note=lambda line: line[:120],
    )
    analyze()
    bench.state["region"] = Region.objects.get(code=demo.REGION_CODE)


def open_cycle(bench: Bench) -> None:
    """One cycle for every employee of the region, opened as HR opens it: ``cycle_open``
    stores the job, and the job's Celery task runs here, in this process (``apply``), as a
    worker would run it: one appraisal, plan and BerAKHLAK values per employee."""
    from reports.tasks import run_job

    region = bench.state["region"]
    admin = admin_daerah()
    today = region.today()
    cycle = services.cycle_create(
        acting_user=admin, region=region, agencies=list(Agency.objects.filter(region=region)),
        name=BENCH_CYCLE, scheme_key="jakarta", period_type="annual",
        start_date=today.replace(month=1, day=1), end_date=today.replace(month=12, day=31),
        deadlines={"planning": today, "self_assessment": today, "scoring": today,
                   "peer": today, "calibration": today},
    )  # fmt: skip

    def run() -> dict[str, Any]:
        # The job runs below; its message is not sent to a broker that no worker reads.
        with mock.patch("reports.jobs.job_enqueue"):
            job = services.cycle_open(acting_user=admin, cycle=cycle)
        run_job.apply(args=[job.pk], throw=True)
        job.refresh_from_db()
        if job.status != "done":
            raise RuntimeError(f"open_cycle job {job.pk}: {job.status} {job.error}")
        return job.result

    bench.measure(
        "open_cycle", run,
        note=lambda r: f"{r['created']} penilaian, {r['plans']} rencana disalin",
    )  # fmt: skip
    analyze()
    bench.state["cycle"] = Cycle.objects.get(pk=cycle.pk)


def fill_scores(cycle: Cycle) -> None:
    """What the pegawai and atasan would have typed, in bulk (untimed): realisations of
    70 to 115% of the target, level 4 on every rubric indicator and BerAKHLAK value."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE appraisals_planindicator
            SET realisation = target * (70 + 9 * (id %% 6)) / 100
            WHERE kind = 'kuantitatif' AND target IS NOT NULL AND result_id IN (
                SELECT r.id FROM appraisals_planresult r
                JOIN appraisals_appraisal a ON a.id = r.appraisal_id WHERE a.cycle_id = %s
            )
            """,
            [cycle.pk],
        )
    PlanIndicator.objects.filter(result__appraisal__cycle=cycle, kind="rubrik").update(level=4)
    BehaviourScore.objects.filter(appraisal__cycle=cycle).update(level=4)
    analyze()


def score_cycle_bulk(cycle: Cycle) -> int:
    """The scores of the whole cycle through the bulk path that the `scores_recompute` job
    runs per chunk (``scores_recompute_ids``: a batch's inputs in a few queries, the pure
    scoring module per appraisal, one UPDATE per batch), here in one process, chunk after
    chunk."""
    from appraisals.services.background import RECOMPUTE_BATCH

    ids = list(Appraisal.objects.filter(cycle=cycle).order_by("pk").values_list("pk", flat=True))
    for part in chunks(ids, RECOMPUTE_BATCH):
        services.scores_recompute_ids(part)
    return len(ids)


# The scoring of a whole cycle that `compute_scores` measures.
SCORE_CYCLE: Callable[[Cycle], int] = score_cycle_bulk


def score_reference(cycle: Cycle) -> None:
    """What the database alone needs for the same rows: one aggregate of the weighted
    achievement per appraisal and one UPDATE of every appraisal's value, rolled back."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE appraisals_appraisal SET final_value = agg.value
                FROM (
                    SELECT r.appraisal_id AS id,
                           SUM(CASE WHEN i.target > 0
                                    THEN {least}(i.realisation * 100 / i.target, 120) * i.weight
                                    ELSE COALESCE(i.level, 0) * 25 * i.weight END)
                           / NULLIF(SUM(i.weight), 0) AS value
                    FROM appraisals_planindicator i
                    JOIN appraisals_planresult r ON r.id = i.result_id
                    JOIN appraisals_appraisal a ON a.id = r.appraisal_id
                    WHERE a.cycle_id = %s
                    GROUP BY r.appraisal_id
                ) AS agg
                WHERE appraisals_appraisal.id = agg.id
                """.format(least="MIN" if connection.vendor == "sqlite" else "LEAST"),
                [cycle.pk],
            )
        transaction.set_rollback(True)


def compute_scores(bench: Bench) -> None:
    """Every appraisal of the cycle scored and stored, against the plain SQL floor."""
    cycle = bench.state["cycle"]
    fill_scores(cycle)
    bench.measure(
        "compute_scores", lambda: SCORE_CYCLE(cycle),
        reference=lambda: score_reference(cycle),
        note=lambda n: f"{n} penilaian",
    )  # fmt: skip
    analyze()


def finalise_agency(bench: Bench) -> None:
    """HR finalises the measured agency's set of the cycle (``agency_finalise``: every
    appraisal recomputed as at the scoring deadline, the distribution check, the audit)."""
    cycle = bench.state["cycle"]
    region = bench.state["region"]
    admin = admin_daerah()
    agency = Agency.objects.filter(region=region).order_by("pk")[AGENCY_INDEX]
    Appraisal.objects.filter(cycle=cycle, agency=agency).update(state=State.SCORED)
    if not AgencyCycleSetting.objects.filter(cycle=cycle, agency=agency).exists():
        services.agency_set_organisation_predikat(
            acting_user=admin, cycle=cycle, agency=agency, organisation_predikat="baik",
            block_on_mismatch=False,
        )  # fmt: skip

    def run() -> int:
        """As HR starts it: the job is stored, then its task runs here as a worker runs it
        (recompute as at the scoring deadline, distribution check, one short transaction)."""
        from reports.tasks import run_job

        with mock.patch("reports.jobs.job_enqueue"):
            job = services.agency_finalise_start(
                acting_user=admin, cycle=cycle, agency=agency,
                justification="Uji beban: distribusi data sintetis.",
            )  # fmt: skip
        run_job.apply(args=[job.pk], throw=True)
        job.refresh_from_db()
        if job.status != "done" or not job.result.get("ok"):
            raise RuntimeError(f"agency_finalise job {job.pk}: {job.status} {job.result}")
        return int(job.result["count"])

    bench.measure("finalise_agency", run, note=lambda n: f"{n} penilaian {agency.code}")
    bench.state["agency"] = agency


def export_employees(bench: Bench) -> None:
    """The employee export of the Admin Daerah as its job writes it (``export_write``: the
    plan's rows streamed into an openpyxl write-only file, NIP as text, widths, frozen
    header), against a bare openpyxl write-only workbook of the same cells."""
    import tempfile
    from pathlib import Path

    from openpyxl import Workbook

    from agencies.exporting import EXPORTS, export_write

    plan = EXPORTS["file_kind"](admin_daerah(), {"kind": "employees"})
    rows = [list(row) for row in plan.rows()]
    folder = Path(tempfile.mkdtemp(prefix="bench-export-"))

    def ours() -> int:
        return export_write(plan, folder / "ours.xlsx")

    def reference() -> int:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(list(plan.headers))
        for row in rows:
            sheet.append(row)
        workbook.save(folder / "bare.xlsx")
        return len(rows)

    bench.measure(
        "export_employees", ours, reference=reference,
        note=lambda n: f"{n} pegawai, {(folder / 'ours.xlsx').stat().st_size / 1e6:.1f} MB",
    )  # fmt: skip


def recap_xlsx(bench: Bench) -> None:
    """The Excel recap of the whole cycle (``export_recap``: one sheet per agency, exact
    columns, formats), against bare openpyxl write-only of the same cells (``write_bare``)."""
    import tempfile
    from pathlib import Path

    from reports.exports import export_recap, recap_sheets
    from reports.xlsx import write_bare

    cycle = bench.state["cycle"]
    folder = Path(tempfile.mkdtemp(prefix="bench-recap-"))
    bench.measure(
        "recap_xlsx",
        lambda: export_recap(cycle, target=folder / "rekap.xlsx"),
        reference=lambda: write_bare(folder / "bare.xlsx", recap_sheets(cycle)),
        note=lambda n: f"{n} baris, {(folder / 'rekap.xlsx').stat().st_size / 1e6:.1f} MB",
    )  # fmt: skip


def pdf_document(bench: Bench) -> None:
    """One employee's evaluation document through ``appraisal_pdf`` (load, HTML, render),
    the median of ``--pdf-repeat`` runs (20), against a bare WeasyPrint render of the same
    HTML (as many runs)."""
    import statistics
    import time

    from django.conf import settings
    from weasyprint import HTML

    from reports.pdf import appraisal_pdf, appraisal_pdf_html, load_appraisal

    from .runner import Step, measure_once

    appraisal = Appraisal.objects.filter(cycle=bench.state["cycle"]).order_by("pk").first()
    assert appraisal is not None
    html = appraisal_pdf_html(load_appraisal(appraisal.pk), draft=True)
    appraisal_pdf(appraisal)  # warm: fonts, templates
    repeat = int(bench.state.get("pdf_repeat", 20))
    ours = [measure_once(lambda: appraisal_pdf(appraisal)) for _ in range(repeat)]
    bare = []
    for _ in range(repeat):
        started = time.perf_counter()
        HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
        bare.append(time.perf_counter() - started)
    ours.sort(key=lambda run: run.seconds)
    median = ours[len(ours) // 2]
    bench.record(
        Step(
            name="pdf_document", seconds=statistics.median(r.seconds for r in ours),
            peak_mb=median.peak_mb, queries=median.queries,
            reference_seconds=statistics.median(bare),
            extra={"runs": repeat, "note": "median; bare: WeasyPrint of the same HTML"},
        )
    )  # fmt: skip


ZIP_DOCUMENTS = 1000


def _zip_with_workers(bench: Bench, workers: int) -> float:
    """The ZIP job of the measured agency (at most ``ZIP_DOCUMENTS`` documents: the rest of
    the agency is moved aside for the run) with ``workers`` PDF worker processes started
    here (`celery worker -Q pdf`), from the click to the finished ZIP."""
    import os
    import subprocess
    import sys
    import time

    from django.conf import settings

    from reports.models import Job
    from reports.pdf_jobs import agency_documents_zip

    cycle, agency = bench.state["cycle"], bench.state["agency"]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "asn_portal",
                "worker",
                "-Q",
                "pdf",
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "-l",
                "WARNING",
                "-n",
                f"bench-pdf-{workers}-{n}@%h",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=settings.BASE_DIR,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for n in range(workers)
    ]
    try:
        time.sleep(8)  # the workers connect to the broker
        started = time.perf_counter()
        job = agency_documents_zip(acting_user=admin_daerah(), cycle=cycle, agency=agency)
        deadline = time.monotonic() + 3600
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status in {"done", "failed"}:
                break
            time.sleep(0.5)
        seconds = time.perf_counter() - started
        if job.status != "done":
            raise RuntimeError(f"ZIP job {job.pk}: {job.status} {job.error}")
        return seconds
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
        Job.objects.filter(kind="agency_pdf_zip").update(key="")


def zip_documents(bench: Bench) -> None:
    """The agency ZIP of at most 1,000 documents with one PDF worker, then with two: the
    speed-up is the 1-worker time over the 2-worker time (the `zip_pdf_2_workers` ratio is
    its inverse)."""
    from .runner import Step

    cycle, agency = bench.state["cycle"], bench.state["agency"]
    ids = list(
        Appraisal.objects.filter(cycle=cycle, agency=agency)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    aside = ids[ZIP_DOCUMENTS:]
    other = Agency.objects.filter(region=bench.state["region"]).exclude(pk=agency.pk).first()
    if aside and other is not None:
        Appraisal.objects.filter(pk__in=aside).update(agency=other)
    try:
        one = _zip_with_workers(bench, 1)
        two = _zip_with_workers(bench, 2)
    finally:
        if aside:
            Appraisal.objects.filter(pk__in=aside).update(agency=agency)
    documents = len(ids) - len(aside)
    bench.record(Step(name="zip_pdf_1_worker", seconds=one, extra={"note": f"{documents} PDF"}))
    bench.record(
        Step(
            name="zip_pdf_2_workers",
            seconds=two,
            reference_seconds=one,
            extra={"note": f"{documents} PDF", "speedup": round(one / two, 2)},
        )
    )


def pages_large(bench: Bench) -> None:
    measure_pages(bench, bench.employees, bench.agencies)


STEPS: list[Callable[[Bench], None]] = [
    pages_small,
    seed_region,
    open_cycle,
    compute_scores,
    finalise_agency,
    export_employees,
    recap_xlsx,
    pdf_document,
    zip_documents,
    pages_large,
]
