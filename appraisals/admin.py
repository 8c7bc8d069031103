"""Appraisals, scores and the audit trail are read-only in the admin (see docs/roles.md):
every change goes through the services, which audit it and recompute the score."""

from django.contrib import admin

from .models import Appraisal, AuditEntry, Cycle


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin):
    list_display = ("name", "scheme_key", "period_type", "start_date", "end_date", "status")
    list_filter = ("scheme_key", "status")


@admin.register(Appraisal)
class AppraisalAdmin(ReadOnlyAdmin):
    list_display = ("employee", "cycle", "state", "final_value", "predikat")
    list_filter = ("state", "cycle")
    search_fields = ("employee__nip", "employee__name")
    list_select_related = ("employee", "cycle")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "cycle", "appraisal", "actor", "action", "summary")
    list_filter = ("action",)
    # Every column of a page is joined in: the query count does not grow with the rows.
    list_select_related = ("cycle", "actor", "appraisal__employee", "appraisal__cycle")
    show_full_result_count = False  # no second COUNT over the whole trail on each page
    raw_id_fields = ("appraisal",)
