"""The citizens' survey: the public form (no login) and the HR results pages.

Thin views as everywhere (docs/architecture.md): access through `survey_access`, a form,
one service, then a redirect or a page.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from agencies.access import get_agency_for, require_manager
from agencies.exporting import export_response
from agencies.importing.writer import write_xlsx
from appraisals.models import Cycle
from indicators.ikm import ELEMENTS

from . import survey_selectors as selectors
from .models import ANSWER_FIELDS, SurveyUnit
from .survey_access import get_public_survey, get_survey_unit_for, survey_of
from .survey_forms import PeriodForm, SurveyForm
from .survey_limits import address_over_limit, answered_today, count_address, remember_answer
from .survey_posters import poster_filename, poster_pdf, poster_png, posters_zip, survey_url
from .survey_services import survey_response_create, survey_unit_set_public

# --- public -----------------------------------------------------------------------------


def _limited(request, survey_unit: SurveyUnit, reason: str) -> HttpResponse:
    return render(
        request,
        "feedback/survey_limit.html",
        {"unit": survey_unit.unit, "reason": reason},
        status=429,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def survey_form(request, token: str):
    survey_unit = get_public_survey(token)
    unit = survey_unit.unit
    now = timezone.now()
    today = now.astimezone(unit.region.tzinfo).date()
    if request.method == "GET" and request.GET.get("selesai") == "1":
        return render(request, "feedback/survey_thanks.html", {"unit": unit})
    if answered_today(request, survey_unit.pk, today):
        return _limited(request, survey_unit, "browser")
    if request.method == "POST":
        if address_over_limit(request, unit.pk, now):
            return _limited(request, survey_unit, "address")
        form = SurveyForm(request.POST)
        if form.is_valid():
            count_address(request, unit.pk, now)
            if not form.is_bot:  # a filled honeypot is thanked like anybody, and dropped
                data = form.cleaned_data
                survey_response_create(
                    survey_unit=survey_unit,
                    answers={key: data[key] for key in ANSWER_FIELDS},
                    comment=data["comment"],
                    gender=data["gender"],
                    age_band=data["age_band"],
                    education=data["education"],
                    occupation=data["occupation"],
                    now=now,
                    today=today,
                )
            response = redirect(reverse("survey_form", args=[token]) + "?selesai=1")
            remember_answer(response, survey_unit.pk, today)
            return response
    else:
        form = SurveyForm()
    return render(request, "feedback/survey_form.html", {"unit": unit, "form": form})


# --- HR ---------------------------------------------------------------------------------


def _period(request, agency) -> dict:
    """The period of a results page: `?siklus=<pk>` (a cycle of the agency), or `?dari=`
    and `?sampai=`, else the latest cycle that has started, else this calendar year."""
    today = timezone.now().astimezone(agency.region.tzinfo).date()
    cycles = list(Cycle.objects.filter(agencies=agency).order_by("-start_date", "name"))
    form = PeriodForm(request.GET or None)
    selected = None
    start = end = None
    if request.GET.get("siklus"):
        selected = next((c for c in cycles if str(c.pk) == request.GET["siklus"]), None)
    elif form.is_bound and form.is_valid() and form.cleaned_data.get("dari"):
        start = form.cleaned_data["dari"]
        end = form.cleaned_data.get("sampai") or today
    if selected is None and start is None:
        selected = next((c for c in cycles if c.start_date <= today), cycles[0] if cycles else None)
    if selected is not None:
        start, end = selected.start_date, selected.end_date
    if start is None:
        start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    query = f"siklus={selected.pk}" if selected else f"dari={start:%Y-%m-%d}&sampai={end:%Y-%m-%d}"
    return {
        "cycles": cycles,
        "selected_cycle": selected,
        "start": start,
        "end": end,
        "period_form": form,
        "period_query": query,
    }


@login_required
def survey_overview(request):
    """Units of one agency: which serve the public, their IKM in the period, posters."""
    scope = require_manager(request.user)
    agencies = list(scope.manageable_agencies().order_by("code"))
    agency = next((a for a in agencies if str(a.pk) == request.GET.get("instansi")), None)
    agency = agency or (agencies[0] if agencies else None)
    context = {"agencies": agencies, "agency": agency, "rows": []}
    if agency is not None:
        period = _period(request, agency)
        units = list(agency.units.select_related("survey").order_by("code"))
        ikm = selectors.ikm_by_unit([u.pk for u in units], period["start"], period["end"])
        context.update(period)
        rows = [(unit, survey_of(unit), ikm[unit.pk]) for unit in units]
        # Service units first (by code), then the others: what HR works with is on top.
        rows.sort(key=lambda row: (not (row[1] and row[1].melayani_publik), row[0].code))
        context["rows"] = rows
        context["service_units"] = sum(
            1 for _u, s, _i in context["rows"] if s and s.melayani_publik
        )
    return render(request, "feedback/survey_overview.html", context)


@login_required
@require_POST
def survey_unit_toggle(request, pk: int):
    unit = get_survey_unit_for(request.user, pk, write=True)
    wanted = request.POST.get("melayani_publik") == "1"
    survey_unit_set_public(unit=unit, melayani_publik=wanted, acting_user=request.user)
    if wanted:
        messages.success(
            request,
            _("%(unit)s kini melayani publik dan punya tautan survei.") % {"unit": unit.name},
        )
    else:
        messages.success(request, _("%(unit)s tidak lagi membuka survei.") % {"unit": unit.name})
    return redirect(reverse("survey_overview") + f"?instansi={unit.agency_id}")


CHART_ROW = 32
CHART_BAR_MAX = 240


def _chart(result) -> list[dict]:
    """The nine element means as bars: SVG geometry computed here, no style attribute."""
    rows = []
    for index, (element, mean) in enumerate(
        zip(ELEMENTS, result.element_means_rounded, strict=True)
    ):
        width = 0 if mean is None else int(CHART_BAR_MAX * mean / 4)
        rows.append(
            {
                "number": index + 1,
                "name": element.name,
                "mean": mean,
                "y": index * CHART_ROW + 8,
                "text_y": index * CHART_ROW + 26,
                "width": width,
                "value_x": 60 + width + 6,
            }
        )
    return rows


@login_required
def survey_results(request, pk: int):
    unit = get_survey_unit_for(request.user, pk)
    period = _period(request, unit.agency)
    start, end = period["start"], period["end"]
    result = selectors.unit_ikm(unit.pk, start, end)
    survey_unit = survey_of(unit)
    return render(
        request,
        "feedback/survey_results.html",
        {
            "unit": unit,
            "survey_unit": survey_unit,
            "survey_url": survey_url(survey_unit)
            if survey_unit and survey_unit.melayani_publik
            else "",
            "result": result,
            "chart": _chart(result),
            "chart_height": len(ELEMENTS) * CHART_ROW + 16,
            "per_day": selectors.responses_per_day(unit.pk, start, end),
            "comments": selectors.comments(unit.pk, start, end),
            **period,
        },
    )


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _label(choices, value: str) -> str:
    return dict(choices.choices).get(value, "") if value else ""


@login_required
def survey_responses_export(request, pk: int):
    """Every answer of the period: in the response when they are few, else as a job."""
    unit = get_survey_unit_for(request.user, pk)
    period = _period(request, unit.agency)
    return export_response(
        request,
        "survey_responses",
        {"unit": unit.pk, "start": period["start"].isoformat(), "end": period["end"].isoformat()},
    )


@login_required
def survey_ikm_export(request, pk: int):
    """The IKM of every unit of an agency in the period (units that serve the public)."""
    agency = get_agency_for(request.user, pk)
    period = _period(request, agency)
    units = list(agency.units.filter(survey__melayani_publik=True).order_by("code"))
    ikm = selectors.ikm_by_unit([u.pk for u in units], period["start"], period["end"])
    headers = [
        _("Kode unit"),
        _("Unit"),
        _("Dari"),
        _("Sampai"),
        _("Responden"),
        *[f"U{i}" for i in range(1, len(ELEMENTS) + 1)],
        _("IKM"),
        _("Mutu"),
        _("Kinerja unit"),
    ]

    def rows():
        for unit in units:
            r = ikm[unit.pk]
            yield [
                unit.code,
                unit.name,
                period["start"],
                period["end"],
                r.respondents,
                *[None if m is None else Decimal(m) for m in r.element_means_rounded],
                r.value_rounded,
                r.grade.value if r.grade else "",
                r.grade.label if r.grade else "",
            ]

    content = write_xlsx(headers, rows(), text_headers=[_("Kode unit")], title=_("IKM per unit"))
    return _xlsx(content, f"ikm-{agency.code}-{period['start']:%Y%m%d}-{period['end']:%Y%m%d}.xlsx")


def _service_unit(request, pk: int) -> SurveyUnit:
    from django.http import Http404

    unit = get_survey_unit_for(request.user, pk)
    survey_unit = survey_of(unit)
    if survey_unit is None or not survey_unit.melayani_publik:
        raise Http404("Unit ini tidak melayani publik")
    return survey_unit


@login_required
def survey_poster_pdf(request, pk: int):
    survey_unit = _service_unit(request, pk)
    response = HttpResponse(poster_pdf(survey_unit), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{poster_filename(survey_unit, "pdf")}"'
    )
    return response


@login_required
def survey_poster_png(request, pk: int):
    survey_unit = _service_unit(request, pk)
    response = HttpResponse(poster_png(survey_unit), content_type="image/png")
    response["Content-Disposition"] = (
        f'attachment; filename="{poster_filename(survey_unit, "png")}"'
    )
    return response


@login_required
def survey_posters_zip(request, pk: int):
    agency = get_agency_for(request.user, pk)
    survey_units = (
        SurveyUnit.objects.filter(unit__agency=agency, melayani_publik=True)
        .select_related("unit__agency")
        .order_by("unit__code")
    )
    response = HttpResponse(posters_zip(survey_units), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="poster-survei-{agency.code}.zip"'
    return response
