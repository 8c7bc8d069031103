"""Leaders add a specific expectation per BerAKHLAK value; subordinates see it."""

from django.urls import reverse

from indicators.models import BehaviourValue, LeaderExpectation

from .appraisal_fixtures import appraisal_of, make_cycle, make_indicator_set


def test_a_leader_saves_expectations_and_the_subordinate_sees_them(personas, client):
    loyal = BehaviourValue.objects.get(code="loyal")
    client.force_login(personas.kasi.user)
    response = client.post(
        reverse("leader_expectations"), {f"value_{loyal.pk}": "Jaga rahasia data warga"}
    )
    assert response.status_code == 302
    assert (
        LeaderExpectation.objects.get(leader=personas.kasi, value=loyal).text
        == "Jaga rahasia data warga"
    )

    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas)
    appraisal = appraisal_of(cycle, personas.pegawai)
    client.force_login(personas.pegawai.user)
    page = client.get(reverse("appraisal_detail", args=[appraisal.pk])).content.decode()
    assert "Jaga rahasia data warga" in page


def test_an_empty_text_removes_the_expectation(personas, client):
    loyal = BehaviourValue.objects.get(code="loyal")
    LeaderExpectation.objects.create(leader=personas.kasi, value=loyal, text="Lama")
    client.force_login(personas.kasi.user)
    client.post(reverse("leader_expectations"), {f"value_{loyal.pk}": "  "})
    assert not LeaderExpectation.objects.filter(leader=personas.kasi).exists()


def test_only_leaders_with_subordinates_set_expectations(personas, client):
    client.force_login(personas.pegawai.user)
    assert client.get(reverse("leader_expectations")).status_code == 403
    client.force_login(personas.admin_daerah)
    assert client.get(reverse("leader_expectations")).status_code == 403
