"""Export formats of the superuser admin (django-import-export) with the portal's escaping.

django-import-export's own ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` only drops a leading
``=`` and turns numbers into text; these formats escape every formula start the same way as
the portal's own exports and keep numbers as numbers.
"""

from __future__ import annotations

from import_export.formats.base_formats import CSV, XLSX

from .importing.writer import export_value


def _escape_dataset(dataset) -> None:
    for _ in range(len(dataset)):
        row = dataset.lpop()
        dataset.append([export_value(cell) for cell in row])


class SafeCSV(CSV):
    def _escape_formulae(self, dataset):
        _escape_dataset(dataset)


class SafeXLSX(XLSX):
    def _escape_formulae(self, dataset):
        _escape_dataset(dataset)
