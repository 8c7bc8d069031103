"""Peer feedback: nomination rules, the form, the threshold and timing, and the blend
(docs/feedback.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agencies.access import subordinates_of
from appraisals.models import AuditEntry, State
from feedback import peers
from feedback.models import NominationState, PeerAnswer, PeerAssignment, PeerNomination
from indicators.models import BehaviourValue
from reports.jobs import job_run
from reports.models import Job

from .appraisal_fixtures import (
    AFTER_SCORING,
    advance,
    draft_appraisal,
    fresh,
    user_of,
)
from .factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def codes() -> list[str]:
    return list(BehaviourValue.objects.values_list("code", flat=True))


def approved(appraisal, people):
    """The employee proposes ``people``, the atasan approves them."""
    peers.peer_nominate(
        acting_user=user_of(appraisal.employee), appraisal=appraisal,
        peer_ids=[p.pk for p in people], submit=True,
    )  # fmt: skip
    peers.peer_nomination_approve(
        acting_user=user_of(appraisal.supervisor), appraisal=appraisal,
        peer_ids=[p.pk for p in people],
    )  # fmt: skip


def answer(appraisal, peer, level, comment=""):
    assignment = PeerAssignment.objects.get(appraisal=appraisal, peer=peer)
    levels = level if isinstance(level, dict) else dict.fromkeys(codes(), level)
    peers.peer_form_save(
        acting_user=user_of(peer), assignment=assignment,
        answers={code: (lv, comment) for code, lv in levels.items()}, submit=True,
    )  # fmt: skip


@pytest.fixture
def nasional(personas, time_machine):
    return draft_appraisal(personas, time_machine, scheme_key="nasional")


@pytest.fixture
def extra_peers(personas):
    """Two more colleagues of the pegawai in agency A (five peers in all)."""
    return [
        EmployeeFactory(unit=personas.unit_a, name=f"Rekan Tambahan {i}", supervisor=personas.kasi)
        for i in (4, 5)
    ]


# --- nomination ------------------------------------------------------------------------------


def test_the_employee_nominates_three_to_five_peers_and_the_atasan_approves(personas, nasional):
    approved(nasional, personas.peers)
    assert PeerNomination.objects.get(appraisal=nasional).state == NominationState.APPROVED
    assert set(
        PeerAssignment.objects.filter(appraisal=nasional).values_list("peer_id", flat=True)
    ) == {p.pk for p in personas.peers}
    actions = list(AuditEntry.objects.filter(appraisal=nasional).values_list("action", flat=True))
    assert "peers_submit" in actions and "peers_approve" in actions


@pytest.mark.parametrize("how_many", [2, 6])
def test_fewer_than_three_or_more_than_five_peers_are_refused(
    personas, nasional, extra_peers, how_many
):
    colleagues = [*personas.peers, *extra_peers, personas.hr_a][:how_many]
    with pytest.raises(ValidationError, match="3 sampai 5"):
        peers.peer_nominate(
            acting_user=user_of(personas.pegawai), appraisal=nasional,
            peer_ids=[p.pk for p in colleagues], submit=True,
        )  # fmt: skip


@pytest.mark.parametrize("who", ["pegawai", "kasi", "outsider", "inactive"])
def test_self_atasan_other_agency_and_inactive_people_cannot_be_peers(personas, nasional, who):
    if who == "inactive":
        person = EmployeeFactory(unit=personas.unit_a, name="Sudah Pensiun", is_active=False)
    else:
        person = getattr(personas, who)
    with pytest.raises(ValidationError, match="perangkat daerah yang sama"):
        peers.peer_nominate(
            acting_user=user_of(personas.pegawai), appraisal=nasional,
            peer_ids=[*(p.pk for p in personas.peers[:2]), person.pk], submit=True,
        )  # fmt: skip


def test_a_subordinate_direct_or_indirect_cannot_be_a_peer(personas, time_machine):
    appraisal = draft_appraisal(personas, time_machine, scheme_key="nasional")
    kasi_appraisal = appraisal.__class__.objects.get(cycle=appraisal.cycle, employee=personas.kasi)
    # The pegawai is the kasi's direct subordinate; a staffer under the pegawai is indirect.
    below = EmployeeFactory(unit=personas.unit_a, name="Staf Pegawai", supervisor=personas.pegawai)
    for subordinate in (personas.pegawai, below):
        with pytest.raises(ValidationError, match="bukan bawahannya"):
            peers.peer_nominate(
                acting_user=user_of(personas.kasi), appraisal=kasi_appraisal,
                peer_ids=[personas.hr_a.pk, personas.team_a.pk, subordinate.pk], submit=True,
            )  # fmt: skip
    assert subordinate.pk not in {e.pk for e in peers.eligible_peers(kasi_appraisal)}


def test_the_atasan_may_change_the_list_before_approving(personas, nasional, extra_peers):
    peers.peer_nominate(
        acting_user=user_of(personas.pegawai), appraisal=nasional,
        peer_ids=[p.pk for p in personas.peers], submit=True,
    )  # fmt: skip
    changed = [personas.peers[0], *extra_peers]
    peers.peer_nomination_approve(
        acting_user=user_of(personas.kasi), appraisal=nasional, peer_ids=[p.pk for p in changed]
    )
    assert set(
        PeerAssignment.objects.filter(appraisal=nasional).values_list("peer_id", flat=True)
    ) == {p.pk for p in changed}


def test_only_the_employee_nominates_and_only_the_atasan_approves(personas, nasional):
    ids = [p.pk for p in personas.peers]
    with pytest.raises(PermissionDenied):
        peers.peer_nominate(acting_user=user_of(personas.kasi), appraisal=nasional, peer_ids=ids)
    with pytest.raises(PermissionDenied):
        peers.peer_nomination_approve(
            acting_user=user_of(personas.pegawai), appraisal=nasional, peer_ids=ids
        )
    with pytest.raises(PermissionDenied):
        peers.peer_nomination_approve(
            acting_user=user_of(personas.hr_a), appraisal=nasional, peer_ids=ids
        )


def test_a_submitted_or_approved_list_no_longer_changes_by_the_employee(personas, nasional):
    approved(nasional, personas.peers)
    with pytest.raises(ValidationError):
        peers.peer_nominate(
            acting_user=user_of(personas.pegawai), appraisal=nasional,
            peer_ids=[p.pk for p in personas.peers],
        )  # fmt: skip


def test_a_cycle_without_peers_has_no_nomination(personas, time_machine):
    appraisal = draft_appraisal(personas, time_machine, scheme_key="jakarta")
    with pytest.raises(ValidationError):
        peers.peer_nominate(
            acting_user=user_of(personas.pegawai), appraisal=appraisal,
            peer_ids=[p.pk for p in personas.peers], submit=True,
        )  # fmt: skip


def test_hr_assigns_peers_in_bulk_evenly_and_respecting_the_exclusions(personas, nasional):
    job = peers.peers_assign_bulk(acting_user=user_of(personas.hr_a), cycle=nasional.cycle)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == job.Status.DONE, job.error
    forms = PeerAssignment.objects.filter(appraisal__cycle=nasional.cycle).select_related(
        "appraisal"
    )
    per_appraisal: dict[int, list] = {}
    load: dict[int, int] = {}
    for form in forms:
        appraisal = form.appraisal
        assert form.peer_id not in (appraisal.employee_id, appraisal.supervisor_id)
        assert form.peer.agency_id == appraisal.agency_id
        assert form.peer_id not in set(
            subordinates_of([appraisal.employee_id]).values_list("pk", flat=True)
        )
        per_appraisal.setdefault(appraisal.pk, []).append(form.peer_id)
        load[form.peer_id] = load.get(form.peer_id, 0) + 1
    assert all(len(v) == 3 for v in per_appraisal.values())
    assert max(load.values()) - min(load.values()) <= 2
    # Every appraisal with three eligible colleagues got its list; the kepala (everyone in
    # agency A is their subordinate) is left for a choice by hand, never approved short.
    approved_ids = set(
        PeerNomination.objects.filter(
            appraisal__cycle=nasional.cycle, state=NominationState.APPROVED
        ).values_list("appraisal_id", flat=True)
    )
    assert approved_ids == set(per_appraisal)
    assert job.result == {"assigned": len(per_appraisal), "short": 1}
    # Run twice, nothing changes.
    job2 = peers.peers_assign_bulk(acting_user=user_of(personas.hr_a), cycle=nasional.cycle)
    job_run(job_id=job2.pk)
    assert PeerAssignment.objects.filter(appraisal__cycle=nasional.cycle).count() == len(forms)


def test_the_least_loaded_colleague_is_picked_first():
    people = [(pk, 1, None) for pk in range(1, 7)]
    chosen = peers.plan_assignments(
        people, {pk: {pk} for pk in range(1, 7)}, {1: list(range(1, 7))}, [], 3, load := {}
    )
    assert all(len(v) == 3 for v in chosen.values())
    assert set(load.values()) == {3}  # 18 forms over 6 people: exactly 3 each


# --- the form --------------------------------------------------------------------------------


def test_a_draft_is_kept_on_the_assignment_then_moved_to_anonymous_answers(personas, nasional):
    approved(nasional, personas.peers)
    peer = personas.peers[0]
    assignment = PeerAssignment.objects.get(appraisal=nasional, peer=peer)
    first = codes()[0]
    peers.peer_form_save(
        acting_user=user_of(peer), assignment=assignment, answers={first: (4, "draf")}
    )
    assignment.refresh_from_db()
    assert assignment.draft == {first: {"level": 4, "comment": "draf"}}
    assert not PeerAnswer.objects.exists()
    with pytest.raises(ValidationError, match="setiap nilai"):
        peers.peer_form_save(
            acting_user=user_of(peer), assignment=assignment, answers={first: (4, "")},
            submit=True,
        )  # fmt: skip
    answer(nasional, peer, 5, "Sangat membantu")
    assignment.refresh_from_db()
    assert assignment.is_submitted and assignment.draft == {}
    assert PeerAnswer.objects.filter(appraisal=nasional).count() == 7
    entry = AuditEntry.objects.get(appraisal=nasional, action="peer_form_completed")
    assert entry.actor is None and peer.name not in entry.summary
    with pytest.raises(ValidationError, match="sudah dikirim"):
        answer(nasional, peer, 1)


def test_only_the_peer_opens_their_form(personas, nasional, client):
    approved(nasional, personas.peers)
    assignment = PeerAssignment.objects.get(appraisal=nasional, peer=personas.peers[0])
    url = reverse("peer_form", args=[assignment.pk])
    for who, status in (("pegawai", 404), ("kasi", 404), ("hr_a", 404)):
        client.force_login(user_of(getattr(personas, who)))
        assert client.get(url).status_code == status
    client.force_login(user_of(personas.peers[0]))
    assert client.get(url).status_code == 200
    with pytest.raises(PermissionDenied):
        peers.peer_form_save(
            acting_user=user_of(personas.peers[1]), assignment=assignment,
            answers={}, submit=False,
        )  # fmt: skip


def test_the_form_waits_on_the_peers_home_page(personas, nasional, client):
    approved(nasional, personas.peers)
    client.force_login(user_of(personas.peers[0]))
    page = client.get(reverse("home")).content.decode()
    assert reverse("peer_list") in page
    from asn_portal.waiting import waiting_for

    items = [i for i in waiting_for(user_of(personas.peers[0]), today=dt.date(2026, 2, 1))]
    peer_items = [i for i in items if i.kind == "peer_form"]
    assert peer_items and peer_items[0].deadline == nasional.cycle.peer_deadline
    answer(nasional, personas.peers[0], 4)
    items = waiting_for(user_of(personas.peers[0]), today=dt.date(2026, 2, 1))
    assert not [i for i in items if i.kind == "peer_form"]


# --- threshold, timing and the score ---------------------------------------------------------


def behaviours(appraisal):
    component = next(c for c in fresh(appraisal).breakdown["components"] if c.get("behaviours"))
    return {b["code"]: b for b in component["behaviours"]}


def scored_with_peers(personas, time_machine, scheme_key, levels, *, supervisor_level=4):
    appraisal = draft_appraisal(personas, time_machine, scheme_key=scheme_key)
    approved(appraisal, personas.peers[: max(3, len(levels))])
    for peer, level in zip(personas.peers, levels, strict=False):
        answer(appraisal, peer, level, f"komentar {peer.name}")
    appraisal = advance(appraisal, State.SCORED, level=supervisor_level)
    return appraisal


def test_no_peer_counts_before_the_peer_deadline(personas, time_machine):
    appraisal = scored_with_peers(personas, time_machine, "nasional", [5, 5, 5])
    assert all(b["peer_mean_value"] is None for b in behaviours(appraisal).values())
    summary = peers.peer_access_for(user_of(personas.kasi), appraisal)
    assert not summary.can_see_summary


def test_three_answers_blend_70_30_in_nasional_after_the_deadline(personas, time_machine):
    appraisal = scored_with_peers(personas, time_machine, "nasional", [5, 5, 3])
    time_machine.move_to(AFTER_SCORING)
    assert peers.peers_count_due() == 1
    assert peers.peers_count_due() == 0  # idempotent
    # supervisor level 4 = 100; peers (115 + 115 + 80) / 3 = 103.333…; 0.7 × 100 + 0.3 × 103.33
    for b in behaviours(appraisal).values():
        assert Decimal(b["value_rounded"]) == Decimal("101.00")
        assert b["peer_count"] == 3 and b["peer_share"] == "30"
    perilaku = next(c for c in fresh(appraisal).breakdown["components"] if c["key"] == "perilaku")
    assert Decimal(perilaku["value_rounded"]) == Decimal("101.00")


def test_three_answers_blend_50_50_in_tebingtinggi(personas, time_machine):
    appraisal = scored_with_peers(personas, time_machine, "tebingtinggi", [5, 5, 3])
    time_machine.move_to(AFTER_SCORING)
    peers.peers_count_due()
    breakdown = fresh(appraisal).breakdown
    team = next(c for c in breakdown["components"] if c["key"] == "kontribusi_tim")
    # 0.5 × 100 + 0.5 × 103.333… = 101.666… for each of the seven values
    assert Decimal(team["value_rounded"]) == Decimal("101.67")


def test_two_answers_move_the_peers_share_to_the_atasan_and_say_so(personas, time_machine):
    appraisal = scored_with_peers(personas, time_machine, "nasional", [5, 5])
    time_machine.move_to(AFTER_SCORING)
    peers.peers_count_due()
    for b in behaviours(appraisal).values():
        assert b["redistributed"] and b["peer_count"] == 2
        assert Decimal(b["value_rounded"]) == Decimal("100.00")
    notes = " ".join(fresh(appraisal).breakdown["notes"])
    assert "kurang dari 3" in notes and "dialihkan ke penilaian atasan" in notes


def test_the_threshold_counts_the_peers_per_value(personas, time_machine):
    first, second = codes()[:2]
    partial = {code: 5 for code in codes()}
    appraisal = draft_appraisal(personas, time_machine, scheme_key="nasional")
    approved(appraisal, personas.peers)
    for peer in personas.peers:
        answer(appraisal, peer, partial)
    # One value with only two peer levels: take one answer row of it away.
    PeerAnswer.objects.filter(appraisal=appraisal, value__code=second).first().delete()
    appraisal = advance(appraisal, State.SCORED, level=4)
    time_machine.move_to(AFTER_SCORING)
    peers.peers_count_due()
    rows = behaviours(appraisal)
    assert rows[first]["peer_count"] == 3 and not rows[first]["redistributed"]
    assert rows[second]["peer_count"] == 2 and rows[second]["redistributed"]


def test_a_form_sent_after_the_deadline_counts_at_once(personas, time_machine):
    appraisal = scored_with_peers(personas, time_machine, "nasional", [5, 5])
    time_machine.move_to(AFTER_SCORING)
    peers.peers_count_due()
    answer(appraisal, personas.peers[2], 5)
    for b in behaviours(appraisal).values():
        assert b["peer_count"] == 3 and not b["redistributed"]


def test_the_summary_waits_for_the_deadline_three_answers_and_for_the_employee_the_release(
    personas, time_machine, client
):
    appraisal = scored_with_peers(personas, time_machine, "nasional", [5, 4, 3])
    url = reverse("peer_nomination", args=[appraisal.pk])
    client.force_login(user_of(personas.kasi))
    assert "komentar Rekan Alfa 1" not in client.get(url).content.decode()
    time_machine.move_to(AFTER_SCORING)
    client.force_login(user_of(personas.kasi))  # the session of February has expired
    page = client.get(url).content.decode()
    assert 'data-testid="peer-summary"' in page and "komentar Rekan Alfa 1" in page
    client.force_login(user_of(personas.pegawai))
    assert "komentar Rekan Alfa 1" not in client.get(url).content.decode()
    advance(appraisal, State.RELEASED, hr=personas.hr_a)
    assert "komentar Rekan Alfa 1" in client.get(url).content.decode()


def test_two_answers_show_no_aggregate(personas, time_machine, client):
    appraisal = scored_with_peers(personas, time_machine, "nasional", [5, 4])
    time_machine.move_to(AFTER_SCORING)
    client.force_login(user_of(personas.kasi))
    page = client.get(reverse("peer_nomination", args=[appraisal.pk])).content.decode()
    assert 'data-testid="peer-summary-short"' in page
    assert "komentar Rekan Alfa 1" not in page


def test_the_answers_count_only_once_the_deadline_day_is_over_in_the_region(personas, time_machine):
    appraisal = scored_with_peers(personas, time_machine, "nasional", [5, 5, 5])
    # 28 December 23:00 WIB is still the peer deadline's day in the region (UTC+7).
    time_machine.move_to(dt.datetime(2026, 12, 28, 16, tzinfo=dt.UTC))
    assert peers.peers_count_due() == 0
    assert all(b["peer_count"] == 0 for b in behaviours(appraisal).values())
    time_machine.move_to(dt.datetime(2026, 12, 28, 17, 1, tzinfo=dt.UTC))  # 00:01 WIB
    assert peers.peers_count_due() == 1
    assert all(b["peer_count"] == 3 for b in behaviours(appraisal).values())
    assert PeerNomination.objects.get(appraisal=appraisal).counted_at is not None


def test_hr_assigns_one_unit_only(personas, nasional):
    job = peers.peers_assign_bulk(
        acting_user=user_of(personas.hr_a), cycle=nasional.cycle, unit=personas.unit_a
    )
    job_run(job_id=job.pk)
    units = set(
        PeerNomination.objects.filter(appraisal__cycle=nasional.cycle).values_list(
            "appraisal__unit_id", flat=True
        )
    )
    assert units == {personas.unit_a.pk}


def test_hr_of_another_agency_cannot_assign(personas, nasional):
    with pytest.raises(PermissionDenied):
        peers.peers_assign_bulk(acting_user=user_of(personas.hr_b), cycle=nasional.cycle)


def test_a_form_of_a_list_not_yet_approved_takes_no_answers(personas, nasional):
    peers.peer_nominate(
        acting_user=user_of(personas.pegawai), appraisal=nasional,
        peer_ids=[p.pk for p in personas.peers], submit=True,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        answer(nasional, personas.peers[0], 4)
    assert not PeerAnswer.objects.exists()


def test_hr_starts_the_bulk_job_from_the_page_and_follows_it(personas, nasional, client):
    client.force_login(user_of(personas.hr_a))
    url = reverse("peer_assign", args=[nasional.cycle_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"unit": str(personas.unit_a.pk), "per_person": "3"})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    job = Job.objects.get(kind="peers_assign")
    assert job.payload["unit_id"] == personas.unit_a.pk and job.payload["k"] == 3


def test_the_search_finds_colleagues_by_name_or_nip_and_never_the_excluded(
    personas, nasional, client
):
    client.force_login(user_of(personas.pegawai))
    url = reverse("peer_nomination", args=[nasional.pk])
    page = client.get(url, {"q": "Rekan Alfa"}).content.decode()
    assert all(p.name in page for p in personas.peers)
    page = client.get(url, {"q": personas.peers[1].nip}).content.decode()
    assert personas.peers[1].name in page and personas.peers[0].name not in page
    found = {e.pk for e in client.get(url, {"q": "Alfa"}).context["found"]}
    assert personas.kasi.pk not in found and personas.pegawai.pk not in found
    assert personas.outsider.pk not in {
        e.pk for e in client.get(url, {"q": "Beta"}).context["found"]
    }
