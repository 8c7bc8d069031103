"""Thin function views: check access, bind a form, call one service, render."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.resources import RESOURCES as INDICATOR_RESOURCES

from .access import get_agency_for, get_employee_for, require_manager, scope_for
from .forms import EmployeeFilterForm, EmployeeForm, ImportUploadForm
from .importing.base import REGISTRY, ImportContext, ImportFileError, run_import
from .importing.writer import write_xlsx
from .models import Agency, Employee, ImportRun, Region
from .resources import RESOURCES
from .selectors import employee_export_rows, flatten, unit_tree
from .services import employee_update

PAGE_SIZE = 25


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request):
    scope = scope_for(request.user)
    context = {"scope": scope}
    if scope.employee:
        context["team_size"] = (
            scope.subordinates().filter(is_active=True).count() if scope.is_atasan else 0
        )
    if scope.is_admin_hr or scope.is_admin_daerah:
        context["agencies"] = scope.manageable_agencies().annotate(
            head_count=Count("employees", filter=Q(employees__is_active=True))
        )
    return render(request, "agencies/home.html", context)


@login_required
def profile(request):
    scope = scope_for(request.user)
    employee = None
    if scope.employee:
        employee = get_employee_for(request.user, scope.employee.pk)
    return render(request, "agencies/profile.html", {"employee": employee})


@login_required
def agency_list(request):
    scope = require_manager(request.user)
    agencies = scope.manageable_agencies().annotate(
        head_count=Count("employees", filter=Q(employees__is_active=True)),
        unit_count=Count("units", distinct=True),
    )
    return render(request, "agencies/agency_list.html", {"agencies": agencies})


@login_required
def agency_detail(request, pk: int):
    agency = get_agency_for(request.user, pk)
    rows = list(flatten(unit_tree(agency)))
    return render(request, "agencies/agency_detail.html", {"agency": agency, "rows": rows})


def _filtered_employees(request, scope):
    """The unit filter lists one agency's units: a region has thousands of them, so a user
    who manages several agencies picks the agency first."""
    agencies = scope.manageable_agencies().order_by("name")
    agency_ids = list(agencies.values_list("pk", flat=True)[:2])
    chosen = request.GET.get("agency", "")
    if len(agency_ids) == 1:
        unit_agency = agency_ids[0]
    else:
        unit_agency = int(chosen) if re.fullmatch(r"[0-9]{1,18}", chosen) else None
    units = (
        scope.visible_units().filter(agency_id=unit_agency).order_by("code")
        if unit_agency
        else scope.visible_units().none()
    )
    form = EmployeeFilterForm(
        request.GET or None, agencies=agencies if len(agency_ids) > 1 else None, units=units
    )
    employees = scope.visible_employees().with_related().order_by("name", "pk")
    if form.is_valid():
        data = form.cleaned_data
        employees = employees.search(data["q"])
        if data["agency"]:
            employees = employees.filter(agency=data["agency"])
        if data["unit"]:
            employees = employees.filter(unit=data["unit"])
        if data["position_kind"]:
            employees = employees.filter(position__kind=data["position_kind"])
        if data["golongan"]:
            employees = employees.filter(golongan__iexact=data["golongan"].replace(" ", ""))
        if data["status"]:
            employees = employees.filter(asn_status=data["status"])
    return form, employees


@login_required
def employee_list(request):
    scope = scope_for(request.user)
    form, employees = _filtered_employees(request, scope)
    page = Paginator(employees, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = (
        "agencies/partials/employee_table.html" if request.htmx else "agencies/employee_list.html"
    )
    return render(
        request,
        template,
        {"form": form, "page": page, "query": query.urlencode(), "scope": scope},
    )


@login_required
def employee_detail(request, pk: int):
    employee = get_employee_for(request.user, pk)
    scope = scope_for(request.user)
    return render(
        request,
        "agencies/employee_detail.html",
        {"employee": employee, "can_edit": scope.can_edit_employee(employee)},
    )


@login_required
def employee_edit(request, pk: int):
    employee = get_employee_for(request.user, pk, write=True)
    scope = scope_for(request.user)
    units = (
        scope.visible_units().filter(region_id=employee.region_id)
        if scope.is_admin_daerah
        else scope.visible_units().filter(agency_id=employee.agency_id)
    ).select_related("agency")
    positions = scope.visible_positions()
    form = EmployeeForm(request.POST or None, instance=employee, units=units, positions=positions)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "supervisor_nip"}
        try:
            employee_update(
                acting_user=request.user,
                employee=employee,
                data=data,
                supervisor_nip=form.cleaned_data["supervisor_nip"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Data pegawai disimpan."))
            return redirect("employee_detail", pk=employee.pk)
    return render(request, "agencies/employee_edit.html", {"form": form, "employee": employee})


@login_required
def position_list(request):
    scope = require_manager(request.user)
    positions = scope.visible_positions().annotate(
        head_count=Count("employees", filter=Q(employees__is_active=True))
    )
    page = Paginator(positions.order_by("name", "pk"), 50).get_page(request.GET.get("page"))
    return render(request, "agencies/position_list.html", {"page": page})


# --- imports and exports ----------------------------------------------------------------------


def _import_spec_for(request, kind: str):
    spec_class = REGISTRY.get(kind)
    if spec_class is None:
        from django.http import Http404

        raise Http404
    scope = require_manager(request.user)
    if spec_class.region_wide_only and not scope.is_admin_daerah:
        raise PermissionDenied(_("Berkas ini hanya dapat diimpor oleh Admin Daerah"))
    return spec_class, scope


def _context_for(scope, user) -> ImportContext:
    region = Region.objects.get(pk=scope.region_id)
    agency_ids = None if region.pk in scope.region_ids else frozenset(scope.hr_agency_ids)
    return ImportContext(region=region, agency_ids=agency_ids, user=user, today=region.today())


@login_required
def import_upload(request, kind: str):
    spec_class, scope = _import_spec_for(request, kind)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        context = _context_for(scope, request.user)
        run = ImportRun(
            kind=kind,
            region=context.region,
            uploaded_by=request.user,
            original_name=upload.name[:255],
        )
        try:
            result = run_import(spec_class, data, upload.name, context, dry_run=True)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            upload.seek(0)
            run.file.save(
                f"{kind}-{timezone.now():%Y%m%d%H%M%S}{_suffix(upload.name)}", upload, save=False
            )
            run.status = ImportRun.Status.PREVIEWED if result.ok else ImportRun.Status.INVALID
            run.summary = result.summary()
            run.errors = [str(e) for e in result.errors]
            run.save()
            return redirect("import_preview", pk=run.pk)
    return render(
        request,
        "agencies/import_upload.html",
        {
            "form": form,
            "spec": spec_class,
            "kind": kind,
            "recent": ImportRun.objects.filter(uploaded_by=request.user, kind=kind)[:5],
        },
    )


def _suffix(name: str) -> str:
    return ".csv" if name.lower().endswith(".csv") else ".xlsx"


def _get_import_run(request, pk: int) -> ImportRun:
    run = get_object_or_404(ImportRun, pk=pk, uploaded_by=request.user)
    _import_spec_for(request, run.kind)
    return run


@login_required
def import_preview(request, pk: int):
    run = _get_import_run(request, pk)
    errors = run.errors
    return render(
        request,
        "agencies/import_preview.html",
        {
            "run": run,
            "spec": REGISTRY[run.kind],
            "errors": errors[:500],
            "hidden_errors": max(0, len(errors) - 500),
        },
    )


@login_required
@require_POST
def import_confirm(request, pk: int):
    run = _get_import_run(request, pk)
    spec_class, scope = _import_spec_for(request, run.kind)
    if run.status != ImportRun.Status.PREVIEWED:
        messages.error(request, _("Impor ini tidak dapat dikonfirmasi; unggah ulang berkasnya."))
        return redirect("import_preview", pk=run.pk)
    with run.file.open("rb") as handle:
        data = handle.read()
    try:
        result = run_import(spec_class, data, run.file.name, _context_for(scope, request.user))
    except ImportFileError as exc:
        result = None
        run.errors = [str(exc)]
    if result is not None and result.ok:
        run.status = ImportRun.Status.IMPORTED
        run.imported_at = timezone.now()
        run.summary = result.summary()
        messages.success(
            request,
            _("Impor selesai: %(created)d baru, %(updated)d diperbarui.")
            % {"created": result.created, "updated": result.updated},
        )
    else:
        # The data changed since the preview; nothing was written.
        run.status = ImportRun.Status.INVALID
        if result is not None:
            run.errors = [str(e) for e in result.errors]
        messages.error(
            request,
            _("Impor dibatalkan: ada baris yang tidak valid. Tidak ada data yang disimpan."),
        )
    run.save(update_fields=["status", "imported_at", "summary", "errors"])
    return redirect("import_preview", pk=run.pk)


@login_required
def import_template(request, kind: str):
    spec_class, _scope = _import_spec_for(request, kind)
    content = write_xlsx(
        spec_class.headers(),
        [],
        text_headers=[c.header for c in spec_class.columns if c.as_text],
        title=spec_class.title,
    )
    return _xlsx_response(content, f"templat-{kind}.xlsx")


@login_required
def export(request, kind: str):
    spec_class, scope = _import_spec_for(request, kind)
    if kind in INDICATOR_RESOURCES:  # indicator sets, attendance, discipline
        resource = INDICATOR_RESOURCES[kind]()
        queryset = resource.export_queryset(scope)
    elif kind in RESOURCES:
        resource = RESOURCES[kind]()
        region_id = scope.region_id
        querysets = {
            "agencies": Agency.objects.filter(region_id=region_id).select_related("region"),
            "units": scope.visible_units().select_related("agency", "parent"),
            "positions": scope.visible_positions(),
            "employees": Employee.objects.filter(
                Q(agency_id__in=scope.hr_agency_ids) | Q(region_id__in=scope.region_ids)
            ).select_related("position", "unit", "supervisor"),
        }
        queryset = querysets[kind].order_by("pk")
    else:  # a file kind with no export
        from django.http import Http404

        raise Http404
    text_headers = [c.header for c in spec_class.columns if c.as_text]
    if kind == "employees":
        headers = [field.column_name for field in resource.get_export_fields()]
        content = write_xlsx(
            headers,
            employee_export_rows(queryset),
            text_headers=text_headers,
            title=spec_class.title,
        )
    else:
        dataset = resource.export(queryset=queryset)
        content = write_xlsx(
            dataset.headers, dataset, text_headers=text_headers, title=spec_class.title
        )
    return _xlsx_response(content, f"{kind}-{timezone.localdate():%Y%m%d}.xlsx")


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
