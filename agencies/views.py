"""Thin function views: check access, bind a form, call one service, render."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asn_portal.keyset import (
    AFTER,
    BEFORE,
    capped_count,
    keyset_page,
    keyset_page_of_matches,
)
from asn_portal.waiting import waiting_for
from reports.models import Job

from .access import get_agency_for, get_employee_for, require_manager, scope_for
from .exporting import export_response
from .forms import EmployeeFilterForm, EmployeeForm, ImportUploadForm
from .importing.base import REGISTRY, ImportFileError
from .importing.reader import check_file
from .importing.writer import write_xlsx
from .models import Employee, ImportRun, OrgAuditEntry, Unit
from .selectors import (
    flatten,
    org_audit_for_employee,
    org_audit_visible,
    unit_tree,
)
from .services import (
    employee_nip_confirm,
    employee_update,
    import_run_confirm,
    import_run_start,
    nip_change_read,
)

PAGE_SIZE = 25
# A search matching up to this many employees is paged from its (name, id) keys in memory.
SEARCH_KEYS_MAX = 5000


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def _count_of(rows: QuerySet) -> Coalesce:
    """A correlated COUNT(*) of ``rows`` (filtered on ``OuterRef``): each agency is counted on
    its own index range instead of joining and grouping the region's employees."""
    return Coalesce(
        Subquery(
            rows.order_by().values("agency").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _active_heads() -> Coalesce:
    return _count_of(Employee.objects.filter(agency=OuterRef("pk"), is_active=True))


@login_required
def home(request):
    scope = scope_for(request.user)
    today = timezone.now().astimezone(scope.tzinfo).date()
    context = {
        "scope": scope,
        "today": today,
        "waiting": waiting_for(request.user, today=today),
    }
    if scope.employee and scope.is_atasan:
        # Counted up to a cap on the path index: a Sekda's 59,999 need no exact figure here.
        context["team_size"], context["team_more"] = capped_count(
            scope.subordinates().filter(is_active=True)
        )
    if scope.is_admin_hr or scope.is_admin_daerah:
        context["agencies"] = scope.manageable_agencies().annotate(head_count=_active_heads())
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
        head_count=_active_heads(), unit_count=_count_of(Unit.objects.filter(agency=OuterRef("pk")))
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
    employees = scope.visible_employees().with_related()
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
    searched = (
        keyset_page_of_matches(
            employees, request.GET, field="name", size=PAGE_SIZE, cap=SEARCH_KEYS_MAX
        )
        if form.is_valid() and form.cleaned_data["q"].strip()
        else None
    )
    if searched is not None:
        page, total = searched
        more = False
    else:
        page = keyset_page(employees, request.GET, field="name", size=PAGE_SIZE)
        total, more = capped_count(employees)
    query = request.GET.copy()
    for name in ("page", AFTER, BEFORE):
        query.pop(name, None)
    template = (
        "agencies/partials/employee_table.html" if request.htmx else "agencies/employee_list.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "total": total,
            "more": more,
            "query": query.urlencode(),
            "scope": scope,
        },
    )


@login_required
def employee_detail(request, pk: int):
    employee = get_employee_for(request.user, pk)
    scope = scope_for(request.user)
    can_edit = scope.can_edit_employee(employee)
    manages = scope.can_manage_agency(employee.agency_id, employee.region_id)
    return render(
        request,
        "agencies/employee_detail.html",
        {
            "employee": employee,
            "can_edit": can_edit,
            "org_audit": org_audit_for_employee(employee)[:100] if manages else None,
        },
    )


@login_required
def org_audit(request):
    """Changes to organisation data (employees, units, positions, roles) HR may read."""
    scope = require_manager(request.user)
    kind = request.GET.get("jenis", "")
    if kind not in OrgAuditEntry.ObjectType.values:
        kind = ""
    page = Paginator(org_audit_visible(scope, object_type=kind), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "agencies/org_audit.html",
        {"page": page, "kind": kind, "kinds": OrgAuditEntry.ObjectType.choices},
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
            saved = employee_update(
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
            if "email" in saved.pending_changes:
                messages.info(
                    request,
                    _(
                        "E-mail baru berlaku setelah pemilik akun mengonfirmasinya dari alamat "
                        "baru; alamat lama diberi tahu."
                    ),
                )
            if "nip" in saved.pending_changes:
                messages.info(
                    request,
                    _("NIP baru berlaku setelah pemilik akun mengonfirmasinya lewat e-mail."),
                )
            return redirect("employee_detail", pk=employee.pk)
    return render(request, "agencies/employee_edit.html", {"form": form, "employee": employee})


def nip_change_confirm(request, token: str):
    """The owner of an account confirms a new NIP (their login) from the link in their
    e-mail; no login is needed, the signed link is the proof."""
    change = nip_change_read(token)
    error = None
    if request.method == "POST" and change is not None:
        try:
            employee_nip_confirm(token=token)
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        else:
            messages.success(request, _("NIP baru berlaku: masuk dengan NIP baru Anda."))
            return redirect("account_login")
    return render(
        request,
        "agencies/nip_change_confirm.html",
        {"change": change, "error": error},
        status=200 if change is not None else 404,
    )


@login_required
def position_list(request):
    scope = require_manager(request.user)
    positions = scope.visible_positions().annotate(
        head_count=Count("employees", filter=Q(employees__is_active=True), distinct=True)
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


# The order a region is built in: the organisation first, then what hangs on it.
IMPORT_ORDER = (
    "agencies", "units", "positions", "employees", "indicators", "attendance", "discipline",
)  # fmt: skip


def import_kinds_for(scope) -> list[tuple[str, str]]:
    """The file kinds this user may import, as ``(kind, title)``, in building order."""
    kinds = sorted(REGISTRY.values(), key=lambda spec: IMPORT_ORDER.index(spec.kind))
    return [(s.kind, s.title) for s in kinds if scope.is_admin_daerah or not s.region_wide_only]


@login_required
def import_upload(request, kind: str):
    """Quick checks of the file here; the full check runs as a background job and the
    preview page follows it."""
    spec_class, scope = _import_spec_for(request, kind)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_file(upload.read(), upload.name)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            run = import_run_start(acting_user=request.user, kind=kind, upload=upload)
            return redirect("import_preview", pk=run.pk)
    return render(
        request,
        "agencies/import_upload.html",
        {
            "form": form,
            "spec": spec_class,
            "kind": kind,
            "kinds": import_kinds_for(scope),
            "recent": ImportRun.objects.filter(uploaded_by=request.user, kind=kind)[:5],
        },
    )


def _get_import_run(request, pk: int) -> ImportRun:
    run = get_object_or_404(ImportRun, pk=pk, uploaded_by=request.user)
    _import_spec_for(request, run.kind)
    return run


@login_required
def import_preview(request, pk: int):
    """The run's progress while its job works (htmx reloads the block), then the preview
    or the result."""
    run = _get_import_run(request, pk)
    job = Job.objects.filter(pk=run.job_id).first() if run.job_id else None
    return render(
        request,
        "agencies/import_preview.html",
        {
            "run": run,
            "job": job,
            "job_failed": job is not None and job.status == Job.Status.FAILED,
            "spec": REGISTRY[run.kind],
            "errors": run.errors,
            "hidden_errors": run.hidden_error_count,
        },
    )


@login_required
@require_POST
def import_confirm(request, pk: int):
    run = _get_import_run(request, pk)
    if not import_run_confirm(acting_user=request.user, run=run):
        messages.error(request, _("Impor ini tidak dapat dikonfirmasi; unggah ulang berkasnya."))
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
def import_example(request, kind: str):
    """The kind's filled-in example file, as stored in the repository (the demo's own)."""
    spec_class, _scope = _import_spec_for(request, kind)
    if spec_class.example_file is None:
        raise Http404
    return FileResponse(
        spec_class.example_file.open("rb"),
        as_attachment=True,
        filename=f"contoh-{kind}{spec_class.example_file.suffix}",
        content_type="text/csv; charset=utf-8",
    )


@login_required
def export(request, kind: str):
    """The kind's rows in its import file's columns: in the response when they are few, else
    as a job whose page offers the file once written (agencies/exporting.py)."""
    return export_response(request, "file_kind", {"kind": kind})


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
