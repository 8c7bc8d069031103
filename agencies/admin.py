"""Django admin is for superusers only (see docs/roles.md): reference data is editable."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from import_export.admin import ExportMixin

from .export_formats import SafeCSV, SafeXLSX
from .models import (
    ActingAssignment,
    Agency,
    Employee,
    JobPosition,
    OrgAuditEntry,
    Region,
    RoleGrant,
    Unit,
    User,
)
from .resources import AgencyResource, EmployeeResource, PositionResource, UnitResource


def _superuser_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superuser_only
admin.site.site_header = "ASN Kinerja Portal"


class OrgAuditAdminMixin:
    """Superuser edits of organisation data leave the same audit trail as the services."""

    audit_label = "Data"

    def _snapshot(self, obj) -> dict:
        from django.forms.models import model_to_dict

        data = model_to_dict(obj)
        data.pop("password", None)
        return {k: (v if isinstance(v, str | int | bool | type(None)) else str(v))
                for k, v in data.items()}  # fmt: skip

    def save_model(self, request, obj, form, change):
        from django.db import transaction

        from .audit import changed_fields, org_audit_record

        before = self._snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            old, new = changed_fields(before, self._snapshot(obj))
            if new:
                org_audit_record(
                    actor=request.user,
                    action="admin_update" if change else "admin_create",
                    summary=f"{self.audit_label} diubah di admin" if change
                    else f"{self.audit_label} dibuat di admin",
                    obj=obj, before=old, after=new,
                )  # fmt: skip

    def delete_model(self, request, obj):
        from django.db import transaction

        from .audit import org_audit_record

        with transaction.atomic():
            org_audit_record(
                actor=request.user, action="admin_delete",
                summary=f"{self.audit_label} dihapus di admin", obj=obj,
                before=self._snapshot(obj), after={},
            )  # fmt: skip
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class SafeExportMixin(ExportMixin):
    """Exports whose text cells can never run as spreadsheet formulas."""

    export_formats = [SafeCSV, SafeXLSX]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    search_fields = ("username", "email", "first_name")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "timezone")


@admin.register(Agency)
class AgencyAdmin(SafeExportMixin, admin.ModelAdmin):
    resource_classes = [AgencyResource]
    list_display = ("code", "name", "region", "kind")
    list_filter = ("region", "kind")
    search_fields = ("code", "name")


@admin.register(Unit)
class UnitAdmin(OrgAuditAdminMixin, SafeExportMixin, admin.ModelAdmin):
    audit_label = "Unit kerja"
    resource_classes = [UnitResource]
    list_display = ("code", "name", "agency", "parent")
    list_filter = ("agency",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(JobPosition)
class JobPositionAdmin(OrgAuditAdminMixin, SafeExportMixin, admin.ModelAdmin):
    audit_label = "Jabatan"
    resource_classes = [PositionResource]
    list_display = ("code", "name", "kind", "jf_level", "grade")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(Employee)
class EmployeeAdmin(OrgAuditAdminMixin, SafeExportMixin, admin.ModelAdmin):
    audit_label = "Data pegawai"

    def save_model(self, request, obj, form, change):
        from .paths import move_employee
        from .services import grants_revoke_for

        was_active = change and Employee.objects.filter(pk=obj.pk, is_active=True).exists()
        super().save_model(request, obj, form, change)
        if not change or "supervisor" in form.changed_data:
            move_employee(obj, obj.supervisor)
        if was_active and not obj.is_active:
            grants_revoke_for(employee=obj, acting_user=request.user)

    resource_classes = [EmployeeResource]
    list_display = ("nip", "name", "agency", "unit", "golongan", "is_active")
    list_filter = ("agency", "asn_status", "is_active")
    search_fields = ("nip", "name")
    raw_id_fields = ("supervisor", "user", "unit", "position")
    list_select_related = ("agency", "unit")


@admin.register(ActingAssignment)
class ActingAssignmentAdmin(admin.ModelAdmin):
    list_display = ("official", "replaces", "kind", "start_date", "end_date")
    raw_id_fields = ("official", "replaces")


@admin.register(RoleGrant)
class RoleGrantAdmin(OrgAuditAdminMixin, admin.ModelAdmin):
    audit_label = "Pemberian peran"
    list_display = ("user", "role", "agency", "region")
    list_filter = ("role",)
    raw_id_fields = ("user",)


@admin.register(OrgAuditEntry)
class OrgAuditEntryAdmin(admin.ModelAdmin):
    """The organisation audit trail is read-only, here as everywhere."""

    list_display = ("at", "actor", "action", "object_label", "summary")
    list_filter = ("object_type", "action")
    search_fields = ("object_label", "summary")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
