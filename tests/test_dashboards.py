"""The dashboards (docs/dashboards.md): their numbers against small hand-computed data, who
sees which page, the Excel downloads read back, and query counts that do not grow with the
data. The stored results (value, predikat, components, levels) are set directly: the
dashboards read what the scoring module stored, and the scoring has its own tests."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisals import services
from appraisals.models import Appraisal, BehaviourScore, PlanIndicator, State
from indicators.models import BehaviourValue
from reports import dashboards
from reports.dashboards import Reach, reach_for

from .appraisal_fixtures import DEADLINES, make_indicator_set
from .factories import EmployeeFactory

D = Decimal


def _result(appraisal, *, value, predikat, components=(), state=State.SCORED):
    """Store a result as the scoring module would: value, predikat and component values."""
    Appraisal.objects.filter(pk=appraisal.pk).update(
        state=state,
        final_value=D(value) if value is not None else None,
        predikat=predikat,
        breakdown={
            "components": [
                {"key": name.lower(), "name": name, "value_rounded": str(v)}
                for name, v in components
            ]
        },
    )


def _cycle(personas, agencies=None, scheme_key="jakarta"):
    """An opened annual 2026 cycle (of Dinas Alfa unless told), made by the Admin Daerah."""
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = services.cycle_create(
        acting_user=personas.admin_daerah, region=personas.region,
        agencies=agencies or [personas.agency_a], name=f"Penilaian 2026 {scheme_key}",
        scheme_key=scheme_key, period_type="annual", start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31), deadlines=DEADLINES,
    )  # fmt: skip
    services.cycle_open(acting_user=personas.admin_daerah, cycle=cycle)
    services.cycle_create_appraisals(cycle_id=cycle.pk)
    cycle.refresh_from_db()
    return cycle


def _by_employee(cycle):
    return {a.employee_id: a for a in Appraisal.objects.filter(cycle=cycle)}


def _reach(user) -> Reach:
    return reach_for(user)


# --- top performers ---------------------------------------------------------------------------
def test_top_performers_are_the_top_tenth_of_each_agencys_sangat_baik_with_ties(personas):
    p = personas
    cycle = _cycle(p, agencies=[p.agency_a, p.agency_b])
    a = _by_employee(cycle)
    # agency A: four Sangat Baik (115, 115, 112, 111): ⌈10% × 4⌉ = 1, the tie at 115 included
    for employee, value in ((p.pegawai, "115"), (p.peers[0], "115"), (p.peers[1], "112"),
                            (p.peers[2], "111")):  # fmt: skip
        _result(a[employee.pk], value=value, predikat="sangat_baik")
    _result(a[p.kasi.pk], value="118", predikat="baik")  # higher, but not Sangat Baik
    # agency B: one Sangat Baik: itself
    _result(a[p.outsider.pk], value="110.5", predikat="sangat_baik")
    rows = dashboards.top_performers(_reach(p.admin_daerah), cycle)
    assert [(r.employee.name, r.final_value) for r in rows] == [
        ("Pegawai Alfa", D("115.00")),
        ("Rekan Alfa 1", D("115.00")),
        ("Pegawai Beta", D("110.50")),
    ]
    # an Admin HR sees their agency only
    assert [r.employee.name for r in dashboards.top_performers(_reach(p.hr_b.user), cycle)] == [
        "Pegawai Beta"
    ]


def test_top_performers_in_matrix_mode_are_every_sangat_baik(personas):
    p = personas
    cycle = _cycle(p, scheme_key="nasional")
    a = _by_employee(cycle)
    for employee in (p.pegawai, *p.peers):
        _result(a[employee.pk], value=None, predikat="sangat_baik")
    _result(a[p.kasi.pk], value=None, predikat="baik")
    names = [r.employee.name for r in dashboards.top_performers(_reach(p.hr_a.user), cycle)]
    assert sorted(names) == ["Pegawai Alfa", "Rekan Alfa 1", "Rekan Alfa 2", "Rekan Alfa 3"]


# --- coaching ---------------------------------------------------------------------------------
def test_coaching_lists_butuh_perbaikan_or_worse_and_any_component_below_70(personas):
    p = personas
    cycle = _cycle(p)
    a = _by_employee(cycle)
    _result(a[p.pegawai.pk], value="85", predikat="butuh_perbaikan",
            components=[("Hasil", "88.00"), ("Perilaku", "80.00")])  # fmt: skip
    _result(a[p.peers[0].pk], value="95", predikat="baik",
            components=[("Hasil", "105.00"), ("Perilaku", "69.99")])  # fmt: skip
    _result(a[p.peers[1].pk], value="95", predikat="baik",
            components=[("Hasil", "110.00"), ("Perilaku", "70.00")])  # fmt: skip
    _result(a[p.peers[2].pk], value="40", predikat="sangat_kurang",
            components=[("Hasil", "30.00"), ("Perilaku", "60.00")])  # fmt: skip
    # not yet scored: not listed, whatever its stored values
    _result(a[p.kasi.pk], value="40", predikat="sangat_kurang", state=State.SELF_ASSESSED)
    rows = list(dashboards.coaching(_reach(p.hr_a.user), cycle))
    found = {r.employee.name: dashboards.low_components(r) for r in rows}
    assert found == {
        "Pegawai Alfa": [],
        "Rekan Alfa 1": [("Perilaku", D("69.99"))],
        "Rekan Alfa 3": [("Hasil", D("30.00")), ("Perilaku", D("60.00"))],
    }


# --- gaps -------------------------------------------------------------------------------------
def test_gaps_are_four_minus_the_mean_level_ranked_with_the_self_assessment_beside(personas):
    p = personas
    cycle = _cycle(p)
    a = _by_employee(cycle)
    values = list(BehaviourValue.objects.order_by("order")[:2])
    first, second = values
    levels = {  # employee: ((level, self level) of the first value, of the second)
        p.pegawai: ((3, 4), (4, None)),
        p.peers[0]: ((4, 5), (5, None)),
        p.peers[1]: ((4, None), (4, None)),
    }
    for employee, ((l1, s1), (l2, s2)) in levels.items():
        appraisal = a[employee.pk]
        _result(appraisal, value="100", predikat="baik")
        BehaviourScore.objects.update_or_create(
            appraisal=appraisal, value=first, defaults={"level": l1, "self_level": s1}
        )
        BehaviourScore.objects.update_or_create(
            appraisal=appraisal, value=second, defaults={"level": l2, "self_level": s2}
        )
    # a rubric indicator (competency): levels 2 and 3, self 4 and 4
    for employee, level in ((p.pegawai, 2), (p.peers[0], 3)):
        services.plan_ensure(a[employee.pk])
        PlanIndicator.objects.filter(result__appraisal=a[employee.pk], code="I2").update(
            level=level, self_level=4
        )
    groups = dashboards.gaps(_reach(p.hr_a.user), cycle)
    assert len(groups) == 1 and groups[0]["name"] == "Dinas Alfa"
    rows = [(g.name, g.rated, g.mean, g.self_mean, g.gap) for g in groups[0]["gaps"]]
    assert rows == [
        ("Mutu layanan", 2, D("2.50"), D("4.00"), D("1.50")),
        (first.name, 3, D("3.67"), D("4.50"), D("0.33")),
        (second.name, 3, D("4.33"), None, D("-0.33")),
    ]
    assert [g.name for g in groups[0]["training"]] == ["Mutu layanan", first.name]


def test_strengths_are_level_five_and_weaknesses_level_three_or_lower(personas):
    p = personas
    cycle = _cycle(p)
    a = _by_employee(cycle)
    first, second, third = BehaviourValue.objects.order_by("order")[:3]
    appraisal = a[p.pegawai.pk]
    _result(appraisal, value="100", predikat="baik")
    for value, level, self_level in ((first, 5, 4), (second, 3, 5), (third, 4, 4)):
        BehaviourScore.objects.update_or_create(
            appraisal=appraisal, value=value, defaults={"level": level, "self_level": self_level}
        )
    page = dashboards.strengths_page(_reach(p.kasi.user), cycle, 1)
    (row,) = [r for r in page if r.employee_id == p.pegawai.pk]
    assert row.strengths == [(first.name, 5, 4)]
    assert row.weaknesses == [(second.name, 3, 5)]


# --- promotion --------------------------------------------------------------------------------
def _annual(personas, year: int, results: dict, *, state=State.RELEASED):
    cycle = services.cycle_create(
        acting_user=personas.hr_a.user, region=personas.region, agencies=[personas.agency_a],
        name=f"Penilaian {year}", scheme_key="jakarta", period_type="annual",
        start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31),
        deadlines={k: dt.date(year, 12, 1) for k in
                   ("planning", "self_assessment", "scoring", "peer", "calibration")},
    )  # fmt: skip
    services.cycle_open(acting_user=personas.hr_a.user, cycle=cycle)
    services.cycle_create_appraisals(cycle_id=cycle.pk)
    a = _by_employee(cycle)
    for employee, predikat in results.items():
        _result(a[employee.pk], value="100", predikat=predikat, state=state)
    return cycle


def test_promotion_needs_at_least_baik_in_the_last_two_annual_cycles(personas):
    p = personas
    make_indicator_set(p.pegawai.position, p.region)
    peer1, peer2, peer3 = p.peers
    _annual(p, 2023, {p.pegawai: "kurang", peer1: "baik", peer3: "baik"})
    _annual(p, 2024, {p.pegawai: "baik", peer1: "butuh_perbaikan", peer3: "sangat_baik"})
    _annual(p, 2025, {p.pegawai: "sangat_baik", peer1: "baik", peer2: "baik"},
            state=State.SCORED)  # fmt: skip
    rows = list(dashboards.promotion(_reach(p.hr_a.user)))
    found = {r.employee.name: [(x["predikat"], x["final"]) for x in r.results] for r in rows}
    # pegawai: 2025 (not final yet) and 2024; peer 3 has no 2025 result: 2024 and 2023.
    # peer 1 had Butuh Perbaikan in 2024; peer 2 has one annual result only.
    assert found == {
        "Pegawai Alfa": [("sangat_baik", False), ("baik", True)],
        "Rekan Alfa 3": [("sangat_baik", True), ("baik", True)],
    }
    # the atasan sees their team; Admin HR Beta sees nobody of Dinas Alfa
    assert {r.employee.name for r in dashboards.promotion(_reach(p.kasi.user))} == {
        "Pegawai Alfa", "Rekan Alfa 3"
    }  # fmt: skip
    assert list(dashboards.promotion(_reach(p.hr_b.user))) == []


# --- supervisors far from their agency's mean ---------------------------------------------------
def test_supervisor_two_standard_deviations_from_the_agency_mean_is_listed(personas):
    p = personas
    extra = [EmployeeFactory(unit=p.unit_a, supervisor=p.kasi) for _ in range(20)]
    cycle = _cycle(p)
    a = _by_employee(cycle)
    assert len(a) == 29  # 9 personas of Dinas Alfa and 20 more
    rater = extra[-1]
    harsh = [p.pegawai, *p.peers, extra[0]]  # five appraisals rated by one atasan: all 60
    Appraisal.objects.filter(pk__in=[a[e.pk].pk for e in harsh]).update(supervisor=rater)
    for employee_id, appraisal in a.items():
        low = employee_id in {e.pk for e in harsh}
        _result(appraisal, value="60" if low else "100", predikat="baik")
    # mean (5 × 60 + 24 × 100) / 29 = 93.10; population SD 15.11; (60 − 93.10) / 15.11 = −2.19
    rows = dashboards.outliers(_reach(p.hr_a.user), cycle)
    assert [(o.supervisor, o.subordinates, o.mean, o.agency_mean, o.agency_sd,
             o.deviations) for o in rows] == [
        (rater, 5, D("60.00"), D("93.10"), D("15.11"), D("-2.19"))
    ]  # fmt: skip
    # four subordinates are too few, however far
    Appraisal.objects.filter(pk=a[extra[0].pk].pk).update(supervisor=p.kasi)
    assert dashboards.outliers(_reach(p.hr_a.user), cycle) == []


# --- on-time share ------------------------------------------------------------------------------
def test_on_time_share_counts_the_dated_targets(personas):
    p = personas
    cycle = _cycle(p, scheme_key="kotalama")
    appraisal = _by_employee(cycle)[p.pegawai.pk]
    services.plan_ensure(appraisal)
    due = dt.date(2026, 6, 30)
    plan = PlanIndicator.objects.filter(result__appraisal=appraisal)
    plan.update(due_date=None)  # the plan's own dates (the cycle's end) aside
    base = plan.filter(kind="kuantitatif").order_by("pk").first()
    PlanIndicator.objects.filter(pk=base.pk).update(due_date=due, completed_on=due)  # on time
    for completed in (due - dt.timedelta(days=3), due + dt.timedelta(days=1), None):
        base.pk = None
        base.due_date, base.completed_on, base.on_time_share = due, completed, False
        base.save()
    base.pk = None  # the on-time-share indicator itself is not counted
    base.due_date, base.completed_on, base.on_time_share = due, None, True
    base.save()
    (row,) = [r for r in dashboards.on_time(_reach(p.kasi.user), cycle) if r.pk == appraisal.pk]
    assert (row.dated, row.done_on_time, row.done_late) == (4, 2, 1)
    assert dashboards.on_time_share(row) == D("50.00")


# --- completion ---------------------------------------------------------------------------------
def test_completion_of_an_atasan_counts_their_team_only(personas):
    p = personas
    cycle = _cycle(p)
    a = _by_employee(cycle)
    _result(a[p.pegawai.pk], value="100", predikat="baik")
    _result(a[p.hr_a.pk], value="100", predikat="baik")
    team = dashboards.completion(_reach(p.kasi.user), cycle)
    assert [(u["name"], u["total"], u["percent"]) for u in team["units"]] == [
        ("Seksi Layanan", 4, 25)
    ]
    agency = dashboards.completion(_reach(p.hr_a.user), cycle)
    assert sum(u["total"] for u in agency["units"]) == 9
    assert agency["agencies"][0]["percent"] == 22  # 2 of 9


# --- history ------------------------------------------------------------------------------------
def test_history_hides_unreleased_results_from_the_employee_only(personas, client):
    p = personas
    make_indicator_set(p.pegawai.position, p.region)
    _annual(p, 2024, {p.pegawai: "baik"})
    _annual(p, 2025, {p.pegawai: "sangat_baik"}, state=State.SCORED)
    own = dashboards.history(p.pegawai.user, p.pegawai)
    assert [(r["predikat"], r["value"]) for r in own] == [("Baik", D("100.00")), ("", None)]
    hr = dashboards.history(p.hr_a.user, p.pegawai)
    assert [r["predikat"] for r in hr] == ["Baik", "Sangat Baik"]
    client.force_login(p.pegawai.user)
    page = client.get(reverse("employee_history", args=[p.pegawai.pk])).content.decode()
    assert "Penilaian 2024" in page and "Sangat Baik" not in page


# --- pages: scope matrix ------------------------------------------------------------------------
ROLES = ("pegawai", "kasi", "kepala", "sekda", "hr_a", "admin_daerah", "outsider", "hr_b")
TEAM_PAGES = (
    "dashboard_index", "dashboard_completion", "dashboard_gaps", "dashboard_strengths",
    "dashboard_top", "dashboard_coaching", "dashboard_promotion", "dashboard_on_time",
)  # fmt: skip
AGENCY_PAGES = ("dashboard_distribution", "dashboard_outliers")
MATRIX = {
    #                 pegawai kasi kepala sekda hr_a adm_d outsider hr_b
    **{name: (403, 200, 200, 200, 200, 200, 403, 200) for name in TEAM_PAGES},
    **{name: (403, 403, 403, 403, 200, 200, 403, 200) for name in AGENCY_PAGES},
    "history_pegawai": (200, 200, 200, 200, 200, 200, 404, 404),
    "history_outsider": (404, 404, 404, 200, 404, 200, 200, 200),
    # a cycle of Dinas Alfa only, asked for by its number
    "cycle_a_top": (403, 200, 200, 200, 200, 200, 403, 404),
    "cycle_a_distribution": (403, 403, 403, 403, 200, 200, 403, 404),
}  # fmt: skip


def _url(p, name, cycle):
    if name == "history_pegawai":
        return reverse("employee_history", args=[p.pegawai.pk])
    if name == "history_outsider":
        return reverse("employee_history", args=[p.outsider.pk])
    if name == "cycle_a_top":
        return reverse("dashboard_top") + f"?siklus={cycle.pk}"
    if name == "cycle_a_distribution":
        return reverse("dashboard_distribution") + f"?siklus={cycle.pk}"
    return reverse(name)


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [(n, r, e) for n, row in MATRIX.items() for r, e in zip(ROLES, row, strict=True)],
)
def test_role_dashboard_matrix(personas, client, name, role, expected):
    cycle = _cycle(personas)
    client.force_login(personas.user(role))
    response = client.get(_url(personas, name, cycle))
    assert response.status_code == expected, f"{role} on {name}"


def test_anonymous_users_are_sent_to_login(personas, client):
    for name in (*TEAM_PAGES, *AGENCY_PAGES):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/akun/login/" in response["Location"]


def test_the_admin_daerah_sees_every_agency_side_by_side(personas, client):
    p = personas
    cycle = _cycle(p, agencies=[p.agency_a, p.agency_b])
    client.force_login(p.admin_daerah)
    page = client.get(reverse("dashboard_distribution") + f"?siklus={cycle.pk}").content.decode()
    assert "Dinas Alfa" in page and "Dinas Beta" in page
    client.force_login(p.hr_b.user)
    page = client.get(reverse("dashboard_distribution") + f"?siklus={cycle.pk}").content.decode()
    assert "Dinas Beta" in page and "Dinas Alfa" not in page


def test_menu_and_scheme_page_link_to_the_dashboards(personas, client):
    client.force_login(personas.kasi.user)
    home = client.get(reverse("home")).content.decode()
    assert reverse("dashboard_index") in home
    scheme = client.get(reverse("scheme_detail", args=["tebingtinggi"])).content.decode()
    assert f"{reverse('dashboard_promotion')}?skema=tebingtinggi" in scheme
    assert f"{reverse('dashboard_coaching')}?skema=tebingtinggi" in scheme
    client.force_login(personas.pegawai.user)
    assert reverse("dashboard_index") not in client.get(reverse("home")).content.decode()
    scheme = client.get(reverse("scheme_detail", args=["tebingtinggi"])).content.decode()
    assert reverse("dashboard_promotion") not in scheme


# --- Excel --------------------------------------------------------------------------------------
def _sheet(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    data = b"".join(response.streaming_content)
    return list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_top_performers_download_as_excel_with_nip_as_text(personas, client):
    p = personas
    cycle = _cycle(p)
    _result(_by_employee(cycle)[p.pegawai.pk], value="115.5", predikat="sangat_baik")
    client.force_login(p.hr_a.user)
    rows = _sheet(client.get(reverse("dashboard_top") + f"?siklus={cycle.pk}&unduh=xlsx"))
    assert rows[0][:3] == ("NIP", "Nama", "Golongan")
    assert rows[1][0] == p.pegawai.nip and isinstance(rows[1][0], str)
    assert rows[1][6] == 115.5 and rows[1][7] == "Sangat Baik"
    assert len(rows) == 2


def test_coaching_and_gaps_download_as_excel(personas, client):
    p = personas
    cycle = _cycle(p)
    a = _by_employee(cycle)
    _result(a[p.pegawai.pk], value="85", predikat="butuh_perbaikan",
            components=[("Hasil", "88.00"), ("Perilaku", "65.50")])  # fmt: skip
    value = BehaviourValue.objects.order_by("order").first()
    BehaviourScore.objects.update_or_create(
        appraisal=a[p.pegawai.pk], value=value, defaults={"level": 3, "self_level": 4}
    )
    client.force_login(p.kasi.user)
    rows = _sheet(client.get(reverse("dashboard_coaching") + f"?siklus={cycle.pk}&unduh=xlsx"))
    assert rows[1][0] == p.pegawai.nip
    assert rows[1][5:] == ("Butuh Perbaikan", 85, "Perilaku 65,50")
    rows = _sheet(client.get(reverse("dashboard_gaps") + f"?siklus={cycle.pk}&unduh=xlsx"))
    assert rows[1] == ("Dinas Alfa", 1, "Perilaku", value.name, 1, 3, 4, 1, "Ya")


def test_promotion_and_history_download_as_excel(personas, client):
    p = personas
    make_indicator_set(p.pegawai.position, p.region)
    _annual(p, 2024, {p.pegawai: "baik"})
    _annual(p, 2025, {p.pegawai: "baik"})
    client.force_login(p.admin_daerah)
    rows = _sheet(client.get(reverse("dashboard_promotion") + "?unduh=xlsx"))
    assert [r[0] for r in rows[1:]] == [p.pegawai.nip]
    assert rows[1][6:] == ("Baik", "Penilaian 2025", "Ya", "Baik", "Penilaian 2024", "Ya")
    rows = _sheet(client.get(reverse("employee_history", args=[p.pegawai.pk]) + "?unduh=xlsx"))
    assert [r[2] for r in rows[1:]] == ["Penilaian 2024", "Penilaian 2025"]


def test_a_list_longer_than_a_page_downloads_through_a_job_of_its_requester(
    personas, client, settings
):
    from reports.jobs import job_run
    from reports.models import Job

    p = personas
    cycle = _cycle(p)
    _result(_by_employee(cycle)[p.pegawai.pk], value="85", predikat="butuh_perbaikan",
            components=[("Hasil", "88.00"), ("Perilaku", "65.50")])  # fmt: skip
    settings.EXPORT_INLINE_MAX_ROWS = 0  # one row is already more than a page
    url = reverse("dashboard_coaching") + f"?siklus={cycle.pk}&unduh=xlsx"
    client.force_login(p.kasi.user)
    page = client.get(url)
    assert page["Content-Type"].startswith("text/html") and b"export-job-start" in page.content
    assert not Job.objects.filter(kind="dashboard_xlsx").exists()  # a GET changes nothing
    response = client.post(url)
    job = Job.objects.get(kind="dashboard_xlsx")
    assert response.url == reverse("job_detail", args=[job.pk])
    client.post(url)  # a second click follows the same job
    assert Job.objects.filter(kind="dashboard_xlsx").count() == 1
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    download = client.get(reverse("job_download", args=[job.pk]))
    rows = _sheet(download)
    assert [r[0] for r in rows[1:]] == [p.pegawai.nip]
    client.force_login(p.hr_a.user)
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


def test_every_cycle_download_opens(personas, client):
    p = personas
    cycle = _cycle(p, agencies=[p.agency_a, p.agency_b])
    _result(_by_employee(cycle)[p.pegawai.pk], value="100", predikat="baik")
    client.force_login(p.admin_daerah)
    for name in (*TEAM_PAGES[1:], *AGENCY_PAGES):
        if name == "dashboard_promotion":
            continue
        rows = _sheet(client.get(reverse(name) + f"?siklus={cycle.pk}&unduh=xlsx"))
        assert rows[0], name


# --- query counts do not depend on the data ---------------------------------------------------
def _grow(personas, cycle, n: int) -> None:
    """``n`` more scored employees in Dinas Alfa, under the Kasi, in the cycle."""
    from appraisals.models import Cycle

    for _ in range(n):
        EmployeeFactory(unit=personas.unit_a, supervisor=personas.kasi)
    Cycle.objects.filter(pk=cycle.pk).update(status="opening")
    services.cycle_create_appraisals(cycle_id=cycle.pk)
    value = BehaviourValue.objects.order_by("order").first()
    for appraisal in Appraisal.objects.filter(cycle=cycle, state=State.DRAFT):
        _result(appraisal, value="60", predikat="butuh_perbaikan",
                components=[("Hasil", "60.00")])  # fmt: skip
        BehaviourScore.objects.update_or_create(
            appraisal=appraisal, value=value, defaults={"level": 3, "self_level": 4}
        )


@pytest.mark.parametrize("name", [*TEAM_PAGES, *AGENCY_PAGES])
@pytest.mark.parametrize("who", ["kasi", "hr_a"])
def test_query_count_does_not_grow_with_the_data(
    personas, client, django_assert_max_num_queries, name, who
):
    if who == "kasi" and name in AGENCY_PAGES:
        pytest.skip("not a page of the atasan")
    cycle = _cycle(personas)
    _grow(personas, cycle, 3)
    client.force_login(personas.user(who))
    url = reverse(name) + f"?siklus={cycle.pk}"
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(personas, cycle, 25)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


def test_without_a_choice_the_lists_show_the_latest_cycle_with_final_results(personas):
    p = personas
    make_indicator_set(p.pegawai.position, p.region)
    released = _annual(p, 2024, {p.pegawai: "baik"})
    scored = _annual(p, 2025, {p.pegawai: "baik"}, state=State.SCORED)
    reach = _reach(p.hr_a.user)
    pick = dashboards.pick_cycle
    assert pick(reach, pk=None, scheme_key=None, prefer=dashboards.WITH_FINAL_RESULTS) == released
    assert pick(reach, pk=None, scheme_key=None, prefer=dashboards.WITH_RESULTS) == scored
    assert pick(reach, pk=None, scheme_key="nasional", prefer=dashboards.LATEST) is None
    with pytest.raises(Http404):
        pick(_reach(p.hr_b.user), pk=str(released.pk), scheme_key=None)
