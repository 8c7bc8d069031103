"""Django admin is for superusers only (see docs/roles.md): reference data is editable."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from import_export.admin import ExportMixin

from .models import ActingAssignment, Agency, Employee, JobPosition, Region, RoleGrant, Unit, User
from .resources import AgencyResource, EmployeeResource, PositionResource, UnitResource


def _superuser_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superuser_only
admin.site.site_header = "ASN Kinerja Portal"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    search_fields = ("username", "email", "first_name")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "timezone")


@admin.register(Agency)
class AgencyAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [AgencyResource]
    list_display = ("code", "name", "region", "kind")
    list_filter = ("region", "kind")
    search_fields = ("code", "name")


@admin.register(Unit)
class UnitAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [UnitResource]
    list_display = ("code", "name", "agency", "parent")
    list_filter = ("agency",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(JobPosition)
class JobPositionAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [PositionResource]
    list_display = ("code", "name", "kind", "jf_level", "grade")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(Employee)
class EmployeeAdmin(ExportMixin, admin.ModelAdmin):
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
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "agency", "region")
    list_filter = ("role",)
    raw_id_fields = ("user",)
