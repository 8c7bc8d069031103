"""A fault test of the self-assessment's autosave: 100 saves of realisations on 50 appraisals,
sent at once from 20 threads, each with its own database connection (PostgreSQL: real row
locks between connections). Nothing confirmed is lost, and the version decides: a save based
on a page that is out of date gets the conflict message and overwrites nothing.

Each appraisal gets two saves built on the same version, as two tabs (or a fast typist's
page) would send them:

- two indicators, each with the values the page last saw saved: both are taken;
- one indicator from two pages that saw the same value: one is taken, the other refused;
- two indicators without those values (an old page): one is taken, the other refused.
"""

from __future__ import annotations

import threading
from collections import Counter
from decimal import Decimal
from queue import Empty, SimpleQueue

import pytest
from django.db import connection

from appraisals import services
from appraisals.models import AuditEntry, PlanIndicator, State

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
from .factories import EmployeeFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="saves from several connections at once need PostgreSQL's row locks; SQLite "
    "takes one writer at a time (transaction_mode IMMEDIATE), so nothing would run concurrently",
)

APPRAISALS = 50
THREADS = 20  # connections held at once, well below PostgreSQL's default max_connections
EMPTY_BASE = {"realisation": "", "self_level": "", "comment": ""}


@pytest.mark.django_db(transaction=True)
def test_100_concurrent_saves_on_50_appraisals_none_lost_versions_respected(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    colleagues = [
        EmployeeFactory(
            unit=personas.unit_a, position=personas.pegawai.position, supervisor=personas.kasi
        )
        for _ in range(APPRAISALS - 1)
    ]
    cycle = make_cycle(personas)
    appraisals = [
        advance(appraisal_of(cycle, employee), State.TARGETS_APPROVED)
        for employee in [personas.pegawai, *colleagues]
    ]
    saves = []  # two per appraisal, next to each other so that they run at the same time
    for n, appraisal in enumerate(appraisals):
        ind = indicators_of(appraisal)
        owner = user_of(appraisal.employee)
        if n < 20:
            group, pair = "both taken", [(ind["I1"], EMPTY_BASE), (ind["I3"], EMPTY_BASE)]
        elif n < 35:
            group, pair = "same field", [(ind["I1"], EMPTY_BASE), (ind["I1"], EMPTY_BASE)]
        else:
            group, pair = "old page", [(ind["I1"], None), (ind["I3"], None)]
        for side, (indicator, base) in enumerate(pair):
            saves.append(
                {"group": group, "appraisal": appraisal, "user": owner, "indicator": indicator.pk,
                 "version": appraisal.version, "base": base,
                 "value": Decimal(1000 + 2 * n + side)}
            )  # fmt: skip
    versions_before = {a.pk: a.version for a in appraisals}
    audit_before = AuditEntry.objects.filter(action="realisation_save").count()

    work: SimpleQueue[dict] = SimpleQueue()
    for save in saves:
        work.put(save)
    start = threading.Barrier(THREADS)

    def worker():
        try:
            start.wait(30)
            while True:
                try:
                    save = work.get_nowait()
                except Empty:
                    return
                try:
                    services.appraisal_save_realisation(
                        acting_user=save["user"], appraisal=save["appraisal"],
                        version=save["version"], indicator_id=save["indicator"],
                        realisation=save["value"], base=save["base"],
                    )  # fmt: skip
                    save["outcome"] = "saved"
                except services.StaleEdit as exc:
                    save["outcome"] = exc.messages[0]
                except Exception as exc:  # reported by the assertion below
                    save["outcome"] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(t.is_alive() for t in threads)

    outcomes = Counter((s["group"], s.get("outcome")) for s in saves)
    assert outcomes == {
        ("both taken", "saved"): 40,
        ("same field", "saved"): 15,
        ("same field", services.STALE_MESSAGE): 15,
        ("old page", "saved"): 15,
        ("old page", services.STALE_MESSAGE): 15,
    }
    stored = dict(
        PlanIndicator.objects.filter(result__appraisal__in=appraisals).values_list(
            "pk", "realisation"
        )
    )
    taken = [s for s in saves if s["outcome"] == "saved"]
    refused = [s for s in saves if s["outcome"] != "saved"]
    # Nothing confirmed is lost ...
    assert [s["value"] for s in taken] == [stored[s["indicator"]] for s in taken]
    # ... nothing refused was written ...
    assert not {s["value"] for s in refused} & set(stored.values())
    # ... and every appraisal's version moved on once per save it took, audited once each.
    per_appraisal = Counter(s["appraisal"].pk for s in taken)
    assert {a.pk: fresh(a).version - versions_before[a.pk] for a in appraisals} == per_appraisal
    assert AuditEntry.objects.filter(action="realisation_save").count() - audit_before == 70
