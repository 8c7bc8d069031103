"""The dashboard pages (docs/dashboards.md): thin views over ``reports.dashboards``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from agencies.access import get_employee_for
from indicators.scheme_outputs import AGENCY_WIDE, outputs_for
from indicators.schemes import SCHEMES

from . import dashboard_exports as exports
from . import dashboards
from .dashboards import Reach
from .xlsx import xlsx_response

# The pages, in the order of the dashboard menu.
PAGES = (
    ("dashboard_completion", _("Kelengkapan per unit")),
    ("dashboard_distribution", _("Distribusi predikat")),
    ("dashboard_gaps", _("Kesenjangan dan kebutuhan pelatihan")),
    ("dashboard_strengths", _("Kekuatan dan kelemahan pegawai")),
    ("dashboard_top", _("Pegawai berprestasi")),
    ("dashboard_coaching", _("Perlu pembinaan")),
    ("dashboard_promotion", _("Kelayakan promosi")),
    ("dashboard_on_time", _("Ketepatan waktu target")),
    ("dashboard_outliers", _("Sebaran nilai per penilai")),
)

EXPORTS = {
    "dashboard_completion": exports.completion,
    "dashboard_distribution": exports.distribution,
    "dashboard_gaps": exports.gaps,
    "dashboard_strengths": exports.strengths,
    "dashboard_top": exports.top,
    "dashboard_coaching": exports.coaching,
    "dashboard_on_time": exports.on_time,
    "dashboard_outliers": exports.outliers,
}


# The lists with a row per employee, and how many rows each has: above a page of rows their
# Excel file is written by a job (reports.dashboard_jobs), never within a request.
SIZES = {
    "dashboard_strengths": lambda reach, cycle: dashboards.strengths_page(reach, cycle, 1),
    "dashboard_coaching": lambda reach, cycle: dashboards.coaching_page(reach, cycle, 1),
    "dashboard_on_time": lambda reach, cycle: dashboards.on_time_page(reach, cycle, 1),
}


def _download(
    request: HttpRequest, reach: Reach, here: str, cycle: Any, rows: int, direct
) -> HttpResponse:
    """The file now when it holds at most a page of rows; else a page offering the job (GET)
    and, on its POST, the job."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from agencies.exporting import inline_limit
    from reports.jobs import JobAlreadyRunning

    from .dashboard_jobs import dashboard_download_start

    if rows <= inline_limit():
        return direct()
    if request.method != "POST":
        return render(
            request,
            "agencies/export_job_confirm.html",
            {"rows": rows, "limit": inline_limit(), "filename": _("Daftar ini")},
        )
    try:
        job = dashboard_download_start(acting_user=request.user, page=here, cycle=cycle)
    except JobAlreadyRunning as running:
        if running.job is None:
            return redirect(request.get_full_path())
        job = running.job
    messages.success(request, _("Berkas Excel sedang dibuat; unduh dari halaman ini."))
    return redirect("job_detail", pk=job.pk)


def _context(request: HttpRequest, reach: Reach, here: str, **extra: Any) -> dict[str, Any]:
    pages = [
        {"name": name, "title": title}
        for name, title in PAGES
        if reach.sees_agencies or name not in AGENCY_WIDE
    ]
    cycle = extra.get("cycle")
    query = urlencode({"siklus": cycle.pk}) if cycle is not None else ""
    return {
        "pages": pages,
        "here": here,
        "reach": reach,
        "query": query,
        **extra,
    }


# Which cycle a page shows when none is asked for (reports.dashboards.pick_cycle).
PREFER = {
    "dashboard_completion": dashboards.LATEST,
    "dashboard_distribution": dashboards.WITH_RESULTS,
    "dashboard_outliers": dashboards.WITH_RESULTS,
}


def _cycle_page(request: HttpRequest, here: str) -> tuple[Reach, Any, list[Any]]:
    reach = dashboards.reach_for(request.user)
    cycle = dashboards.pick_cycle(
        reach,
        pk=request.GET.get("siklus"),
        scheme_key=request.GET.get("skema"),
        prefer=PREFER.get(here, dashboards.WITH_FINAL_RESULTS),
    )
    cycles = list(reach.cycles()[:100])
    if cycle is not None and cycle not in cycles:
        cycles.insert(0, cycle)
    return reach, cycle, cycles


@login_required
def dashboard_index(request: HttpRequest) -> HttpResponse:
    reach = dashboards.reach_for(request.user)
    in_use = set(reach.cycles().values_list("scheme_key", flat=True))
    scheme_outputs = [
        (key, scheme.name, outputs)
        for key, scheme in SCHEMES.items()
        if key in in_use and (outputs := outputs_for(reach.scope, key))
    ]
    return render(
        request,
        "reports/dashboard_index.html",
        _context(request, reach, "", scheme_outputs=scheme_outputs),
    )


def _wants_download(request: HttpRequest) -> bool:
    return request.GET.get("unduh") == "xlsx"


def _render_cycle_page(request, here: str, template: str, build) -> HttpResponse:
    reach, cycle, cycles = _cycle_page(request, here)
    if here in AGENCY_WIDE:
        reach.require_agencies()
    if _wants_download(request):
        if cycle is None:
            raise Http404("Siklus tidak ditemukan")
        slug = request.path.rstrip("/").rsplit("/", 1)[-1]
        size = SIZES.get(here)
        rows = size(reach, cycle).paginator.count if size is not None else 0
        return _download(
            request, reach, here, cycle, rows,
            lambda: xlsx_response(f"{slug}-{cycle.pk}.xlsx", EXPORTS[here](reach, cycle)),
        )  # fmt: skip
    data = build(reach, cycle) if cycle is not None else {}
    return render(
        request,
        template,
        _context(request, reach, here, cycle=cycle, cycles=cycles, **data),
    )


@login_required
def dashboard_completion(request: HttpRequest) -> HttpResponse:
    return _render_cycle_page(
        request, "dashboard_completion", "reports/dashboard_completion.html",
        lambda reach, cycle: {"progress": dashboards.completion(reach, cycle)},
    )  # fmt: skip


@login_required
def dashboard_distribution(request: HttpRequest) -> HttpResponse:
    return _render_cycle_page(
        request, "dashboard_distribution", "reports/dashboard_distribution.html",
        lambda reach, cycle: {"agencies": dashboards.distributions(reach, cycle)},
    )  # fmt: skip


@login_required
def dashboard_gaps(request: HttpRequest) -> HttpResponse:
    return _render_cycle_page(
        request, "dashboard_gaps", "reports/dashboard_gaps.html",
        lambda reach, cycle: {"groups": dashboards.gaps(reach, cycle)},
    )  # fmt: skip


@login_required
def dashboard_strengths(request: HttpRequest) -> HttpResponse:
    page = request.GET.get("page")
    return _render_cycle_page(
        request, "dashboard_strengths", "reports/dashboard_strengths.html",
        lambda reach, cycle: {"page": dashboards.strengths_page(reach, cycle, page)},
    )  # fmt: skip


@login_required
def dashboard_top(request: HttpRequest) -> HttpResponse:
    return _render_cycle_page(
        request, "dashboard_top", "reports/dashboard_top.html",
        lambda reach, cycle: {
            "rows": dashboards.top_performers(reach, cycle),
            "matrix": cycle.scheme.mode == dashboards.Mode.MATRIX,
        },
    )  # fmt: skip


@login_required
def dashboard_coaching(request: HttpRequest) -> HttpResponse:
    page = request.GET.get("page")
    return _render_cycle_page(
        request, "dashboard_coaching", "reports/dashboard_coaching.html",
        lambda reach, cycle: {"page": dashboards.coaching_page(reach, cycle, page)},
    )  # fmt: skip


@login_required
def dashboard_on_time(request: HttpRequest) -> HttpResponse:
    page = request.GET.get("page")
    return _render_cycle_page(
        request, "dashboard_on_time", "reports/dashboard_on_time.html",
        lambda reach, cycle: {
            "page": dashboards.on_time_page(reach, cycle, page),
            "dated_scheme": cycle.scheme.has_due_dates,
        },
    )  # fmt: skip


@login_required
def dashboard_outliers(request: HttpRequest) -> HttpResponse:
    return _render_cycle_page(
        request, "dashboard_outliers", "reports/dashboard_outliers.html",
        lambda reach, cycle: {
            "rows": dashboards.outliers(reach, cycle),
            "matrix": cycle.scheme.mode == dashboards.Mode.MATRIX,
        },
    )  # fmt: skip


@login_required
def dashboard_promotion(request: HttpRequest) -> HttpResponse:
    reach = dashboards.reach_for(request.user)
    if _wants_download(request):
        rows = dashboards.promotion_page(reach, 1).paginator.count
        return _download(
            request, reach, "dashboard_promotion", None, rows,
            lambda: xlsx_response("kelayakan-promosi.xlsx", exports.promotion(reach)),
        )  # fmt: skip
    page = dashboards.promotion_page(reach, request.GET.get("page"))
    return render(
        request,
        "reports/dashboard_promotion.html",
        _context(request, reach, "dashboard_promotion", page=page),
    )


@login_required
def employee_history(request: HttpRequest, pk: int) -> HttpResponse:
    employee = get_employee_for(request.user, pk)
    rows = dashboards.history(request.user, employee)
    if _wants_download(request):
        return xlsx_response(f"riwayat-{employee.nip}.xlsx", exports.history(employee, rows))
    return render(
        request,
        "reports/employee_history.html",
        {"employee": employee, "rows": rows, "chart": dashboards.history_chart(rows)},
    )
