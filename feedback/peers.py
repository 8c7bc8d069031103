"""Peer feedback services: nomination, approval, HR's bulk assignment, the peer form, and
counting the answers into the score after the peer deadline (docs/feedback.md).

Every service is keyword-only with ``acting_user=``, runs in ``transaction.atomic`` and
writes its audit row in the same transaction. The audit never names a peer's answer: a
submitted form is recorded as "peer form completed", with no actor.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from agencies.access import scope_for
from agencies.models import Employee, Unit, User
from agencies.paths import subtree
from appraisals.access import AppraisalAccess
from appraisals.models import Appraisal, Cycle, CycleStatus, Phase
from appraisals.services._base import _audit, _recompute, access_for
from indicators.models import BehaviourValue
from reports.jobs import job_create, job_handler

from .models import (
    AssignmentState,
    NominationState,
    PeerAnswer,
    PeerAssignment,
    PeerNomination,
)

MAX_PEERS = 5
DEFAULT_BULK_PEERS = 3


# --- rules read by the pages and enforced by the services ------------------------------------


def uses_peers(cycle: Cycle) -> bool:
    return any(c.uses_peers for c in cycle.scheme.components)


def min_peers(cycle: Cycle) -> int:
    """At least as many peers as the answers the score needs (``minimal_rekan``, 3)."""
    return cycle.scheme.config.min_peer_answers


def max_peers(cycle: Cycle) -> int:
    return max(MAX_PEERS, min_peers(cycle))


def eligible_peers(appraisal: Appraisal) -> Any:
    """Who may be this appraisal's peer: active, in the same agency, not the employee, not
    their atasan, not one of their direct or indirect subordinates."""
    excluded = [appraisal.employee_id]
    for supervisor_id in (appraisal.supervisor_id, appraisal.employee.supervisor_id):
        if supervisor_id:
            excluded.append(supervisor_id)
    return (
        Employee.objects.active()
        .filter(agency_id=appraisal.agency_id)
        .exclude(pk__in=excluded)
        .exclude(supervisor_path__startswith=appraisal.employee.subtree_prefix)
    )


def nomination_of(appraisal: Appraisal) -> PeerNomination | None:
    return PeerNomination.objects.filter(appraisal=appraisal).first()


@dataclass(frozen=True)
class PeerAccess:
    """What one user may do with the peers of one appraisal: the predicates the pages ask."""

    access: AppraisalAccess
    nomination: PeerNomination | None
    now: dt.datetime

    @property
    def appraisal(self) -> Appraisal:
        return self.access.appraisal

    @property
    def state(self) -> str:
        return self.nomination.state if self.nomination else NominationState.DRAFT

    @property
    def open(self) -> bool:
        cycle = self.appraisal.cycle
        return (
            uses_peers(cycle)
            and cycle.status == CycleStatus.OPEN
            and not self.appraisal.is_locked
            and not cycle.is_past(Phase.PEER, self.now)
        )

    @property
    def can_nominate(self) -> bool:
        return self.access.is_owner and self.open and self.state == NominationState.DRAFT

    @property
    def can_approve(self) -> bool:
        return (
            self.access.is_rater
            and self.open
            and self.state in (NominationState.DRAFT, NominationState.SUBMITTED)
        )

    @property
    def deadline_passed(self) -> bool:
        return self.appraisal.cycle.is_past(Phase.PEER, self.now)

    @property
    def can_see_summary(self) -> bool:
        """The atasan (and HR) after the peer deadline; the employee with the released result.
        Never a live aggregate; below ``minimal_rekan`` answers the page says only that."""
        if not self.deadline_passed:
            return False
        if self.access.is_owner:
            return self.appraisal.is_released
        return self.access.is_rater or self.access.is_hr


def peer_access_for(acting_user: User, appraisal: Appraisal) -> PeerAccess:
    return PeerAccess(
        access=access_for(acting_user, appraisal),
        nomination=nomination_of(appraisal),
        now=timezone.now(),
    )


def get_assignment_for(user: User, pk: int) -> PeerAssignment:
    """A peer form: only its peer reaches it, and only once its list is approved."""
    scope = scope_for(user)
    assignment = (
        PeerAssignment.objects.select_related(
            "appraisal__cycle__region", "appraisal__employee", "appraisal__unit"
        )
        .filter(
            pk=pk,
            peer_id=scope.employee.pk if scope.employee else None,
            appraisal__peer_nomination__state=NominationState.APPROVED,
        )
        .first()
    )
    if assignment is None:
        raise Http404("Formulir tidak ditemukan")
    return assignment


# --- nomination ------------------------------------------------------------------------------


def _check_list(appraisal: Appraisal, peer_ids: Sequence[int]) -> list[int]:
    ids = list(dict.fromkeys(int(pk) for pk in peer_ids))
    cycle = appraisal.cycle
    low, high = min_peers(cycle), max_peers(cycle)
    if not low <= len(ids) <= high:
        raise ValidationError(
            {"peers": f"Pilih {low} sampai {high} rekan kerja (dipilih: {len(ids)})."}
        )
    _refuse_ineligible(appraisal, ids)
    return ids


def _refuse_ineligible(appraisal: Appraisal, ids: list[int]) -> None:
    allowed = set(eligible_peers(appraisal).filter(pk__in=ids).values_list("pk", flat=True))
    if set(ids) - allowed:
        raise ValidationError(
            {
                "peers": "Rekan kerja harus pegawai aktif di perangkat daerah yang sama, bukan "
                "pegawai yang dinilai, bukan atasannya, dan bukan bawahannya."
            }
        )


def _set_peers(appraisal: Appraisal, ids: list[int]) -> tuple[list[int], list[int]]:
    current = set(
        PeerAssignment.objects.filter(appraisal=appraisal).values_list("peer_id", flat=True)
    )
    added = [pk for pk in ids if pk not in current]
    removed = [pk for pk in current if pk not in ids]
    PeerAssignment.objects.filter(appraisal=appraisal, peer_id__in=removed).delete()
    PeerAssignment.objects.bulk_create(
        PeerAssignment(appraisal=appraisal, peer_id=pk) for pk in added
    )
    return added, removed


def _names(ids: Iterable[int]) -> list[str]:
    return sorted(Employee.objects.filter(pk__in=list(ids)).values_list("name", flat=True))


def _nomination(appraisal: Appraisal) -> PeerNomination:
    nomination, _created = PeerNomination.objects.select_for_update().get_or_create(
        appraisal=appraisal
    )
    return nomination


@transaction.atomic
def peer_nominate(
    *, acting_user: User, appraisal: Appraisal, peer_ids: Sequence[int], submit: bool = False
) -> PeerNomination:
    """The employee proposes their peers (saved as a draft, or submitted to the atasan)."""
    access = peer_access_for(acting_user, appraisal)
    if not access.access.is_owner:
        raise PermissionDenied("Hanya pegawai yang bersangkutan yang mengusulkan rekan kerjanya")
    if not access.can_nominate:
        raise ValidationError(
            "Usulan rekan kerja tidak dapat diubah: sudah diajukan atau disetujui, atau batas "
            "umpan balik rekan telah lewat."
        )
    nomination = _nomination(appraisal)
    if submit:
        ids = _check_list(appraisal, peer_ids)
    else:
        ids = list(dict.fromkeys(int(pk) for pk in peer_ids))
        if len(ids) > max_peers(appraisal.cycle):
            raise ValidationError({"peers": f"Paling banyak {max_peers(appraisal.cycle)} rekan."})
        _refuse_ineligible(appraisal, ids)
    _set_peers(appraisal, ids)
    if submit:
        nomination.state = NominationState.SUBMITTED
        nomination.save(update_fields=["state"])
        _audit(
            appraisal,
            actor=acting_user,
            action="peers_submit",
            summary="Usulan rekan kerja diajukan",
            after={"rekan": _names(ids)},
        )
    return nomination


@transaction.atomic
def peer_nomination_approve(
    *, acting_user: User, appraisal: Appraisal, peer_ids: Sequence[int]
) -> PeerNomination:
    """The atasan approves the list, possibly after adding or removing peers."""
    access = peer_access_for(acting_user, appraisal)
    if not access.access.is_rater:
        raise PermissionDenied("Hanya atasan langsung yang menyetujui daftar rekan kerja")
    if not access.can_approve:
        raise ValidationError(
            "Daftar rekan kerja tidak dapat disetujui: sudah disetujui, atau batas umpan balik "
            "rekan telah lewat."
        )
    ids = _check_list(appraisal, peer_ids)
    nomination = _nomination(appraisal)
    before = _names(
        PeerAssignment.objects.filter(appraisal=appraisal).values_list("peer_id", flat=True)
    )
    _set_peers(appraisal, ids)
    nomination.state = NominationState.APPROVED
    nomination.save(update_fields=["state"])
    _audit(
        appraisal,
        actor=acting_user,
        action="peers_approve",
        summary="Daftar rekan kerja disetujui atasan",
        before={"rekan": before},
        after={"rekan": _names(ids)},
    )
    return nomination


# --- HR's bulk assignment --------------------------------------------------------------------


def _bulk_targets(cycle: Cycle, agency_ids: Iterable[int], unit: Unit | None) -> Any:
    appraisals = Appraisal.objects.filter(cycle=cycle, agency_id__in=list(agency_ids)).exclude(
        peer_nomination__state=NominationState.APPROVED
    )
    if unit is not None:
        appraisals = appraisals.filter(unit=unit)
    return appraisals


@transaction.atomic
def peers_assign_bulk(
    *, acting_user: User, cycle: Cycle, unit: Unit | None = None, per_person: int | None = None
) -> Any:
    """HR assigns peers to every appraisal of a unit, or of the agencies they administer, that
    has no approved list yet: a background job, since an agency may have thousands."""
    scope = scope_for(acting_user)
    agency_ids = [
        a.pk
        for a in cycle.agencies.all()
        if scope.can_manage_agency(a.pk, a.region_id) and (unit is None or unit.agency_id == a.pk)
    ]
    if not agency_ids:
        raise PermissionDenied("Perangkat Daerah di luar wewenang Anda")
    if not uses_peers(cycle):
        raise ValidationError("Skema siklus ini tidak memakai umpan balik rekan kerja.")
    if cycle.status != CycleStatus.OPEN or cycle.is_past(Phase.PEER, timezone.now()):
        raise ValidationError("Rekan kerja hanya dibagikan selama siklus berjalan dan sebelum "
                              "batas umpan balik rekan.")  # fmt: skip
    k = per_person or min_peers(cycle)
    if not min_peers(cycle) <= k <= max_peers(cycle):
        raise ValidationError(
            {"per_person": f"Pilih {min_peers(cycle)} sampai {max_peers(cycle)} rekan."}
        )
    total = _bulk_targets(cycle, agency_ids, unit).count()
    _audit(
        None,
        cycle=cycle,
        actor=acting_user,
        action="peers_assign_bulk",
        summary=f"Pembagian rekan kerja dimulai untuk {total} penilaian",
    )
    return job_create(
        kind="peers_assign",
        payload={
            "cycle_id": cycle.pk,
            "agency_ids": agency_ids,
            "unit_id": unit.pk if unit else None,
            "k": k,
            "user_id": acting_user.pk,
        },
        created_by=acting_user,
        region=cycle.region,
        total=total,
    )


def plan_assignments(
    people: Sequence[tuple[int, int | None, int | None]],
    excluded: Mapping[int, set[int]],
    pools: Mapping[int, Sequence[int]],
    fallback: Sequence[int],
    k: int,
    load: dict[int, int],
) -> dict[int, list[int]]:
    """Pick k peers for each person (employee id, unit id, supervisor id), least-loaded first,
    from their unit, then their agency: nobody gets far more forms than
    the others. ``load`` counts the forms each employee already has and is updated."""
    chosen: dict[int, list[int]] = {}
    for employee_id, unit_id, _supervisor in people:
        picked: list[int] = []
        for pool in (pools.get(unit_id or 0, ()), fallback):
            # Least-loaded first; among equals, the next ones after the employee in the pool
            # (round-robin), which gives everyone exactly k forms in a pool of equals.
            where = {pk: i for i, pk in enumerate(pool)}
            start = where.get(employee_id, 0)
            candidates = sorted(
                (pk for pk in pool if pk not in excluded[employee_id] and pk not in picked),
                key=lambda pk: (load.get(pk, 0), (where[pk] - start) % len(pool)),
            )
            for pk in candidates[: k - len(picked)]:
                picked.append(pk)
                load[pk] = load.get(pk, 0) + 1
            if len(picked) >= k:
                break
        chosen[employee_id] = picked
    return chosen


@job_handler("peers_assign")
def peers_assign(job: Any, progress: Any) -> dict[str, Any]:
    """The job: run twice, it skips appraisals whose list is already approved."""
    payload = job.payload
    cycle = Cycle.objects.get(pk=payload["cycle_id"])
    unit = Unit.objects.filter(pk=payload["unit_id"]).first() if payload["unit_id"] else None
    k = payload["k"]
    actor = User.objects.filter(pk=payload["user_id"]).first()
    appraisals = list(
        _bulk_targets(cycle, payload["agency_ids"], unit)
        .select_related("employee")
        .order_by("agency_id", "unit_id", "pk")
    )
    done = 0
    by_agency: dict[int, list[Appraisal]] = defaultdict(list)
    for appraisal in appraisals:
        by_agency[appraisal.agency_id].append(appraisal)
    assigned = short = 0
    for agency_id, group in by_agency.items():
        staff = list(
            Employee.objects.active()
            .filter(agency_id=agency_id)
            .order_by("pk")
            .values_list("pk", "unit_id")
        )
        pools: dict[int, list[int]] = defaultdict(list)
        for pk, unit_id in staff:
            pools[unit_id].append(pk)
        fallback = [pk for pk, _u in staff]
        load = dict(
            PeerAssignment.objects.filter(appraisal__cycle=cycle, peer__agency_id=agency_id)
            .values("peer_id")
            .annotate(n=Count("pk"))
            .values_list("peer_id", "n")
        )
        excluded = {
            a.employee_id: {a.employee_id, a.supervisor_id or 0, a.employee.supervisor_id or 0}
            | set(subtree([a.employee.subtree_prefix]).values_list("pk", flat=True))
            for a in group
        }
        plan = plan_assignments(
            [(a.employee_id, a.unit_id, a.supervisor_id) for a in group],
            excluded, pools, fallback, k, load,
        )  # fmt: skip
        for appraisal in group:
            done += 1
            progress(done, len(appraisals))
            with transaction.atomic():
                nomination = _nomination(appraisal)
                if nomination.is_approved:
                    continue
                ids = plan[appraisal.employee_id]
                if len(ids) < min_peers(cycle):
                    # Not enough eligible colleagues (a head of agency, a one-person office):
                    # left for the atasan or HR to choose by hand, never approved short.
                    short += 1
                    continue
                _set_peers(appraisal, ids)
                nomination.state = NominationState.APPROVED
                nomination.save(update_fields=["state"])
                _audit(
                    appraisal,
                    actor=actor,
                    action="peers_assign",
                    summary="Rekan kerja dibagikan oleh Admin HR",
                    after={"rekan": _names(ids)},
                )
                assigned += 1
    return {"assigned": assigned, "short": short}


# --- the peer form ---------------------------------------------------------------------------


def form_open(assignment: PeerAssignment) -> bool:
    """A form takes answers once its list is approved, until it is sent or the appraisal is
    final; after the peer deadline it is still taken, and counts at once."""
    appraisal = assignment.appraisal
    return (
        not assignment.is_submitted
        and appraisal.cycle.status == CycleStatus.OPEN
        and not appraisal.is_locked
        and PeerNomination.objects.filter(
            appraisal_id=appraisal.pk, state=NominationState.APPROVED
        ).exists()
    )


@transaction.atomic
def peer_form_save(
    *,
    acting_user: User,
    assignment: PeerAssignment,
    answers: Mapping[str, tuple[int | None, str]],
    submit: bool = False,
) -> PeerAssignment:
    """The peer saves a draft ({value code: (level or None, comment)}) or submits it once.

    Submitting moves the draft into anonymous answer rows and clears it, in one transaction;
    after that nobody, the peer included, can read or change the answers. A form submitted
    after the peer deadline is counted into the score at once."""
    scope = scope_for(acting_user)
    assignment = (
        PeerAssignment.objects.select_for_update(of=("self",))
        .select_related("appraisal__cycle__region")
        .get(pk=assignment.pk)
    )
    if scope.employee is None or assignment.peer_id != scope.employee.pk:
        raise PermissionDenied("Formulir ini bukan untuk Anda")
    if not form_open(assignment):
        raise ValidationError(
            "Formulir ini sudah dikirim atau penilaiannya sudah final: tidak dapat diubah."
        )
    values = {v.code: v for v in BehaviourValue.objects.all()}
    draft: dict[str, dict[str, Any]] = {}
    for code, (level, comment) in answers.items():
        if code not in values:
            raise ValidationError(f"Nilai BerAKHLAK tidak dikenal: {code}")
        if level is not None and (
            not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 5
        ):
            raise ValidationError({code: "Pilih level 1 sampai 5"})
        draft[code] = {"level": level, "comment": (comment or "").strip()[:2000]}
    if not submit:
        assignment.draft = draft
        assignment.save(update_fields=["draft"])
        return assignment
    missing = [values[c].name for c in values if (draft.get(c) or {}).get("level") is None]
    if missing:
        raise ValidationError(
            f"Beri level untuk setiap nilai sebelum mengirim: {', '.join(missing)}."
        )
    appraisal = assignment.appraisal
    rows = [
        PeerAnswer(
            appraisal_id=appraisal.pk,
            value=values[code],
            level=entry["level"],
            comment=entry["comment"],
        )
        for code, entry in draft.items()
    ]
    random.shuffle(rows)
    PeerAnswer.objects.bulk_create(rows)
    assignment.draft = {}
    assignment.state = AssignmentState.SUBMITTED
    assignment.save(update_fields=["draft", "state"])
    _audit(
        appraisal,
        actor=None,
        action="peer_form_completed",
        summary="Satu formulir umpan balik rekan kerja selesai diisi",
    )
    now = timezone.now()
    if appraisal.cycle.is_past(Phase.PEER, now):
        locked = (
            Appraisal.objects.with_related().select_for_update(of=("self",)).get(pk=appraisal.pk)
        )
        _recompute(
            locked, actor=None, action="peers", reason="jawaban rekan kerja dihitung", now=now
        )
        PeerNomination.objects.filter(appraisal=appraisal).update(counted_at=now)
    return assignment


# --- counting the answers after the deadline -------------------------------------------------


def peers_count_due(*, now: dt.datetime | None = None) -> int:
    """The beat task: recompute, once, each appraisal whose cycle's peer deadline has passed
    and whose submitted answers were not counted yet. Idempotent (``counted_at``)."""
    now = now or timezone.now()
    due = (
        PeerNomination.objects.filter(
            counted_at__isnull=True,
            appraisal__cycle__status=CycleStatus.OPEN,
            appraisal__cycle__peer_deadline__lt=now.date() + dt.timedelta(days=1),
            appraisal__peer_assignments__state=AssignmentState.SUBMITTED,
        )
        .distinct()
        .select_related("appraisal__cycle__region")
    )
    counted = 0
    for nomination in due:
        appraisal = nomination.appraisal
        if not appraisal.cycle.is_past(Phase.PEER, now):
            continue  # the deadline's day is not over in the region's time zone yet
        with transaction.atomic():
            locked = (
                Appraisal.objects.with_related()
                .select_for_update(of=("self",))
                .get(pk=appraisal.pk)
            )
            if not locked.is_locked:
                _recompute(locked, actor=None, action="peers", reason="jawaban rekan kerja "
                           "dihitung setelah batas umpan balik rekan", now=now)  # fmt: skip
            PeerNomination.objects.filter(pk=nomination.pk).update(counted_at=now)
            counted += 1
    return counted


# --- what the atasan and the employee read ---------------------------------------------------


@dataclass(frozen=True)
class ValueSummary:
    code: str
    name: str
    count: int
    mean: float | None
    comments: list[str]


@dataclass(frozen=True)
class PeerSummary:
    answered: int
    enough: bool
    minimum: int
    values: list[ValueSummary]


def peer_summary(appraisal: Appraisal) -> PeerSummary:
    """Per value: how many peers rated it, their mean level when at least ``minimal_rekan``
    did, and their comments without names in random order. Two queries."""
    minimum = min_peers(appraisal.cycle)
    answered = PeerAssignment.objects.filter(
        appraisal=appraisal, state=AssignmentState.SUBMITTED
    ).count()
    rows: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for value_id, level, comment in PeerAnswer.objects.filter(appraisal=appraisal).values_list(
        "value_id", "level", "comment"
    ):
        rows[value_id].append((level, comment))
    values = []
    for value in BehaviourValue.objects.all():
        given = rows.get(value.pk, [])
        enough = len(given) >= minimum
        comments = [c for _l, c in given if c] if enough else []
        random.shuffle(comments)
        values.append(
            ValueSummary(
                code=value.code,
                name=value.name,
                count=len(given),
                mean=round(sum(lv for lv, _c in given) / len(given), 2) if enough else None,
                comments=comments,
            )
        )
    return PeerSummary(
        answered=answered, enough=answered >= minimum, minimum=minimum, values=values
    )


def peer_levels_for(appraisal: Appraisal) -> dict[str, list[int]]:
    """The source registered with ``appraisals.scoring``: levels per value code."""
    levels: dict[str, list[int]] = defaultdict(list)
    for code, level in PeerAnswer.objects.filter(appraisal=appraisal).values_list(
        "value__code", "level"
    ):
        levels[code].append(level)
    return dict(levels)


def peer_levels_by_appraisal(appraisal_ids: Sequence[int]) -> dict[int, dict[str, list[int]]]:
    """``peer_levels_for`` of many appraisals in one query: the batch source of the scores."""
    levels: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for appraisal_id, code, level in PeerAnswer.objects.filter(
        appraisal_id__in=list(appraisal_ids)
    ).values_list("appraisal_id", "value__code", "level"):
        levels[appraisal_id].setdefault(code, []).append(level)
    return dict(levels)


def searchable_peers(appraisal: Appraisal, text: str, *, limit: int = 20) -> list[Employee]:
    return list(
        eligible_peers(appraisal)
        .search(text)
        .select_related("unit", "position")
        .order_by("name", "pk")[:limit]
    )


__all__ = [
    "PeerAccess",
    "PeerSummary",
    "eligible_peers",
    "get_assignment_for",
    "peer_access_for",
    "peer_form_save",
    "peer_levels_by_appraisal",
    "peer_levels_for",
    "peer_nominate",
    "peer_nomination_approve",
    "peer_summary",
    "peers_assign_bulk",
    "peers_count_due",
    "plan_assignments",
    "searchable_peers",
]
