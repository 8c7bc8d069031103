"""Two edits of one appraisal based on the same version: the second is refused with a clear
Indonesian message, and nothing of the first is lost (docs/cycle.md, docs/architecture.md).
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.urls import reverse

from appraisals import services
from appraisals.models import AuditEntry, State

from .appraisal_fixtures import (
    BEFORE_PLANNING,
    advance,
    appraisal_of,
    fresh,
    indicators_of,
    make_cycle,
    make_indicator_set,
    user_of,
)
from .worker import wait_for

STALE = "Penilaian ini telah diubah oleh orang lain sejak halaman Anda dibuka."


def test_every_change_moves_the_version_on(planning):
    personas, cycle, appraisal = planning
    versions = [fresh(appraisal).version]
    for state in (State.TARGETS_SUBMITTED, State.TARGETS_APPROVED):
        advance(appraisal, state)
        versions.append(fresh(appraisal).version)
    assert versions == sorted(set(versions))


def test_two_plan_edits_on_the_same_version_the_second_is_refused(planning):
    personas, cycle, appraisal = planning
    i1 = indicators_of(appraisal)["I1"]
    version = appraisal.version
    services.plan_update(
        acting_user=user_of(personas.pegawai), appraisal=appraisal,
        version=version, indicators={i1.pk: {"target": Decimal("110")}},
    )  # fmt: skip
    audit = AuditEntry.objects.count()
    with pytest.raises(services.StaleEdit) as exc:
        services.plan_update(
            acting_user=user_of(personas.pegawai), appraisal=appraisal,
            version=version, indicators={i1.pk: {"target": Decimal("130")}},
        )  # fmt: skip
    assert exc.value.messages == [services.STALE_MESSAGE]
    assert STALE in services.STALE_MESSAGE
    i1.refresh_from_db()
    assert i1.target == Decimal(110)
    assert fresh(appraisal).version == version + 1
    assert AuditEntry.objects.count() == audit


def test_the_supervisors_scores_and_hr_calibration_on_the_same_version(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.SCORED)
    i2 = indicators_of(appraisal)["I2"]
    version = fresh(appraisal).version
    services.appraisal_save_scores(
        acting_user=user_of(personas.kasi), appraisal=appraisal,
        version=version, indicator_levels={i2.pk: 5}, reason="Bukti baru",
    )  # fmt: skip
    with pytest.raises(services.StaleEdit):
        services.appraisal_save_scores(
            acting_user=user_of(personas.hr_a), appraisal=appraisal,
            version=version, indicator_levels={i2.pk: 2}, reason="Kalibrasi",
        )  # fmt: skip
    i2.refresh_from_db()
    assert i2.level == 5
    assert fresh(appraisal).final_value == Decimal("102.10")


def test_an_approval_based_on_a_plan_that_changed_meanwhile_is_refused(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_SUBMITTED)
    seen_by_kasi = fresh(appraisal).version
    services.appraisal_return_targets(
        acting_user=user_of(personas.kasi), appraisal=appraisal,
        version=seen_by_kasi, comment="Perbaiki I1",
    )  # fmt: skip
    advance(appraisal, State.TARGETS_SUBMITTED)
    with pytest.raises(services.StaleEdit):
        services.appraisal_approve_targets(
            acting_user=user_of(personas.kasi), appraisal=appraisal,
            version=seen_by_kasi,
        )  # fmt: skip
    assert fresh(appraisal).state == State.TARGETS_SUBMITTED


def test_after_a_refusal_reloading_and_retrying_succeeds(planning):
    personas, cycle, appraisal = planning
    i1 = indicators_of(appraisal)["I1"]
    stale = appraisal.version
    services.plan_update(
        acting_user=user_of(personas.pegawai), appraisal=appraisal,
        version=stale, indicators={i1.pk: {"weight": Decimal("60")}, },
    )  # fmt: skip
    with pytest.raises(services.StaleEdit):
        services.plan_update(
            acting_user=user_of(personas.pegawai), appraisal=appraisal,
            version=stale, indicators={i1.pk: {"target": Decimal("130")}},
        )  # fmt: skip
    services.plan_update(
        acting_user=user_of(personas.pegawai), appraisal=appraisal,
        version=fresh(appraisal).version, indicators={i1.pk: {"target": Decimal("130")}},
    )  # fmt: skip
    i1.refresh_from_db()
    assert i1.target == Decimal(130)


# --- through the pages --------------------------------------------------------------------------


def test_two_browsers_scoring_at_once_the_second_sees_the_message(planning, client):
    from django.test import Client

    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.SCORED)
    i2 = indicators_of(appraisal)["I2"]
    kasi, hr = Client(), Client()
    kasi.force_login(personas.kasi.user)
    hr.force_login(personas.hr_a.user)
    url = reverse("appraisal_detail", args=[appraisal.pk])
    version = kasi.get(url).context["appraisal"].version
    assert hr.get(url).context["appraisal"].version == version
    kasi.post(
        reverse("scores_save", args=[appraisal.pk]),
        {"version": version, f"level_{i2.pk}": "5", "reason": "Bukti baru"},
    )
    response = hr.post(
        reverse("scores_save", args=[appraisal.pk]),
        {"version": version, f"level_{i2.pk}": "1", "reason": "Kalibrasi"},
        follow=True,
    )
    page = response.content.decode()
    assert STALE in page and "muat ulang halaman" in page
    i2.refresh_from_db()
    assert i2.level == 5


def _autosave(client, appraisal, indicator, data):
    """What the page's autosave posts, reading JSON back."""
    return client.post(
        reverse("realisation_save", args=[appraisal.pk, indicator.pk]), data,
        HTTP_ACCEPT="application/json",
    )  # fmt: skip


def test_a_stale_partial_save_without_its_base_values_is_refused_with_a_message(planning, client):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    ind = indicators_of(appraisal)
    client.force_login(personas.pegawai.user)
    version = fresh(appraisal).version
    first = _autosave(client, appraisal, ind["I1"], {"version": version, "realisation": "90"})
    assert first.status_code == 200
    assert first.json() == {
        "ok": True, "version": version + 1, "message": "Tersimpan",
        "saved": {"realisation": "90.0000", "self_level": "", "comment": ""},
    }  # fmt: skip
    second = _autosave(client, appraisal, ind["I3"], {"version": version, "realisation": "4"})
    assert second.status_code == 409
    assert STALE in second.json()["errors"]["__all__"][0]
    assert second.json()["version"] == version + 1
    assert indicators_of(appraisal)["I3"].realisation is None
    assert indicators_of(appraisal)["I1"].realisation == 90


def test_saves_of_other_fields_of_the_same_page_never_conflict(planning, client):
    """Two saves sent with the same version, as a fast typist's page does: the second one's
    fields are as the page last saw them, so it is taken."""
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    ind = indicators_of(appraisal)
    client.force_login(personas.pegawai.user)
    version = fresh(appraisal).version
    base = {"base_realisation": "", "base_self_level": "", "base_comment": ""}
    first = _autosave(
        client, appraisal, ind["I1"], {"version": version, "realisation": "1.150", **base}
    )
    second = _autosave(
        client, appraisal, ind["I3"],
        {"version": version, "realisation": "4", "comment": "Laporan", **base},
    )  # fmt: skip
    assert first.status_code == second.status_code == 200
    assert second.json()["version"] == version + 2
    saved = indicators_of(appraisal)
    assert saved["I1"].realisation == Decimal("1150")
    assert (saved["I3"].realisation, saved["I3"].self_comment) == (Decimal("4"), "Laporan")


def test_a_field_changed_elsewhere_since_the_page_saw_it_is_not_overwritten(planning, client):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    i1 = indicators_of(appraisal)["I1"]
    client.force_login(personas.pegawai.user)
    version = fresh(appraisal).version
    base = {"base_realisation": "", "base_self_level": "", "base_comment": ""}
    # Another tab saves I1 first.
    other_tab = _autosave(client, appraisal, i1, {"version": version, "realisation": "80"})
    assert other_tab.status_code == 200
    stale = _autosave(client, appraisal, i1, {"version": version, "realisation": "95", **base})
    assert stale.status_code == 409
    assert indicators_of(appraisal)["I1"].realisation == 80


def test_an_invalid_number_is_refused_with_its_message_and_nothing_is_saved(planning, client):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    i1 = indicators_of(appraisal)["I1"]
    client.force_login(personas.pegawai.user)
    response = _autosave(
        client, appraisal, i1, {"version": fresh(appraisal).version, "realisation": "1.5"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "realisation": [
            "Gunakan titik untuk ribuan dan koma untuk desimal, misalnya 1.200 atau 12,5"
        ]
    }
    assert indicators_of(appraisal)["I1"].realisation is None


def test_a_form_without_a_version_is_refused_as_stale(planning, client):
    personas, cycle, appraisal = planning
    i1 = indicators_of(appraisal)["I1"]
    client.force_login(personas.pegawai.user)
    response = client.post(
        reverse("plan_save", args=[appraisal.pk]), {f"target_{i1.pk}": "130"}, follow=True
    )
    assert STALE in response.content.decode()
    i1.refresh_from_db()
    assert i1.target == Decimal(100)


# --- two connections at once (PostgreSQL: real row locks) ----------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_two_connections_editing_at_once_one_waits_and_is_refused(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas)
    appraisal = advance(appraisal_of(cycle, personas.pegawai), State.SCORED)
    i2 = indicators_of(appraisal)["I2"]
    version = fresh(appraisal).version
    first_holds_the_row = threading.Event()
    first_may_commit = threading.Event()
    outcome: dict[str, object] = {}

    def edit(name, who, level, hold: bool):
        from django.db import transaction

        try:
            with transaction.atomic():
                services.appraisal_save_scores(
                    acting_user=user_of(who), appraisal=appraisal, version=version,
                    indicator_levels={i2.pk: level}, reason=f"oleh {name}",
                )  # fmt: skip
                if hold:
                    first_holds_the_row.set()
                    first_may_commit.wait(30)
            outcome[name] = "saved"
        except services.StaleEdit as exc:
            outcome[name] = exc.messages[0]
        finally:
            connections.close_all()

    first = threading.Thread(target=edit, args=("kasi", personas.kasi, 5, True))
    first.start()
    assert first_holds_the_row.wait(30)
    second = threading.Thread(target=edit, args=("hr", personas.hr_a, 1, False))
    second.start()

    def second_is_waiting_for_the_lock():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] >= 1

    wait_for(second_is_waiting_for_the_lock, timeout=30, interval=0.05)
    first_may_commit.set()
    first.join(30)
    second.join(30)
    assert outcome == {"kasi": "saved", "hr": services.STALE_MESSAGE}
    i2.refresh_from_db()
    assert i2.level == 5
    assert fresh(appraisal).version == version + 1
    assert not AuditEntry.objects.filter(appraisal=appraisal, reason="oleh hr").exists()
