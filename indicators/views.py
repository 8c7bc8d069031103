from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agencies.access import scope_for
from agencies.models import Agency

from .access import get_indicator_for, get_indicator_set_for, visible_indicator_sets
from .forms import RubricForm
from .models import BehaviourValue, Indicator, ResultTemplate
from .scheme_outputs import outputs_for
from .schemes import SCHEMES
from .services import indicator_rubric_update, leader_expectations_save


@login_required
def scheme_list(request):
    """Every logged-in user may read how they are appraised: the rules are not secret."""
    scope = scope_for(request.user)
    agencies = scope.manageable_agencies().order_by("name") if scope.region_id else []
    own = scope.employee.agency.default_scheme if scope.employee else None
    return render(
        request,
        "indicators/scheme_list.html",
        {"schemes": SCHEMES.values(), "agencies": agencies, "own_scheme": own},
    )


@login_required
def scheme_detail(request, key: str):
    scheme = SCHEMES.get(key)
    if scheme is None:
        raise Http404("Skema tidak dikenal")
    scope = scope_for(request.user)
    agencies = (
        Agency.objects.filter(region_id=scope.region_id, default_scheme=key).order_by("name")
        if scope.region_id
        else Agency.objects.none()
    )
    return render(
        request,
        "indicators/scheme_detail.html",
        {
            "scheme": scheme,
            "agencies": agencies,
            "outputs": outputs_for(scope, key),
            "behaviour_values": BehaviourValue.objects.all(),
        },
    )


@login_required
def indicator_set_list(request):
    sets = (
        visible_indicator_sets(request.user)
        .with_totals()
        .select_related("position")
        .order_by("position__name", "position__code")
    )
    return render(request, "indicators/indicator_set_list.html", {"sets": sets})


@login_required
def indicator_set_detail(request, pk: int):
    indicator_set = get_indicator_set_for(request.user, pk)
    results = ResultTemplate.objects.filter(indicator_set=indicator_set).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("order", "pk"))
    )
    can_edit = indicator_set.region_id in scope_for(request.user).region_ids
    return render(
        request,
        "indicators/indicator_set_detail.html",
        {"set": indicator_set, "results": results, "can_edit": can_edit},
    )


@login_required
def indicator_rubric(request, pk: int):
    """The rubric level texts of one indicator; htmx swaps the form in place."""
    indicator = get_indicator_for(request.user, pk, write=request.method == "POST")
    if not indicator.is_rubric:
        raise Http404
    form = RubricForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = indicator_rubric_update(
                acting_user=request.user, indicator=indicator, levels=form.levels()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not request.htmx:
                messages.success(request, _("Teks rubrik disimpan."))
                return redirect("indicator_set_detail", pk=indicator.indicator_set_id)
            return render(
                request,
                "indicators/partials/rubric.html",
                {"indicator": indicator, "can_edit": True, "saved": True},
            )
    template = (
        "indicators/partials/rubric_form.html" if request.htmx else "indicators/rubric_edit.html"
    )
    return render(request, template, {"indicator": indicator, "form": form})


@login_required
def leader_expectations(request):
    """The leader's specific expectation per BerAKHLAK value, shown on subordinates' pages."""
    from django.core.exceptions import PermissionDenied

    from .models import LeaderExpectation

    scope = scope_for(request.user)
    if not (scope.employee and scope.is_atasan):
        raise PermissionDenied(_("Halaman ini untuk pimpinan yang memiliki bawahan"))
    values = list(BehaviourValue.objects.all())
    current = dict(
        LeaderExpectation.objects.filter(leader=scope.employee).values_list("value_id", "text")
    )
    if request.method == "POST":
        texts = {v.pk: request.POST.get(f"value_{v.pk}", "") for v in values}
        try:
            leader_expectations_save(acting_user=request.user, texts=texts)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            current = texts
        else:
            messages.success(request, _("Ekspektasi khusus disimpan."))
            return redirect("leader_expectations")
    rows = [(v, current.get(v.pk, "")) for v in values]
    return render(request, "indicators/leader_expectations.html", {"rows": rows})
