"""Reference data is editable by superusers (see docs/roles.md)."""

from django.contrib import admin

from .models import (
    AttendanceRecord,
    BehaviourValue,
    DisciplineRecord,
    Indicator,
    IndicatorSet,
    LeaderExpectation,
    ResultTemplate,
)


@admin.register(BehaviourValue)
class BehaviourValueAdmin(admin.ModelAdmin):
    list_display = ("order", "code", "name")


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("code", "name", "result", "kind", "unit", "direction", "aspect", "target", "weight")


@admin.register(IndicatorSet)
class IndicatorSetAdmin(admin.ModelAdmin):
    list_display = ("position", "region", "updated_at")
    search_fields = ("position__code", "position__name")
    inlines = [IndicatorInline]


@admin.register(ResultTemplate)
class ResultTemplateAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "component", "indicator_set")
    search_fields = ("code", "name")


@admin.register(LeaderExpectation)
class LeaderExpectationAdmin(admin.ModelAdmin):
    list_display = ("leader", "value", "updated_at")
    raw_id_fields = ("leader",)


@admin.register(AttendanceRecord)
class AttendanceRecordAdmin(admin.ModelAdmin):
    list_display = ("employee", "period", "working_days", "present_days", "late", "early_leave")
    raw_id_fields = ("employee",)
    date_hierarchy = "period"


@admin.register(DisciplineRecord)
class DisciplineRecordAdmin(admin.ModelAdmin):
    list_display = ("employee", "decree_date", "level")
    raw_id_fields = ("employee",)
