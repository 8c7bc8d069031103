"""`manage.py render_pdf --cycle <id> --nip <NIP> OUT.pdf`: one employee's evaluation document.

Whatever the appraisal's state; until the result is released every page header says DRAF.
Exit status: 0 written; 1 unknown cycle or NIP (or OUT cannot be written), the reason on
standard error; 2 usage error. OUT is replaced atomically: a reader never sees half a file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from appraisals.models import Appraisal, Cycle
from reports.pdf import appraisal_pdf


class Command(BaseCommand):
    help = "Cetak dokumen evaluasi kinerja satu pegawai pada satu siklus ke berkas PDF."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="ID siklus penilaian")
        parser.add_argument("--nip", required=True, help="NIP pegawai (spasi diabaikan)")
        parser.add_argument("out", help="berkas PDF yang ditulis")

    def handle(self, *args, cycle: int, nip: str, out: str, **options):
        found = Cycle.objects.filter(pk=cycle).first()
        if found is None:
            raise CommandError(f"Siklus {cycle} tidak ditemukan.", returncode=1)
        nip = nip.replace(" ", "").lstrip("'")
        appraisal = (
            Appraisal.objects.filter(cycle=found, employee__nip=nip)
            .select_related("employee")
            .first()
        )
        if appraisal is None:
            raise CommandError(
                f"Pegawai dengan NIP {nip} tidak mempunyai penilaian pada siklus {found.name}.",
                returncode=1,
            )
        content = appraisal_pdf(appraisal)
        target = Path(out)
        try:
            _write_atomically(target, content)
        except OSError as exc:
            raise CommandError(
                f"Berkas {target} tidak dapat ditulis: {exc.strerror or exc}", returncode=1
            ) from exc
        state = "dirilis" if appraisal.is_released else "DRAF (belum dirilis)"
        self.stdout.write(f"{target}: {appraisal.employee.full_name}, {state}")


def _write_atomically(target: Path, content: bytes) -> None:
    """A temporary file beside the target, flushed to disk, then renamed over it."""
    directory = target.parent if str(target.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
