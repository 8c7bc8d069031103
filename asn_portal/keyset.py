"""Keyset pagination ("Berikutnya"/"Sebelumnya") for lists that can reach deep pages.

A page is the ``size`` rows after (or before) one row, in the order ``(field, pk)``: the
database seeks on an index of those two columns instead of counting past every earlier row
as ``OFFSET`` does, so page 1,000 costs what page 1 costs. The cursor in the URL is the id of
the page's last (or first) row; an id outside the list's queryset starts again at page 1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

AFTER = "setelah"
BEFORE = "sebelum"
_ID = re.compile(r"[0-9]{1,18}")


@dataclass
class KeysetPage:
    rows: list[Any]
    has_next: bool
    has_previous: bool

    @property
    def next_cursor(self) -> int | None:
        return self.rows[-1].pk if self.rows and self.has_next else None

    @property
    def previous_cursor(self) -> int | None:
        return self.rows[0].pk if self.rows and self.has_previous else None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _cursor(params: Mapping[str, str], name: str) -> int | None:
    value = params.get(name, "")
    return int(value) if _ID.fullmatch(value) else None


def keyset_page(
    queryset: QuerySet[Any], params: Mapping[str, str], *, field: str = "name", size: int = 25
) -> KeysetPage:
    """The page of ``queryset`` that the request's ``setelah``/``sebelum`` parameter asks for."""
    after, before = _cursor(params, AFTER), _cursor(params, BEFORE)
    anchor_id = after if after is not None else before
    anchor = None
    if anchor_id is not None:
        anchor = queryset.filter(pk=anchor_id).values_list(field, flat=True).first()
    if anchor is None:
        rows = list(queryset.order_by(field, "pk")[: size + 1])
        return KeysetPage(rows=rows[:size], has_next=len(rows) > size, has_previous=False)
    if after is not None:
        # ``field >= anchor`` is the index range; the tie on the anchor's value goes by id.
        beyond = Q(**{f"{field}__gte": anchor}) & (
            Q(**{f"{field}__gt": anchor}) | Q(pk__gt=anchor_id)
        )
        rows = list(queryset.filter(beyond).order_by(field, "pk")[: size + 1])
        return KeysetPage(rows=rows[:size], has_next=len(rows) > size, has_previous=True)
    beyond = Q(**{f"{field}__lte": anchor}) & (Q(**{f"{field}__lt": anchor}) | Q(pk__lt=anchor_id))
    rows = list(queryset.filter(beyond).order_by(f"-{field}", "-pk")[: size + 1])
    return KeysetPage(rows=rows[:size][::-1], has_next=True, has_previous=len(rows) > size)


def capped_count(queryset: QuerySet[Any], cap: int = 1000) -> tuple[int, bool]:
    """How many rows, counted up to ``cap`` only: ``(count, more)``; ``more`` is True when
    there are more than ``cap``. A list needs no exact total of 60,000 rows."""
    count = queryset.order_by()[: cap + 1].count()
    return min(count, cap), count > cap
