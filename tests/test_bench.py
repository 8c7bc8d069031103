"""`make bench` end to end on a tiny region: every step runs and bench.json has the shape
that tools reading it rely on. Figures are measured, never asserted."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from agencies.models import Employee
from appraisals.models import Appraisal, BehaviourScore
from reports.benchmarks.runner import percentile

KEYS = {"seconds", "peak_mb", "queries", "reference_seconds", "ratio"}


@pytest.mark.django_db(transaction=True)
def test_bench_runs_every_step_and_writes_its_json(tmp_path):
    out = tmp_path / "bench.json"
    call_command(
        "bench", employees=300, agencies=6, small=60, repeat=2, reset=True, output=str(out),
        pdf_repeat=2, skip=["zip_documents"],  # the ZIP step starts PDF workers of its own
        stdout=io.StringIO(),
    )  # fmt: skip
    document = json.loads(out.read_text())
    assert set(document) == {"steps", "load"}
    assert set(document["load"]) == {"start", "end"}
    assert all(len(document["load"][k]) == 3 for k in ("start", "end"))
    names = set(document["steps"])
    assert {
        "seed", "open_cycle", "compute_scores", "finalise_agency", "export_employees",
        "recap_xlsx", "pdf_document",
    } <= names  # fmt: skip
    sizes = {int(name.rsplit(":", 1)[1]) for name in names if name.startswith("page:")}
    assert sizes == {180, Employee.objects.count()} and Employee.objects.count() == 300
    for name, step in document["steps"].items():
        assert set(step) >= KEYS, name
        assert isinstance(step["seconds"], float) and step["seconds"] > 0
        assert step["queries"] is None or isinstance(step["queries"], int)
        if name.startswith("page:"):
            assert step["median_ms"] <= step["p95_ms"]
            assert step["seconds"] == pytest.approx(step["median_ms"] / 1000, abs=1e-3)
    for name in ("compute_scores", "export_employees", "recap_xlsx", "pdf_document"):
        step = document["steps"][name]
        assert step["ratio"] == pytest.approx(step["seconds"] / step["reference_seconds"], 0.01)
    # finalise_agency moved the measured agency's set of the bench cycle to final
    assert "penilaian" in document["steps"]["finalise_agency"]["note"]
    # the emptied database got its BerAKHLAK values back: every appraisal has its seven
    assert BehaviourScore.objects.count() == 7 * Appraisal.objects.count()


@pytest.mark.django_db
def test_bench_refuses_a_database_with_data_unless_told_to_empty_it(tmp_path):
    from .factories import EmployeeFactory

    EmployeeFactory()
    with pytest.raises(CommandError, match="--reset"):
        call_command("bench", output=str(tmp_path / "b.json"))


def test_percentile_is_nearest_rank():
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert percentile([float(i) for i in range(1, 21)], 95) == 19.0
    assert percentile([5.0], 95) == 5.0
