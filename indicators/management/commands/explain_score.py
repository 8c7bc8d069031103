"""``manage.py explain_score FILE``: score a JSON appraisal and explain it in Indonesian.

A thin shell over ``indicators.explain`` (the code path of the pages). The breakdown goes to
standard output and ends with ``Nilai akhir: <nilai>`` (numeric mode only) and
``Predikat: <kode>``. Exit status: 0 explained; 1 invalid input (JSON that does not parse, or
fails validation), every problem on standard error; 2 usage error, or a file that cannot be
read or is not UTF-8 text. ``-`` reads standard input.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError

from agencies.management.import_command import _Parser as UsageErrorParser
from indicators.explain import ExplainInputError, explain_score_text
from indicators.schemes import SCHEMES
from indicators.scoring import ScoringInputError


class _DuplicateKeys(ValueError):
    pass


def _object_without_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON lets a key repeat and keeps the last one; a hand-written file that repeats one
    almost always has a mistake the user should see."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeys(key)
        result[key] = value
    return result


def load_input(text: str) -> Any:
    """Parse the JSON text; numbers with a fraction stay exact (``Decimal``)."""
    try:
        return json.loads(
            text, parse_float=Decimal, object_pairs_hook=_object_without_duplicate_keys
        )
    except _DuplicateKeys as exc:
        raise ExplainInputError(
            [f"input: kunci {exc.args[0]!r} muncul lebih dari sekali dalam satu objek"]
        ) from None
    except json.JSONDecodeError as exc:
        raise ExplainInputError(
            [f"input: JSON tidak valid pada baris {exc.lineno}, kolom {exc.colno}: {exc.msg}"]
        ) from None
    except RecursionError:
        raise ExplainInputError(["input: JSON terlalu dalam bersarang"]) from None


class Command(BaseCommand):
    help = (
        "Hitung dan jelaskan nilai satu penilaian dari berkas JSON (UTF-8). Skema: "
        + ", ".join(SCHEMES)
        + ". Status keluar: 0 berhasil, 1 input tidak valid, 2 kesalahan pemakaian atau "
        "berkas tidak dapat dibaca."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = UsageErrorParser  # a usage error exits 2, also via call_command
        return parser

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="berkas JSON penilaian (UTF-8); - untuk stdin")

    def handle(self, *args, **options) -> None:
        text = self.read_text(options["file"])
        try:
            explanation = explain_score_text(load_input(text))
        except ExplainInputError as exc:
            self.invalid(exc.messages)
        except ScoringInputError as exc:  # validation should have caught it; still input
            self.invalid([f"input: {exc}"])
        self.stdout.write(explanation)

    def invalid(self, messages: list[str]) -> NoReturn:
        for message in messages:
            self.stderr.write(message)
        self.stderr.write(f"{len(messages)} kesalahan pada input; tidak ada nilai yang dihitung.")
        sys.exit(1)

    def read_text(self, name: str) -> str:
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise CommandError(
                f"Berkas tidak dapat dibaca: {name}: {reason}", returncode=2
            ) from exc
        try:
            # utf-8-sig: Notepad on Windows starts UTF-8 files with a byte-order mark.
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"Berkas bukan teks UTF-8: {name}; simpan sebagai UTF-8", returncode=2
            ) from exc
