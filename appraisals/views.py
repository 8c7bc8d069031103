"""Thin views over the appraisal services (see docs/architecture.md)."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.access import require_manager, scope_for
from agencies.models import Region

from . import services
from .access import cycle_agencies_managed, get_appraisal_for, get_cycle_for, visible_appraisals
from .forms import CycleForm, DeadlineForm
from .models import Cycle, Evidence, Phase, State
from .selectors import appraisal_detail as load_detail
from .selectors import audit_for, cycle_progress, team_queue


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for messages_ in exc.message_dict.values() for m in messages_]
    return list(exc.messages)


def _flash(request, exc: ValidationError) -> None:
    for message in _errors(exc):
        messages.error(request, message)


def _version(request) -> int:
    """The version the user's page showed. A form without one is refused as stale (0 is never
    a version), so an edit is never applied on top of changes its author did not see."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


def _id(text: str) -> int | None:
    """A primary key from a form value, or None: only ASCII digits, never '²' or 10**30."""
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text or "") else None


def _indexed(post, prefix: str) -> dict[int, str]:
    """``{pk: value}`` from fields named ``<prefix><pk>``."""
    out = {}
    for key, value in post.items():
        if key.startswith(prefix):
            pk = _id(key[len(prefix) :])
            if pk is not None:
                out[pk] = value
    return out


# --- the employee's own appraisals ----------------------------------------------------------


@login_required
def my_appraisals(request):
    scope = scope_for(request.user)
    appraisals = []
    if scope.employee:
        appraisals = list(
            visible_appraisals(request.user)
            .filter(employee=scope.employee)
            .select_related("cycle")
            .order_by("-cycle__start_date")
        )
    return render(request, "appraisals/my_appraisals.html", {"appraisals": appraisals})


@login_required
def appraisal_detail(request, pk: int):
    access = get_appraisal_for(request.user, pk)
    if access.is_owner:
        services.plan_ensure(access.appraisal)
    else:
        services._ensure_behaviours(access.appraisal)
    appraisal = load_detail(pk)
    cycle = appraisal.cycle
    now = timezone.now()
    supervisor_results = []
    if cycle.scheme.cascading and appraisal.plan_editable and access.is_owner:
        supervisor_results = list(services._supervisor_results(appraisal))
    context = {
        "appraisal": appraisal,
        "access": access,
        "scheme": cycle.scheme,
        "cycle": cycle,
        "deadlines": [
            (phase.label, cycle.deadline(phase), cycle.is_past(phase, now)) for phase in Phase
        ],
        "planning_past": cycle.is_past(Phase.PLANNING, now),
        "self_past": cycle.is_past(Phase.SELF_ASSESSMENT, now),
        "plan_problems": services.plan_problems(appraisal) if appraisal.plan_editable else [],
        "scoring_problems": services.scoring_problems(appraisal)
        if appraisal.state == State.SELF_ASSESSED
        else [],
        "supervisor_results": supervisor_results,
        "audit": audit_for(appraisal, full=not access.is_owner),
        "levels": [
            (i, label)
            for i, label in enumerate(
                ["", "Sangat Kurang", "Kurang", "Butuh Perbaikan", "Baik", "Sangat Baik"]
            )
            if i
        ],
        "ratings": [
            ("di_atas", "Di Atas Ekspektasi"),
            ("sesuai", "Sesuai Ekspektasi"),
            ("di_bawah", "Di Bawah Ekspektasi"),
        ],
        "breakdown": appraisal.breakdown if access.sees_results else None,
        "expectations": _expectations(appraisal),
    }
    return render(request, "appraisals/appraisal_detail.html", context)


def _expectations(appraisal) -> dict[int, str]:
    """The atasan's specific expectation per BerAKHLAK value, keyed by value id."""
    from indicators.models import LeaderExpectation

    if not appraisal.supervisor_id:
        return {}
    return dict(
        LeaderExpectation.objects.filter(leader_id=appraisal.supervisor_id).values_list(
            "value_id", "text"
        )
    )


@login_required
@require_POST
def plan_save(request, pk: int):
    access = get_appraisal_for(request.user, pk, write=True)
    indicators: dict[int, dict] = {}
    for ind_pk, value in _indexed(request.POST, "weight_").items():
        indicators.setdefault(ind_pk, {})["weight"] = value
    for ind_pk, value in _indexed(request.POST, "target_").items():
        indicators.setdefault(ind_pk, {})["target"] = value
    supports = {res_pk: _id(value) for res_pk, value in _indexed(request.POST, "supports_").items()}
    try:
        services.plan_update(
            acting_user=request.user, access=access, version=_version(request),
            indicators=indicators, supports=supports,
        )  # fmt: skip
        if request.POST.get("submit"):
            access = get_appraisal_for(request.user, pk, write=True)
            services.appraisal_submit_targets(
                acting_user=request.user, access=access, version=access.appraisal.version
            )
            messages.success(request, _("Rencana diajukan kepada atasan."))
        else:
            messages.success(request, _("Rencana disimpan."))
    except ValidationError as exc:
        _flash(request, exc)
    return redirect("appraisal_detail", pk=pk)


TRANSITIONS = {
    "submit_targets": (
        services.appraisal_submit_targets,
        False,
        _("Rencana diajukan kepada atasan."),
    ),
    "return_targets": (
        services.appraisal_return_targets,
        True,
        _("Rencana dikembalikan kepada pegawai."),
    ),
    "approve_targets": (services.appraisal_approve_targets, False, _("Rencana disetujui.")),
    "submit_self": (services.appraisal_submit_self_assessment, False, _("Penilaian diri dikirim.")),
    "return_self": (
        services.appraisal_return_self_assessment,
        True,
        _("Penilaian diri dikembalikan."),
    ),
    "mark_scored": (services.appraisal_mark_scored, False, _("Penilaian selesai.")),
    "reopen": (services.appraisal_reopen, False, _("Penilaian dibuka kembali.")),
}


@login_required
@require_POST
def appraisal_transition(request, pk: int, action: str):
    if action not in TRANSITIONS:
        raise Http404
    service, needs_comment, success = TRANSITIONS[action]
    access = get_appraisal_for(request.user, pk, write=True)
    kwargs = {"acting_user": request.user, "access": access, "version": _version(request)}
    if needs_comment:
        kwargs["comment"] = request.POST.get("comment", "")
    if action == "submit_self":
        kwargs["comment"] = request.POST.get("comment", "")
    if action == "reopen":
        kwargs["reason"] = request.POST.get("reason", "")
    try:
        service(**kwargs)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, success)
    if request.POST.get("next") == "team":
        return redirect("team")
    return redirect("appraisal_detail", pk=pk)


@login_required
@require_POST
def realisation_save(request, pk: int, indicator_pk: int):
    """Partial save of one indicator's self-assessment (htmx): typed work is never lost."""
    access = get_appraisal_for(request.user, pk, write=True)
    error = ""
    try:
        services.appraisal_save_realisation(
            acting_user=request.user, access=access, version=_version(request),
            indicator_id=indicator_pk, realisation=request.POST.get("realisation", ""),
            comment=request.POST.get("comment", ""), self_level=request.POST.get("self_level", ""),
        )  # fmt: skip
    except ValidationError as exc:
        error = " ".join(_errors(exc))
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Realisasi disimpan."))
        return redirect("appraisal_detail", pk=pk)
    appraisal = load_detail(pk)
    indicator = next(
        (i for r in appraisal.results.all() for i in r.indicators.all() if i.pk == indicator_pk),
        None,
    )
    if indicator is None:
        raise Http404("Indikator tidak ditemukan dalam rencana ini")
    return render(
        request,
        "appraisals/partials/realisation_saved.html",
        {"appraisal": appraisal, "indicator": indicator, "error": error, "saved": not error},
    )


@login_required
@require_POST
def scores_save(request, pk: int):
    access = get_appraisal_for(request.user, pk, write=True)
    overrides = None
    if "hasil_kerja_override" in request.POST or "perilaku_override" in request.POST:
        overrides = {
            "hasil_kerja": request.POST.get("hasil_kerja_override", ""),
            "perilaku": request.POST.get("perilaku_override", ""),
        }
    try:
        services.appraisal_save_scores(
            acting_user=request.user, access=access, version=_version(request),
            indicator_levels=_indexed(request.POST, "level_"),
            behaviour_levels=_indexed(request.POST, "behaviour_"),
            result_feedback=_indexed(request.POST, "feedback_"),
            behaviour_feedback=_indexed(request.POST, "bfeedback_"),
            overrides=overrides, reason=request.POST.get("reason", ""),
        )  # fmt: skip
        if request.POST.get("finish"):
            access = get_appraisal_for(request.user, pk, write=True)
            services.appraisal_mark_scored(
                acting_user=request.user, access=access, version=access.appraisal.version
            )
            messages.success(request, _("Penilaian selesai."))
        else:
            messages.success(request, _("Nilai disimpan."))
    except ValidationError as exc:
        _flash(request, exc)
    return redirect("appraisal_detail", pk=pk)


# --- evidence --------------------------------------------------------------------------------


@login_required
@require_POST
def evidence_upload(request, pk: int, indicator_pk: int):
    access = get_appraisal_for(request.user, pk, write=True)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Pilih berkas bukti dukung terlebih dahulu."))
        return redirect("appraisal_detail", pk=pk)
    try:
        services.evidence_add(
            acting_user=request.user, access=access, indicator_id=indicator_pk, upload=upload
        )
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Bukti dukung diunggah."))
    from django.urls import reverse

    return redirect(f"{reverse('appraisal_detail', args=[pk])}#indikator-{indicator_pk}")


def _get_evidence_for(user, pk: int, *, write: bool = False):
    evidence = get_object_or_404(Evidence.objects.select_related("indicator__result"), pk=pk)
    access = get_appraisal_for(user, evidence.indicator.result.appraisal_id, write=write)
    return evidence, access


@login_required
def evidence_download(request, pk: int):
    """Evidence is served only after this check: never from a public URL."""
    evidence, _access = _get_evidence_for(request.user, pk)
    if settings.PRIVATE_FILES_ACCEL_PREFIX:
        response = HttpResponse(content_type=evidence.content_type)
        response["X-Accel-Redirect"] = (
            settings.PRIVATE_FILES_ACCEL_PREFIX.rstrip("/") + "/" + evidence.file.name
        )
    else:
        response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
    # Quotes and non-ASCII in the uploader's file name are escaped (RFC 6266), never raw.
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=evidence.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def evidence_remove(request, pk: int):
    evidence, access = _get_evidence_for(request.user, pk, write=True)
    appraisal_id = access.appraisal.pk
    try:
        services.evidence_delete(acting_user=request.user, access=access, evidence=evidence)
    except ValidationError as exc:
        _flash(request, exc)
    return redirect("appraisal_detail", pk=appraisal_id)


# --- the supervisor's queue -------------------------------------------------------------------


@login_required
def team(request):
    scope = scope_for(request.user)
    if not scope.employee:
        raise PermissionDenied(_("Halaman ini untuk atasan"))
    queue = list(team_queue(scope.subordinate_roots()))
    waiting = {
        "plans": [a for a in queue if a.state == State.TARGETS_SUBMITTED],
        "scores": [a for a in queue if a.state == State.SELF_ASSESSED],
    }
    return render(request, "appraisals/team.html", {"queue": queue, "waiting": waiting})


@login_required
@require_POST
def team_bulk_approve(request):
    """Approve several submitted plans at once; each goes through the same service."""
    approved, refused = 0, []
    for raw in request.POST.getlist("appraisal"):
        pk = _id(raw)
        if pk is None:
            continue
        try:
            access = get_appraisal_for(request.user, pk, write=True)
            if access.appraisal.state != State.TARGETS_SUBMITTED:
                continue
            services.appraisal_approve_targets(
                acting_user=request.user, access=access, version=access.appraisal.version
            )
            approved += 1
        except (ValidationError, PermissionDenied, Http404) as exc:
            refused.append(str(getattr(exc, "messages", [exc])[0]))
    if approved:
        messages.success(request, _("%(n)d rencana disetujui.") % {"n": approved})
    for message in refused:
        messages.error(request, message)
    return redirect("team")


# --- HR: cycles -------------------------------------------------------------------------------


@login_required
def cycle_list(request):
    require_manager(request.user)
    cycles = Cycle.objects.for_user(request.user).prefetch_related("agencies")
    return render(request, "appraisals/cycle_list.html", {"cycles": cycles})


@login_required
def cycle_create(request):
    scope = require_manager(request.user)
    agencies = scope.manageable_agencies().order_by("name")
    form = CycleForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.cycle_create(
                acting_user=request.user, region=Region.objects.get(pk=scope.region_id),
                agencies=list(data["agencies"]), name=data["name"], scheme_key=data["scheme_key"],
                period_type=data["period_type"], start_date=data["start_date"],
                end_date=data["end_date"], deadlines=form.deadlines(), weights=form.weights(),
            )  # fmt: skip
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Siklus dibuat. Periksa lalu buka siklus."))
            return redirect("cycle_detail", pk=cycle.pk)
    return render(request, "appraisals/cycle_form.html", {"form": form})


@login_required
def cycle_detail(request, pk: int):
    require_manager(request.user)
    cycle = get_cycle_for(request.user, pk)
    agencies = cycle_agencies_managed(request.user, cycle)
    progress = cycle_progress(cycle, list(agencies.values_list("pk", flat=True)))
    context = {
        "cycle": cycle,
        "progress": progress,
        "deadline_form": DeadlineForm(),
        "deadlines": [(phase.label, cycle.deadline(phase)) for phase in Phase],
        "audit": cycle.audit.filter(appraisal__isnull=True).select_related(
            "actor__employee_record"
        )[:50],
    }
    template = (
        "appraisals/partials/cycle_progress.html"
        if request.htmx
        else "appraisals/cycle_detail.html"
    )
    return render(request, template, context)


def _cycle_action(request, pk: int, run, success: str):
    require_manager(request.user)
    cycle = get_cycle_for(request.user, pk)
    try:
        result = run(cycle)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, success % {"n": result} if isinstance(result, int) else success)
    return redirect("cycle_detail", pk=pk)


@login_required
@require_POST
def cycle_open(request, pk: int):
    return _cycle_action(
        request,
        pk,
        lambda c: services.cycle_open(acting_user=request.user, cycle=c) and 0,
        _("Siklus sedang dibuka: penilaian dibuat di latar belakang."),
    )


@login_required
@require_POST
def cycle_extend(request, pk: int):
    require_manager(request.user)
    get_cycle_for(request.user, pk)  # access before the form: a bad form must not reveal it
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("cycle_detail", pk=pk)
    data = form.cleaned_data
    return _cycle_action(
        request, pk,
        lambda c: services.cycle_extend_deadline(
            acting_user=request.user, cycle=c, phase=data["phase"], new_date=data["new_date"], reason=data["reason"]
        ) and 0,
        _("Batas waktu diperpanjang."),
    )  # fmt: skip


def _agency_of(request, cycle):
    agency = (
        cycle_agencies_managed(request.user, cycle)
        .filter(pk=_id(request.POST.get("agency", "")) or 0)
        .first()
    )
    if agency is None:
        raise Http404
    return agency


@login_required
@require_POST
def cycle_finalise(request, pk: int):
    return _cycle_action(
        request, pk,
        lambda c: services.agency_finalise(
            acting_user=request.user, cycle=c, agency=_agency_of(request, c),
            justification=request.POST.get("justification", ""),
        ),
        _("%(n)d penilaian difinalkan."),
    )  # fmt: skip


@login_required
@require_POST
def cycle_release(request, pk: int):
    return _cycle_action(
        request, pk,
        lambda c: services.agency_release(acting_user=request.user, cycle=c, agency=_agency_of(request, c)),
        _("%(n)d hasil penilaian dirilis kepada pegawai."),
    )  # fmt: skip


@login_required
@require_POST
def cycle_close(request, pk: int):
    return _cycle_action(
        request, pk, lambda c: services.cycle_close(acting_user=request.user, cycle=c) and 0,
        _("Siklus ditutup."),
    )  # fmt: skip
