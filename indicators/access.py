"""Access to indicator sets: readable by HR of the region, editable by its Admin Daerah."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from agencies.access import require_manager, scope_for

from .models import Indicator, IndicatorSet


def visible_indicator_sets(user):
    scope = require_manager(user)
    return IndicatorSet.objects.filter(region_id=scope.region_id)


def get_indicator_set_for(user, pk: int, *, write: bool = False) -> IndicatorSet:
    indicator_set = (
        visible_indicator_sets(user).select_related("position", "region").filter(pk=pk).first()
    )
    if indicator_set is None:
        raise Http404("Set indikator tidak ditemukan")
    if write and indicator_set.region_id not in scope_for(user).region_ids:
        raise PermissionDenied("Set indikator diubah oleh Admin Daerah")
    return indicator_set


def get_indicator_for(user, pk: int, *, write: bool = False) -> Indicator:
    indicator = Indicator.objects.select_related("indicator_set").filter(pk=pk).first()
    if indicator is None:
        raise Http404
    get_indicator_set_for(user, indicator.indicator_set_id, write=write)
    return indicator
