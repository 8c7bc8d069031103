"""Thin views of peer feedback (docs/feedback.md): each checks access through its helper,
binds a form and calls one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies.access import require_manager, scope_for
from appraisals.access import cycle_agencies_managed, get_appraisal_for, get_cycle_for
from appraisals.models import Appraisal, Cycle, CycleStatus
from indicators.models import BehaviourValue

from . import peers
from .models import NominationState, PeerAssignment
from .peer_forms import BulkAssignForm, PeerForm, PeerListForm


def _flash(request, exc: ValidationError) -> None:
    texts = (
        [m for ms in exc.message_dict.values() for m in ms]
        if hasattr(exc, "message_dict")
        else list(exc.messages)
    )
    for text in texts:
        messages.error(request, text)


@login_required
def peer_list(request):
    """The forms waiting for me, my own peer lists, my team's lists to approve, and (for HR)
    the cycles whose peers can be assigned in bulk. A constant number of queries."""
    scope = scope_for(request.user)
    forms_ = mine = team = []
    if scope.employee:
        forms_ = list(
            PeerAssignment.objects.filter(
                peer=scope.employee, appraisal__peer_nomination__state=NominationState.APPROVED
            )
            .select_related("appraisal__employee", "appraisal__cycle", "appraisal__unit")
            .order_by("state", "appraisal__cycle__peer_deadline", "appraisal__employee__name")
        )
        mine = [
            a
            for a in Appraisal.objects.filter(
                employee=scope.employee, cycle__status=CycleStatus.OPEN
            )
            .select_related("cycle", "peer_nomination")
            .order_by("-cycle__start_date")
            if peers.uses_peers(a.cycle)
        ]
        # The lists waiting for this atasan first, then the team's other lists.
        team = list(
            Appraisal.objects.filter(
                supervisor_id__in=scope.subordinate_roots(),
                cycle__status=CycleStatus.OPEN,
                peer_nomination__isnull=False,
            )
            .exclude(employee=scope.employee)
            .select_related("employee", "cycle", "peer_nomination")
            .order_by(
                "-peer_nomination__state",  # submitted before draft before approved
                "employee__name",
            )
        )
    cycles: list[Cycle] = []
    if scope.hr_agency_ids or scope.region_ids:
        cycles = [
            c
            for c in Cycle.objects.for_user(request.user).filter(status=CycleStatus.OPEN)
            if peers.uses_peers(c)
        ]
    return render(
        request,
        "feedback/peer_list.html",
        {"forms": forms_, "mine": mine, "team": team, "cycles": cycles},
    )


@login_required
@require_http_methods(["GET", "POST"])
def peer_nomination(request, pk: int):
    """An appraisal's peers: the employee proposes, the atasan approves (or changes), HR and
    the atasan see how many answered, and the summary once it may be read."""
    access = get_appraisal_for(request.user, pk, write=request.method == "POST")
    appraisal = access.appraisal
    if not peers.uses_peers(appraisal.cycle):
        return render(
            request, "feedback/peer_nomination.html", {"appraisal": appraisal, "unused": True}
        )
    if request.method == "POST":
        posted = [int(v) for v in request.POST.getlist("peers") if v.isdigit()]
        form = PeerListForm(request.POST, choices=[(v, v) for v in posted])
        if form.is_valid():
            chosen = form.cleaned_data["peers"]
            try:
                if peers.peer_access_for(request.user, appraisal).access.is_owner:
                    peers.peer_nominate(
                        acting_user=request.user, appraisal=appraisal, peer_ids=chosen,
                        submit=form.cleaned_data["submit"],
                    )  # fmt: skip
                    done = (
                        _("Usulan rekan kerja diajukan ke atasan.")
                        if form.cleaned_data["submit"]
                        else _("Usulan rekan kerja disimpan.")
                    )
                else:
                    peers.peer_nomination_approve(
                        acting_user=request.user, appraisal=appraisal, peer_ids=chosen
                    )
                    done = _("Daftar rekan kerja disetujui.")
            except ValidationError as exc:
                _flash(request, exc)
            else:
                messages.success(request, done)
        return redirect("peer_nomination", pk=pk)
    rules = peers.peer_access_for(request.user, appraisal)
    chosen_rows = list(
        PeerAssignment.objects.filter(appraisal=appraisal)
        .select_related("peer__unit", "peer__position")
        .order_by("peer__name")
    )
    query = request.GET.get("q", "").strip()[:100]
    chosen_ids = {a.peer_id for a in chosen_rows}
    found = []
    if rules.can_nominate or rules.can_approve:
        found = [e for e in peers.searchable_peers(appraisal, query) if e.pk not in chosen_ids]
    answered = sum(1 for a in chosen_rows if a.is_submitted)
    summary = peers.peer_summary(appraisal) if rules.can_see_summary else None
    return render(
        request,
        "feedback/peer_nomination.html",
        {
            "appraisal": appraisal,
            "rules": rules,
            "chosen": chosen_rows,
            "found": found,
            "query": query,
            "answered": answered,
            "shows_completion": access.is_rater or access.is_hr,
            "summary": summary,
            "min_peers": peers.min_peers(appraisal.cycle),
            "max_peers": peers.max_peers(appraisal.cycle),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def peer_form(request, pk: int):
    """A peer's form: draft, then one submission; once sent it shows nothing of the answers."""
    assignment = peers.get_assignment_for(request.user, pk)
    values = list(BehaviourValue.objects.all())
    if assignment.is_submitted or not peers.form_open(assignment):
        if request.method == "POST":
            messages.error(request, _("Formulir ini sudah dikirim dan tidak dapat diubah."))
            return redirect("peer_form", pk=pk)
        return render(request, "feedback/peer_form.html", {"assignment": assignment})
    form = PeerForm(
        request.POST or None,
        values=values,
        draft=assignment.draft if request.method == "GET" else {},
    )
    if request.method == "POST" and form.is_valid():
        submit = form.cleaned_data["submit"]
        try:
            peers.peer_form_save(
                acting_user=request.user, assignment=assignment, answers=form.answers(),
                submit=submit,
            )  # fmt: skip
        except ValidationError as exc:
            for text in exc.messages:
                form.add_error(None, text)
            return render(
                request, "feedback/peer_form.html", {"assignment": assignment, "form": form}
            )
        messages.success(
            request,
            _("Umpan balik dikirim. Terima kasih.") if submit else _("Draf umpan balik disimpan."),
        )
        return redirect("peer_list" if submit else "peer_form", **({} if submit else {"pk": pk}))
    return render(request, "feedback/peer_form.html", {"assignment": assignment, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def peer_assign(request, pk: int):
    """HR assigns peers in bulk, for a unit or their whole agencies, as a background job."""
    require_manager(request.user)
    cycle = get_cycle_for(request.user, pk)
    agencies = cycle_agencies_managed(request.user, cycle)
    units = list(
        scope_for(request.user)
        .visible_units()
        .filter(agency__in=agencies)
        .select_related("agency")
        .order_by("agency__name", "name")
    )
    form = BulkAssignForm(request.POST or None, units=units, initial_k=peers.min_peers(cycle))
    if request.method == "POST" and form.is_valid():
        unit = next((u for u in units if u.pk == form.cleaned_data["unit"]), None)
        try:
            job = peers.peers_assign_bulk(
                acting_user=request.user, cycle=cycle, unit=unit,
                per_person=form.cleaned_data["per_person"],
            )  # fmt: skip
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, _("Pembagian rekan kerja berjalan di latar belakang."))
            return redirect("job_detail", pk=job.pk)
    return render(
        request,
        "feedback/peer_assign.html",
        {"cycle": cycle, "form": form, "uses_peers": peers.uses_peers(cycle)},
    )
