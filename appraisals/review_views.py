"""Thin views of the Verifikator's and the Tim Penilai's pages (see docs/roles.md).

They sit beside ``views.py`` and follow its conventions: the access helper first, a form,
one service call per object, then a redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.access import scope_for
from agencies.models import Unit
from asn_portal.private_files import private_file_response

from . import services
from .access import get_appraisal_for
from .forms import (
    LEVEL_LABELS,
    BulkVerifyForm,
    TeamScoreForm,
    VerificationDecisionForm,
    VerificationFilterForm,
)
from .models import Evidence, PlanIndicator
from .selectors import team_score_queue, verification_queue
from .views import _errors, _flash

QUEUE_PAGE_SIZE = 25


# --- evidence, opened in the browser ---------------------------------------------------------


@login_required
def evidence_view(request, pk: int):
    """The same access check as the download, served ``inline`` for images and PDF so the
    Verifikator reads it in the browser; still never from a public URL."""
    evidence = get_object_or_404(Evidence.objects.select_related("indicator__result"), pk=pk)
    get_appraisal_for(request.user, evidence.indicator.result.appraisal_id)
    return private_file_response(
        evidence.file, content_type=evidence.content_type, filename=evidence.original_name,
        inline=evidence.opens_inline,
    )  # fmt: skip


# --- the Verifikator ---------------------------------------------------------------------------


def _require_verifier(user):
    scope = scope_for(user)
    if not scope.is_verifikator:
        raise PermissionDenied(_("Halaman ini untuk Verifikator"))
    return scope


@login_required
def verification(request):
    scope = _require_verifier(request.user)
    units = Unit.objects.filter(agency_id__in=scope.verifier_agency_ids).order_by("name")
    filters = VerificationFilterForm(request.GET or None, units=units)
    unit_id, status = None, "menunggu"
    if filters.is_valid():
        unit_id = filters.cleaned_data["unit"]
        status = filters.cleaned_data["status"] or "menunggu"
    queue = verification_queue(scope, unit_id=unit_id, status=status)
    page = Paginator(queue, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in (("unit", unit_id or ""), ("status", status)) if v}
    return render(
        request,
        "appraisals/verification.html",
        {
            "filters": filters,
            "page": page,
            "status": status,
            "query": urlencode(query),
        },
    )


def _get_indicator_for(user, pk: int) -> PlanIndicator:
    """A realisation of an appraisal the user may see (404 otherwise); the service decides
    whether they may verify it (403)."""
    indicator = get_object_or_404(PlanIndicator.objects.select_related("result"), pk=pk)
    get_appraisal_for(user, indicator.result.appraisal_id)
    return indicator


def _back(request):
    query = request.POST.get("query", "")
    return redirect(reverse("verification") + (f"?{query}" if query else ""))


@login_required
@require_POST
def verification_decide(request, pk: int):
    indicator = _get_indicator_for(request.user, pk)
    form = VerificationDecisionForm(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return _back(request)
    data = form.cleaned_data
    try:
        if data["decision"] == "verify":
            services.realisation_verify(acting_user=request.user, indicator=indicator)
            messages.success(
                request, _("Realisasi %(code)s diverifikasi.") % {"code": indicator.code}
            )
        elif data["decision"] == "reject":
            services.realisation_reject(
                acting_user=request.user, indicator=indicator, reason=data["reason"]
            )
            messages.success(request, _("Realisasi %(code)s ditolak.") % {"code": indicator.code})
        else:
            services.realisation_correct(
                acting_user=request.user, indicator=indicator, value=data["value"],
                reason=data["reason"],
            )  # fmt: skip
            messages.success(request, _("Realisasi %(code)s dikoreksi.") % {"code": indicator.code})
    except ValidationError as exc:
        _flash(request, exc)
    return _back(request)


@login_required
@require_POST
def verification_bulk(request):
    """Verify the checked rows of a page, each through the same service, in one transaction
    per row: one refused row does not undo the others."""
    _require_verifier(request.user)
    form = BulkVerifyForm(request.POST)
    if not form.is_valid():
        _flash(request, ValidationError(form.errors["indicator"]))
        return _back(request)
    verified, refused = 0, []
    for pk in form.cleaned_data["indicator"]:
        try:
            with transaction.atomic():
                indicator = _get_indicator_for(request.user, pk)
                services.realisation_verify(acting_user=request.user, indicator=indicator)
            verified += 1
        except (ValidationError, PermissionDenied, Http404) as exc:
            refused.append(str(getattr(exc, "messages", [exc])[0]))
    if verified:
        messages.success(request, _("%(n)d realisasi diverifikasi.") % {"n": verified})
    if refused:
        messages.error(
            request, _("%(n)d realisasi tidak dapat diverifikasi.") % {"n": len(refused)}
        )
        for message in sorted(set(refused)):
            messages.error(request, message)
    return _back(request)


# --- the Tim Penilai ---------------------------------------------------------------------------


@login_required
def team_scores(request):
    scope = scope_for(request.user)
    if not scope.is_tim_penilai:
        raise PermissionDenied(_("Halaman ini untuk anggota Tim Penilai"))
    page = Paginator(team_score_queue(scope, request.user), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "appraisals/team_scores.html", {"page": page, "levels": LEVEL_LABELS})


@login_required
@require_POST
def team_score_save(request, pk: int):
    access = get_appraisal_for(request.user, pk)
    form = TeamScoreForm(request.POST)
    if form.is_valid():
        try:
            services.team_score_save(
                acting_user=request.user, appraisal=access.appraisal,
                level=form.cleaned_data["level"], comment=form.cleaned_data["comment"],
            )  # fmt: skip
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(
                request,
                _("Nilai Tim Penilai untuk %(name)s disimpan.")
                % {"name": access.appraisal.employee.full_name},
            )
    else:
        for message in _errors(ValidationError(form.errors)):
            messages.error(request, message)
    return redirect(f"{reverse('team_scores')}#penilaian-{pk}")
