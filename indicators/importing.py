"""Import files of the indicators app: indicator sets, attendance and discipline.

Same pipeline and contract as the organisation files (``agencies.importing``): the whole file
is validated first, every error reads ``Baris <n>, kolom <header>: <pesan>``, and one bad row
means nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from agencies.importing import cells
from agencies.importing.base import Column, ImportResult, ImportSpec, Row, register
from agencies.importing.reader import RawCell
from agencies.importing.specs import OTHER_AGENCY_NIP, UpsertPlan
from agencies.models import Employee, JobPosition

from .demo import INDICATOR_FILE
from .models import (
    Aspect,
    AttendanceRecord,
    Direction,
    DisciplineRecord,
    Indicator,
    IndicatorKind,
    IndicatorSet,
    ResultKind,
    ResultTemplate,
    sanction_choices,
)
from .schemes import SCHEMES
from .schemes.base import Source


def _options(choices) -> dict[str, str]:
    """Values and their labels, lowercased, each mapped to the stored value."""
    options = {}
    for value, label in getattr(choices, "choices", choices):
        options[str(value).lower()] = value
        options[re.sub(r"\s+", " ", str(label)).strip().lower()] = value
    return options


_KINDS = _options(IndicatorKind)
_DIRECTIONS = _options(Direction)
_ASPECTS = _options(Aspect)
_RESULT_KINDS = _options(ResultKind)
_YES_NO = {"ya": "ya", "tidak": "tidak"}
_SANCTIONS = _options(sanction_choices())

NIP_NOT_FOUND = "NIP tidak ditemukan di daerah ini"


def plan_component_keys() -> dict[str, str]:
    """Every component key that plan indicators may be routed to, in any preset, also
    written as its name (``Kualitas Kerja`` → ``kualitas_kerja``).

    Indicator sets are region-wide and outlive cycles, so a set may name the component of any
    preset; a plan copied into a cycle whose scheme lacks it falls back to the main component.
    """
    components = [
        c for scheme in SCHEMES.values() for c in scheme.components if c.source == Source.RENCANA
    ]
    options = {c.key: c.key for c in components}
    for c in components:
        for alias in (c.key.replace("_", " "), re.sub(r"\s+", " ", c.name).strip().lower()):
            options.setdefault(alias, c.key)
    return options


def _number(cell: RawCell, *, integer_digits: int, decimals: int = 4) -> Decimal:
    """A number > 0 that fits the model field (``max_digits``/``decimal_places``).

    Text may end in ``%`` (a percentage column saved as csv): ``25%`` means 25. Text with
    both separators takes the last one as the decimal point: ``1.234,5`` and ``1,234.5``.
    """
    if isinstance(cell.value, str):
        cell = RawCell(value=cell.value.strip().removesuffix("%").strip(), numeric=False)
    value = cells.decimal(cell)
    if value <= 0:
        raise cells.CellError("harus berupa angka > 0")
    if -value.normalize().as_tuple().exponent > decimals:
        raise cells.CellError(f"paling banyak {decimals} angka di belakang koma")
    if value >= 10**integer_digits:
        raise cells.CellError(f"harus kurang dari {10**integer_digits:,}".replace(",", "."))
    return value


def _weight(cell: RawCell) -> Decimal:
    return _number(cell, integer_digits=3)


def _target(cell: RawCell) -> Decimal:
    return _number(cell, integer_digits=10)


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _chunks(items: list, size: int = 900):
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- indicator sets ---------------------------------------------------------------------------


@dataclass
class _ResultGroup:
    """One result (RHK) of a position as the file describes it."""

    code: str
    first_row: int
    name: str = ""
    name_row: int = 0
    kind: str = ""
    kind_row: int = 0
    component: str | None = None
    component_row: int = 0
    fallback_name: str = ""
    explicit: bool = True
    order: int = 0


@dataclass
class IndicatorPlan(UpsertPlan):
    entries: list[dict[str, Any]] = field(default_factory=list)  # file order
    results: dict[tuple[int, str], _ResultGroup] = field(default_factory=dict)


@register
class IndicatorSpec(ImportSpec):
    kind = "indicators"
    title = "Set indikator"
    written_models = (IndicatorSet, Indicator, ResultTemplate)
    region_wide_only = True
    example_file = INDICATOR_FILE  # the demo region's sets, imported by seed_demo
    columns = (
        Column("Kode Jabatan", as_text=True),
        Column("Kode Indikator", as_text=True, max_length=40),
        Column("Nama Indikator", max_length=300),
        Column("Jenis"),
        Column("Satuan", max_length=60),
        Column("Arah", optional=True),
        Column("Aspek"),
        Column("Target", optional=True),
        Column("Bobot"),
        Column("Panduan"),
        Column("Kode Hasil", optional=True, as_text=True, required_column=False, max_length=40),
        Column("Nama Hasil", optional=True, required_column=False, max_length=300),
        Column("Jenis Hasil", optional=True, required_column=False),
        Column("Komponen", optional=True, required_column=False),
        Column("Tanggal Target", optional=True, required_column=False),
        Column("Ketepatan Waktu", optional=True, required_column=False),
    )

    def validate(self, rows: list[Row]) -> IndicatorPlan:
        region = self.context.region
        positions = {p.code.casefold(): p for p in JobPosition.objects.filter(region=region)}
        components = plan_component_keys()
        self.check_duplicates(
            rows,
            lambda r: (r.text("Kode Jabatan").casefold(), r.text("Kode Indikator").casefold()),
            "Kode Indikator",
        )

        parsed: list[tuple[Row, dict[str, Any]]] = []
        for row in rows:
            position = positions.get(row.text("Kode Jabatan").casefold())
            if position is None and not row.is_blank("Kode Jabatan"):
                self.error(
                    row, "Kode Jabatan", "Kode Jabatan tidak ditemukan di katalog jabatan daerah"
                )
            kind = self.parse(row, "Jenis", lambda c: cells.choice(c, _KINDS, "Jenis"))
            direction = target = None
            if kind == IndicatorKind.KUANTITATIF:
                for header in ("Arah", "Target"):
                    if row.is_blank(header):
                        self.error(row, header, "wajib diisi untuk indikator kuantitatif")
                direction = self.parse(row, "Arah", lambda c: cells.choice(c, _DIRECTIONS, "Arah"))
                target = self.parse(row, "Target", _target)
            elif kind == IndicatorKind.RUBRIK:
                for header in ("Arah", "Target"):
                    if not row.is_blank(header):
                        self.error(row, header, "harus dikosongkan untuk indikator rubrik")
            due_date = self.parse(row, "Tanggal Target", cells.date)
            if kind == IndicatorKind.RUBRIK and not row.is_blank("Tanggal Target"):
                self.error(row, "Tanggal Target", "harus dikosongkan untuk indikator rubrik")
            on_time_share = (
                self.parse(
                    row, "Ketepatan Waktu", lambda c: cells.choice(c, _YES_NO, "Ketepatan Waktu")
                )
                == "ya"
            )
            if (
                on_time_share
                and kind
                and (
                    kind != IndicatorKind.KUANTITATIF
                    or direction != "naik"
                    or row.text("Satuan").strip() != "%"
                )
            ):
                self.error(
                    row,
                    "Ketepatan Waktu",
                    "hanya untuk indikator kuantitatif dengan Arah naik dan Satuan %",
                )
            values = {
                "row": row.number,
                "position": position,
                "due_date": due_date,
                "on_time_share": on_time_share,
                "code": row.text("Kode Indikator"),
                "name": row.text("Nama Indikator"),
                "kind": kind,
                "unit": row.text("Satuan"),
                "direction": direction or "",
                "aspect": self.parse(row, "Aspek", lambda c: cells.choice(c, _ASPECTS, "Aspek")),
                "target": target,
                "weight": self.parse(row, "Bobot", _weight),
                "guidance": row.text("Panduan"),
                "result_code": row.text("Kode Hasil"),
                "result_name": row.text("Nama Hasil"),
                "result_kind": self.parse(
                    row, "Jenis Hasil", lambda c: cells.choice(c, _RESULT_KINDS, "Jenis Hasil")
                ),
                "component": self.parse(
                    row, "Komponen", lambda c: cells.choice(c, components, "Komponen")
                ),
            }
            parsed.append((row, values))

        plan = IndicatorPlan()
        plan.results = self._group_results(parsed)
        self._check_weights(parsed)
        self._check_on_time_share(parsed)
        existing = {
            (position_id, code.casefold())
            for position_id, code in Indicator.objects.filter(
                indicator_set__position__region=region
            ).values_list("indicator_set__position_id", "code")
        }
        for _row, values in parsed:
            if values["position"] is None:
                continue
            exists = (values["position"].pk, values["code"].casefold()) in existing
            values["exists"] = exists
            plan.entries.append(values)
            (plan.updates if exists else plan.creates).append(values)
        return plan

    def _group_results(self, parsed) -> dict[tuple[int, str], _ResultGroup]:
        """Rows sharing a ``Kode Hasil`` (within one position) form one result; a row without
        it is a result of its own, coded like its indicator. A blank ``Nama Hasil``, ``Jenis
        Hasil`` or ``Komponen`` takes the value another row of the same result gives."""
        groups: dict[tuple[int, str], _ResultGroup] = {}
        order: dict[int, int] = defaultdict(int)
        for row, values in parsed:
            position = values["position"]
            if position is None:
                continue
            explicit = bool(values["result_code"])
            code = values["result_code"] or values["code"]
            key = (position.pk, code.casefold())
            group = groups.get(key)
            if group is None:
                group = groups[key] = _ResultGroup(
                    code=code,
                    first_row=row.number,
                    explicit=explicit,
                    fallback_name=values["name"],
                    order=order[position.pk],
                )
                order[position.pk] += 1
            elif group.explicit != explicit:
                # An indicator of its own would silently join the result of another row.
                self.error(
                    row if not explicit else group.first_row,
                    "Kode Indikator",
                    f"sama dengan Kode Hasil pada baris "
                    f"{group.first_row if not explicit else row.number}; isi kolom Kode Hasil",
                )
                continue
            values["result_key"] = key
            if not explicit and group.first_row != row.number:
                continue  # a duplicate Kode Indikator, reported as such
            same = "berbeda dengan baris {} untuk Kode Hasil yang sama"
            if values["result_name"]:
                if not group.name:
                    group.name, group.name_row = values["result_name"], row.number
                elif group.name != values["result_name"]:
                    self.error(row, "Nama Hasil", same.format(group.name_row))
            if values["result_kind"]:
                if not group.kind:
                    group.kind, group.kind_row = values["result_kind"], row.number
                elif group.kind != values["result_kind"]:
                    self.error(row, "Jenis Hasil", same.format(group.kind_row))
            if values["component"] is not None:
                if group.component is None:
                    group.component, group.component_row = values["component"], row.number
                elif group.component != values["component"]:
                    self.error(row, "Komponen", same.format(group.component_row))
        return groups

    def _check_on_time_share(self, parsed) -> None:
        """At most one indicator per position is the on-time share: among the rows of the file
        and the indicators already stored for that position and absent from the file."""
        marked: dict[int, list[Row]] = defaultdict(list)
        codes: dict[int, set[str]] = defaultdict(set)
        for row, values in parsed:
            if values["position"] is None:
                continue
            codes[values["position"].pk].add(values["code"].casefold())
            if values["on_time_share"]:
                marked[values["position"].pk].append(row)
        stored: dict[int, list[str]] = defaultdict(list)
        for chunk in _chunks(list(marked)):
            for position_id, code in Indicator.objects.filter(
                indicator_set__position_id__in=chunk, on_time_share=True
            ).values_list("indicator_set__position_id", "code"):
                if code.casefold() not in codes[position_id]:
                    stored[position_id].append(code)
        for position_id, rows in marked.items():
            for row in rows[1:]:
                self.error(
                    row,
                    "Ketepatan Waktu",
                    f"hanya satu indikator per jabatan; baris {rows[0].number} sudah ditandai",
                )
            if stored[position_id]:
                self.error(
                    rows[0],
                    "Ketepatan Waktu",
                    f"hanya satu indikator per jabatan; indikator tersimpan "
                    f"{stored[position_id][0]} sudah ditandai",
                )

    def _check_weights(self, parsed) -> None:
        """After the import, the weights of one position's set sum to 100: the rows of the
        file plus the indicators already stored for that position and absent from the file."""
        by_position: dict[int, list[tuple[Row, dict[str, Any]]]] = defaultdict(list)
        for row, values in parsed:
            if values["position"] is not None:
                by_position[values["position"].pk].append((row, values))
        stored: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
        for chunk in _chunks(list(by_position)):
            for position_id, code, weight in Indicator.objects.filter(
                indicator_set__position_id__in=chunk
            ).values_list("indicator_set__position_id", "code", "weight"):
                stored[position_id].append((code.casefold(), weight))
        for position_id, entries in by_position.items():
            if any(
                values["weight"] is None or self.errors.has(row.number, "Kode Indikator")
                for row, values in entries
            ):
                continue  # a blank, invalid or duplicate row has its own error already
            weights: dict[str, Decimal] = {}
            for _row, values in entries:
                weights.setdefault(values["code"].casefold(), values["weight"])
            kept = [w for code, w in stored[position_id] if code not in weights]
            total = sum(weights.values(), Decimal(0)) + sum(kept, Decimal(0))
            if total == 100:
                continue
            position = entries[0][1]["position"]
            message = f"jumlah bobot indikator Kode Jabatan {position.code} adalah {_plain(total)}"
            if kept:
                message += (
                    f" (termasuk {len(kept)} indikator tersimpan yang tidak ada di berkas, "
                    f"bobot {_plain(sum(kept, Decimal(0)))})"
                )
            message += "; harus 100"
            if total == 1:
                message += " (tulis bobot 25, bukan 25%)"
            for row, _values in entries:
                self.error(row, "Bobot", message)

    def apply(self, plan: IndicatorPlan, result: ImportResult) -> None:
        region = self.context.region
        positions = {v["position"].pk: v["position"] for v in plan.entries}
        sets = {
            s.position_id: s
            for chunk in _chunks(list(positions))
            for s in IndicatorSet.objects.filter(position_id__in=chunk)
        }
        created_sets = IndicatorSet.objects.bulk_create(
            IndicatorSet(region=region, position=position)
            for pk, position in positions.items()
            if pk not in sets
        )
        sets.update({s.position_id: s for s in created_sets})
        set_ids = [s.pk for s in sets.values()]
        IndicatorSet.objects.filter(pk__in=set_ids).update(updated_at=timezone.now())

        templates = {
            (r.indicator_set.position_id, r.code.casefold()): r
            for chunk in _chunks(set_ids)
            for r in ResultTemplate.objects.filter(indicator_set_id__in=chunk).select_related(
                "indicator_set"
            )
        }
        new_templates, changed_templates = [], []
        for key, group in plan.results.items():
            template = templates.get(key)
            if template is None:
                template = ResultTemplate(indicator_set=sets[key[0]], code=group.code)
                template.name = group.name or group.fallback_name
                new_templates.append(template)
                templates[key] = template
            else:
                # A blank Nama Hasil keeps the name edited on the set's page.
                template.name = group.name or template.name
                changed_templates.append(template)
            template.kind = group.kind or ResultKind.UTAMA
            template.component = group.component or ""
            template.order = group.order
        ResultTemplate.objects.bulk_create(new_templates)
        ResultTemplate.objects.bulk_update(
            changed_templates, ["name", "kind", "component", "order"], batch_size=1000
        )

        indicators = {
            (i.indicator_set_id, i.code.casefold()): i
            for chunk in _chunks(set_ids)
            for i in Indicator.objects.filter(indicator_set_id__in=chunk)
        }
        order: dict[int, int] = defaultdict(int)
        to_create, to_update = [], []
        attrs = (
            "name", "kind", "unit", "direction", "aspect", "target", "weight", "guidance",
            "due_date", "on_time_share",
        )  # fmt: skip
        for values in plan.entries:
            indicator_set = sets[values["position"].pk]
            indicator = indicators.get((indicator_set.pk, values["code"].casefold()))
            if indicator is None:
                indicator = Indicator(indicator_set=indicator_set, code=values["code"])
                to_create.append(indicator)
            else:
                to_update.append(indicator)
            for attr in attrs:
                setattr(indicator, attr, values[attr])
            indicator.result = templates[values["result_key"]]
            indicator.order = order[indicator_set.pk]
            order[indicator_set.pk] += 1
        Indicator.objects.bulk_create(to_create, batch_size=1000)
        Indicator.objects.bulk_update(to_update, [*attrs, "result", "order"], batch_size=1000)
        # A result whose indicators all moved to another result has nothing left to measure.
        ResultTemplate.objects.filter(indicator_set_id__in=set_ids, indicators=None).delete()
        result.created, result.updated = len(to_create), len(to_update)


# --- attendance and discipline ----------------------------------------------------------------


class _EmployeeRowsMixin:
    """Rows keyed by NIP: the employee must exist in the region (and, for an Admin HR, in one
    of their agencies)."""

    def employees_by_nip(self, rows: list[Row]) -> dict[int, Employee]:
        """The employee of each row whose NIP is valid and allowed, by row number."""
        nips: dict[int, str] = {}
        for row in rows:
            nip = self.parse(row, "NIP", cells.nip)
            if nip:
                nips[row.number] = nip
        found = {
            e.nip: e
            for chunk in _chunks(sorted(set(nips.values())))
            for e in Employee.objects.filter(region=self.context.region, nip__in=chunk)
        }
        allowed = self.context.agency_ids
        by_row: dict[int, Employee] = {}
        for number, nip in nips.items():
            employee = found.get(nip)
            if employee is None:
                self.error(number, "NIP", NIP_NOT_FOUND)
            elif allowed is not None and employee.agency_id not in allowed:
                self.error(number, "NIP", OTHER_AGENCY_NIP)
            else:
                by_row[number] = employee
        return by_row


_MONTH = re.compile(r"(\d{4})\s*[-/]\s*(\d{1,2})")
MAX_DAYS = 31


def month_cell(cell: RawCell) -> dt.date:
    """``yyyy-mm`` (or ``yyyy/mm``), an Excel date cell, or a date as text (a csv saved from a
    date column); the day is ignored. Returns the first day of the month."""
    value = cell.value
    if isinstance(value, dt.datetime | dt.date):
        return dt.date(value.year, value.month, 1)
    if cell.numeric:
        # An Excel date serial whose format was lost, or 202401: ambiguous, so refused.
        raise cells.CellError("periode tidak valid; gunakan yyyy-mm")
    match = _MONTH.fullmatch(cells.text(cell))
    if match:
        if 1 <= int(match[2]) <= 12:
            return dt.date(int(match[1]), int(match[2]), 1)
        raise cells.CellError("periode tidak valid; bulan harus 01 sampai 12")
    try:
        date = cells.date(cell)
    except cells.CellError:
        raise cells.CellError("periode tidak valid; gunakan yyyy-mm") from None
    return date.replace(day=1)


def _days(cell: RawCell) -> int:
    number = cells.whole_number(cell, minimum=0)
    if number > MAX_DAYS:
        raise cells.CellError(f"harus bilangan bulat 0 sampai {MAX_DAYS} (satu bulan)")
    return number


@register
class AttendanceSpec(_EmployeeRowsMixin, ImportSpec):
    kind = "attendance"
    title = "Kehadiran"
    written_models = (AttendanceRecord,)
    columns = (
        Column("NIP", as_text=True),
        Column("Periode", as_text=True),  # a text cell keeps Excel from turning 2024-01 into a date
        Column("Hari Kerja"),
        Column("Hari Hadir"),
        Column("Terlambat"),
        Column("Pulang Cepat"),
    )
    counts = {
        "Hari Kerja": "working_days",
        "Hari Hadir": "present_days",
        "Terlambat": "late",
        "Pulang Cepat": "early_leave",
    }

    def validate(self, rows: list[Row]) -> UpsertPlan:
        employees = self.employees_by_nip(rows)
        parsed = []
        for row in rows:
            period = self.parse(row, "Periode", month_cell)
            numbers = {attr: self.parse(row, h, _days) for h, attr in self.counts.items()}
            working, present = numbers["working_days"], numbers["present_days"]
            if working is not None and present is not None and present > working:
                self.error(row, "Hari Hadir", "tidak boleh melebihi Hari Kerja")
            parsed.append((row, employees.get(row.number), period, numbers))
        keys = {r.number: (e.pk, p) for r, e, p, _n in parsed if e is not None and p}
        self.check_duplicates(rows, lambda r: keys.get(r.number), "Periode")

        plan = UpsertPlan()
        if self.errors:
            return plan
        employee_ids = sorted({e.pk for e in employees.values()})
        existing = {
            (a.employee_id, a.period): a
            for chunk in _chunks(employee_ids)
            for a in AttendanceRecord.objects.filter(employee_id__in=chunk)
        }
        for _row, employee, period, numbers in parsed:
            current = existing.get((employee.pk, period))
            values = {"employee": employee, "period": period, **numbers, "obj": current}
            (plan.updates if current else plan.creates).append(values)
        return plan

    def apply(self, plan: UpsertPlan, result: ImportResult) -> None:
        fields = tuple(self.counts.values())
        AttendanceRecord.objects.bulk_create(
            (
                AttendanceRecord(
                    employee=v["employee"], period=v["period"], **{f: v[f] for f in fields}
                )
                for v in plan.creates
            ),
            batch_size=2000,
        )
        updated = []
        for v in plan.updates:
            record = v["obj"]
            for f in fields:
                setattr(record, f, v[f])
            updated.append(record)
        AttendanceRecord.objects.bulk_update(updated, fields, batch_size=2000)
        result.created, result.updated = len(plan.creates), len(updated)


@register
class DisciplineSpec(_EmployeeRowsMixin, ImportSpec):
    kind = "discipline"
    title = "Hukuman disiplin"
    written_models = (DisciplineRecord,)
    columns = (
        Column("NIP", as_text=True),
        Column("Tanggal SK"),
        Column("Tingkat Hukuman"),
    )

    def validate(self, rows: list[Row]) -> UpsertPlan:
        employees = self.employees_by_nip(rows)
        parsed = []
        for row in rows:
            decree = self.parse(row, "Tanggal SK", cells.date)
            level = self.parse(
                row, "Tingkat Hukuman", lambda c: cells.choice(c, _SANCTIONS, "Tingkat Hukuman")
            )
            parsed.append((row, employees.get(row.number), decree, level))
        keys = {r.number: (e.pk, d, lv) for r, e, d, lv in parsed if e and d and lv}
        self.check_duplicates(rows, lambda r: keys.get(r.number), "Tingkat Hukuman")

        plan = UpsertPlan()
        if self.errors:
            return plan
        employee_ids = sorted({e.pk for e in employees.values()})
        existing = {
            key
            for chunk in _chunks(employee_ids)
            for key in DisciplineRecord.objects.filter(employee_id__in=chunk).values_list(
                "employee_id", "decree_date", "level"
            )
        }
        for _row, employee, decree, level in parsed:
            values = {"employee": employee, "decree_date": decree, "level": level}
            # The key is the whole record: a row already stored has nothing to update.
            stored = (employee.pk, decree, level) in existing
            (plan.updates if stored else plan.creates).append(values)
        return plan

    def apply(self, plan: UpsertPlan, result: ImportResult) -> None:
        DisciplineRecord.objects.bulk_create(
            (DisciplineRecord(**v) for v in plan.creates), batch_size=2000, ignore_conflicts=True
        )
        result.created, result.updated = len(plan.creates), len(plan.updates)
