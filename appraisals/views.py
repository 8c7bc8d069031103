"""Thin views over the appraisal services (see docs/architecture.md)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from agencies.access import require_manager, scope_for
from agencies.models import Agency, Region
from asn_portal.private_files import private_file_response
from indicators.schemes.base import Rating

from . import services
from .access import (
    cycle_agencies_managed,
    get_appraisal_for,
    get_cycle_for,
    get_objection_for,
    visible_appraisals,
)
from .forms import (
    LEVEL_LABELS,
    AuditFilterForm,
    BulkApproveForm,
    CycleAgencyActionForm,
    CycleConfirmForm,
    CycleForm,
    DeadlineForm,
    EvidenceForm,
    ObjectionDecisionForm,
    ObjectionForm,
    OrganisationPredikatForm,
    PlanForm,
    RealisationForm,
    ReminderForm,
    ScoresForm,
    TransitionForm,
)
from .models import Cycle, Evidence, ObjectionFile, Phase, PlanIndicator, State
from .selectors import (
    AUDIT_ACTIONS,
    agency_distributions,
    agency_state_counts,
    audit_for,
    audit_page,
    audit_search,
    cycle_objections,
    cycle_progress,
    objections_waiting_for,
    team_queue,
)
from .selectors import appraisal_detail as load_detail
from .settings_labels import settings_rows


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for messages_ in exc.message_dict.values() for m in messages_]
    return list(exc.messages)


def _flash(request, exc: ValidationError) -> None:
    for message in _errors(exc):
        messages.error(request, message)


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


RATINGS = [(r.value, r.label) for r in Rating]


@login_required
def appraisal_detail(request, pk: int):
    """Reads only: the plan and its values were made when the cycle opened (or by
    :func:`plan_create`), never by showing the page."""
    access = get_appraisal_for(request.user, pk)
    return _render_detail(request, pk, access)


@login_required
@require_POST
def plan_create(request, pk: int):
    """Copy the position's indicator set into a draft that has no plan yet."""
    access = get_appraisal_for(request.user, pk, write=True)
    try:
        services.plan_create(acting_user=request.user, appraisal=access.appraisal)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Rencana disalin dari set indikator jabatan."))
    return redirect("appraisal_detail", pk=pk)


def _render_detail(
    request, pk: int, access, *, plan_form=None, realisation_form=None, scores_form=None,
    objection_form=None, status: int = 200,
):  # fmt: skip
    """The appraisal page; a form bound to a failed POST is shown again with its values."""
    appraisal = load_detail(pk)
    cycle = appraisal.cycle
    now = timezone.now()
    supervisor_results = []
    if cycle.scheme.cascading and access.can_edit_plan:
        supervisor_results = list(services.supervisor_results(appraisal))
    if plan_form is None and access.can_edit_plan:
        plan_form = PlanForm(appraisal=appraisal, supervisor_results=supervisor_results)
    indicators = [i for r in appraisal.results.all() for i in r.indicators.all()]
    realisation_forms = {}
    if access.can_fill_self_assessment or access.can_resubmit_rejected:
        for ind in indicators:
            if not access.can_fill_self_assessment and ind.verification != "rejected":
                continue
            bound = (
                realisation_form
                if realisation_form and realisation_form.indicator.pk == ind.pk
                else None
            )
            realisation_forms[ind.pk] = bound or RealisationForm(indicator=ind)
    if scores_form is None and (access.can_score or access.can_calibrate):
        scores_form = ScoresForm(appraisal=appraisal)
    score_fields = {}
    if scores_form is not None:
        score_fields = {
            kind: scores_form.bound(f"{kind}_")
            for kind in ("level", "behaviour", "bfeedback", "feedback")
        }
    context = {
        "appraisal": appraisal,
        "access": access,
        "scheme": cycle.scheme,
        "cycle": cycle,
        # The peer page (feedback) is linked by its URL name: this app never imports it.
        "uses_peers": any(c.uses_peers for c in cycle.scheme.components),
        "deadlines": [
            (phase.label, cycle.deadline(phase), cycle.is_past(phase, now)) for phase in Phase
        ],
        "plan_form": plan_form,
        "plan_fields": {i.pk: plan_form.fields_for(i) for i in indicators} if plan_form else {},
        "supports_fields": plan_form.supports_fields() if plan_form else {},
        "realisation_forms": realisation_forms,
        "scores_form": scores_form,
        "score_fields": score_fields,
        "plan_problems": services.plan_problems(appraisal) if appraisal.plan_editable else [],
        "scoring_problems": services.scoring_problems(appraisal)
        if appraisal.state == State.SELF_ASSESSED
        else [],
        "supervisor_results": supervisor_results,
        "audit": audit_for(
            appraisal,
            full=access.sees_results and not access.is_owner,
            page=request.GET.get("jejak"),
        ),  # fmt: skip
        "levels": LEVEL_LABELS,
        "ratings": RATINGS,
        "breakdown": appraisal.breakdown if access.sees_results else None,
        "expectations": _expectations(appraisal),
        "objections": list(appraisal.objections.prefetch_related("files"))
        if appraisal.is_locked
        else [],
        "objection_form": objection_form or (ObjectionForm() if access.can_object else None),
    }
    return render(request, "appraisals/appraisal_detail.html", context, status=status)


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


def _add_errors(form, exc: ValidationError) -> None:
    """A service's refusal onto the form: per field where it names one, else the form's."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_POST
def plan_save(request, pk: int):
    access = get_appraisal_for(request.user, pk, write=True)
    appraisal = load_detail(pk)
    supervisor_results = []
    if appraisal.cycle.scheme.cascading:
        supervisor_results = list(services.supervisor_results(appraisal))
    form = PlanForm(request.POST, appraisal=appraisal, supervisor_results=supervisor_results)
    if form.is_valid():
        try:
            services.plan_update(
                acting_user=request.user, appraisal=access.appraisal,
                version=form.cleaned_data["version"],
                indicators=form.indicator_values(), supports=form.supports(),
            )  # fmt: skip
            if form.cleaned_data["submit"]:
                access = get_appraisal_for(request.user, pk, write=True)
                services.appraisal_submit_targets(
                    acting_user=request.user,
                    appraisal=access.appraisal,
                    version=access.appraisal.version,
                )
                messages.success(request, _("Rencana diajukan kepada atasan."))
            else:
                messages.success(request, _("Rencana disimpan."))
            return redirect("appraisal_detail", pk=pk)
        except ValidationError as exc:
            if not form.errors and isinstance(exc, services.TransitionRefused):
                # Saved, but not yet submittable: the page lists what is missing.
                _flash(request, exc)
                return redirect("appraisal_detail", pk=pk)
            _add_errors(form, exc)
    return _render_detail(request, pk, access, plan_form=form, status=400)


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
    form = TransitionForm(request.POST)
    form.is_valid()  # every field is optional; what is malformed reads as empty
    data = form.cleaned_data
    kwargs = {"acting_user": request.user, "appraisal": access.appraisal,
              "version": data.get("version", 0)}  # fmt: skip
    if needs_comment or action == "submit_self":
        kwargs["comment"] = data.get("comment", "")
    if action == "reopen":
        kwargs["reason"] = data.get("reason", "")
    if action == "submit_self" and access.is_owner and not data.get("confirmed"):
        empty = services.empty_realisations(access.appraisal)
        if empty:
            # Nothing is sent yet: the employee sees what is still empty, then decides.
            return render(request, "confirm.html", {
                "title": _("Kirim penilaian diri?"),
                "lead": _("Setelah dikirim, penilaian diri tidak dapat diubah lagi kecuali "
                          "atasan mengembalikannya."),
                "item_heading": _("Realisasi berikut belum diisi dan akan dihitung 0 pada "
                                  "batas penilaian atasan:"),
                "items": [f"{i.code} · {i.name}" for i in empty],
                "action": request.path,
                "hidden": {"version": kwargs["version"], "comment": kwargs["comment"]},
                "confirm_label": _("Tetap kirim penilaian diri"),
                "cancel_url": reverse("appraisal_detail", args=[pk]),
            })  # fmt: skip
    try:
        service(**kwargs)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, success)
    if data.get("next") == "team":
        return redirect("team")
    return redirect("appraisal_detail", pk=pk)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def realisation_save(request, pk: int, indicator_pk: int):
    """Save one indicator of the self-assessment on its own: the page's autosave posts here
    (and reads JSON back); without JavaScript, the form's own button does."""
    access = get_appraisal_for(request.user, pk, write=True)
    indicator = get_object_or_404(
        PlanIndicator.objects.filter(result__appraisal_id=pk), pk=indicator_pk
    )
    form = RealisationForm(request.POST, indicator=indicator)
    errors: dict[str, list[str]] = {}
    saved = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.appraisal_save_realisation(
                acting_user=request.user, appraisal=access.appraisal, version=data["version"],
                indicator_id=indicator.pk, realisation=data.get("realisation"),
                comment=data["comment"], self_level=data["self_level"], base=form.base(),
                completed_on=form.completed_on_value(),
            )  # fmt: skip
        except services.StaleEdit as exc:
            errors = {"__all__": exc.messages}
        except ValidationError as exc:
            _add_errors(form, exc)
    if saved is None and not errors:
        errors = {field: list(messages_) for field, messages_ in form.errors.items()}
    if _wants_json(request):
        if saved is None:
            version = type(access.appraisal).objects.values_list("version", flat=True).get(pk=pk)
            status = 409 if "__all__" in errors and not form.errors else 400
            return JsonResponse({"ok": False, "errors": errors, "version": version}, status=status)
        base = RealisationForm.saved_values(saved)
        return JsonResponse(
            {
                "ok": True,
                "version": saved.appraisal_version,
                "saved": {k[5:]: v for k, v in base.items() if k.startswith("base_")},
                "message": _("Tersimpan"),
            }
        )
    if saved is not None:
        messages.success(request, _("Realisasi disimpan."))
        return redirect(f"{reverse('appraisal_detail', args=[pk])}#indikator-{indicator_pk}")
    if "__all__" in errors and not form.errors:
        for message in errors["__all__"]:
            messages.error(request, message)
        return redirect("appraisal_detail", pk=pk)
    return _render_detail(request, pk, access, realisation_form=form, status=400)


@login_required
@require_POST
def scores_save(request, pk: int):
    access = get_appraisal_for(request.user, pk, write=True)
    form = ScoresForm(request.POST, appraisal=load_detail(pk))
    if form.is_valid():
        try:
            services.appraisal_save_scores(
                acting_user=request.user, appraisal=access.appraisal, **form.service_kwargs()
            )
            if form.cleaned_data["finish"]:
                access = get_appraisal_for(request.user, pk, write=True)
                services.appraisal_mark_scored(
                    acting_user=request.user,
                    appraisal=access.appraisal,
                    version=access.appraisal.version,
                )
                messages.success(request, _("Penilaian selesai."))
            else:
                messages.success(request, _("Nilai disimpan."))
            return redirect("appraisal_detail", pk=pk)
        except services.TransitionRefused as exc:
            _flash(request, exc)  # the levels were saved; what is still missing is listed
            return redirect("appraisal_detail", pk=pk)
        except ValidationError as exc:
            _add_errors(form, exc)
    return _render_detail(request, pk, access, scores_form=form, status=400)


# --- evidence --------------------------------------------------------------------------------


@login_required
@require_POST
def evidence_upload(request, pk: int, indicator_pk: int):
    access = get_appraisal_for(request.user, pk, write=True)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        _flash(request, ValidationError(form.errors["file"]))
        return redirect(f"{reverse('appraisal_detail', args=[pk])}#indikator-{indicator_pk}")
    try:
        services.evidence_add(
            acting_user=request.user, appraisal=access.appraisal, indicator_id=indicator_pk,
            upload=form.cleaned_data["file"],
        )  # fmt: skip
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Bukti dukung diunggah."))
    return redirect(f"{reverse('appraisal_detail', args=[pk])}#indikator-{indicator_pk}")


def _get_evidence_for(user, pk: int, *, write: bool = False):
    evidence = get_object_or_404(Evidence.objects.select_related("indicator__result"), pk=pk)
    access = get_appraisal_for(user, evidence.indicator.result.appraisal_id, write=write)
    return evidence, access


@login_required
def evidence_download(request, pk: int):
    """Evidence is served only after this check: never from a public URL."""
    evidence, _access = _get_evidence_for(request.user, pk)
    return private_file_response(
        evidence.file, content_type=evidence.content_type, filename=evidence.original_name
    )


@login_required
@require_POST
def evidence_remove(request, pk: int):
    evidence, access = _get_evidence_for(request.user, pk, write=True)
    appraisal_id = access.appraisal.pk
    try:
        services.evidence_delete(
            acting_user=request.user, appraisal=access.appraisal, evidence=evidence
        )
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
    form = BulkApproveForm(request.POST)
    if not form.is_valid():
        _flash(request, ValidationError(form.errors["appraisal"]))
        return redirect("team")
    approved, refused = 0, []
    for pk in form.cleaned_data["appraisal"]:
        try:
            access = get_appraisal_for(request.user, pk, write=True)
            if access.appraisal.state != State.TARGETS_SUBMITTED:
                continue
            services.appraisal_approve_targets(
                acting_user=request.user,
                appraisal=access.appraisal,
                version=access.appraisal.version,
            )
            approved += 1
        except (ValidationError, PermissionDenied, Http404) as exc:
            refused.append(str(getattr(exc, "messages", [exc])[0]))
    if approved:
        messages.success(request, _("%(n)d rencana disetujui.") % {"n": approved})
    for message in refused:
        messages.error(request, message)
    return redirect("team")


# --- HR: the audit trail --------------------------------------------------------------------


@login_required
def appraisal_audit(request):
    """Every change to the appraisals HR may read, filtered by cycle, unit, person, action
    and date (the dates are days in the region's time zone)."""
    scope = require_manager(request.user)
    form = AuditFilterForm(
        request.GET or None, cycles=Cycle.objects.for_user(request.user), actions=AUDIT_ACTIONS
    )
    filters: dict = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        tz = scope.tzinfo
        filters = {
            "cycle": data["siklus"], "unit_code": data["unit"].strip(),
            "person": data["pegawai"].strip(), "action": data["aksi"],
            "date_from": dt.datetime.combine(data["dari"], dt.time(), tz) if data["dari"] else None,
            "date_to": dt.datetime.combine(data["sampai"] + dt.timedelta(days=1), dt.time(), tz)
            if data["sampai"] else None,
        }  # fmt: skip
    page = audit_page(audit_search(request.user, **filters), request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "appraisals/audit.html",
        {"form": form, "page": page, "actions": AUDIT_ACTIONS, "query": query.urlencode()},
    )


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
                settings=form.scoring_settings(),
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
    agency_ids = list(agencies.values_list("pk", flat=True))
    progress = cycle_progress(cycle, agency_ids)
    distributions = agency_distributions(cycle, agency_ids)
    for agency in progress["agencies"]:
        agency["distribution"] = distributions.get(agency["id"])
    is_admin_daerah = cycle.region_id in scope_for(request.user).region_ids
    if request.htmx and request.GET.get("bagian") == "pekerjaan":
        jobs = _cycle_jobs(request, cycle, agency_ids)
        return render(
            request, "appraisals/partials/cycle_jobs.html",
            {"cycle": cycle, "jobs": jobs, "jobs_running": _running(jobs)},
        )  # fmt: skip
    context = {
        "is_admin_daerah": is_admin_daerah,
        "cycle": cycle,
        "jobs": (jobs := _cycle_jobs(request, cycle, agency_ids)),
        "jobs_running": _running(jobs),
        "recompute_agencies": agencies.order_by("name"),
        "progress": progress,
        "deadline_form": DeadlineForm(),
        "reminder_form": ReminderForm(),
        "deadlines": [(phase.label, cycle.deadline(phase)) for phase in Phase],
        "settings_rows": settings_rows(cycle),
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


JOB_LABELS = {
    "scores_recompute": _lazy("Hitung ulang nilai"),
    "agency_finalise": _lazy("Finalisasi"),
    "agency_release": _lazy("Rilis hasil"),
}


def _cycle_jobs(request, cycle, agency_ids: list[int]) -> list[dict]:
    """The cycle's latest background jobs with their outcome, for the panel that polls."""
    jobs = services.cycle_jobs(cycle, agency_ids)
    names = dict(Agency.objects.filter(pk__in={j.payload.get("agency_id") for j in jobs} - {None})
                 .values_list("pk", "name"))  # fmt: skip
    return [
        {
            "job": job,
            "label": JOB_LABELS.get(job.kind, job.kind),
            "agency": names.get(job.payload.get("agency_id"), ""),
            "mine": job.created_by_id == request.user.pk,
        }
        for job in jobs
    ]


def _running(jobs: list[dict]) -> bool:
    return any(not j["job"].is_finished for j in jobs)


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


@login_required
@require_POST
def cycle_remind(request, pk: int):
    """Remind now everyone with work left in one phase (each at most once a day)."""
    require_manager(request.user)
    cycle = get_cycle_for(request.user, pk)
    form = ReminderForm(request.POST)
    if not form.is_valid():
        _flash(request, ValidationError(form.errors["phase"]))
        return redirect("cycle_detail", pk=pk)
    sent, already = services.reminders_send_now(
        acting_user=request.user, cycle=cycle, phase=form.cleaned_data["phase"]
    )
    messages.success(
        request,
        _("Pengingat dikirim kepada %(n)d orang; %(m)d orang sudah menerima pengingat hari ini.")
        % {"n": sent, "m": already},
    )
    return redirect("cycle_detail", pk=pk)


def _agency_action_form(request, cycle) -> CycleAgencyActionForm:
    """The agency a finalise or release acts on (from the link, then from the confirmation
    page's post), among those of the cycle this user administers: any other is a 404."""
    form = CycleAgencyActionForm(
        request.POST if request.method == "POST" else request.GET,
        agencies=cycle_agencies_managed(request.user, cycle),
    )
    if not form.is_valid() and "agency" in form.errors:
        raise Http404
    return form


def _confirm(request, cycle, *, status: int = 200, **context):
    """The step before an irreversible cycle action: says what will happen, posts back."""
    context.setdefault("cancel_url", reverse("cycle_detail", args=[cycle.pk]))
    context.setdefault("action", request.path)
    return render(request, "confirm.html", {"danger": True, **context}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_finalise(request, pk: int):
    require_manager(request.user)
    cycle = get_cycle_for(request.user, pk)
    form = _agency_action_form(request, cycle)
    agency = form.cleaned_data["agency"]
    justification = form.cleaned_data.get("justification", "")
    error = ""
    distribution = agency_distributions(cycle, [agency.pk])[agency.pk]
    check, setting = distribution["check"], distribution["setting"]
    if request.method == "POST" and form.cleaned_data.get("confirmed"):
        # Asked before the job starts, from the predikat stored today; the job recomputes
        # first and checks again, and ends with its own message if the answer changed.
        error = services.finalise_precheck(cycle=cycle, agency=agency, justification=justification)
        if not error:
            try:
                services.agency_finalise_start(
                    acting_user=request.user, cycle=cycle, agency=agency,
                    justification=justification,
                )  # fmt: skip
            except ValidationError as exc:
                _flash(request, exc)
            else:
                messages.info(request, _("Finalisasi %(agency)s berjalan di latar belakang; "
                                         "kemajuan dan hasilnya tampil di bawah.")
                              % {"agency": agency.name})  # fmt: skip
            return redirect("cycle_detail", pk=pk)
    counts = agency_state_counts(cycle, agency)
    warnings = []
    if counts["pending_scoring"]:
        warnings.append(_("%(n)d penilaian belum berstatus Dinilai atasan: finalisasi akan "
                          "ditolak.") % {"n": counts["pending_scoring"]})  # fmt: skip
    if check is None:
        warnings.append(services.missing_predikat_message(agency))
    elif check.needs_justification and setting.block_on_mismatch:
        warnings.append(_("Distribusi predikat tidak sesuai pola dan Perangkat Daerah ini diatur "
                          "menolak finalisasi bila tidak sesuai: finalisasi akan ditolak."))  # fmt: skip
    required = bool(check and check.needs_justification)
    return _confirm(
        request, cycle,
        title=_("Finalkan penilaian %(agency)s?") % {"agency": agency.name},
        lead=_("%(n)d penilaian berstatus Dinilai atasan akan difinalkan. Setelah final, "
               "nilai tidak dapat diubah lagi kecuali Admin HR membuka kembali satu "
               "penilaian dengan alasan, atau keberatan pegawai diterima.")
        % {"n": counts.get(State.SCORED, 0)},
        warning=" ".join(str(w) for w in warnings),
        distribution=distribution, agency_id=agency.pk,
        hidden={"agency": agency.pk},
        # Not a browser-required field: the preview counts the predikat stored today, while
        # finalising recomputes first; the service decides, and this page shows its answer.
        textarea={"name": "justification", "value": justification, "error": error,
                  "label": _("Justifikasi tertulis (wajib: distribusi predikat tidak sesuai pola)")
                  if required else _("Catatan atau justifikasi (opsional)")},
        confirm_label=_("Ya, finalkan %(n)d penilaian") % {"n": counts.get(State.SCORED, 0)},
        status=400 if error else 200,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def cycle_release(request, pk: int):
    require_manager(request.user)
    cycle = get_cycle_for(request.user, pk)
    form = _agency_action_form(request, cycle)
    agency = form.cleaned_data["agency"]
    if not (request.method == "POST" and form.cleaned_data.get("confirmed")):
        counts = agency_state_counts(cycle, agency)
        n = counts.get(State.FINALISED, 0)
        pending = sum(
            v
            for k, v in counts.items()
            if k not in (State.FINALISED, State.RELEASED, "pending_scoring")
        )
        return _confirm(
            request, cycle,
            title=_("Rilis hasil penilaian %(agency)s?") % {"agency": agency.name},
            lead=_("%(n)d pegawai akan melihat nilai, predikat dan rinciannya. Rilis tidak "
                   "dapat ditarik kembali; sejak rilis pegawai dapat mengajukan keberatan.")
            % {"n": n},
            warning=_("%(n)d penilaian belum final: rilis akan ditolak.") % {"n": pending}
            if pending else "",
            hidden={"agency": agency.pk},
            confirm_label=_("Ya, rilis %(n)d hasil") % {"n": n},
        )  # fmt: skip
    return _cycle_action(
        request, pk,
        lambda c: services.agency_release_start(acting_user=request.user, cycle=c, agency=agency)
        and 0,
        _("Rilis hasil %(agency)s berjalan di latar belakang; hasilnya tampil di bawah.")
        % {"agency": agency.name},
    )  # fmt: skip


@login_required
@require_POST
def cycle_recompute(request, pk: int):
    """HR recomputes the scores of the cycle, or of one agency of it, in the background."""
    require_manager(request.user)
    cycle = get_cycle_for(request.user, pk)
    agency = None
    if request.POST.get("agency"):
        agency = get_object_or_404(
            cycle_agencies_managed(request.user, cycle), pk=_int_or_404(request.POST["agency"])
        )
    return _cycle_action(
        request, pk,
        lambda c: services.cycle_scores_recompute(acting_user=request.user, cycle=c,
                                                  agency=agency) and 0,
        _("Nilai dihitung ulang di latar belakang; kemajuannya tampil di bawah."),
    )  # fmt: skip


def _int_or_404(value: str) -> int:
    if not value.isdigit():
        raise Http404
    return int(value)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_close(request, pk: int):
    require_manager(request.user)
    cycle = get_cycle_for(request.user, pk)
    services.require_cycle_authority(request.user, cycle)
    form = CycleConfirmForm(request.POST if request.method == "POST" else None)
    if not (form.is_valid() and form.cleaned_data["confirmed"]):
        total = cycle.appraisals.count()
        return _confirm(
            request, cycle,
            title=_("Tutup siklus %(name)s?") % {"name": cycle.name},
            lead=_("Siklus dengan %(n)d penilaian akan ditutup: tidak ada lagi perubahan, dan "
                   "siklus hilang dari antrian atasan. Admin HR dapat membukanya kembali "
                   "dengan alasan.") % {"n": total},
            confirm_label=_("Ya, tutup siklus"),
        )  # fmt: skip
    return _cycle_action(
        request, pk, lambda c: services.cycle_close(acting_user=request.user, cycle=c) and 0,
        _("Siklus ditutup."),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def cycle_reopen(request, pk: int):
    require_manager(request.user)
    cycle = get_cycle_for(request.user, pk)
    services.require_cycle_authority(request.user, cycle)
    form = CycleConfirmForm(request.POST if request.method == "POST" else None)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    error = ""
    if form.is_bound and form.cleaned_data.get("confirmed"):
        try:
            services.cycle_reopen(acting_user=request.user, cycle=cycle, reason=reason)
        except services.TransitionRefused as exc:
            _flash(request, exc)
            return redirect("cycle_detail", pk=pk)
        except ValidationError as exc:
            error = " ".join(_errors(exc))
        else:
            messages.success(request, _("Siklus dibuka kembali."))
            return redirect("cycle_detail", pk=pk)
    return _confirm(
        request, cycle, danger=False,
        title=_("Buka kembali siklus %(name)s?") % {"name": cycle.name},
        lead=_("Siklus kembali berjalan. Penilaian yang sudah dirilis tetap dirilis; "
               "Admin HR dapat membuka kembali penilaian satu per satu dengan alasan."),
        textarea={"name": "reason", "value": reason, "required": True, "error": error,
                  "label": _("Alasan membuka kembali (wajib)")},
        confirm_label=_("Buka kembali siklus"),
    )  # fmt: skip


# --- keberatan (objections) -------------------------------------------------------------------


@login_required
@require_POST
def objection_create(request, pk: int):
    access = get_appraisal_for(request.user, pk, write=True)
    form = ObjectionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.objection_file(
                acting_user=request.user, appraisal=access.appraisal,
                reasons=form.cleaned_data["reasons"], uploads=form.cleaned_data["files"],
            )  # fmt: skip
        except services.TransitionRefused as exc:
            _flash(request, exc)
            return redirect("appraisal_detail", pk=pk)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Keberatan diajukan kepada atasan pejabat penilai."))
            return redirect(f"{reverse('appraisal_detail', args=[pk])}#keberatan")
    return _render_detail(request, pk, access, objection_form=form, status=400)


@login_required
def objection_queue(request):
    """Objections waiting for this user's decision."""
    objections = list(objections_waiting_for(scope_for(request.user)))
    return render(request, "appraisals/objection_queue.html", {"objections": objections})


@login_required
@require_http_methods(["GET", "POST"])
def objection_detail(request, pk: int):
    """An objection and, for its decider while it is open, the decision form."""
    objection, access = get_objection_for(request.user, pk, write=request.method == "POST")
    appraisal = load_detail(objection.appraisal_id)
    form = None
    if access.is_objection_decider and objection.is_open:
        form = ObjectionDecisionForm(
            request.POST if request.method == "POST" else None, appraisal=appraisal
        )
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Keberatan ini sudah diputuskan; keputusan bersifat final."))
            return redirect("objection_detail", pk=pk)
        if form.is_valid():
            try:
                services.objection_decide(
                    acting_user=request.user, objection=objection, **form.service_kwargs()
                )
            except services.TransitionRefused as exc:
                _flash(request, exc)
                return redirect("objection_detail", pk=pk)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Keputusan atas keberatan disimpan."))
                return redirect("objection_detail", pk=pk)
    context = {
        "objection": objection,
        "appraisal": appraisal,
        "access": access,
        "form": form,
        "files": list(objection.files.all()),
        "breakdown": appraisal.breakdown if access.sees_results else None,
        "ratings": RATINGS,
    }
    status = 400 if form is not None and form.is_bound else 200
    return render(request, "appraisals/objection_detail.html", context, status=status)


@login_required
def objection_file_download(request, pk: int):
    """Objection files are served only after the appraisal's access check."""
    row = get_object_or_404(ObjectionFile.objects.select_related("objection"), pk=pk)
    get_appraisal_for(request.user, row.objection.appraisal_id)
    return private_file_response(
        row.file, content_type=row.content_type, filename=row.original_name
    )


@login_required
def cycle_objection_list(request, pk: int):
    """HR: every objection of the cycle's agencies they administer, with its state."""
    require_manager(request.user)
    cycle = get_cycle_for(request.user, pk)
    agency_ids = list(cycle_agencies_managed(request.user, cycle).values_list("pk", flat=True))
    objections = list(cycle_objections(cycle, agency_ids))
    return render(
        request, "appraisals/cycle_objections.html", {"cycle": cycle, "objections": objections}
    )


# --- Admin Daerah: organisation predikat --------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def cycle_org_predikat(request, pk: int):
    """The Admin Daerah sets each agency's organisation predikat for the cycle."""
    require_manager(request.user)
    cycle = get_cycle_for(request.user, pk)
    if cycle.region_id not in scope_for(request.user).region_ids:
        raise PermissionDenied(_("Hanya Admin Daerah yang menetapkan predikat organisasi"))
    agencies = cycle.agencies.order_by("name")
    form = None
    if request.method == "POST":
        form = OrganisationPredikatForm(request.POST, agencies=agencies)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.agency_set_organisation_predikat(
                    acting_user=request.user, cycle=cycle, agency=data["agency"],
                    organisation_predikat=data["organisation_predikat"],
                    block_on_mismatch=data["block_on_mismatch"],
                )  # fmt: skip
            except ValidationError as exc:
                _flash(request, exc)
            else:
                messages.success(
                    request,
                    _("Predikat organisasi %(agency)s disimpan.") % {"agency": data["agency"]},
                )
            return redirect("cycle_org_predikat", pk=pk)
        _flash(
            request, ValidationError(form.errors.get("organisation_predikat") or _("Periksa isian"))
        )
    settings_ = {s.agency_id: s for s in cycle.agency_settings.all()}
    rows = [
        (
            agency,
            settings_.get(agency.pk),
            OrganisationPredikatForm(
                agencies=agencies,
                auto_id=f"id_a{agency.pk}_%s",
                initial={
                    "agency": agency.pk,
                    "organisation_predikat": getattr(
                        settings_.get(agency.pk), "organisation_predikat", ""
                    ),
                    "block_on_mismatch": getattr(
                        settings_.get(agency.pk), "block_on_mismatch", agency.block_on_distribution
                    ),
                },
            ),
        )
        for agency in agencies
    ]
    return render(request, "appraisals/org_predikat.html", {"cycle": cycle, "rows": rows})
