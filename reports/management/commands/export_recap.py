"""``manage.py export_recap --cycle <id> [--agency <Kode Perangkat Daerah>] OUT.xlsx``.

Writes the recap of a cycle (docs/exports.md): one sheet per agency of the cycle, or only the
agency named by its code. OUT is written atomically: a temporary file beside it, renamed into
place once complete, so a failed run leaves an earlier OUT untouched.

Exit status: 0 written; 1 an unknown cycle, or an agency that is not in the cycle (message on
standard error, nothing written); 2 usage error (a missing or extra argument, a cycle id that
is not a number, an OUT that does not end in .xlsx or whose folder does not exist).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import NoReturn

from django.core.management.base import BaseCommand, CommandError

from agencies.management.import_command import _Parser as UsageErrorParser
from appraisals.models import Cycle
from reports.exports import export_recap


class Command(BaseCommand):
    help = (
        "Tulis rekap penilaian satu siklus (satu lembar per Perangkat Daerah) ke berkas .xlsx. "
        "Status keluar: 0 berhasil, 1 siklus atau Perangkat Daerah tidak dikenal, "
        "2 kesalahan pemakaian."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = UsageErrorParser  # a usage error exits 2, also via call_command
        return parser

    def add_arguments(self, parser) -> None:
        parser.add_argument("out", metavar="OUT.xlsx", help="berkas keluaran .xlsx")
        parser.add_argument("--cycle", required=True, type=int, help="nomor (id) siklus")
        parser.add_argument("--agency", help="Kode Perangkat Daerah (bawaan: semua di siklus)")

    def fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        sys.exit(1)

    def handle(self, *args, **options) -> None:
        out = Path(options["out"])
        if out.suffix.lower() != ".xlsx":
            raise CommandError("Berkas keluaran harus berakhiran .xlsx", returncode=2)
        if not out.parent.is_dir():
            raise CommandError(f"Folder tidak ditemukan: {out.parent}", returncode=2)
        cycle = Cycle.objects.select_related("region").filter(pk=options["cycle"]).first()
        if cycle is None:
            self.fail(f"Siklus tidak ditemukan: {options['cycle']}")
        agency = None
        if options.get("agency") is not None:
            code = options["agency"].strip()
            agency = cycle.agencies.filter(code__iexact=code).first()
            if agency is None:
                self.fail(f"Perangkat Daerah dengan kode {code!r} tidak ada dalam siklus {cycle}")
        started = time.monotonic()
        rows = export_recap(cycle, agency, out)
        self.stdout.write(
            f"Rekap ditulis ke {out}: {rows} pegawai ({time.monotonic() - started:.1f} detik)."
        )
