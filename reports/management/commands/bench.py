"""`make bench`: speed, memory and query counts on a province-sized data set.

Measured, never asserted: the figures are recorded in the README's Benchmark table.
Runs against the configured database (SQLite by default, PostgreSQL with DATABASE_URL).
"""

from __future__ import annotations

import datetime as dt
import io
import resource
import time
import tracemalloc
from contextlib import contextmanager
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from agencies.importing.base import ImportContext, run_import
from agencies.importing.specs import EmployeeSpec
from agencies.models import Employee, Region, User
from appraisals import services
from appraisals.models import Appraisal, Cycle, PlanIndicator


@contextmanager
def measured(label: str, rows: list, *, memory: bool = False):
    """Time a step; with ``memory`` also its peak Python allocation (tracemalloc slows the
    step several times, so timed-only steps run without it)."""
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    box = {}
    yield box
    elapsed = time.perf_counter() - started
    peak = None
    if memory:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rows.append((label, elapsed, None if peak is None else peak / 1024 / 1024, box.get("note", "")))


class Command(BaseCommand):
    help = "Ukur kecepatan, memori dan jumlah query pada data seukuran provinsi."

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=60000)
        parser.add_argument("--agencies", type=int, default=50)
        parser.add_argument("--score-sample", type=int, default=1000)

    def handle(self, *args, employees, agencies, score_sample, **options):
        rows: list = []
        out = io.StringIO()
        with measured(
            f"seed_demo {employees} pegawai / {agencies} PD (+ siklus terbuka)", rows
        ) as box:
            call_command(
                "seed_demo", employees=employees, agencies=agencies, quiet_logins=True, stdout=out
            )
            box["note"] = out.getvalue().strip().split("\n")[-1][:90]
        region = Region.objects.get(code="3299")
        self.stdout.write(
            f"Data: {Employee.objects.count()} pegawai, {Appraisal.objects.count()} penilaian"
        )

        self._scoring(rows, score_sample)
        self._pages(rows, region)
        self._import(rows, region)
        self._export(rows)
        self._pdf(rows)

        self.stdout.write("")
        self.stdout.write(f"{'Langkah':<62} {'detik':>8} {'MB puncak':>10}  catatan")
        for label, seconds, mb, note in rows:
            shown = "-" if mb is None else f"{mb:.1f}"
            self.stdout.write(f"{label:<62} {seconds:>8.2f} {shown:>10}  {note}")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"RSS maksimum proses: {rss:.0f} MB · basis data: {connection.vendor}")

    def _scoring(self, rows, sample: int) -> None:
        """Plan copy, realisations and recompute through the same services as the pages."""
        appraisals = list(
            Appraisal.objects.filter(cycle__scheme_key="jakarta").select_related("employee__user")[
                :sample
            ]
        )
        with measured(f"salin rencana {len(appraisals)} penilaian", rows):
            for appraisal in appraisals:
                services.plan_ensure(appraisal)
        with measured(
            f"hitung ulang {len(appraisals)} penilaian (services + scoring)", rows
        ) as box:
            started = time.perf_counter()
            for appraisal in appraisals:
                PlanIndicator.objects.filter(
                    result__appraisal=appraisal, kind="kuantitatif"
                ).update(realisation=Decimal(90))
                services.appraisal_recompute(appraisal=appraisal)
            per = (time.perf_counter() - started) / max(1, len(appraisals)) * 1000
            box["note"] = f"{per:.1f} ms per penilaian"

    @override_settings(ALLOWED_HOSTS=["*"], DEBUG=False)
    def _pages(self, rows, region) -> None:
        client = Client()
        admin = User.objects.get(username="admin.daerah")
        sekda = Employee.objects.filter(region=region, supervisor__isnull=True).first()
        big_cycle = Cycle.objects.order_by("-pk").first()
        appraisal = Appraisal.objects.filter(
            cycle__scheme_key="jakarta", results__isnull=False
        ).first()
        kasi = appraisal.supervisor if appraisal else None
        pages = [
            ("beranda Admin Daerah", admin, reverse("home")),
            ("daftar pegawai (60.000, halaman 1)", admin, reverse("employee_list")),
            ("daftar pegawai, cari nama", admin, reverse("employee_list") + "?q=Sari"),
            ("daftar pegawai, halaman 1000", admin, reverse("employee_list") + "?page=1000"),
            (
                "struktur Perangkat Daerah",
                admin,
                reverse("agency_detail", args=[big_cycle.agencies.first().pk]),
            ),
            (
                "halaman siklus (kemajuan per unit)",
                admin,
                reverse("cycle_detail", args=[big_cycle.pk]),
            ),
            ("beranda Sekda (seluruh bawahan)", sekda.user, reverse("home")),
            ("daftar tim Sekda (60.000 bawahan)", sekda.user, reverse("employee_list")),
        ]
        if appraisal and kasi:
            pages.append(
                (
                    "halaman penilaian (atasan)",
                    kasi.user,
                    reverse("appraisal_detail", args=[appraisal.pk]),
                )
            )
            pages.append(("antrian tim atasan", kasi.user, reverse("team")))
        for label, user, url in pages:
            client.force_login(user)
            client.get(url)  # warm the cache of the scope and templates
            reset_queries()
            with (
                CaptureQueriesContext(connection) as queries,
                measured(f"GET {label}", rows) as box,
            ):
                status = client.get(url).status_code
                box["note"] = f"HTTP {status}, {len(queries)} query"

    def _import(self, rows, region) -> None:
        from agencies.importing.writer import write_xlsx

        unit = region.employees.first().unit
        position = region.employees.first().position
        headers = EmployeeSpec.headers()
        data = []
        for i in range(1000):
            birth = dt.date(1990, 1, 1) + dt.timedelta(days=i)
            nip = f"{birth:%Y%m%d}201501{1 + i % 2}{i % 999 + 1:03d}"
            data.append([nip, f"Pegawai Uji {i}", "", "S.E.", "LP"[i % 2], birth.strftime("%d-%m-%Y"),
                         "PNS", "III/a", position.code, unit.code, "", ""])  # fmt: skip
        content = write_xlsx(headers, data, text_headers=["NIP", "NIP Atasan"])
        context = ImportContext(region=region, agency_ids=None, user=None, today=region.today())
        with measured("impor 1.000 pegawai (.xlsx), periksa saja", rows, memory=True) as box:
            result = run_import(EmployeeSpec, content, "pegawai.xlsx", context, dry_run=True)
            box["note"] = f"{len(result.errors)} kesalahan"

    def _export(self, rows) -> None:
        """The export page's path: the import columns streamed from one query."""
        from agencies.importing.writer import write_xlsx
        from agencies.resources import EmployeeResource
        from agencies.selectors import employee_export_rows

        headers = [f.column_name for f in EmployeeResource().get_export_fields()]
        for memory in (False, True):
            label = "ekspor semua pegawai (.xlsx)" + (", memori" if memory else "")
            with measured(label, rows, memory=memory) as box:
                content = write_xlsx(
                    headers,
                    employee_export_rows(Employee.objects.all()),
                    text_headers=["NIP", "NIP Atasan"],
                )
                box["note"] = f"{len(content) / 1024 / 1024:.1f} MB berkas"

    def _pdf(self, rows, repeat: int = 20) -> None:
        """One employee's document through `appraisal_pdf` (load, HTML, render) against a
        bare WeasyPrint render of the same HTML: the median of ``repeat`` runs each."""
        import statistics

        from django.conf import settings
        from weasyprint import HTML

        from reports.pdf import appraisal_pdf, appraisal_pdf_html, load_appraisal

        appraisal = (
            Appraisal.objects.filter(cycle__scheme_key="jakarta").exclude(breakdown={}).first()
            or Appraisal.objects.first()
        )
        html = appraisal_pdf_html(load_appraisal(appraisal.pk), draft=True)
        appraisal_pdf(appraisal)  # warm: fonts, templates
        ours, bare = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            appraisal_pdf(appraisal)
            ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
            bare.append(time.perf_counter() - started)
        rows.append(
            (
                f"dokumen PDF satu pegawai, median {repeat}×",
                statistics.median(ours),
                None,
                f"WeasyPrint polos HTML yang sama: {statistics.median(bare):.3f} s",
            )
        )
