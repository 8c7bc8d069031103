"""Reads for the appraisal pages, with their joins built in (no queries in templates)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from agencies.access import Scope, scope_for
from agencies.models import Agency, User
from asn_portal.numbers import format_number
from indicators.models import BehaviourValue
from indicators.schemes.base import Predikat, Rating

from .models import (
    Appraisal,
    AppraisalQuerySet,
    AuditEntry,
    Cycle,
    Objection,
    Phase,
    PlanIndicator,
    PlanResult,
    State,
)

STATE_ORDER = [s.value for s in State]

# A phase is late for an appraisal still in one of these states after its deadline.
LATE_STATES = {
    Phase.PLANNING: {State.DRAFT, State.TARGETS_SUBMITTED},
    Phase.SELF_ASSESSMENT: {State.TARGETS_APPROVED},
    Phase.SCORING: {State.SELF_ASSESSED},
}


def appraisal_detail(appraisal_id: int) -> Appraisal:
    return (
        Appraisal.objects.with_related()
        .prefetch_related(
            Prefetch(
                "results",
                queryset=PlanResult.objects.select_related("supports").prefetch_related(
                    Prefetch(
                        "indicators",
                        queryset=PlanIndicator.objects.prefetch_related("evidence"),
                    )
                ),
            ),
            "behaviours__value",
            "team_scores__member__employee_record",
        )
        .get(pk=appraisal_id)
    )


AUDIT_PAGE_SIZE = 20

# How an audit key reads; a plan change is keyed by the indicator's code instead.
_AUDIT_LABELS = {
    "state": "Status",
    "realisasi": "Realisasi",
    "level_diri": "Level menurut pegawai",
    "target": "Target",
    "weight": "Bobot",
    "nilai_akhir": "Nilai akhir",
    "hasil_kerja": "Hasil Kerja",
    "perilaku": "Perilaku Kerja",
    "predikat": "Predikat",
    "rating_hasil_kerja": "Rating Hasil Kerja",
    "rating_perilaku": "Rating Perilaku Kerja",
    "verifikasi": "Verifikasi",
    "level": "Level",
    "komentar": "Komentar",
    "keberatan": "Keberatan",
    "berkas": "Berkas pendukung",
}
_SCORE_KEYS = {"nilai_akhir", "hasil_kerja", "perilaku"}
_STATE_LABELS = dict(State.choices)
_CODE_LABELS = {
    **{p.value: p.label for p in Predikat},
    **{r.value: r.label for r in Rating},
}


def _audit_label(key: str) -> str:
    if key.startswith("umpan_balik:"):
        return f"Umpan balik {key.split(':', 1)[1]}"
    if key.startswith("realisasi:"):
        return f"Realisasi {key.split(':', 1)[1]}"
    if key.startswith("intervensi:"):
        return f"Hasil kerja atasan yang didukung {key.split(':', 1)[1]}"
    return _AUDIT_LABELS.get(key, key)


def _audit_text(key: str, value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{_audit_label(k).lower()} {_audit_text(k, v)}" for k, v in value.items())
    if value in (None, ""):
        return "—"
    if key == "state":
        return str(_STATE_LABELS.get(value, value))
    if isinstance(value, str) and value in _CODE_LABELS:
        return _CODE_LABELS[value]
    numeric = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    if numeric or (isinstance(value, str) and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value)):
        if key in _SCORE_KEYS:
            return format_number(value, 2, fixed=True)
        return format_number(value)
    return str(value)


def _changes(entry: AuditEntry, value_names: dict[str, str]) -> list[tuple[str, str | None, str]]:
    """``(what, before, after)`` per changed key, in words and Indonesian numbers."""
    rows: list[tuple[str, str | None, str]] = []
    for key in dict.fromkeys([*entry.before, *entry.after]):
        before = _audit_text(key, entry.before[key]) if key in entry.before else None
        after = _audit_text(key, entry.after.get(key))
        if before == after:
            continue
        label = _audit_label(key)
        if key.startswith("realisasi:"):
            pass
        elif label == key and entry.action in ("score_save", "calibrate", "objection"):
            label = f"Level {value_names.get(key, key)}"  # an indicator code or a value
        elif key.startswith("umpan_balik:"):
            code = key.split(":", 1)[1]
            label = f"Umpan balik {value_names.get(code, code)}"
        rows.append((label, before, after))
    return rows


def audit_for(appraisal: Appraisal, *, full: bool, page: int | str | None = 1) -> Page[AuditEntry]:
    """One page of the audit trail, newest first, each entry with its readable changes.

    The employee's own view hides levels, values and the reasons given for them until
    release."""
    entries = appraisal.audit.select_related("actor__employee_record").order_by("-at", "-pk")
    page_obj = Paginator(entries, AUDIT_PAGE_SIZE).get_page(page)
    hide = not full and not appraisal.is_released
    value_names = dict(BehaviourValue.objects.values_list("code", "name"))
    for entry in page_obj:
        entry.hidden = hide and (entry.sensitive or entry.action == "recompute")
        if entry.hidden:  # nothing of it reaches the page, not even the reason
            entry.before, entry.after, entry.reason = {}, {}, ""
        entry.changes = _changes(entry, value_names)
    return page_obj


def agency_state_counts(cycle: Cycle, agency: Agency) -> dict[str, int]:
    """How many of an agency's appraisals in a cycle are in each state, and how many are not
    yet scored (what a confirmation page tells before finalising or releasing)."""
    counts = dict(
        Appraisal.objects.filter(cycle=cycle, agency=agency)
        .values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    done = (State.SCORED, State.FINALISED, State.RELEASED)
    counts["pending_scoring"] = sum(n for state, n in counts.items() if state not in done)
    return counts


def team_queue(rater_roots: list[int]) -> AppraisalQuerySet:
    """Appraisals the user rates, with what waits for them first."""
    return (
        Appraisal.objects.filter(supervisor_id__in=rater_roots)
        .exclude(cycle__status="closed")
        .select_related("employee", "cycle", "unit", "position")
        .order_by("cycle__name", "state", "employee__name")
    )


VERIFICATION_FILTERS = {
    "menunggu": "pending",
    "diverifikasi": "verified",
    "ditolak": "rejected",
}


def verification_queue(
    scope: Scope, *, unit_id: int | None = None, status: str = "menunggu"
) -> QuerySet[PlanIndicator]:
    """Realisations of the Verifikator's agencies in verifying schemes, in open cycles, never
    their own, with the employee, the unit and the evidence joined (constant queries)."""
    from .access import VERIFIABLE_STATES, VERIFYING_SCHEMES

    query = (
        PlanIndicator.objects.filter(
            result__appraisal__agency_id__in=scope.verifier_agency_ids,
            result__appraisal__cycle__scheme_key__in=VERIFYING_SCHEMES,
            result__appraisal__cycle__status="open",
            result__appraisal__state__in=VERIFIABLE_STATES,
            kind="kuantitatif",
            realisation__isnull=False,
            verification=VERIFICATION_FILTERS.get(status, "pending"),
        )
        .select_related(
            "result__appraisal__employee", "result__appraisal__unit", "result__appraisal__cycle"
        )
        .prefetch_related("evidence")
        .order_by("result__appraisal__unit__name", "result__appraisal__employee__name", "pk")
    )
    if scope.employee:
        query = query.exclude(result__appraisal__employee_id=scope.employee.pk)
    if unit_id:
        query = query.filter(result__appraisal__unit_id=unit_id)
    return query


def team_score_queue(scope: Scope, user: User) -> AppraisalQuerySet:
    """Appraisals a Tim Penilai member scores: their agencies, schemes with a team component,
    self-assessed or scored, never their own; each with the member's own score, if any."""
    from .access import TEAM_SCHEMES, TEAM_SCORABLE_STATES
    from .models import TeamScore

    query = (
        Appraisal.objects.filter(
            agency_id__in=scope.team_agency_ids,
            cycle__scheme_key__in=TEAM_SCHEMES,
            cycle__status="open",
            state__in=TEAM_SCORABLE_STATES,
        )
        .select_related("employee", "unit", "position", "cycle")
        .prefetch_related(
            Prefetch("team_scores", queryset=TeamScore.objects.filter(member=user), to_attr="mine")
        )
        .annotate(members_scored=Count("team_scores"))
        .order_by("unit__name", "employee__name", "pk")
    )
    if scope.employee:
        query = query.exclude(employee_id=scope.employee.pk)
    return query


def cycle_progress(
    cycle: Cycle, agency_ids: list[int], *, within: Q | None = None
) -> dict[str, Any]:
    """Counts per unit and state, and who is late, in a constant number of queries.

    ``within`` narrows the appraisals further (a supervisor's team on the dashboards)."""
    base = Appraisal.objects.filter(cycle=cycle, agency_id__in=agency_ids)
    if within is not None:
        base = base.filter(within)
    rows = (
        base.values("agency_id", "agency__name", "unit_id", "unit__name", "state")
        .annotate(n=Count("pk"))
        .order_by("agency__name", "unit__name")
    )
    units: dict[int, dict[str, Any]] = {}
    agencies: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"states": defaultdict(int), "total": 0}
    )
    for row in rows:
        unit = units.setdefault(
            row["unit_id"],
            {
                "name": row["unit__name"],
                "agency": row["agency__name"],
                "states": defaultdict(int),
                "total": 0,
            },
        )
        unit["states"][row["state"]] += row["n"]
        unit["total"] += row["n"]
        agency = agencies[row["agency_id"]]
        agency["name"] = row["agency__name"]
        agency["id"] = row["agency_id"]
        agency["states"][row["state"]] += row["n"]
        agency["total"] += row["n"]
    for bucket in [*units.values(), *agencies.values()]:
        done = sum(
            bucket["states"].get(s, 0) for s in (State.SCORED, State.FINALISED, State.RELEASED)
        )
        bucket["percent"] = round(100 * done / bucket["total"]) if bucket["total"] else 0
        # Ready when nothing is behind and something is left to move (after a reopen, only
        # the reopened appraisal is finalised again).
        counts = bucket["states"]
        bucket["all_scored"] = counts.get(State.SCORED, 0) > 0 and done == bucket["total"]
        bucket["all_finalised"] = (
            counts.get(State.FINALISED, 0) > 0
            and counts.get(State.FINALISED, 0) + counts.get(State.RELEASED, 0) == bucket["total"]
        )
        bucket["rows"] = [(State(s).label, bucket["states"].get(s, 0)) for s in STATE_ORDER]
    now = timezone.now()
    late_filter = Q()
    for phase, states in LATE_STATES.items():
        if cycle.is_past(phase, now):
            late_filter |= Q(state__in=states)
    late = []
    if late_filter:
        late = list(
            base.filter(late_filter)
            .select_related("employee", "unit", "supervisor")
            .order_by("unit__name", "employee__name")[:200]
        )
    return {"units": list(units.values()), "agencies": list(agencies.values()), "late": late}


# The actions of the appraisal audit trail, as the audit page names them.
AUDIT_ACTIONS = {
    "cycle_create": "Siklus dibuat",
    "cycle_open": "Siklus dibuka",
    "deadline_extend": "Batas waktu diperpanjang",
    "cycle_close": "Siklus ditutup",
    "cycle_reopen": "Siklus dibuka kembali",
    "reminders_send": "Pengingat dikirim",
    "plan_copy": "Rencana disalin",
    "plan_update": "Rencana diubah",
    "targets_submit": "Rencana diajukan",
    "targets_return": "Rencana dikembalikan",
    "targets_approve": "Rencana disetujui",
    "targets_approve_late": "Rencana disetujui setelah batas",
    "realisation_save": "Realisasi disimpan",
    "evidence_add": "Bukti dukung diunggah",
    "evidence_delete": "Bukti dukung dihapus",
    "self_assessment_submit": "Penilaian diri dikirim",
    "self_assessment_late": "Penilaian diri diteruskan setelah batas",
    "self_assessment_return": "Penilaian diri dikembalikan",
    "score_save": "Nilai atasan disimpan",
    "score": "Penilaian atasan selesai",
    "calibrate": "Kalibrasi",
    "recompute": "Nilai dihitung ulang",
    "finalise": "Difinalkan",
    "release": "Dirilis",
    "reopen": "Dibuka kembali",
    # peer feedback (feedback/peers.py): never who answered what
    "peers_submit": "Usulan rekan kerja diajukan",
    "peers_approve": "Daftar rekan kerja disetujui",
    "peers_assign": "Rekan kerja dibagikan Admin HR",
    "peers_assign_bulk": "Pembagian rekan kerja dimulai",
    "peer_form_completed": "Formulir umpan balik rekan selesai",
}


def audit_search(
    user: User,
    *,
    cycle: Cycle | None = None,
    unit_code: str = "",
    person: str = "",
    action: str = "",
    date_from: dt.datetime | None = None,
    date_to: dt.datetime | None = None,
) -> QuerySet[AuditEntry]:
    """The appraisal audit trail HR may read (their agencies; the region for the Admin
    Daerah), newest first, with what each row shows joined in: the query count of a page does
    not depend on the data. Cycle-wide entries (open, extend, close) belong to the cycle."""
    scope = scope_for(user)
    in_scope = Q(appraisal__agency_id__in=scope.hr_agency_ids) | Q(
        cycle__region_id__in=scope.region_ids
    )
    cycle_wide = Q(appraisal__isnull=True, cycle__agencies__in=scope.hr_agency_ids)
    entries = AuditEntry.objects.filter(in_scope | cycle_wide)
    if cycle is not None:
        entries = entries.filter(cycle=cycle)
    if unit_code:
        entries = entries.filter(appraisal__unit__code__iexact=unit_code)
    if person:
        digits = person.replace(" ", "")
        if digits.isdigit():
            entries = entries.filter(appraisal__employee__nip__startswith=digits)
        else:
            entries = entries.filter(appraisal__employee__name__icontains=person)
    if action:
        entries = entries.filter(action=action)
    if date_from is not None:
        entries = entries.filter(at__gte=date_from)
    if date_to is not None:
        entries = entries.filter(at__lt=date_to)
    return (
        entries.distinct()
        .select_related("cycle", "actor__employee_record", "appraisal__employee", "appraisal__unit")
        .order_by("-at", "-pk")
    )


def audit_page(entries: QuerySet[AuditEntry], page: int | str | None) -> Page[AuditEntry]:
    """One page of the HR audit page, each entry with its readable changes (HR sees all)."""
    page_obj = Paginator(entries, 50).get_page(page)
    value_names = dict(BehaviourValue.objects.values_list("code", "name"))
    for entry in page_obj:
        entry.hidden = False
        entry.changes = _changes(entry, value_names)
    return page_obj


def objections_waiting_for(scope: Scope) -> QuerySet[Objection]:
    """Open objections this user decides: as atasan pejabat penilai (the snapshot atasan's
    active atasan, or who acts for them), or as Admin Daerah where none exists in the portal.
    Never their own."""
    from .models import Objection, ObjectionState

    condition = Q(pk__in=[])
    roots = scope.subordinate_roots()
    if roots:
        condition |= Q(
            appraisal__supervisor__is_active=True,
            appraisal__supervisor__supervisor_id__in=roots,
            appraisal__supervisor__supervisor__is_active=True,
        )
    if scope.region_ids:
        condition |= Q(appraisal__cycle__region_id__in=scope.region_ids) & (
            Q(appraisal__supervisor__isnull=True)
            | Q(appraisal__supervisor__is_active=False)
            | Q(appraisal__supervisor__supervisor__isnull=True)
            | Q(appraisal__supervisor__supervisor__is_active=False)
        )
    objections = Objection.objects.filter(condition, state=ObjectionState.SUBMITTED)
    if scope.employee:
        objections = objections.exclude(appraisal__employee_id=scope.employee.pk)
    return objections.select_related(
        "appraisal__employee", "appraisal__cycle", "appraisal__agency", "appraisal__unit"
    ).order_by("filed_at", "pk")


def cycle_objections(cycle: Cycle, agency_ids: list[int]) -> QuerySet[Objection]:
    """Every objection of a cycle in these agencies, with its state and decider."""
    from .models import Objection

    return (
        Objection.objects.filter(appraisal__cycle=cycle, appraisal__agency_id__in=agency_ids)
        .select_related(
            "appraisal__employee",
            "appraisal__agency",
            "appraisal__unit",
            "decided_by__employee_record",
        )  # fmt: skip
        .order_by("appraisal__agency__name", "-filed_at", "-pk")
    )


def agency_distributions(cycle: Cycle, agency_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per agency: its organisation predikat setting, the predikat counts (scored, final or
    released), the distribution check and the chart's geometry; three queries in all."""
    from .models import AgencyCycleSetting
    from .services.organisation import chart, distribution_check, predikat_counts

    settings_ = {
        s.agency_id: s
        for s in AgencyCycleSetting.objects.filter(cycle=cycle, agency_id__in=agency_ids)
    }
    counts = predikat_counts(cycle, agency_ids)
    result = {}
    for agency_id in agency_ids:
        setting = settings_.get(agency_id)
        check = distribution_check(setting, counts[agency_id])
        result[agency_id] = {
            "setting": setting,
            "counts": [(p.label, counts[agency_id].get(p.value, 0)) for p in Predikat],
            "total": sum(counts[agency_id].values()),
            "check": check,
            "chart": chart(check, counts[agency_id]),
        }
    return result
