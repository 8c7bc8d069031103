"""The demo data and the README's demo logins agree."""

from __future__ import annotations

import io
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.urls import reverse

from agencies.access import build_scope
from agencies.models import Agency, Employee, Region, User
from agencies.validators import validate_nip

from .isolation import clear_cache
from .readme import demo_logins

PRESETS = {"nasional", "jakarta", "tangsel", "rakumpit", "tebingtinggi", "kotalama"}


@pytest.fixture
def demo(db):
    call_command("seed_demo", quiet_logins=True, no_prescore=True, stdout=io.StringIO())


def test_seed_demo_is_idempotent(demo):
    counts = (Employee.objects.count(), User.objects.count(), Agency.objects.count())
    call_command("seed_demo", quiet_logins=True, no_prescore=True, stdout=io.StringIO())
    assert (Employee.objects.count(), User.objects.count(), Agency.objects.count()) == counts
    assert 280 <= counts[0] <= 320


def test_demo_has_six_agencies_one_per_preset(demo):
    assert set(Agency.objects.values_list("default_scheme", flat=True)) == PRESETS
    assert Agency.objects.count() == 6


def test_every_demo_nip_is_valid_and_the_supervisor_tree_has_one_top(demo):
    for e in Employee.objects.all():
        validate_nip(e.nip, asn_status=e.asn_status, birth_date=e.birth_date, gender=e.gender)
    assert Employee.objects.filter(supervisor__isnull=True).count() == 1
    heads = Employee.objects.filter(position__code="JPT-KEPALA")
    assert all(h.supervisor.agency.code == "SETDA" for h in heads)  # across agencies


def test_readme_lists_every_role_per_agency_with_distinct_people(demo):
    rows, _password = demo_logins()
    by_agency = defaultdict(list)
    for row in rows:
        by_agency[row["Agency"]].append(row)
    region = Region.objects.get()
    assert [r["Role"] for r in by_agency.pop(region.name)] == ["admin_daerah"]
    assert len(by_agency) == 6
    for agency_name, agency_rows in by_agency.items():
        agency = Agency.objects.get(name=agency_name)
        roles = [r["Role"] for r in agency_rows]
        expected = [
            "pegawai",
            "atasan",
            "atasan_pejabat_penilai",
            "peer",
            "peer",
            "peer",
            "admin_hr",
        ]
        expected += {"kotalama": ["tim_penilai"], "rakumpit": ["verifikator"]}.get(
            agency.default_scheme, []
        )
        assert roles == expected, agency_name
        assert {r["Scheme"] for r in agency_rows} == {agency.default_scheme}
        assert len({r["Login"] for r in agency_rows}) == len(agency_rows)


def test_readme_roles_match_the_org_data(demo):
    rows, _password = demo_logins()
    persons = {r["Login"]: Employee.objects.filter(nip=r["Login"]).first() for r in rows}
    for agency_name in {r["Agency"] for r in rows if r["Role"] == "pegawai"}:

        def get(role, agency_name=agency_name):
            return [
                persons[r["Login"]]
                for r in rows
                if r["Agency"] == agency_name and r["Role"] == role
            ]

        (pegawai,), (atasan,), (app,) = get("pegawai"), get("atasan"), get("atasan_pejabat_penilai")
        assert pegawai.agency.name == agency_name
        assert pegawai.supervisor == atasan and atasan.supervisor == app
        for peer in get("peer"):
            assert peer.agency == pegawai.agency
            assert peer not in (atasan, app) and peer.supervisor != pegawai
        for role, label in [("admin_hr", "Admin HR"), ("tim_penilai", "Tim Penilai"),
                            ("verifikator", "Verifikator")]:  # fmt: skip
            for person in get(role):
                assert label in build_scope(person.user).role_labels
        assert "Atasan Pejabat Penilai" in build_scope(app.user).role_labels


def test_every_readme_login_works_with_the_readme_password(demo, client):
    rows, password = demo_logins()
    for row in rows:
        clear_cache()  # 45 logins from one address in a row would meet the login rate limit
        response = client.post(
            reverse("account_login"), {"login": row["Login"], "password": password}
        )
        assert response.status_code == 302, row
        home = client.get(reverse("home")).content.decode()
        assert row["Name"] in home.replace("&#x27;", "'"), row
        client.post(reverse("account_logout"))


def test_the_demo_cycle_can_be_played_to_the_end(db, client):
    """Everyone but the README's pegawai is scored, so HR can finalise once they are."""
    from appraisals.models import Appraisal, State

    call_command("seed_demo", quiet_logins=True, stdout=io.StringIO())
    rows, _password = demo_logins()
    pegawai = {r["Login"] for r in rows if r["Role"] == "pegawai"}
    # This year's open cycles; last year's (released and closed) are the history.
    current = Appraisal.objects.filter(cycle__status="open")
    waiting = set(current.exclude(state=State.SCORED).values_list("employee__nip", flat=True))
    assert waiting == pegawai
    assert Agency.objects.count() == current.values("cycle").distinct().count()
    assert (
        not Appraisal.objects.filter(cycle__status="closed").exclude(state=State.RELEASED).exists()
    )
    scored = current.filter(state=State.SCORED)
    assert not scored.filter(predikat="").exists()
    # The organisation predikat: one finalisation asks for a justification (public works, set
    # Baik, is all Baik), one is refused (the Kecamatan has none set).
    from appraisals.models import AgencyCycleSetting, Cycle

    this_year = AgencyCycleSetting.objects.filter(cycle__status="open")
    assert not this_year.filter(agency__code="KEC-SUKAMAJU").exists()
    assert this_year.filter(organisation_predikat="istimewa").count() == 4
    client.force_login(User.objects.get(username="admin.daerah"))
    for code, expected in [
        ("DPUPR", "Justifikasi tertulis (wajib"),
        ("KEC-SUKAMAJU", "belum ditetapkan oleh Admin Daerah"),
        ("DINKES", "Catatan atau justifikasi (opsional)"),
    ]:
        agency = Agency.objects.get(code=code)
        cycle = Cycle.objects.get(agencies=agency, status="open")
        page = client.get(reverse("cycle_finalise", args=[cycle.pk]), {"agency": agency.pk})
        assert expected in page.content.decode(), code


def test_the_agency_list_counts_each_employee_once_whatever_the_number_of_units(demo, client):
    client.force_login(User.objects.get(email="admin.daerah@sukamaju.go.id"))
    response = client.get(reverse("agency_list"))
    shown = {a.pk: a.head_count for a in response.context["agencies"]}
    for agency in Agency.objects.all():
        assert agency.units.count() > 1  # the defect multiplied by this
        assert shown[agency.pk] == agency.employees.filter(is_active=True).count()
