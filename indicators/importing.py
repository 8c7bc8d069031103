"""Import files of the indicators app: indicator sets, attendance and discipline.

Same pipeline and contract as the organisation files (agencies.importing).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from agencies.importing import cells
from agencies.importing.base import Column, ImportResult, ImportSpec, Row, register
from agencies.importing.specs import OTHER_AGENCY_NIP, UpsertPlan
from agencies.models import Employee, JobPosition

from .models import (
    AttendanceRecord,
    DisciplineRecord,
    Indicator,
    IndicatorSet,
    ResultTemplate,
    SanctionLevel,
)
from .schemes import SCHEMES
from .schemes.base import Source

_KINDS = {"kuantitatif": "kuantitatif", "rubrik": "rubrik"}
_DIRECTIONS = {"naik": "naik", "turun": "turun"}
_ASPECTS = {a: a for a in ("kuantitas", "kualitas", "waktu", "biaya")}
_RESULT_KINDS = {"utama": "utama", "tambahan": "tambahan"}
_SANCTIONS = {s.value: s.value for s in SanctionLevel}


def plan_component_keys() -> dict[str, str]:
    """Every component key that plan indicators may be routed to, in any preset."""
    return {
        c.key: c.key
        for scheme in SCHEMES.values()
        for c in scheme.components
        if c.source == Source.RENCANA
    }


def _positive(cell) -> Decimal:
    value = cells.decimal(cell)
    if value <= 0:
        raise cells.CellError("harus berupa angka > 0")
    return value


@register
class IndicatorSpec(ImportSpec):
    kind = "indicators"
    title = "Set indikator"
    region_wide_only = True
    columns = (
        Column("Kode Jabatan", as_text=True),
        Column("Kode Indikator", as_text=True),
        Column("Nama Indikator"),
        Column("Jenis"),
        Column("Satuan"),
        Column("Arah", optional=True),
        Column("Aspek"),
        Column("Target", optional=True),
        Column("Bobot"),
        Column("Panduan"),
        Column("Kode Hasil", optional=True, as_text=True, required_column=False),
        Column("Nama Hasil", optional=True, required_column=False),
        Column("Jenis Hasil", optional=True, required_column=False),
        Column("Komponen", optional=True, required_column=False),
    )

    def validate(self, rows: list[Row]) -> UpsertPlan:
        region = self.context.region
        positions = {p.code.casefold(): p for p in JobPosition.objects.filter(region=region)}
        components = plan_component_keys()
        key = lambda r: (r.text("Kode Jabatan").casefold(), r.text("Kode Indikator").casefold())  # noqa: E731
        self.check_duplicates(rows, key, "Kode Indikator")

        plan = UpsertPlan()
        by_position: dict[str, list[tuple[Row, dict[str, Any]]]] = defaultdict(list)
        result_seen: dict[tuple[str, str], tuple[int, str, str]] = {}
        for row in rows:
            position = positions.get(row.text("Kode Jabatan").casefold())
            if position is None and not row.is_blank("Kode Jabatan"):
                self.error(row, "Kode Jabatan", "Kode Jabatan tidak ditemukan di katalog jabatan daerah")
            kind = self.parse(row, "Jenis", lambda c: cells.choice(c, _KINDS, "Jenis"))
            direction = target = None
            if kind == "kuantitatif":
                for header in ("Arah", "Target"):
                    if row.is_blank(header):
                        self.error(row, header, "wajib diisi untuk indikator kuantitatif")
                direction = self.parse(row, "Arah", lambda c: cells.choice(c, _DIRECTIONS, "Arah"))
                target = self.parse(row, "Target", _positive)
            elif kind == "rubrik":
                for header in ("Arah", "Target"):
                    if not row.is_blank(header):
                        self.error(row, header, "dikosongkan untuk indikator rubrik")
            aspect = self.parse(row, "Aspek", lambda c: cells.choice(c, _ASPECTS, "Aspek"))
            weight = self.parse(row, "Bobot", _positive)
            result_kind = self.parse(
                row, "Jenis Hasil", lambda c: cells.choice(c, _RESULT_KINDS, "Jenis Hasil")
            ) or "utama"
            component = self.parse(
                row, "Komponen", lambda c: cells.choice(c, components, "Komponen")
            ) or ""
            result_code = row.text("Kode Hasil") or row.text("Kode Indikator")
            result_name = row.text("Nama Hasil") or row.text("Nama Indikator")
            if not row.is_blank("Kode Hasil"):
                seen_key = (row.text("Kode Jabatan").casefold(), result_code.casefold())
                first = result_seen.setdefault(seen_key, (row.number, result_kind, component))
                if first[1] != result_kind:
                    self.error(row, "Jenis Hasil", f"berbeda dengan baris {first[0]} untuk Kode Hasil yang sama")
                if first[2] != component:
                    self.error(row, "Komponen", f"berbeda dengan baris {first[0]} untuk Kode Hasil yang sama")
            values = {
                "position": position,
                "code": row.text("Kode Indikator"),
                "name": row.text("Nama Indikator"),
                "kind": kind,
                "unit": row.text("Satuan"),
                "direction": direction or "",
                "aspect": aspect,
                "target": target,
                "weight": weight,
                "guidance": row.text("Panduan"),
                "result_code": result_code,
                "result_name": result_name,
                "result_kind": result_kind,
                "component": component,
            }
            if position is not None:
                by_position[position.code].append((row, values))

        self._check_weights(by_position)
        existing = {
            (i.indicator_set.position_id, i.code.casefold())
            for i in Indicator.objects.filter(indicator_set__position__region=region).select_related("indicator_set")
        }
        for entries in by_position.values():
            for _row, values in entries:
                exists = (values["position"].pk, values["code"].casefold()) in existing
                (plan.updates if exists else plan.creates).append(values)
        return plan

    def _check_weights(self, by_position) -> None:
        """The weights of one position's set, after the import, must sum to 100."""
        for entries in by_position.values():
            position = entries[0][1]["position"]
            in_file = {v["code"].casefold() for _r, v in entries}
            kept = sum(
                (
                    weight
                    for code, weight in Indicator.objects.filter(
                        indicator_set__position=position
                    ).values_list("code", "weight")
                    if code.casefold() not in in_file
                ),
                Decimal(0),
            )
            weights = [v["weight"] for _r, v in entries]
            if any(w is None for w in weights):
                continue
            total = kept + sum(weights, Decimal(0))
            if total != 100:
                shown = f"{total.normalize():f}"
                for row, _values in entries:
                    self.error(
                        row,
                        "Bobot",
                        f"jumlah bobot indikator Kode Jabatan {position.code} adalah {shown}; "
                        "harus 100",
                    )

    def apply(self, plan: UpsertPlan, result: ImportResult) -> None:
        region = self.context.region
        touched: dict[int, IndicatorSet] = {}
        for values in plan.creates + plan.updates:
            position = values["position"]
            if position.pk not in touched:
                touched[position.pk], _ = IndicatorSet.objects.get_or_create(
                    position=position, defaults={"region": region}
                )
        results: dict[tuple[int, str], ResultTemplate] = {
            (r.indicator_set_id, r.code.casefold()): r
            for r in ResultTemplate.objects.filter(indicator_set__in=touched.values())
        }
        indicators = {
            (i.indicator_set_id, i.code.casefold()): i
            for i in Indicator.objects.filter(indicator_set__in=touched.values())
        }
        for order, values in enumerate(plan.creates + plan.updates):
            indicator_set = touched[values["position"].pk]
            result_key = (indicator_set.pk, values["result_code"].casefold())
            template = results.get(result_key)
            if template is None:
                template = ResultTemplate.objects.create(
                    indicator_set=indicator_set, code=values["result_code"],
                    name=values["result_name"], kind=values["result_kind"],
                    component=values["component"], order=order,
                )  # fmt: skip
                results[result_key] = template
            else:
                template.name = values["result_name"]
                template.kind = values["result_kind"]
                template.component = values["component"]
                template.save(update_fields=["name", "kind", "component"])
            fields = {
                "result": template,
                "name": values["name"],
                "kind": values["kind"],
                "unit": values["unit"],
                "direction": values["direction"],
                "aspect": values["aspect"],
                "target": values["target"],
                "weight": values["weight"],
                "guidance": values["guidance"],
                "order": order,
            }
            indicator = indicators.get((indicator_set.pk, values["code"].casefold()))
            if indicator is None:
                Indicator.objects.create(indicator_set=indicator_set, code=values["code"], **fields)
            else:
                for attr, value in fields.items():
                    setattr(indicator, attr, value)
                indicator.save()
        # A result whose indicators all moved elsewhere has nothing left to measure.
        ResultTemplate.objects.filter(indicator_set__in=touched.values(), indicators=None).delete()
        result.created, result.updated = len(plan.creates), len(plan.updates)


class _EmployeeRowsMixin:
    """Rows keyed by NIP: the employee must exist in the region (and, for an Admin HR,
    in one of their agencies)."""

    def employees_by_nip(self, rows: list[Row]) -> dict[str, Employee]:
        nips = {self.parse(r, "NIP", cells.nip) for r in rows}
        nips.discard(None)
        found = {
            e.nip: e
            for e in Employee.objects.filter(region=self.context.region, nip__in=list(nips))
        }
        allowed = self.context.agency_ids
        for row in rows:
            if self.errors.has(row.number, "NIP") or row.is_blank("NIP"):
                continue
            employee = found.get(cells.nip(row.cell("NIP")))
            if employee is None:
                self.error(row, "NIP", "NIP tidak ditemukan di daerah ini")
            elif allowed is not None and employee.agency_id not in allowed:
                self.error(row, "NIP", OTHER_AGENCY_NIP)
        return found


@register
class AttendanceSpec(_EmployeeRowsMixin, ImportSpec):
    kind = "attendance"
    title = "Kehadiran"
    columns = (
        Column("NIP", as_text=True),
        Column("Periode", as_text=True),
        Column("Hari Kerja"),
        Column("Hari Hadir"),
        Column("Terlambat"),
        Column("Pulang Cepat"),
    )

    def validate(self, rows: list[Row]) -> UpsertPlan:
        employees = self.employees_by_nip(rows)
        parsed = []
        for row in rows:
            period = self.parse(row, "Periode", cells.month)
            numbers = {
                h: self.parse(row, h, cells.whole_number)
                for h in ("Hari Kerja", "Hari Hadir", "Terlambat", "Pulang Cepat")
            }
            if None not in (numbers["Hari Kerja"], numbers["Hari Hadir"]) and (
                numbers["Hari Hadir"] > numbers["Hari Kerja"]
            ):
                self.error(row, "Hari Hadir", "tidak boleh melebihi Hari Kerja")
            nip = None if self.errors.has(row.number, "NIP") else cells.nip(row.cell("NIP"))
            parsed.append((row, nip, period, numbers))
        keys = {r.number: (n, p) for r, n, p, _ in parsed if n and p}
        self.check_duplicates(rows, lambda r: keys.get(r.number), "Periode")
        plan = UpsertPlan()
        existing = {
            (a.employee_id, a.period): a
            for a in AttendanceRecord.objects.filter(employee__in=employees.values())
        }
        for _row, nip, period, numbers in parsed:
            employee = employees.get(nip)
            if employee is None:
                continue
            values = {
                "employee": employee,
                "period": period,
                "working_days": numbers["Hari Kerja"],
                "present_days": numbers["Hari Hadir"],
                "late": numbers["Terlambat"],
                "early_leave": numbers["Pulang Cepat"],
                "obj": existing.get((employee.pk, period)),
            }
            (plan.updates if values["obj"] else plan.creates).append(values)
        return plan

    def apply(self, plan: UpsertPlan, result: ImportResult) -> None:
        fields = ("working_days", "present_days", "late", "early_leave")
        AttendanceRecord.objects.bulk_create(
            (
                AttendanceRecord(employee=v["employee"], period=v["period"], **{f: v[f] for f in fields})
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
            nip = None if self.errors.has(row.number, "NIP") else cells.nip(row.cell("NIP"))
            parsed.append((row, nip, decree, level))
        keys = {r.number: (n, d, lv) for r, n, d, lv in parsed if n and d and lv}
        self.check_duplicates(rows, lambda r: keys.get(r.number), "Tingkat Hukuman")
        plan = UpsertPlan()
        existing = set(
            DisciplineRecord.objects.filter(employee__in=employees.values()).values_list(
                "employee_id", "decree_date", "level"
            )
        )
        for _row, nip, decree, level in parsed:
            employee = employees.get(nip)
            if employee is None or decree is None or level is None:
                continue
            values = {"employee": employee, "decree_date": decree, "level": level}
            key = (employee.pk, decree, level)
            (plan.updates if key in existing else plan.creates).append(values)
        return plan

    def apply(self, plan: UpsertPlan, result: ImportResult) -> None:
        DisciplineRecord.objects.bulk_create(
            (DisciplineRecord(**v) for v in plan.creates), batch_size=2000, ignore_conflicts=True
        )
        result.created, result.updated = len(plan.creates), len(plan.updates)
