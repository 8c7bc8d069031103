"""django-import-export resources: the export side of the indicators app's import files.

Each resource writes exactly the columns of its import (``indicators.importing``), in the same
order, so an export can be edited and imported back. Numbers are exported as numbers
(25, 12.5), never as ``25.0000``; blank optional cells stay blank.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, QuerySet
from import_export import fields, resources

from .models import AttendanceRecord, DisciplineRecord, Indicator


def _number(value: Decimal | None) -> int | Decimal | str:
    if value is None:
        return ""
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral_value() else Decimal(format(normal, "f"))


class _ScopedExport:
    """``resource.export_queryset(scope)``: the rows this user may export, in file order."""

    export_kind = ""  # not ``kind``: a resource's attributes are its columns

    def export_queryset(self, scope) -> QuerySet:
        return export_queryset(self.export_kind, scope)


class IndicatorResource(_ScopedExport, resources.ModelResource):
    export_kind = "indicators"

    position_code = fields.Field(
        attribute="indicator_set__position__code", column_name="Kode Jabatan"
    )
    code = fields.Field(attribute="code", column_name="Kode Indikator")
    name = fields.Field(attribute="name", column_name="Nama Indikator")
    kind = fields.Field(attribute="kind", column_name="Jenis")
    unit = fields.Field(attribute="unit", column_name="Satuan")
    direction = fields.Field(attribute="direction", column_name="Arah")
    aspect = fields.Field(attribute="aspect", column_name="Aspek")
    target = fields.Field(column_name="Target")
    weight = fields.Field(column_name="Bobot")
    guidance = fields.Field(attribute="guidance", column_name="Panduan")
    result_code = fields.Field(attribute="result__code", column_name="Kode Hasil")
    result_name = fields.Field(attribute="result__name", column_name="Nama Hasil")
    result_kind = fields.Field(attribute="result__kind", column_name="Jenis Hasil")
    component = fields.Field(attribute="result__component", column_name="Komponen")
    due_date = fields.Field(column_name="Tanggal Target")
    on_time_share = fields.Field(column_name="Ketepatan Waktu")

    class Meta:
        model = Indicator
        fields = (
            "position_code", "code", "name", "kind", "unit", "direction", "aspect", "target",
            "weight", "guidance", "result_code", "result_name", "result_kind", "component",
            "due_date", "on_time_share",
        )  # fmt: skip
        export_order = fields

    def get_queryset(self):
        return ordered_indicators(super().get_queryset())

    def dehydrate_target(self, indicator: Indicator):
        return _number(indicator.target)

    def dehydrate_weight(self, indicator: Indicator):
        return _number(indicator.weight)

    def dehydrate_due_date(self, indicator: Indicator):
        return f"{indicator.due_date:%d-%m-%Y}" if indicator.due_date else ""

    def dehydrate_on_time_share(self, indicator: Indicator):
        return "ya" if indicator.on_time_share else ""


class AttendanceResource(_ScopedExport, resources.ModelResource):
    export_kind = "attendance"

    nip = fields.Field(attribute="employee__nip", column_name="NIP")
    period = fields.Field(column_name="Periode")
    working_days = fields.Field(column_name="Hari Kerja")
    present_days = fields.Field(column_name="Hari Hadir")
    late = fields.Field(column_name="Terlambat")
    early_leave = fields.Field(column_name="Pulang Cepat")

    class Meta:
        model = AttendanceRecord
        fields = ("nip", "period", "working_days", "present_days", "late", "early_leave")
        export_order = fields

    def dehydrate_period(self, record: AttendanceRecord) -> str:
        return record.period.strftime("%Y-%m")

    def dehydrate_working_days(self, record: AttendanceRecord) -> int:
        return record.working_days

    def dehydrate_present_days(self, record: AttendanceRecord) -> int:
        return record.present_days

    def dehydrate_late(self, record: AttendanceRecord) -> int:
        return record.late

    def dehydrate_early_leave(self, record: AttendanceRecord) -> int:
        return record.early_leave


class DisciplineResource(_ScopedExport, resources.ModelResource):
    export_kind = "discipline"

    nip = fields.Field(attribute="employee__nip", column_name="NIP")
    decree_date = fields.Field(column_name="Tanggal SK")
    level = fields.Field(attribute="level", column_name="Tingkat Hukuman")

    class Meta:
        model = DisciplineRecord
        fields = ("nip", "decree_date", "level")
        export_order = fields

    def dehydrate_decree_date(self, record: DisciplineRecord) -> str:
        return record.decree_date.strftime("%d-%m-%Y")


RESOURCES = {
    "indicators": IndicatorResource,
    "attendance": AttendanceResource,
    "discipline": DisciplineResource,
}


def ordered_indicators(queryset: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """Grouped by position, then in the set's own order."""
    return queryset.select_related("indicator_set__position", "result").order_by(
        "indicator_set__position__code", "order", "pk"
    )


def export_queryset(kind: str, scope) -> QuerySet:
    """The rows of ``kind`` that ``scope`` may export (``agencies.access.Scope``).

    Indicator sets are region-wide (the Admin Daerah's; the import view already refuses
    anyone else). Attendance and discipline follow the employee: an Admin HR exports the
    records of their agencies, an Admin Daerah those of the region.
    """
    if kind == "indicators":
        return ordered_indicators(
            Indicator.objects.filter(indicator_set__region_id=scope.region_id)
        )
    employees = Q(employee__agency_id__in=scope.hr_agency_ids) | Q(
        employee__region_id__in=scope.region_ids
    )
    if kind == "attendance":
        return (
            AttendanceRecord.objects.filter(employees)
            .select_related("employee")
            .order_by("employee__nip", "period")
        )
    if kind == "discipline":
        return (
            DisciplineRecord.objects.filter(employees)
            .select_related("employee")
            .order_by("employee__nip", "decree_date", "level")
        )
    raise KeyError(kind)
