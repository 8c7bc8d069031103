"""The organisation's exports (the import file kinds, so that a file re-imports), registered
with :mod:`agencies.exporting`. Indicator sets, attendance and discipline are exported from
their ``indicators.resources`` here too, as the import pages of every kind live in this app."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.resources import RESOURCES as INDICATOR_RESOURCES

from .access import require_manager
from .exporting import ExportPlan, register_export
from .importing.base import REGISTRY
from .models import Agency, Employee, Region, User
from .resources import RESOURCES
from .selectors import employee_export_rows

FILE_KINDS = (
    "agencies",
    "units",
    "positions",
    "employees",
    "indicators",
    "attendance",
    "discipline",
)


def _resource_rows(resource, queryset: QuerySet[Any]) -> Iterator[list[Any]]:
    """The resource's row of each object, streamed (``resource.export`` builds a whole
    dataset in memory first)."""
    for obj in queryset.iterator(chunk_size=2000):
        yield resource.export_resource(obj)


def _counter(queryset: QuerySet[Any], cap: int) -> int:
    """Rows counted up to just past ``cap``: enough to choose between the request and a job."""
    return queryset.order_by()[: cap + 1].count()


@register_export("file_kind")
def file_kind_export(user: User, params: dict[str, Any]) -> ExportPlan:
    """The export of one import file kind: the rows of the user's agencies (Admin HR) or
    region (Admin Daerah), in the import file's columns."""
    from .exporting import inline_limit

    kind = params.get("kind", "")
    spec_class = REGISTRY.get(kind)
    if spec_class is None or kind not in FILE_KINDS:
        raise Http404
    scope = require_manager(user)
    if spec_class.region_wide_only and not scope.is_admin_daerah:
        raise PermissionDenied(_("Berkas ini hanya dapat diimpor oleh Admin Daerah"))
    region_id = scope.region_id
    if kind in INDICATOR_RESOURCES:
        resource = INDICATOR_RESOURCES[kind]()
        queryset = resource.export_queryset(scope)
        headers = resource.get_export_headers()

        def rows() -> Iterator[list[Any]]:
            return _resource_rows(resource, queryset)
    else:
        resource = RESOURCES[kind]()
        querysets: dict[str, QuerySet[Any]] = {
            "agencies": Agency.objects.filter(region_id=region_id).select_related("region"),
            "units": scope.visible_units().select_related("agency", "parent"),
            "positions": scope.visible_positions(),
            "employees": Employee.objects.filter(
                Q(agency_id__in=scope.hr_agency_ids) | Q(region_id__in=scope.region_ids)
            ).select_related("position", "unit", "supervisor"),
        }
        queryset = querysets[kind].order_by("pk")
        headers = [f.column_name for f in resource.get_export_fields()]
        if kind == "employees":

            def rows() -> Iterator[list[Any]]:
                return employee_export_rows(queryset)
        else:

            def rows() -> Iterator[list[Any]]:
                return _resource_rows(resource, queryset)

    return ExportPlan(
        headers=headers,
        rows=rows,
        count=lambda: _counter(queryset, inline_limit()),
        filename=f"{kind}-{timezone.localdate():%Y%m%d}.xlsx",
        title=spec_class.title,
        text_headers=[c.header for c in spec_class.columns if c.as_text],
        region=Region.objects.filter(pk=region_id).first() if region_id else None,
    )
