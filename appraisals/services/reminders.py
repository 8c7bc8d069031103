"""Reminder e-mails: 3 days and 1 day before each deadline, at 08:00 in the region's time
zone, one e-mail per person per day listing all their waiting work; and HR's "send now".

A reminder is a row first (:class:`~appraisals.models.Reminder`, unique per person, deadline
and day), then an e-mail: planning twice writes nothing new, and delivery claims each
person's rows with a conditional update before sending, so a beat that runs twice, a retried
task or two workers never send one twice. A worker that dies mid-send leaves a claim that
expires, and the next run sends it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from agencies.models import Employee, Region, User
from asn_portal.mail import send_templated_mail
from asn_portal.waiting import WorkItem, due_for_reminders

from ..access import cycle_agencies_managed
from ..models import Appraisal, AppraisalQuerySet, Cycle, CycleStatus, Phase, Reminder, State
from ..waiting import RATER_WORK, _title
from ._base import _audit

REMINDER_DAYS = (3, 1)
SEND_HOUR = 8
CLAIM_TIMEOUT = dt.timedelta(minutes=15)

# Who has work left in a phase, by state: the employee (owner) or their atasan.
PHASE_WORK = {
    Phase.PLANNING: {State.DRAFT: "owner", State.TARGETS_SUBMITTED: "atasan"},
    Phase.SELF_ASSESSMENT: {State.TARGETS_APPROVED: "owner"},
    Phase.SCORING: {State.SELF_ASSESSED: "atasan"},
}


def _as_json(item: WorkItem) -> dict[str, Any]:
    """A reminder's line (reminders are of deadlines: an undated item is never one)."""
    assert item.deadline is not None
    return {
        "kind": item.kind, "title": str(item.title), "count": item.count,
        "cycle": item.cycle_name, "deadline": item.deadline.isoformat(), "url": item.url,
    }  # fmt: skip


def reminders_plan(*, region: Region, today: dt.date) -> int:
    """Write today's reminders of a region: for each person with work whose deadline is 3 or
    1 days away, one row per deadline. A person already reminded today is left out (one
    e-mail per person per day). Returns the number of people planned."""
    days = {today + dt.timedelta(days=n) for n in REMINDER_DAYS}
    # The rows keep the words of the e-mail, which is Indonesian whatever language is active.
    with translation.override("id"):
        due = due_for_reminders(region_id=region.pk, days=days)
    if not due:
        return 0
    already = set(
        Reminder.objects.filter(employee_id__in=list(due), day=today).values_list(
            "employee_id", flat=True
        )
    )
    rows: list[Reminder] = []
    for employee_id, items in due.items():
        if employee_id in already:
            continue
        payload = [_as_json(i) for i in items if i.deadline is not None]
        rows.extend(
            Reminder(employee_id=employee_id, deadline=deadline, day=today, items=payload)
            for deadline in sorted({i.deadline for i in items if i.deadline is not None})
        )
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len({r.employee_id for r in rows})


def reminders_deliver(*, now: dt.datetime | None = None) -> int:
    """Send every reminder row not sent yet, one e-mail per person and day. Returns the
    number of e-mails sent."""
    now = now or timezone.now()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    pending = list(
        Reminder.objects.filter(claimable, sent_at__isnull=True)
        .values_list("employee_id", "day")
        .distinct()
        .order_by("day", "employee_id")
    )
    sent = 0
    for employee_id, day in pending:
        token = uuid.uuid4()
        claimed = Reminder.objects.filter(
            claimable, employee_id=employee_id, day=day, sent_at__isnull=True
        ).update(claim=token, claimed_at=now)
        if not claimed:
            continue  # another worker took them
        rows = list(Reminder.objects.filter(claim=token).select_related("employee"))
        employee = rows[0].employee
        items: dict[tuple[str, str, str], dict[str, Any]] = {}
        for row in rows:
            for item in row.items:
                items[(item["deadline"], item["cycle"], item["kind"])] = item
        if employee.email:
            _send(employee, day, [items[k] for k in sorted(items)])
            sent += 1
        Reminder.objects.filter(claim=token).update(sent_at=timezone.now())
    return sent


def _send(employee: Employee, day: dt.date, items: list[dict[str, Any]]) -> None:
    base = settings.PORTAL_BASE_URL.rstrip("/")
    lines = []
    for item in items:
        deadline = dt.date.fromisoformat(item["deadline"])
        lines.append(
            {
                **item,
                "deadline": deadline,
                "days_left": (deadline - day).days,
                "link": base + item["url"],
            }
        )
    send_templated_mail(
        template="reminder",
        to=[employee.email],
        context={"name": employee.full_name, "items": lines, "home": base + reverse("home")},
    )


def reminders_run(*, now: dt.datetime | None = None) -> dict[str, int]:
    """What beat runs every hour: plan each region's reminders once it is past 08:00 there
    (so a beat that was down at 08:00 still sends that day's), then deliver what is unsent."""
    now = now or timezone.now()
    planned = 0
    for region in Region.objects.all():
        local = now.astimezone(region.tzinfo)
        if local.hour >= SEND_HOUR:
            planned += reminders_plan(region=region, today=local.date())
    return {"planned": planned, "sent": reminders_deliver(now=now)}


@transaction.atomic
def reminders_send_now(*, acting_user: User, cycle: Cycle, phase: str) -> tuple[int, int]:
    """HR reminds everyone with work left in ``phase`` of the cycle, in the agencies they
    administer, now. The same once-rule: nobody gets a second reminder of this deadline
    today. Returns (people reminded now, people already reminded today)."""
    agencies = list(cycle_agencies_managed(acting_user, cycle).values_list("pk", flat=True))
    if not agencies:
        raise PermissionDenied("Siklus ini di luar wewenang Anda")
    phase = Phase(phase)
    if phase not in PHASE_WORK or cycle.status != CycleStatus.OPEN:
        return (0, 0)
    deadline = cycle.deadline(phase)
    today = timezone.now().astimezone(cycle.region.tzinfo).date()
    recipients: dict[int, list[WorkItem]] = {}
    for state, who in PHASE_WORK[phase].items():
        field = "employee_id" if who == "owner" else "supervisor_id"
        query = Appraisal.objects.filter(cycle=cycle, agency_id__in=agencies, state=state)
        if who == "atasan":
            query = query.filter(supervisor__is_active=True)
        for person_id, count in _counts(query, field):
            kind = RATER_WORK[state][0] if who == "atasan" else _owner_kind(phase)
            url = reverse("team") if who == "atasan" else reverse("my_appraisals")
            recipients.setdefault(person_id, []).append(
                WorkItem(kind=kind, title=_indonesian_title(kind), count=count, cycle_name=cycle.name,
                         deadline=deadline, url=url)
            )  # fmt: skip
    already = set(
        Reminder.objects.filter(
            employee_id__in=list(recipients), deadline=deadline, day=today
        ).values_list("employee_id", flat=True)
    )
    new = [pk for pk in recipients if pk not in already]
    Reminder.objects.bulk_create(
        [
            Reminder(employee_id=pk, deadline=deadline, day=today,
                     items=[_as_json(i) for i in recipients[pk]])
            for pk in new
        ],
        ignore_conflicts=True,
    )  # fmt: skip
    _audit(
        None, cycle=cycle, actor=acting_user, action="reminders_send",
        summary=f"Pengingat {phase.label.lower()} dikirim kepada {len(new)} orang",
        after={"dikirim": len(new), "sudah_hari_ini": len(already)},
    )  # fmt: skip
    if new:
        from ..tasks import deliver_reminders

        transaction.on_commit(lambda: deliver_reminders.delay())
    return (len(new), len(already))


def _indonesian_title(kind: str) -> str:
    """The rows keep the e-mail's words, which are Indonesian whatever language is active."""
    with translation.override("id"):
        return str(_title(kind))


def _owner_kind(phase: Phase) -> str:
    return "plan" if phase == Phase.PLANNING else "self_assessment"


def _counts(query: AppraisalQuerySet, field: str) -> list[tuple[int, int]]:
    from django.db.models import Count

    return [
        (row[field], row["n"])
        for row in query.values(field).annotate(n=Count("pk")).order_by(field)
        if row[field] is not None
    ]
