"""Reads of the citizens' survey, each a constant number of queries whatever the data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db.models import Count, Sum

from indicators import ikm as ikm_engine
from indicators import scoring

from .models import ANSWER_FIELDS, SurveyResponse


def _in_period(unit_ids: Iterable[int], start: dt.date, end: dt.date):
    return SurveyResponse.objects.filter(
        unit_id__in=list(unit_ids), submitted_on__gte=start, submitted_on__lte=end
    )


def ikm_by_unit(
    unit_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, ikm_engine.IkmResult]:
    """The IKM of each unit over the period (inclusive dates), in one query; a unit without
    a response maps to an empty result."""
    unit_ids = list(unit_ids)
    sums = {f"t_{key}": Sum(key) for key in ANSWER_FIELDS}
    rows = (
        _in_period(unit_ids, start, end)
        .values("unit_id")
        .annotate(n=Count("pk"), **sums)
        .order_by()
    )
    found = {
        row["unit_id"]: ikm_engine.ikm_from_totals(
            [row[f"t_{key}"] for key in ANSWER_FIELDS], row["n"]
        )
        for row in rows
    }
    empty = ikm_engine.ikm_from_totals([0] * ikm_engine.ELEMENT_COUNT, 0)
    return {unit_id: found.get(unit_id, empty) for unit_id in unit_ids}


def unit_ikm(unit_id: int, start: dt.date, end: dt.date) -> ikm_engine.IkmResult:
    return ikm_by_unit([unit_id], start, end)[unit_id]


def ikm_input_for(unit_id: int, start: dt.date, end: dt.date) -> scoring.IkmInput | None:
    """What the scoring engine takes: None when the unit has no response in the period; the
    engine applies the cycle's minimum number of responses (`minimal_responden_ikm`)."""
    result = unit_ikm(unit_id, start, end)
    if result.value is None:
        return None
    return scoring.IkmInput(value=result.value, respondents=result.respondents)


def responses_per_day(unit_id: int, start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
    rows = (
        _in_period([unit_id], start, end)
        .values("submitted_on")
        .annotate(n=Count("pk"))
        .order_by("submitted_on")
    )
    return [(row["submitted_on"], row["n"]) for row in rows]


def comments(unit_id: int, start: dt.date, end: dt.date, *, limit: int = 200):
    """The latest comments of the period, newest first (the page shows up to `limit`)."""
    return list(
        _in_period([unit_id], start, end)
        .exclude(comment="")
        .order_by("-submitted_at", "-pk")
        .values("submitted_at", "comment")[:limit]
    )


def responses(unit_ids: Iterable[int], start: dt.date, end: dt.date):
    """Every response of the period, for the export (iterated, not held in memory)."""
    return (
        _in_period(unit_ids, start, end)
        .select_related("unit")
        .order_by("unit__code", "submitted_at", "pk")
        .iterator(chunk_size=2000)
    )


def response_count_capped(unit_ids: Iterable[int], start: dt.date, end: dt.date, cap: int) -> int:
    """How many responses in the period, counted up to just past ``cap`` (the export only
    needs to know whether it is small enough for the request)."""
    return _in_period(unit_ids, start, end).order_by()[: cap + 1].count()


def ikm_inputs_for(
    unit_ids: Sequence[int], start: dt.date, end: dt.date
) -> dict[int, scoring.IkmInput | None]:
    """``ikm_input_for`` of many units in one query: the batch source of the scores."""
    return {
        unit_id: None
        if result.value is None
        else scoring.IkmInput(value=result.value, respondents=result.respondents)
        for unit_id, result in ikm_by_unit(unit_ids, start, end).items()
    }
