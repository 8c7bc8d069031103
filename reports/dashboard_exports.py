"""Each dashboard list as an Excel sheet (``reports.xlsx``): the same rows as the page, every
page of them, NIP as text, values as numbers with two decimals."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from agencies.models import Employee
from appraisals.models import Cycle, State
from asn_portal.numbers import format_number
from indicators.schemes.base import Predikat

from . import dashboards
from .dashboards import Reach
from .xlsx import Sheet

TWO_DECIMALS = "0.00"
YES, NO = "Ya", "Tidak"


def _levels(items: list[tuple[str, int, int | None]]) -> str:
    return "; ".join(
        f"{name} ({level}/{self_level if self_level is not None else '-'})"
        for name, level, self_level in items
    )


def completion(reach: Reach, cycle: Cycle) -> list[Sheet]:
    progress = dashboards.completion(reach, cycle)
    states = list(State)
    headers = ["Unit", "Perangkat Daerah", "Pegawai", "Selesai dinilai (%)"] + [
        str(s.label) for s in states
    ]
    rows = (
        [u["name"], u["agency"], u["total"], u["percent"]]
        + [u["states"].get(s.value, 0) for s in states]
        for u in progress["units"]
    )
    return [Sheet("Kelengkapan per unit", headers, rows)]


def distribution(reach: Reach, cycle: Cycle) -> list[Sheet]:
    headers = ["Perangkat Daerah", "Predikat organisasi"]
    headers += [p.label for p in Predikat] + ["Jumlah", "Sesuai pola", "Keterangan"]
    rows = []
    for a in dashboards.distributions(reach, cycle):
        setting, check = a["setting"], a["check"]
        rows.append(
            [
                a["name"],
                setting.get_organisation_predikat_display()
                if setting and setting.organisation_predikat
                else "",
                *[n for _label, n in a["counts"]],
                a["total"],
                "" if check is None else (YES if check.satisfied else NO),
                "" if check is None else " ".join(r.text for r in check.rules if not r.satisfied),
            ]
        )
    return [Sheet("Distribusi predikat", headers, rows)]


def gaps(reach: Reach, cycle: Cycle) -> list[Sheet]:
    headers = [
        "Perangkat Daerah", "Peringkat", "Jenis", "Nilai atau kompetensi", "Dinilai",
        "Rata-rata level atasan", "Rata-rata level diri", "Kesenjangan", "Kebutuhan pelatihan",
    ]  # fmt: skip
    rows = [
        [
            group["name"],
            rank,
            "Perilaku" if g.kind == "perilaku" else "Kompetensi",
            g.name,
            g.rated,
            g.mean,
            g.self_mean,
            g.gap,
            YES if g.gap > 0 else NO,
        ]  # fmt: skip
        for group in dashboards.gaps(reach, cycle)
        for rank, g in enumerate(group["gaps"], start=1)
    ]
    formats = {h: TWO_DECIMALS for h in headers[5:8]}
    return [Sheet("Kesenjangan", headers, rows, number_formats=formats)]


def strengths(reach: Reach, cycle: Cycle) -> list[Sheet]:
    headers = ["NIP", "Nama", "Jabatan", "Unit", "Perangkat Daerah", "Kekuatan", "Kelemahan"]
    rows = (
        [
            a.employee.nip,
            a.employee.full_name,
            a.position.name,
            a.unit.name,
            a.agency.name,
            _levels(a.strengths),
            _levels(a.weaknesses),  # type: ignore[attr-defined]
        ]  # fmt: skip
        for a in dashboards.strengths_all(reach, cycle)
    )
    return [Sheet("Kekuatan dan kelemahan", headers, rows)]


def top(reach: Reach, cycle: Cycle) -> list[Sheet]:
    headers = [
        "NIP", "Nama", "Golongan", "Jabatan", "Unit", "Perangkat Daerah", "Nilai akhir", "Predikat",
    ]  # fmt: skip
    rows = (
        [
            a.employee.nip,
            a.employee.full_name,
            a.golongan,
            a.position.name,
            a.unit.name,
            a.agency.name,
            a.final_value,
            Predikat.SANGAT_BAIK.label,
        ]  # fmt: skip
        for a in dashboards.top_performers(reach, cycle)
    )
    return [
        Sheet("Pegawai berprestasi", headers, rows, number_formats={"Nilai akhir": TWO_DECIMALS})
    ]


def coaching(reach: Reach, cycle: Cycle) -> list[Sheet]:
    headers = [
        "NIP", "Nama", "Jabatan", "Unit", "Perangkat Daerah", "Predikat", "Nilai akhir",
        "Komponen di bawah 70",
    ]  # fmt: skip

    def rows() -> Iterator[list[Any]]:
        for a in dashboards.coaching(reach, cycle).iterator(chunk_size=2000):
            low = "; ".join(
                f"{name} {format_number(value, 2, fixed=True)}"
                for name, value in dashboards.low_components(a)
            )
            yield [
                a.employee.nip, a.employee.full_name, a.position.name, a.unit.name, a.agency.name,
                dashboards.PREDIKAT_LABELS.get(a.predikat, ""), a.final_value, low,
            ]  # fmt: skip

    return [Sheet("Perlu pembinaan", headers, rows(), number_formats={"Nilai akhir": TWO_DECIMALS})]


def on_time(reach: Reach, cycle: Cycle) -> list[Sheet]:
    headers = [
        "NIP", "Nama", "Jabatan", "Unit", "Perangkat Daerah", "Target bertanggal", "Tepat waktu",
        "Terlambat", "Belum selesai", "Tepat waktu (%)",
    ]  # fmt: skip

    def rows() -> Iterator[list[Any]]:
        for a in dashboards.on_time(reach, cycle).iterator(chunk_size=2000):
            dated, on, late = a.dated, a.done_on_time, a.done_late  # type: ignore[attr-defined]
            yield [
                a.employee.nip, a.employee.full_name, a.position.name, a.unit.name, a.agency.name,
                dated, on, late, dated - on - late, dashboards.on_time_share(a),
            ]  # fmt: skip

    formats = {"Tepat waktu (%)": TWO_DECIMALS}
    return [Sheet("Ketepatan waktu", headers, rows(), number_formats=formats)]


def outliers(reach: Reach, cycle: Cycle) -> list[Sheet]:
    headers = [
        "NIP", "Atasan", "Perangkat Daerah", "Bawahan dinilai", "Rata-rata nilai",
        "Rata-rata Perangkat Daerah", "Simpangan baku", "Jarak (simpangan baku)",
    ]  # fmt: skip
    rows = (
        [
            o.supervisor.nip,
            o.supervisor.full_name,
            o.agency,
            o.subordinates,
            o.mean,
            o.agency_mean,
            o.agency_sd,
            o.deviations,
        ]  # fmt: skip
        for o in dashboards.outliers(reach, cycle)
    )
    formats = {h: TWO_DECIMALS for h in headers[4:]}
    return [Sheet("Sebaran nilai per penilai", headers, rows, number_formats=formats)]


def promotion(reach: Reach) -> list[Sheet]:
    headers = [
        "NIP", "Nama", "Golongan", "Jabatan", "Unit", "Perangkat Daerah",
        "Predikat terakhir", "Siklus terakhir", "Final", "Predikat sebelumnya",
        "Siklus sebelumnya", "Final sebelumnya",
    ]  # fmt: skip
    rows = []
    for item in dashboards.promotion(reach):
        e: Employee = item.employee
        last, previous = item.results
        rows.append(
            [
                e.nip,
                e.full_name,
                e.golongan,
                e.position.name,
                e.unit.name,
                e.agency.name,
                last["label"],
                last["cycle"],
                YES if last["final"] else NO,
                previous["label"],
                previous["cycle"],
                YES if previous["final"] else NO,
            ]  # fmt: skip
        )
    return [Sheet("Kelayakan promosi", headers, rows)]


def history(employee: Employee, rows: list[dict[str, Any]]) -> list[Sheet]:
    headers = [
        "NIP", "Nama", "Siklus", "Mulai", "Selesai", "Perangkat Daerah", "Jabatan", "Status",
        "Nilai akhir", "Hasil Kerja", "Perilaku Kerja", "Predikat",
    ]  # fmt: skip
    data = [
        [
            employee.nip,
            employee.full_name,
            r["appraisal"].cycle.name,
            r["appraisal"].cycle.start_date,
            r["appraisal"].cycle.end_date,
            r["appraisal"].agency.name,
            r["appraisal"].position.name,
            r["appraisal"].get_state_display(),
            r["value"],
            r["hasil_kerja"],
            r["perilaku"],
            r["predikat"],
        ]  # fmt: skip
        for r in rows
    ]
    formats = {h: TWO_DECIMALS for h in ("Nilai akhir", "Hasil Kerja", "Perilaku Kerja")}
    formats.update({"Mulai": "DD/MM/YYYY", "Selesai": "DD/MM/YYYY"})
    return [Sheet("Riwayat kinerja", headers, data, number_formats=formats)]
