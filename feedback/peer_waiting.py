"""Peer forms waiting for their peers, for the home page and the reminders.

Registered with ``asn_portal.waiting`` in ``FeedbackConfig.ready()``; one grouped query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.access import scope_for
from appraisals.models import CycleStatus, State
from asn_portal.waiting import WorkItem

from .models import AssignmentState, NominationState, PeerAssignment


def pending_forms() -> QuerySet[PeerAssignment]:
    """Forms of approved lists, not sent yet, whose appraisal can still take them."""
    return PeerAssignment.objects.filter(
        state=AssignmentState.DRAFT,
        appraisal__peer_nomination__state=NominationState.APPROVED,
        appraisal__cycle__status=CycleStatus.OPEN,
    ).exclude(appraisal__state__in=(State.FINALISED, State.RELEASED))


def _item(row: dict) -> WorkItem:
    return WorkItem(
        kind="peer_form",
        title=_("Isi umpan balik untuk rekan kerja"),
        count=row["n"],
        cycle_name=row["appraisal__cycle__name"],
        deadline=row["appraisal__cycle__peer_deadline"],
        url=reverse("peer_list"),
    )


class PeerFormWork:
    def for_user(self, user: object, *, today: dt.date) -> Iterable[WorkItem]:
        scope = scope_for(user)
        if scope.employee is None:
            return []
        rows = (
            pending_forms()
            .filter(peer=scope.employee)
            .values(
                "appraisal__cycle_id", "appraisal__cycle__name", "appraisal__cycle__peer_deadline"
            )
            .annotate(n=Count("pk"))
            .order_by("appraisal__cycle_id")
        )
        return [_item(row) for row in rows]

    def due(self, *, region_id: int, days: set[dt.date]) -> dict[int, list[WorkItem]]:
        rows = (
            pending_forms()
            .filter(appraisal__cycle__region_id=region_id, appraisal__cycle__peer_deadline__in=days)
            .values(
                "peer_id",
                "appraisal__cycle_id",
                "appraisal__cycle__name",
                "appraisal__cycle__peer_deadline",
            )
            .annotate(n=Count("pk"))
            .order_by("peer_id", "appraisal__cycle_id")
        )
        found: dict[int, list[WorkItem]] = {}
        for row in rows:
            found.setdefault(row["peer_id"], []).append(_item(row))
        return found


WORK = PeerFormWork()
