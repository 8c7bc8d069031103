"""Scores in bulk (docs/scoring.md): a batch of appraisals is gathered in a fixed number of
queries and stores exactly what scoring them one at a time stores, for every preset of the
demo; HR recomputes a cycle's scores as a background job."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.urls import reverse

from appraisals import scoring as appraisal_scoring
from appraisals import services
from appraisals.models import Appraisal, AuditEntry, Cycle, PlanIndicator, State
from appraisals.services._base import _recompute, recompute_appraisals
from indicators.schemes import SCHEMES
from reports.models import Job

from .appraisal_fixtures import run_jobs, user_of

STORED = (
    "final_value", "hasil_kerja_value", "perilaku_value", "hasil_kerja_rating",
    "perilaku_rating", "predikat", "breakdown",
)  # fmt: skip


def rows(ids):
    return list(Appraisal.objects.filter(pk__in=ids).select_related("cycle__region").order_by("pk"))


def snapshot(ids) -> dict[int, tuple]:
    return {
        row[0]: row[1:] for row in Appraisal.objects.filter(pk__in=ids).values_list("pk", *STORED)
    }


def forget_scores() -> None:
    Appraisal.objects.update(
        final_value=None, hasil_kerja_value=None, perilaku_value=None, hasil_kerja_rating="",
        perilaku_rating="", predikat="", breakdown={},
    )  # fmt: skip


def after_every_deadline() -> dt.datetime:
    return max(c.deadline_end("calibration") for c in Cycle.objects.select_related("region")) + (
        dt.timedelta(days=1)
    )


@pytest.mark.parametrize("when", ["today", "after every deadline"])
def test_a_batch_stores_exactly_what_one_at_a_time_stores(prescored_demo, when):
    now = None if when == "today" else after_every_deadline()
    ids = list(Appraisal.objects.order_by("pk").values_list("pk", flat=True))
    # Some kotalama plans end with an indicator of the on-time share of their dated targets.
    for appraisal in Appraisal.objects.filter(cycle__scheme_key="kotalama")[:5]:
        last = PlanIndicator.objects.filter(result__appraisal=appraisal).last()
        PlanIndicator.objects.filter(pk=last.pk).update(
            on_time_share=True, kind="kuantitatif", target=100, direction="naik"
        )
    assert set(Appraisal.objects.values_list("cycle__scheme_key", flat=True)) == set(SCHEMES)
    gathered = appraisal_scoring.gather(rows(ids), now=now)
    inputs = gathered.inputs.values()
    # The demo feeds every source of the engine, so a mix-up between appraisals would show.
    assert any(i.attendance for i in inputs) and any(i.sanctions for i in inputs)
    assert any(i.ikm for i in inputs) and any(i.team_levels for i in inputs)
    assert any(r.indicators for i in inputs for r in i.results)
    assert any(b.supervisor for i in inputs for b in i.behaviour.values())
    assert any(o.share_codes for o in gathered.on_time.values())
    if now is not None:
        assert any(b.peers for i in inputs for b in i.behaviour.values())

    forget_scores()
    for start in range(0, len(ids), 97):  # batches across the cycles of every preset
        recompute_appraisals(rows(ids[start : start + 97]), actor=None, action="recompute", now=now)
    in_bulk = snapshot(ids)
    forget_scores()
    for appraisal in rows(ids):
        _recompute(appraisal, actor=None, action="recompute", now=now)
    one_at_a_time = snapshot(ids)
    assert in_bulk == one_at_a_time
    assert all(values[6] for values in in_bulk.values())  # every one has its breakdown


def test_the_batch_sources_give_what_the_single_sources_give(prescored_demo, monkeypatch):
    now = after_every_deadline()
    batch = rows(Appraisal.objects.values_list("pk", flat=True))
    with_batch_sources = appraisal_scoring.gather(batch, now=now).inputs
    monkeypatch.setattr(appraisal_scoring, "_ikm_batch_source", None)
    monkeypatch.setattr(
        appraisal_scoring,
        "_peer_levels",
        [(single, None) for single, _batch in appraisal_scoring._peer_levels],
    )
    assert appraisal_scoring.gather(batch, now=now).inputs == with_batch_sources


def test_the_queries_of_a_batch_do_not_grow_with_its_size(
    prescored_demo, django_assert_max_num_queries
):
    """Per batch: the plan, the levels, the Tim Penilai, and per cycle its attendance,
    sanctions, IKM and peers; then one lock, one update and one insert of audit rows."""
    now = after_every_deadline()
    by_cycle = defaultdict(list)
    for pk, cycle_id in Appraisal.objects.order_by("pk").values_list("pk", "cycle_id"):
        by_cycle[cycle_id].append(pk)
    assert len(by_cycle) == len(SCHEMES)
    for size in (1, 12):
        ids = [pk for members in by_cycle.values() for pk in members[:size]]
        forget_scores()  # so that every score changes and is audited
        batch = rows(ids)
        audited = AuditEntry.objects.filter(action="recompute").count()
        with django_assert_max_num_queries(16):
            done = recompute_appraisals(
                batch, actor=None, action="recompute", now=now, unlocked=True
            )
        assert (done.stored, done.changed, done.skipped) == (len(ids), len(ids), 0)
        assert AuditEntry.objects.filter(action="recompute").count() == audited + len(ids)


def test_a_background_batch_leaves_an_appraisal_changed_meanwhile_to_its_own_recompute(
    prescored_demo,
):
    ids = list(Appraisal.objects.order_by("pk").values_list("pk", flat=True)[:5])
    batch = rows(ids)
    forget_scores()
    Appraisal.objects.filter(pk=ids[0]).update(version=batch[0].version + 1)  # someone saved
    done = recompute_appraisals(batch, actor=None, action="recompute", unlocked=True)
    assert (done.stored, done.skipped) == (4, 1)
    assert snapshot([ids[0]])[ids[0]][0] is None
    assert all(values[6] for pk, values in snapshot(ids[1:]).items())


def test_hr_recomputes_a_cycle_in_the_background_and_final_ones_stay(prescored_demo, client):
    from agencies.models import User

    cycle = Cycle.objects.get(scheme_key="tebingtinggi")
    final = Appraisal.objects.filter(cycle=cycle).order_by("pk").first()
    Appraisal.objects.filter(pk=final.pk).update(state=State.FINALISED)
    forget_scores()
    admin = User.objects.get(username="admin.daerah")
    client.force_login(admin)
    page = client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert 'data-testid="recompute-form"' in page
    response = client.post(reverse("cycle_recompute", args=[cycle.pk]), {"agency": ""})
    assert response.status_code == 302
    again = client.post(reverse("cycle_recompute", args=[cycle.pk]), {"agency": ""}, follow=True)
    assert "sedang berjalan" in again.content.decode()
    assert Job.objects.filter(kind="scores_recompute").count() == 1
    (job_id,) = run_jobs()
    job = Job.objects.get(pk=job_id)
    others = Appraisal.objects.filter(cycle=cycle).exclude(pk=final.pk)
    assert job.status == Job.Status.DONE and job.result["stored"] == others.count()
    assert job.progress == job.total == others.count()
    assert not others.filter(final_value__isnull=True).exists()
    assert Appraisal.objects.get(pk=final.pk).final_value is None  # final: never recomputed
    panel = client.get(
        reverse("cycle_detail", args=[cycle.pk]), {"bagian": "pekerjaan"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f'data-testid="cycle-job-{job.pk}"' in panel
    assert f"{others.count()} nilai dihitung ulang" in panel
    assert "hx-get" not in panel  # nothing left to poll


def test_hr_of_an_agency_recomputes_only_that_agency(prescored_demo, client):
    from agencies.models import Agency, Role, RoleGrant

    cycle = Cycle.objects.get(scheme_key="jakarta")
    agency = cycle.agencies.get()
    hr = RoleGrant.objects.filter(role=Role.ADMIN_HR, agency=agency).first().user
    client.force_login(hr)
    other = Agency.objects.exclude(pk=agency.pk).first()
    assert (
        client.post(reverse("cycle_recompute", args=[cycle.pk]), {"agency": other.pk}).status_code
        == 404
    )
    assert not Job.objects.filter(kind="scores_recompute").exists()
    with pytest.raises(Exception) as refused:
        services.cycle_scores_recompute(acting_user=user_of(hr), cycle=cycle, agency=other)
    assert "wewenang" in str(refused.value)
    client.post(reverse("cycle_recompute", args=[cycle.pk]), {"agency": agency.pk})
    job = Job.objects.get(kind="scores_recompute")
    assert job.payload["agency_id"] == agency.pk
