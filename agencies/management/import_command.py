"""Shared shape of the ``import_*`` commands: ``FILE [--dry-run] [--region KODE]``.

Exit status: 0 imported (or valid with --dry-run); 1 any invalid row or missing column, with
the errors on standard error and nothing written; 2 usage error or an unreadable file.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.importing.base import REGISTRY, ImportContext, ImportFileError, run_import
from agencies.importing.reader import SUPPORTED_SUFFIXES
from agencies.models import Region


class _Parser(CommandParser):
    """A usage error exits with status 2, also through ``call_command`` (where Django's
    parser would raise a CommandError with status 1)."""

    def error(self, message):
        if self.called_from_command_line:
            super().error(message)  # argparse: usage on stderr, exit 2
        raise CommandError(f"Error: {message}", returncode=2)


class ImportCommand(BaseCommand):
    kind: str = ""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = _Parser  # Django builds a CommandParser and offers no hook
        return parser

    @property
    def help(self) -> str:  # type: ignore[override]
        spec = REGISTRY[self.kind]
        return f"Impor {spec.title} dari .xlsx/.csv; kolom: " + ", ".join(spec.headers())

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="berkas .xlsx atau .csv")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tanpa menyimpan")
        parser.add_argument("--region", help="Kode Daerah (wajib bila ada lebih dari satu daerah)")

    def resolve_region(self, code: str | None) -> Region | None:
        spec = REGISTRY[self.kind]
        if spec.region_from_file:
            # The file names its region (created if new); --region only restricts the rows.
            return None
        if code:
            region = Region.objects.filter(code__iexact=code.strip()).first()
            if region is None:
                raise CommandError(f"Kode Daerah tidak dikenal: {code}", returncode=2)
            return region
        regions = list(Region.objects.all()[:2])
        if not regions:
            raise CommandError("Belum ada daerah; impor Perangkat Daerah dahulu", returncode=2)
        if len(regions) > 1:
            raise CommandError(
                "Ada lebih dari satu daerah; sebutkan --region <Kode Daerah>", returncode=2
            )
        return regions[0]

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            raise CommandError("Jenis berkas tidak didukung; gunakan .xlsx atau .csv", returncode=2)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Berkas tidak dapat dibuka: {exc}", returncode=2) from exc
        region = self.resolve_region(options.get("region"))
        context = ImportContext(region=region, agency_ids=None, user=None)
        if REGISTRY[self.kind].region_from_file and options.get("region"):
            context.region_code = options["region"].strip()
        if region is not None:
            context.today = region.today()
        try:
            result = run_import(
                REGISTRY[self.kind], data, path.name, context, dry_run=options["dry_run"]
            )
        except ImportFileError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if result.errors:
            shown = int(getattr(settings, "IMPORT_MAX_STORED_ERRORS", 1000))
            for error in result.errors[:shown]:
                self.stderr.write(str(error))
            if len(result.errors) > shown:
                self.stderr.write(f"… dan {len(result.errors) - shown} kesalahan lain.")
            self.stderr.write(f"{len(result.errors)} kesalahan; tidak ada data yang disimpan.")
            sys.exit(1)
        if options["dry_run"]:
            self.stdout.write(
                f"Berkas valid: {result.rows} baris ({result.created} baru, "
                f"{result.updated} diperbarui). Tidak ada yang disimpan (--dry-run)."
            )
        else:
            self.stdout.write(
                f"Impor selesai: {result.rows} baris ({result.created} baru, "
                f"{result.updated} diperbarui)."
            )
