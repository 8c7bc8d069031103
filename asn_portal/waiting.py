"""What waits for a person: the home page's first list and the reminder e-mails.

Each app that gives people work registers one provider in its ``AppConfig.ready()``; this
module asks them all, so the home page (and the reminders) learn of new kinds of work
without importing the apps that define them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class WorkItem:
    """One kind of work in one cycle: ``count`` things to do before ``deadline``."""

    kind: str  # a stable key: plan, plan_review, self_assessment, scoring, late, …
    title: str  # what to do, in words for people
    count: int
    cycle_name: str
    deadline: dt.date | None  # None: work without a deadline (an objection to decide)
    url: str

    def days_left(self, today: dt.date) -> int | None:
        return None if self.deadline is None else (self.deadline - today).days


class WorkProvider(Protocol):
    def for_user(self, user: object, *, today: dt.date) -> Iterable[WorkItem]:
        """What waits for this user (any role), whatever its deadline."""

    def due(self, *, region_id: int, days: set[dt.date]) -> dict[int, list[WorkItem]]:
        """Per employee id, the work whose deadline falls on one of ``days``."""


PROVIDERS: list[WorkProvider] = []


def register(provider: WorkProvider) -> None:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def waiting_for(user: object, *, today: dt.date) -> list[WorkItem]:
    """Everything waiting for ``user``, the nearest deadline first."""
    items = [item for provider in PROVIDERS for item in provider.for_user(user, today=today)]
    return sorted(items, key=_order)


def _order(item: WorkItem) -> tuple[bool, dt.date, str, str]:
    """The nearest deadline first; work without a deadline last."""
    return (item.deadline is None, item.deadline or dt.date.max, item.cycle_name, item.kind)


def due_for_reminders(*, region_id: int, days: set[dt.date]) -> dict[int, list[WorkItem]]:
    """Per employee id, the work whose deadline is one of ``days``, from every provider."""
    merged: dict[int, list[WorkItem]] = {}
    for provider in PROVIDERS:
        for employee_id, items in provider.due(region_id=region_id, days=days).items():
            merged.setdefault(employee_id, []).extend(items)
    for items in merged.values():
        items.sort(key=_order)
    return merged
