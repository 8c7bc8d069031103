"""Reminder e-mails (3 days and 1 day before a deadline, 08:00 local, once a day) and the
home page's list of what waits for each person."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse

from appraisals import services
from appraisals.models import AuditEntry, Reminder, State
from appraisals.services import reminders
from asn_portal.celery import app as celery_app

from .appraisal_fixtures import (
    BEFORE_PLANNING,
    advance,
    appraisal_of,
    make_cycle,
    make_indicator_set,
    user_of,
)

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
# The planning deadline of the fixtures' cycle is 15/02/2026: 3 days before is 12/02.
THREE_DAYS_BEFORE = dt.datetime(2026, 2, 12, 8, 0, tzinfo=WIB)
ONE_DAY_BEFORE = dt.datetime(2026, 2, 14, 8, 0, tzinfo=WIB)
FOUR_DAYS_BEFORE = dt.datetime(2026, 2, 11, 8, 0, tzinfo=WIB)


@pytest.fixture
def world(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas)
    return personas, cycle


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_three_days_before_the_deadline_everyone_with_work_gets_one_email(world, time_machine):
    personas, cycle = world
    time_machine.move_to(THREE_DAYS_BEFORE)
    result = reminders.reminders_run()
    drafts = cycle.appraisals.filter(state=State.DRAFT).count()
    assert result == {"planned": drafts, "sent": drafts}
    assert personas.pegawai.email in _recipients()
    message = next(m for m in mail.outbox if m.to == [personas.pegawai.email])
    assert "Susun dan ajukan rencana kinerja" in message.body
    assert "15/02/2026 (3 hari lagi)" in message.body
    assert "/penilaian/" in message.body


def test_beat_running_twice_or_a_retried_task_sends_nothing_more(world, time_machine):
    time_machine.move_to(THREE_DAYS_BEFORE)
    reminders.reminders_run()
    sent = len(mail.outbox)
    assert reminders.reminders_run() == {"planned": 0, "sent": 0}
    reminders.reminders_deliver()  # a retry of the delivery task
    time_machine.move_to(THREE_DAYS_BEFORE + dt.timedelta(hours=5))  # beat again, same day
    reminders.reminders_run()
    assert len(mail.outbox) == sent


def test_no_reminder_before_0800_local_nor_on_a_day_that_is_not_3_or_1_before(world, time_machine):
    time_machine.move_to(THREE_DAYS_BEFORE - dt.timedelta(minutes=1))
    assert reminders.reminders_run() == {"planned": 0, "sent": 0}
    time_machine.move_to(FOUR_DAYS_BEFORE)
    assert reminders.reminders_run() == {"planned": 0, "sent": 0}
    time_machine.move_to(ONE_DAY_BEFORE)
    assert reminders.reminders_run()["sent"] > 0


def test_0800_is_the_regions_own_clock(world, time_machine):
    personas, cycle = world
    personas.region.timezone = "Asia/Makassar"  # WITA, one hour ahead of Jakarta
    personas.region.save(update_fields=["timezone"])
    time_machine.move_to(dt.datetime(2026, 2, 12, 7, 30, tzinfo=WIB))  # 08:30 WITA
    assert reminders.reminders_run()["sent"] > 0


def test_the_atasan_is_reminded_of_plans_waiting_and_gets_one_email_for_all(world, time_machine):
    personas, cycle = world
    appraisal = appraisal_of(cycle, personas.pegawai)
    advance(appraisal, State.TARGETS_SUBMITTED)
    time_machine.move_to(THREE_DAYS_BEFORE)
    reminders.reminders_run()
    to_kasi = [m for m in mail.outbox if m.to == [personas.kasi.email]]
    assert len(to_kasi) == 1  # own plan and the team's plans, in one e-mail
    assert "Setujui atau kembalikan rencana bawahan" in to_kasi[0].body
    assert "Susun dan ajukan rencana kinerja" in to_kasi[0].body
    assert not [m for m in mail.outbox if m.to == [personas.pegawai.email]]


def test_a_worker_that_died_while_sending_leaves_a_claim_that_expires(world, time_machine):
    personas, cycle = world
    time_machine.move_to(THREE_DAYS_BEFORE)
    reminders.reminders_plan(region=personas.region, today=THREE_DAYS_BEFORE.date())
    now = dt.datetime.now(tz=dt.UTC)
    Reminder.objects.update(claimed_at=now - dt.timedelta(minutes=5))  # a live claim
    assert reminders.reminders_deliver() == 0
    Reminder.objects.update(claimed_at=now - dt.timedelta(minutes=20))  # the worker died
    assert reminders.reminders_deliver() > 0
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()


def test_a_failed_send_is_sent_by_the_next_run(world, time_machine, monkeypatch):
    personas, cycle = world
    time_machine.move_to(THREE_DAYS_BEFORE)

    def broken(**kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(reminders, "send_templated_mail", broken)
    with pytest.raises(ConnectionError):
        reminders.reminders_run()
    monkeypatch.undo()
    time_machine.move_to(THREE_DAYS_BEFORE + dt.timedelta(minutes=30))
    assert reminders.reminders_run()["sent"] > 0
    assert personas.pegawai.email in _recipients()


def test_hr_sends_now_to_those_late_and_the_once_rule_holds(world, client, time_machine):
    personas, cycle = world
    time_machine.move_to(dt.datetime(2026, 2, 17, 9, 0, tzinfo=WIB))  # planning is past
    client.force_login(personas.hr_a.user)
    url = reverse("cycle_remind", args=[cycle.pk])
    with_callbacks = client.post(url, {"phase": "planning"}, follow=True)
    assert with_callbacks.status_code == 200
    first = Reminder.objects.count()
    assert first == cycle.appraisals.filter(state=State.DRAFT).count()
    services.reminders_deliver()
    assert personas.pegawai.email in _recipients()
    page = client.post(url, {"phase": "planning"}, follow=True).content.decode()
    assert "kepada 0 orang" in page and f"{first} orang sudah menerima" in page
    assert Reminder.objects.count() == first
    entry = AuditEntry.objects.filter(cycle=cycle, action="reminders_send").first()
    assert entry.actor == user_of(personas.hr_a)


def test_hr_send_now_enqueues_delivery_after_commit(
    world, time_machine, django_capture_on_commit_callbacks, monkeypatch
):
    personas, cycle = world
    calls = []
    monkeypatch.setattr("appraisals.tasks.deliver_reminders.delay", lambda: calls.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send_now(
            acting_user=user_of(personas.hr_a), cycle=cycle, phase="planning"
        )
    assert calls == [1]


@pytest.mark.parametrize(
    ("who", "status"), [("pegawai", 403), ("kasi", 403), ("hr_b", 404), ("hr_a", 302)]
)
def test_who_may_send_reminders_now(world, client, who, status):
    personas, cycle = world
    client.force_login(personas.user(who))
    url = reverse("cycle_remind", args=[cycle.pk])
    assert client.get(url).status_code in (403, 404, 405)
    assert client.post(url, {"phase": "planning"}).status_code == status


def test_beat_schedules_the_reminder_task_hourly():
    entry = celery_app.conf.beat_schedule["send-reminders"]
    assert entry["task"] == "appraisals.tasks.send_reminders"
    assert entry["task"] in celery_app.tasks


# --- the home page: what waits for me -----------------------------------------------------


def _waiting(client, who):
    client.force_login(who.user if hasattr(who, "user") else who)
    page = client.get(reverse("home")).content.decode()
    start = page.index('data-testid="waiting"')
    return page[start : page.index("</section>", start)]


def test_home_lists_the_employees_plan_with_its_deadline_and_days_left(world, client, time_machine):
    personas, cycle = world
    time_machine.move_to(THREE_DAYS_BEFORE)
    section = _waiting(client, personas.pegawai)
    assert "Susun dan ajukan rencana kinerja" in section
    assert "Batas 15/02/2026" in section and "3 hari lagi" in section
    appraisal = appraisal_of(cycle, personas.pegawai)
    assert reverse("appraisal_detail", args=[appraisal.pk]) in section


def test_home_lists_the_atasans_plans_to_review_and_hr_the_late_ones(world, client, time_machine):
    personas, cycle = world
    advance(appraisal_of(cycle, personas.pegawai), State.TARGETS_SUBMITTED)
    section = _waiting(client, personas.kasi)
    assert "Setujui atau kembalikan rencana bawahan" in section
    time_machine.move_to(dt.datetime(2026, 2, 17, 9, 0, tzinfo=WIB))
    section = _waiting(client, personas.hr_a)
    assert "Penilaian terlambat: perencanaan target" in section
    assert "lewat 2 hari" in section
    assert reverse("cycle_detail", args=[cycle.pk]) in section


def test_home_says_when_nothing_waits(world, client):
    personas, cycle = world
    assert "Tidak ada pekerjaan yang menunggu Anda" in _waiting(client, personas.outsider)


def test_home_query_count_does_not_grow_with_the_team(world, client, django_assert_max_num_queries):
    from .factories import EmployeeFactory

    personas, cycle = world
    client.force_login(personas.kasi.user)
    client.get(reverse("home"))
    for i in range(20):
        EmployeeFactory(unit=personas.pegawai.unit, name=f"Staf {i}", supervisor=personas.kasi)
    services.cycle_create_appraisals(cycle_id=cycle.pk)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    for i in range(40):
        EmployeeFactory(unit=personas.pegawai.unit, name=f"Staf lagi {i}", supervisor=personas.kasi)
    services.cycle_create_appraisals(cycle_id=cycle.pk)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("home"))
    assert len(large) == len(small)


def test_the_email_is_indonesian_whatever_language_was_active_when_planned(world, time_machine):
    from django.utils import translation

    personas, cycle = world
    time_machine.move_to(THREE_DAYS_BEFORE)
    with translation.override("en"):
        reminders.reminders_plan(region=personas.region, today=THREE_DAYS_BEFORE.date())
    reminders.reminders_deliver()
    message = next(m for m in mail.outbox if m.to == [personas.pegawai.email])
    assert "Susun dan ajukan rencana kinerja" in message.body
    assert "Draft and submit" not in message.body


# --- the reviewers' work: verification, team scores, objections -------------------------


def _scheme_world(personas, scheme_key):
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key=scheme_key)
    advance(appraisal_of(cycle, personas.pegawai), State.SELF_ASSESSED)
    return cycle


def test_the_verifikator_sees_realisations_waiting_and_is_reminded_before_scoring(
    personas, client, time_machine
):
    time_machine.move_to(BEFORE_PLANNING)
    _scheme_world(personas, "rakumpit")
    section = _waiting(client, personas.verif_a)
    assert "Verifikasi realisasi" in section and reverse("verification") in section
    # The fixtures' supervisor-scoring deadline is 28/12/2026: 3 days before, at 08:00.
    time_machine.move_to(dt.datetime(2026, 12, 25, 8, 0, tzinfo=WIB))
    reminders.reminders_run()
    to_verifier = [m for m in mail.outbox if m.to == [personas.verif_a.email]]
    assert len(to_verifier) == 1 and "Verifikasi realisasi" in to_verifier[0].body


def test_the_tim_penilai_member_sees_appraisals_to_score_until_they_scored(
    personas, client, time_machine
):
    time_machine.move_to(BEFORE_PLANNING)
    cycle = _scheme_world(personas, "kotalama")
    assert "Beri nilai Tim Penilai" in _waiting(client, personas.team_a)
    services.team_score_save(
        acting_user=user_of(personas.team_a), appraisal=appraisal_of(cycle, personas.pegawai),
        level=4, comment="Pelayanan sesuai standar",
    )  # fmt: skip
    assert "Beri nilai Tim Penilai" not in _waiting(client, personas.team_a)


def test_an_objection_waits_for_its_decider_without_a_deadline(personas, client, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas)
    appraisal = advance(appraisal_of(cycle, personas.pegawai), State.RELEASED, hr=personas.hr_a)
    services.objection_file(
        acting_user=user_of(personas.pegawai), appraisal=appraisal, reasons="Nilai tidak sesuai"
    )
    section = _waiting(client, personas.kepala)  # the atasan pejabat penilai
    assert "Putuskan keberatan pegawai" in section and "tanpa batas waktu" in section
    assert "Putuskan keberatan pegawai" not in _waiting(client, personas.kasi)
