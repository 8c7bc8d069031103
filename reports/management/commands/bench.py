"""`make bench`: speed, memory and query counts on a province-sized data set.

Measured, never asserted: the figures are recorded in the README's Benchmark table. Runs
against the configured database (SQLite by default, PostgreSQL with DATABASE_URL), which it
empties first: the steps are in ``reports/benchmarks/steps.py``.
"""

from __future__ import annotations

import datetime as dt
import platform
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from agencies.models import User
from reports.benchmarks import runner
from reports.benchmarks.steps import STEPS, reset_database


class Command(BaseCommand):
    help = "Ukur kecepatan, memori dan jumlah query pada data seukuran provinsi."

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=60000)
        parser.add_argument("--agencies", type=int, default=50)
        parser.add_argument(
            "--small", type=int, default=300, help="pegawai data kecil untuk halaman (300)"
        )
        parser.add_argument(
            "--repeat", type=int, default=15, help="pengulangan halaman dan langkah singkat"
        )
        parser.add_argument(
            "--quick", action="store_true",
            help="uji cepat: 3.000 pegawai, 6 Perangkat Daerah, 5 pengulangan",
        )  # fmt: skip
        parser.add_argument(
            "--reset", action="store_true",
            help="kosongkan basis data yang sudah berisi (bench selalu mulai dari kosong)",
        )  # fmt: skip
        parser.add_argument(
            "--output", default="", help="berkas JSON (bawaan: <ASN_DATA_DIR>/bench.json)"
        )
        parser.add_argument(
            "--pdf-repeat", type=int, default=20, help="pengulangan dokumen PDF (median; 20)"
        )
        parser.add_argument(
            "--skip", action="append", default=[], metavar="LANGKAH",
            help="lewati langkah ini (nama fungsinya, mis. zip_documents); boleh berulang",
        )  # fmt: skip

    def handle(
        self, *args, employees, agencies, small, repeat, quick, reset, output, pdf_repeat,
        skip, **options,
    ):  # fmt: skip
        if quick:
            employees, agencies, repeat = min(employees, 3000), min(agencies, 6), min(repeat, 5)
        if User.objects.exists() and not reset:
            raise CommandError(
                f"Basis data {connection.settings_dict['NAME']} berisi data; bench mengosongkannya "
                "lebih dulu. Ulangi dengan --reset bila memang boleh dikosongkan."
            )
        bench = runner.Bench(
            employees=employees, agencies=agencies, small=small, repeat_count=max(1, repeat),
            short_seconds=2.0, write=self.stdout.write,
        )  # fmt: skip
        started = dt.datetime.now(dt.UTC)
        load = {"start": runner.load_average()}
        self.stdout.write(
            f"bench: {employees} pegawai, {agencies} Perangkat Daerah, {connection.vendor}, "
            f"{_cores()} inti, beban awal {load['start']}"
        )
        path = Path(output) if output else Path(settings.DATA_DIR) / "bench.json"
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["localhost"]):
            reset_database()
            bench.state["pdf_repeat"] = max(1, pdf_repeat)
            unknown = set(skip) - {step.__name__ for step in STEPS}
            if unknown:
                raise CommandError(f"Langkah tidak dikenal: {', '.join(sorted(unknown))}")
            for step in STEPS:
                if step.__name__ in skip:
                    continue
                with runner.timed_phase(self.stdout.write, step.__name__):
                    step(bench)
                # Written after every step: a run cut short still leaves what it measured.
                runner.write_json(path, bench, {**load, "end": runner.load_average()})
        load["end"] = runner.load_average()
        runner.write_json(path, bench, load)
        self.stdout.write("")
        self.stdout.write(runner.table(bench))
        self.stdout.write(
            f"\n{started:%Y-%m-%d %H:%M} UTC, {connection.vendor}, {_cores()} inti "
            f"({platform.machine()}), beban {load['start']} -> {load['end']}, "
            f"{(dt.datetime.now(dt.UTC) - started).total_seconds() / 60:.1f} menit. "
            f"Hasil: {path}"
        )


def _cores() -> int:
    import os

    return os.cpu_count() or 1
