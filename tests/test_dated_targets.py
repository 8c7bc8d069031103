"""Dated targets in `kotalama` (docs/cycle.md, docs/imports.md): each target of a plan has a
due date (the set's `Tanggal Target`, else the cycle's end), adjustable while planning; the
employee records the completion date with the realisation; each target reads tepat waktu,
terlambat or belum selesai; the position's on-time share indicator (`Ketepatan Waktu` = ya)
gets as realisation the percentage of the other dated targets completed by their due dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from appraisals import services
from appraisals.models import State
from indicators.models import Indicator

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
from .factories import PositionFactory
from .import_files import messages, run, table, xlsx_bytes
from .indicator_files import INDICATOR_HEADERS, quantitative, rubric

JUNE_30 = dt.date(2026, 6, 30)
NURSE = "JF-PERAWAT"
HEADERS = [*INDICATOR_HEADERS, "Tanggal Target", "Ketepatan Waktu"]


# --- the import columns -----------------------------------------------------------------------


@pytest.fixture
def region(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    PositionFactory(region=personas.region, code=NURSE, name="Perawat Ahli Pertama")
    return personas.region


def _share(code="PR-09", weight=20, **cells):
    return quantitative(NURSE, code, weight, Satuan="%", Target=100, Ketepatan_Waktu="ya", **cells)


def _import(region, rows):
    return run("indicators", xlsx_bytes(table(HEADERS, rows)), region=region)


@pytest.mark.parametrize("written", ["30-06-2026", "30/06/2026", "2026-06-30", JUNE_30])
def test_a_due_date_and_the_on_time_share_are_imported(region, written):
    rows = [quantitative(NURSE, "PR-01", 60, Tanggal_Target=written), rubric(NURSE, "PR-02", 20),
            _share()]  # fmt: skip
    result = _import(region, rows)
    assert result.ok, messages(result)
    stored = {i.code: i for i in Indicator.objects.all()}
    assert stored["PR-01"].due_date == JUNE_30 and not stored["PR-01"].on_time_share
    assert stored["PR-09"].on_time_share and stored["PR-09"].due_date is None


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [quantitative(NURSE, "PR-01", 100, Tanggal_Target="31-02-2026")],
            "Baris 2, kolom Tanggal Target: tanggal tidak valid; gunakan dd-mm-yyyy, dd/mm/yyyy "
            "atau yyyy-mm-dd",
        ),
        (
            [quantitative(NURSE, "PR-01", 50), rubric(NURSE, "PR-02", 50, Tanggal_Target="30-06-2026")],
            "Baris 3, kolom Tanggal Target: harus dikosongkan untuk indikator rubrik",
        ),
        (
            [quantitative(NURSE, "PR-01", 100, Ketepatan_Waktu="mungkin")],
            "Baris 2, kolom Ketepatan Waktu: Ketepatan Waktu tidak dikenal: mungkin; pilihan: "
            "tidak, ya",
        ),
        (
            [quantitative(NURSE, "PR-01", 100, Ketepatan_Waktu="ya")],
            "Baris 2, kolom Ketepatan Waktu: hanya untuk indikator kuantitatif dengan Arah naik "
            "dan Satuan %",
        ),
        (
            [quantitative(NURSE, "PR-01", 80, Satuan="%", Arah="turun", Ketepatan_Waktu="ya"),
             quantitative(NURSE, "PR-02", 20)],
            "Baris 2, kolom Ketepatan Waktu: hanya untuk indikator kuantitatif dengan Arah naik "
            "dan Satuan %",
        ),
        (
            [quantitative(NURSE, "PR-01", 60), _share("PR-08"), _share("PR-09")],
            "Baris 4, kolom Ketepatan Waktu: hanya satu indikator per jabatan; baris 3 sudah "
            "ditandai",
        ),
    ],
)  # fmt: skip
def test_the_date_columns_errors(region, rows, expected):
    result = _import(region, rows)
    assert not result.ok
    assert expected in messages(result)
    assert not Indicator.objects.exists()


def test_a_stored_on_time_share_counts_against_a_new_one(region):
    assert _import(region, [quantitative(NURSE, "PR-01", 80), _share("PR-08")]).ok
    result = _import(region, [quantitative(NURSE, "PR-01", 60), _share("PR-09")])
    assert (
        "Baris 3, kolom Ketepatan Waktu: hanya satu indikator per jabatan; indikator tersimpan "
        "PR-08 sudah ditandai"
    ) in messages(result)


# --- plans, completion dates and the on-time share ------------------------------------------


@pytest.fixture
def kotalama(personas, time_machine):
    """The pegawai's kotalama plan: I1 due 30 June (from the set), I3 due at the cycle's end,
    I2 rubric, I4 the on-time share (weights 40, 20, 20, 20)."""
    time_machine.move_to(BEFORE_PLANNING)
    indicator_set = make_indicator_set(personas.pegawai.position, personas.region)
    Indicator.objects.filter(indicator_set=indicator_set, code="I1").update(
        weight=Decimal(40), due_date=JUNE_30
    )
    i1 = Indicator.objects.get(indicator_set=indicator_set, code="I1")
    Indicator.objects.create(
        indicator_set=indicator_set, result=i1.result, code="I4", name="Target tepat waktu",
        kind="kuantitatif", unit="%", direction="naik", aspect="waktu", target=Decimal(100),
        weight=Decimal(20), guidance="Dihitung portal.", order=3, on_time_share=True,
    )  # fmt: skip
    cycle = make_cycle(personas, scheme_key="kotalama")
    return personas, cycle, fresh(appraisal_of(cycle, personas.pegawai))


def test_the_plan_copies_due_dates_and_the_employee_adjusts_them(kotalama, client):
    personas, cycle, appraisal = kotalama
    ind = indicators_of(appraisal)
    assert (ind["I1"].due_date, ind["I3"].due_date) == (JUNE_30, cycle.end_date)
    assert ind["I2"].due_date is None and ind["I4"].due_date is None and ind["I4"].on_time_share
    assert ind["I4"].realisation == 0  # none of the dated targets is completed yet
    client.force_login(personas.pegawai.user)
    response = client.post(
        reverse("plan_save", args=[appraisal.pk]),
        {"version": appraisal.version, f"due_{ind['I3'].pk}": "2026-09-30"},
    )
    assert response.status_code == 302
    assert indicators_of(appraisal)["I3"].due_date == dt.date(2026, 9, 30)
    response = client.post(
        reverse("plan_save", args=[appraisal.pk]),
        {"version": fresh(appraisal).version, f"due_{ind['I3'].pk}": "2027-01-15"},
    )
    assert "Tanggal target harus dalam periode" in response.content.decode()
    assert indicators_of(appraisal)["I3"].due_date == dt.date(2026, 9, 30)


def _complete(appraisal, code, day, realisation):
    services.appraisal_save_realisation(
        acting_user=user_of(appraisal.employee), appraisal=fresh(appraisal),
        version=fresh(appraisal).version, indicator_id=indicators_of(appraisal)[code].pk,
        realisation=Decimal(realisation), completed_on=day,
    )  # fmt: skip


def test_the_on_time_share_is_computed_and_late_targets_are_shown(kotalama, client):
    personas, cycle, appraisal = kotalama
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    _complete(appraisal, "I1", dt.date(2026, 7, 5), 100)  # five days late
    assert indicators_of(appraisal)["I4"].realisation == 0
    _complete(appraisal, "I3", dt.date(2026, 12, 1), 5)  # on time
    ind = indicators_of(appraisal)
    assert ind["I4"].realisation == 50
    assert (ind["I1"].timeliness, ind["I3"].timeliness) == ("terlambat", "tepat_waktu")
    # The typed realisation of the on-time share is ignored: the portal computes it.
    _complete(appraisal, "I4", None, 90)
    assert indicators_of(appraisal)["I4"].realisation == 50
    # A corrected completion date recomputes it.
    _complete(appraisal, "I1", dt.date(2026, 6, 29), 100)
    assert indicators_of(appraisal)["I4"].realisation == 100
    notes = fresh(appraisal).breakdown["notes"]
    assert any("I4: realisasi dihitung portal" in n and "(2 dari 2)" in n for n in notes)
    client.force_login(personas.hr_a.user)
    page = client.get(reverse("appraisal_detail", args=[appraisal.pk])).content.decode()
    assert "tepat waktu" in page and 'data-testid="on-time-share-I4"' in page


def test_a_target_not_completed_reads_belum_selesai_and_counts_as_not_on_time(kotalama, client):
    personas, cycle, appraisal = kotalama
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    _complete(appraisal, "I1", dt.date(2026, 7, 5), 100)
    _complete(appraisal, "I3", None, 5)
    ind = indicators_of(appraisal)
    assert (ind["I1"].timeliness, ind["I3"].timeliness) == ("terlambat", "belum_selesai")
    assert ind["I4"].realisation == 0
    client.force_login(personas.pegawai.user)
    page = client.get(reverse("appraisal_detail", args=[appraisal.pk])).content.decode()
    assert "terlambat" in page and "belum selesai" in page


def test_the_completion_date_is_saved_by_the_realisation_form(kotalama, client):
    personas, cycle, appraisal = kotalama
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    i1 = indicators_of(appraisal)["I1"]
    client.force_login(personas.pegawai.user)
    response = client.post(
        reverse("realisation_save", args=[appraisal.pk, i1.pk]),
        {"version": fresh(appraisal).version, "realisation": "100", "completed_on": "2026-06-15"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["saved"]["completed_on"] == "2026-06-15"
    assert indicators_of(appraisal)["I1"].completed_on == dt.date(2026, 6, 15)
    assert indicators_of(appraisal)["I4"].realisation == 50  # I1 of I1 and I3
