"""The dashboards (docs/dashboards.md): what each page and its Excel download show, computed
in SQL with a number of queries that does not depend on the data.

Who sees what is decided once, by :class:`Reach`: the Admin Daerah the whole region (every
agency side by side), an Admin HR their agencies, an atasan their direct and indirect
subordinates (and those whose appraisal they rate). The agency-wide pages (distribution,
supervisors far from their agency's mean) are for HR and the Admin Daerah.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    DecimalField,
    F,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast, RowNumber
from django.http import Http404

from agencies.access import Scope, scope_for
from agencies.models import Agency, Employee, User
from appraisals.access import AppraisalAccess
from appraisals.models import (
    Appraisal,
    AppraisalQuerySet,
    BehaviourScore,
    Cycle,
    PlanIndicator,
    State,
)
from appraisals.selectors import agency_distributions, cycle_progress
from appraisals.services.organisation import COUNTED_STATES
from indicators.schemes import SCHEMES
from indicators.schemes.base import Mode, Predikat

TWO = Decimal("0.01")
EXPECTED_LEVEL = 4  # level 4, Baik: as expected; the gap is measured from it
COACHING_PREDIKAT = (Predikat.BUTUH_PERBAIKAN, Predikat.KURANG, Predikat.SANGAT_KURANG)
COACHING_COMPONENT_BELOW = Decimal(70)
PROMOTION_PREDIKAT = (Predikat.SANGAT_BAIK, Predikat.BAIK)
TOP_SHARE = Decimal("0.10")
OUTLIER_SDS = 2
OUTLIER_MIN_SUBORDINATES = 5
PAGE_SIZE = 50
# The most components a preset has: the coaching list reads each one's value from the stored
# breakdown by position (a JSON array), in SQL.
MAX_COMPONENTS = max(len(s.components) for s in SCHEMES.values())
PREDIKAT_LABELS = {p.value: p.label for p in Predikat}


def rounded(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


# --- who sees what ----------------------------------------------------------------------------
@dataclass
class Reach:
    """The appraisals and employees one user's dashboards cover."""

    scope: Scope

    @property
    def sees_agencies(self) -> bool:
        """HR and the Admin Daerah: the agency-wide pages."""
        return self.scope.sees_agency_dashboards

    @cached_property
    def _roots(self) -> list[int]:
        return self.scope.subordinate_roots() if self.scope.is_atasan else []

    def _team(self) -> Q:
        if not self._roots:
            return Q(pk__in=[])
        return Q(supervisor_id__in=self._roots) | Q(
            employee_id__in=self.scope.subordinates().values("pk")
        )

    def appraisals(self, cycle: Cycle) -> AppraisalQuerySet:
        condition = self._team()
        if cycle.region_id in self.scope.region_ids:
            condition |= Q(pk__isnull=False)
        elif self.scope.hr_agency_ids:
            condition |= Q(agency_id__in=self.scope.hr_agency_ids)
        return Appraisal.objects.filter(condition, cycle=cycle)

    def agency_ids(self, cycle: Cycle) -> list[int]:
        """The cycle's agencies this user administers (for the agency-wide pages)."""
        agencies = cycle.agencies.all()
        if cycle.region_id not in self.scope.region_ids:
            agencies = agencies.filter(pk__in=self.scope.hr_agency_ids)
        return list(agencies.order_by("name").values_list("pk", flat=True))

    def require_agencies(self) -> None:
        if not self.sees_agencies:
            raise PermissionDenied("Halaman ini untuk Admin HR dan Admin Daerah")

    def cycles(self) -> QuerySet[Cycle]:
        condition = Q(region_id__in=self.scope.region_ids) | Q(
            agencies__in=self.scope.hr_agency_ids
        )
        if self._roots:
            condition |= Q(
                pk__in=Appraisal.objects.filter(self._team()).values("cycle_id").order_by()
            )
        return (
            Cycle.objects.filter(condition)
            .exclude(status="draft")
            .distinct()
            .order_by("-end_date", "-pk")
        )

    def employees(self) -> QuerySet[Employee]:
        condition = Q(agency_id__in=self.scope.hr_agency_ids) | Q(
            region_id__in=self.scope.region_ids
        )
        if self._roots:
            condition |= Q(pk__in=self.scope.subordinates().values("pk"))
        return Employee.objects.filter(condition)


def reach_for(user: User) -> Reach:
    """The dashboards are for an atasan, an Admin HR and the Admin Daerah (else 403)."""
    scope = scope_for(user)
    if not scope.has_dashboards:
        raise PermissionDenied("Dasbor untuk atasan, Admin HR dan Admin Daerah")
    return Reach(scope)


# What a page shows when no cycle is asked for: the latest cycle (completion), the latest with
# results (the calibration pages, used before finalising), or the latest with final results
# (the lists results are used for: recognition, coaching, training), else with results.
LATEST, WITH_RESULTS, WITH_FINAL_RESULTS = "latest", "results", "final"
FINAL_STATES = (State.FINALISED, State.RELEASED)


def pick_cycle(
    reach: Reach, *, pk: str | None, scheme_key: str | None, prefer: str = WITH_RESULTS
) -> Cycle | None:
    """The cycle asked for (404 outside the user's reach); else, among the cycles of the
    scheme asked for (or all), the latest that the page prefers (see above)."""
    cycles = reach.cycles().select_related("region")
    if pk:
        cycle = cycles.filter(pk=pk).first() if str(pk).isdigit() else None
        if cycle is None:
            raise Http404("Siklus tidak ditemukan")
        return cycle
    if scheme_key:
        cycles = cycles.filter(scheme_key=scheme_key)
    choices: list[tuple[str, ...]] = []
    if prefer == WITH_FINAL_RESULTS:
        choices.append(FINAL_STATES)
    if prefer in (WITH_FINAL_RESULTS, WITH_RESULTS):
        choices.append(COUNTED_STATES)
    for states in choices:
        with_results = cycles.filter(
            pk__in=Appraisal.objects.filter(state__in=states).values("cycle_id").order_by()
        ).first()
        if with_results is not None:
            return with_results
    return cycles.first()


# --- completion per unit ----------------------------------------------------------------------
def completion(reach: Reach, cycle: Cycle) -> dict[str, Any]:
    """The cycle page's progress per unit (appraisals.selectors.cycle_progress), narrowed to the
    user's reach, with a horizontal bar per unit."""
    within = None if reach.sees_agencies else reach._team()
    agency_ids = (
        reach.agency_ids(cycle)
        if reach.sees_agencies
        else list(cycle.agencies.values_list("pk", flat=True))
    )
    progress = cycle_progress(cycle, agency_ids, within=within)
    progress["chart"] = bar_chart(
        [(f"{u['name']} · {u['agency']}", u["percent"]) for u in progress["units"]], maximum=100
    )
    return progress


def bar_chart(rows: list[tuple[str, int | Decimal]], *, maximum: int | Decimal) -> dict[str, Any]:
    """Horizontal bars in whole SVG units (a float would print with the language's decimal
    mark), one per row, for a server-drawn chart with the same figures in a table beside it."""
    width, left, bar, gap, right = 400, 170, 14, 6, 40
    scale = (width - left - right) / float(maximum or 1)
    bars = []
    for i, (label, value) in enumerate(rows):
        y = i * (bar + gap) + 4
        length = max(0, round(float(value) * scale))
        bars.append(
            {
                "label": label if len(label) <= 28 else label[:27] + "…",
                "full_label": label, "value": value, "y": y, "width": length,
                "text_y": y + bar - 3, "value_x": left + length + 4,
            }
        )  # fmt: skip
    return {
        "width": width,
        "height": len(rows) * (bar + gap) + 8,
        "left": left,
        "bar": bar,
        "label_x": left - 4,
        "bars": bars,
    }


# --- predikat distribution --------------------------------------------------------------------
def distributions(reach: Reach, cycle: Cycle) -> list[dict[str, Any]]:
    reach.require_agencies()
    agency_ids = reach.agency_ids(cycle)
    by_agency = agency_distributions(cycle, agency_ids)
    names = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name"))
    return [{"agency_id": pk, "name": names[pk], **by_agency[pk]} for pk in agency_ids]


# --- behaviour and competency gaps ------------------------------------------------------------
@dataclass
class Gap:
    group: str
    kind: str  # "perilaku" or "kompetensi"
    name: str
    rated: int
    level_sum: int
    self_rated: int
    self_sum: int

    @property
    def mean(self) -> Decimal:
        return rounded(Decimal(self.level_sum) / self.rated)

    @property
    def self_mean(self) -> Decimal | None:
        return rounded(Decimal(self.self_sum) / self.self_rated) if self.self_rated else None

    @property
    def gap(self) -> Decimal:
        """4 − the mean supervisor level, from the unrounded mean."""
        return rounded(EXPECTED_LEVEL - Decimal(self.level_sum) / self.rated)


def _group_names(reach: Reach, agency_ids: set[int]) -> dict[int, str]:
    return dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name"))


def gaps(reach: Reach, cycle: Cycle) -> list[dict[str, Any]]:
    """Per agency, each BerAKHLAK value and each rubric (competency) indicator: the mean level
    the supervisors gave, the mean self-assessed level beside it, and the gap 4 − mean, ranked
    from the largest gap: the agency's training needs."""
    appraisals = reach.appraisals(cycle).filter(state__in=COUNTED_STATES)
    behaviour_rows = (
        BehaviourScore.objects.filter(appraisal__in=appraisals.values("pk"), level__isnull=False)
        .values("appraisal__agency_id", "value__name", "value__order")
        .annotate(
            rated=Count("pk"),
            level_sum=Sum("level"),
            self_rated=Count("self_level"),
            self_sum=Sum("self_level"),
        )
        .order_by()
    )
    competency_rows = (
        PlanIndicator.objects.filter(
            result__appraisal__in=appraisals.values("pk"), kind="rubrik", level__isnull=False
        )
        .values("result__appraisal__agency_id", "name")
        .annotate(
            rated=Count("pk"),
            level_sum=Sum("level"),
            self_rated=Count("self_level"),
            self_sum=Sum("self_level"),
        )
        .order_by()
    )
    groups: dict[int, list[Gap]] = defaultdict(list)
    for row in behaviour_rows:
        groups[row["appraisal__agency_id"]].append(
            Gap("", "perilaku", row["value__name"], row["rated"], row["level_sum"],
                row["self_rated"], row["self_sum"] or 0)
        )  # fmt: skip
    for row in competency_rows:
        groups[row["result__appraisal__agency_id"]].append(
            Gap("", "kompetensi", row["name"], row["rated"], row["level_sum"],
                row["self_rated"], row["self_sum"] or 0)
        )  # fmt: skip
    names = _group_names(reach, set(groups))
    result = []
    for agency_id in sorted(groups, key=lambda pk: names[pk]):
        items = sorted(groups[agency_id], key=lambda g: (-g.gap, g.kind != "perilaku", g.name))
        for item in items:
            item.group = names[agency_id]
        result.append(
            {
                "agency_id": agency_id,
                "chart_id": f"gaps-title-{agency_id}",
                "name": names[agency_id],
                "gaps": items,
                "training": [g for g in items if g.gap > 0],
                "chart": bar_chart(
                    [(g.name, g.gap) for g in items if g.gap > 0],
                    maximum=max([Decimal(1), *(g.gap for g in items)]),
                ),
            }
        )
    return result


# --- strengths and weaknesses per employee ------------------------------------------------------
def strengths_page(reach: Reach, cycle: Cycle, page: str | int | None) -> Page[Appraisal]:
    """One page of employees, each with their strengths (level 5, above expectation) and
    weaknesses (level 3 or lower, below it) among the BerAKHLAK values and the rubric
    indicators, the self-assessed level beside the supervisor's."""
    appraisals = (
        reach.appraisals(cycle)
        .filter(state__in=COUNTED_STATES)
        .select_related("employee", "unit", "agency", "position")
        .order_by("agency__name", "unit__name", "employee__name", "pk")
    )
    page_obj = Paginator(appraisals, PAGE_SIZE).get_page(page)
    _attach_strengths(list(page_obj))
    return page_obj


def _attach_strengths(appraisals: list[Appraisal]) -> None:
    ids = [a.pk for a in appraisals]
    items: dict[int, list[tuple[str, int | None, int | None]]] = defaultdict(list)
    for appraisal_id, name, level, self_level in (
        BehaviourScore.objects.filter(appraisal_id__in=ids, level__isnull=False)
        .order_by("value__order")
        .values_list("appraisal_id", "value__name", "level", "self_level")
    ):
        items[appraisal_id].append((name, level, self_level))
    for appraisal_id, name, level, self_level in (
        PlanIndicator.objects.filter(
            result__appraisal_id__in=ids, kind="rubrik", level__isnull=False
        )
        .order_by("result__order", "order", "pk")
        .values_list("result__appraisal_id", "name", "level", "self_level")
    ):
        items[appraisal_id].append((name, level, self_level))
    for appraisal in appraisals:
        rated = items.get(appraisal.pk, [])
        appraisal.strengths = [i for i in rated if (i[1] or 0) >= 5]  # type: ignore[attr-defined]
        appraisal.weaknesses = [i for i in rated if (i[1] or 5) <= 3]  # type: ignore[attr-defined]


def strengths_all(reach: Reach, cycle: Cycle) -> Iterator[Appraisal]:
    """Every employee of the strengths page, for the download, read 2,000 at a time."""
    appraisals = (
        reach.appraisals(cycle)
        .filter(state__in=COUNTED_STATES)
        .select_related("employee", "unit", "agency", "position")
        .order_by("agency__name", "unit__name", "employee__name", "pk")
    )
    paginator = Paginator(appraisals, 2000)
    for number in paginator.page_range:
        chunk = list(paginator.page(number))
        _attach_strengths(chunk)
        yield from chunk


# --- top performers ---------------------------------------------------------------------------
def top_performers(reach: Reach, cycle: Cycle) -> list[Appraisal]:
    """Per agency: the top 10% by final value among its Sangat Baik employees (at least one,
    ties at the cut included); in matrix mode, which has no final value, all Sangat Baik."""
    sangat_baik = reach.appraisals(cycle).filter(
        state__in=COUNTED_STATES, predikat=Predikat.SANGAT_BAIK
    )
    if cycle.scheme.mode == Mode.MATRIX:
        chosen = sangat_baik
    else:
        values: dict[int, list[tuple[Decimal, int]]] = defaultdict(list)
        for pk, agency_id, value in sangat_baik.values_list("pk", "agency_id", "final_value"):
            if value is not None:
                values[agency_id].append((value, pk))
        keep: list[int] = []
        for rows in values.values():
            rows.sort(reverse=True)
            cut = rows[math.ceil(TOP_SHARE * len(rows)) - 1][0]
            keep.extend(pk for value, pk in rows if value >= cut)
        chosen = Appraisal.objects.filter(pk__in=keep)
    return list(
        chosen.select_related("employee", "unit", "agency", "position").order_by(
            "agency__name", F("final_value").desc(nulls_last=True), "employee__name", "pk"
        )
    )


# --- coaching ---------------------------------------------------------------------------------
def _component_annotations() -> dict[str, Any]:
    annotations: dict[str, Any] = {}
    for i in range(MAX_COMPONENTS):
        component = KeyTransform(str(i), KeyTransform("components", "breakdown"))
        annotations[f"c{i}_value"] = Cast(
            KeyTextTransform("value_rounded", component),
            DecimalField(max_digits=8, decimal_places=2),
        )
        annotations[f"c{i}_name"] = KeyTextTransform("name", component)
    return annotations


def coaching(reach: Reach, cycle: Cycle) -> AppraisalQuerySet:
    """Employees needing a coaching plan: predikat Butuh Perbaikan or worse, or any component
    value (rounded, as shown) below 70."""
    below = Q(predikat__in=COACHING_PREDIKAT)
    for i in range(MAX_COMPONENTS):
        below |= Q(**{f"c{i}_value__lt": COACHING_COMPONENT_BELOW})
    return (
        reach.appraisals(cycle)
        .filter(state__in=COUNTED_STATES)
        .annotate(**_component_annotations())
        .filter(below)
        .select_related("employee", "unit", "agency", "position")
        .order_by("agency__name", "unit__name", "employee__name", "pk")
    )


def low_components(appraisal: Appraisal) -> list[tuple[str, Decimal]]:
    """The components below 70 of an appraisal of :func:`coaching`."""
    low = []
    for i in range(MAX_COMPONENTS):
        value = getattr(appraisal, f"c{i}_value", None)
        if value is not None and Decimal(value) < COACHING_COMPONENT_BELOW:
            low.append((getattr(appraisal, f"c{i}_name"), Decimal(value)))
    return low


def coaching_page(reach: Reach, cycle: Cycle, page: str | int | None) -> Page[Appraisal]:
    page_obj = Paginator(coaching(reach, cycle), PAGE_SIZE).get_page(page)
    for appraisal in page_obj:
        appraisal.low_components = low_components(appraisal)  # type: ignore[attr-defined]
        appraisal.predikat_label = PREDIKAT_LABELS.get(appraisal.predikat, "")  # type: ignore[attr-defined]
    return page_obj


# --- promotion --------------------------------------------------------------------------------
@dataclass
class Eligible:
    employee: Employee
    results: list[dict[str, Any]]  # the last two annual results, newest first


def promotion(reach: Reach) -> list[Eligible]:
    """Employees whose last two annual cycles with a result (scored, final or released) both
    have at least Baik. A result not yet final is marked as such."""
    ranked = (
        Appraisal.objects.filter(
            employee__in=reach.employees().filter(is_active=True).values("pk"),
            cycle__period_type="annual",
            state__in=COUNTED_STATES,
        )
        .exclude(predikat="")
        .annotate(
            recent=Window(
                RowNumber(),
                partition_by=[F("employee_id")],
                order_by=[F("cycle__end_date").desc(), F("cycle_id").desc()],
            )
        )
        .filter(recent__lte=2)
        .values_list("employee_id", "predikat", "cycle__name", "cycle__end_date", "state")
    )
    by_employee: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for employee_id, predikat, cycle_name, end, state in ranked:
        by_employee[employee_id].append(
            {
                "cycle": cycle_name, "end": end, "predikat": predikat,
                "label": PREDIKAT_LABELS.get(predikat, predikat),
                "final": state in (State.FINALISED, State.RELEASED),
            }
        )  # fmt: skip
    eligible_ids = [
        pk
        for pk, rows in by_employee.items()
        if len(rows) == 2 and all(r["predikat"] in PROMOTION_PREDIKAT for r in rows)
    ]
    employees = (
        Employee.objects.filter(pk__in=eligible_ids)
        .select_related("agency", "unit", "position")
        .order_by("agency__name", "unit__name", "name", "pk")
    )
    return [
        Eligible(e, sorted(by_employee[e.pk], key=lambda r: r["end"], reverse=True))
        for e in employees
    ]


# --- history ----------------------------------------------------------------------------------
def history(user: User, employee: Employee) -> list[dict[str, Any]]:
    """An employee's appraisals across cycles, oldest first; values and predikat only where
    the reader may see them (the employee: once released)."""
    scope = scope_for(user)
    rows = []
    for appraisal in (
        Appraisal.objects.filter(employee=employee)
        .with_related()
        .order_by("cycle__start_date", "cycle_id")
    ):
        access = AppraisalAccess(appraisal, scope)
        shown = access.sees_results and appraisal.state in COUNTED_STATES
        rows.append(
            {
                "appraisal": appraisal,
                "shown": shown,
                "value": appraisal.final_value if shown else None,
                "predikat": PREDIKAT_LABELS.get(appraisal.predikat, "") if shown else "",
                "hasil_kerja": appraisal.hasil_kerja_value if shown else None,
                "perilaku": appraisal.perilaku_value if shown else None,
            }
        )
    return rows


def history_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return bar_chart(
        [(r["appraisal"].cycle.name, r["value"]) for r in rows if r["value"] is not None],
        maximum=Decimal(120),
    )


# --- supervisors far from their agency's mean -------------------------------------------------
@dataclass
class Outlier:
    agency: str
    supervisor: Employee
    subordinates: int
    mean: Decimal
    agency_mean: Decimal
    agency_sd: Decimal

    @property
    def deviations(self) -> Decimal:
        return rounded((self.mean - self.agency_mean) / self.agency_sd)


def _value_field(cycle: Cycle) -> str:
    """The value a supervisor's scoring shows in: the final value; in matrix mode, which has
    none, the Perilaku Kerja value (the levels the supervisor gives)."""
    return "perilaku_value" if cycle.scheme.mode == Mode.MATRIX else "final_value"


def outliers(reach: Reach, cycle: Cycle) -> list[Outlier]:
    """Supervisors with at least 5 scored subordinates whose mean value is at least 2
    population standard deviations from their agency's mean (a calibration signal)."""
    reach.require_agencies()
    field = _value_field(cycle)
    scored = Appraisal.objects.filter(
        cycle=cycle,
        agency_id__in=reach.agency_ids(cycle),
        state__in=COUNTED_STATES,
        **{f"{field}__isnull": False},
    )
    agencies = {
        row["agency_id"]: row
        for row in scored.values("agency_id", "agency__name")
        .annotate(n=Count("pk"), total=Sum(field), squares=Sum(F(field) * F(field)))
        .order_by()
    }
    groups = (
        scored.filter(supervisor__isnull=False)
        .values("agency_id", "supervisor_id")
        .annotate(n=Count("pk"), total=Sum(field))
        .filter(n__gte=OUTLIER_MIN_SUBORDINATES)
        .order_by()
    )
    found: list[tuple[int, int, Decimal, dict[str, Any], Decimal, Decimal]] = []
    for row in groups:
        agency = agencies[row["agency_id"]]
        n = agency["n"]
        mean = Decimal(agency["total"]) / n
        variance = Decimal(agency["squares"]) / n - mean * mean
        if variance <= 0:
            continue
        sd = variance.sqrt()
        supervisor_mean = Decimal(row["total"]) / row["n"]
        if abs(supervisor_mean - mean) >= OUTLIER_SDS * sd:
            found.append((row["supervisor_id"], row["n"], supervisor_mean, agency, mean, sd))
    supervisors = Employee.objects.select_related("unit", "position").in_bulk([f[0] for f in found])
    return sorted(
        (
            Outlier(
                agency["agency__name"], supervisors[pk], n, rounded(m), rounded(am), rounded(sd)
            )
            for pk, n, m, agency, am, sd in found
        ),
        key=lambda o: (o.agency, -abs(o.mean - o.agency_mean), o.supervisor.name),
    )


# --- on-time share of dated targets -------------------------------------------------------------
def on_time(reach: Reach, cycle: Cycle) -> AppraisalQuerySet:
    """Per employee, the dated targets of the plan (the on-time-share indicator aside): how
    many were completed by their due date, late, or not yet; the share done on time is what
    the on-time-share indicator's realisation is."""
    dated = Q(
        results__indicators__due_date__isnull=False,
        results__indicators__on_time_share=False,
    ) & ~Q(results__indicators__kind="rubrik")
    prefix = "results__indicators__"
    return (
        reach.appraisals(cycle)
        .annotate(
            dated=Count(f"{prefix}pk", filter=dated),
            done_on_time=Count(
                f"{prefix}pk",
                filter=dated & Q(**{f"{prefix}completed_on__lte": F(f"{prefix}due_date")}),
            ),
            done_late=Count(
                f"{prefix}pk",
                filter=dated & Q(**{f"{prefix}completed_on__gt": F(f"{prefix}due_date")}),
            ),
        )
        .filter(dated__gt=0)
        .select_related("employee", "unit", "agency", "position")
        .order_by("agency__name", "unit__name", "employee__name", "pk")
    )


def on_time_share(appraisal: Appraisal) -> Decimal:
    return rounded(Decimal(100 * appraisal.done_on_time) / appraisal.dated)  # type: ignore[attr-defined]


def on_time_page(reach: Reach, cycle: Cycle, page: str | int | None) -> Page[Appraisal]:
    page_obj = Paginator(on_time(reach, cycle), PAGE_SIZE).get_page(page)
    for appraisal in page_obj:
        appraisal.share = on_time_share(appraisal)  # type: ignore[attr-defined]
        appraisal.not_done = appraisal.dated - appraisal.done_on_time - appraisal.done_late  # type: ignore[attr-defined]
    return page_obj
