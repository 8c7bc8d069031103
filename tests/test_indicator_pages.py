"""Scheme and indicator-set pages: every scheme explained in Indonesian; sets by position."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Indicator, IndicatorSet, ResultTemplate
from indicators.schemes import SCHEMES


@pytest.fixture
def indicator_set(personas):
    position = personas.pegawai.position
    s = IndicatorSet.objects.create(region=personas.region, position=position)
    r1 = ResultTemplate.objects.create(indicator_set=s, code="R1", name="Layanan surat")
    Indicator.objects.create(
        indicator_set=s, result=r1, code="I1", name="Surat selesai", kind="kuantitatif",
        unit="surat", direction="naik", aspect="kuantitas", target=Decimal(100),
        weight=Decimal(60), guidance="Hitung surat yang selesai.",
    )  # fmt: skip
    Indicator.objects.create(
        indicator_set=s, result=r1, code="I2", name="Keramahan", kind="rubrik", unit="level",
        aspect="kualitas", weight=Decimal(40), guidance="Dinilai atasan.",
        rubric={str(i): f"Teks {i}" for i in range(1, 6)},
    )  # fmt: skip
    return s


@pytest.mark.parametrize("key", sorted(SCHEMES))
def test_every_scheme_is_explained_in_plain_indonesian(personas, client, key):
    client.force_login(personas.pegawai.user)
    page = client.get(reverse("scheme_detail", args=[key])).content.decode()
    scheme = SCHEMES[key]
    for component in scheme.components:
        assert component.name in page and component.key in page
    assert "Bagaimana predikat ditentukan" in page
    assert "Berorientasi Pelayanan" in page


def test_unknown_scheme_is_404(personas, client):
    client.force_login(personas.pegawai.user)
    assert client.get(reverse("scheme_detail", args=["bogus"])).status_code == 404


def test_hr_sees_the_regions_indicator_sets_with_weights(personas, client, indicator_set):
    client.force_login(personas.hr_a.user)
    response = client.get(reverse("indicator_set_list"))
    assert response.status_code == 200
    row = response.context["sets"][0]
    assert (row.indicator_count, row.total_weight) == (2, Decimal(100))
    detail = client.get(reverse("indicator_set_detail", args=[indicator_set.pk]))
    assert "Hitung surat yang selesai." in detail.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"), [("pegawai", 403), ("hr_a", 200), ("admin_daerah", 200)]
)
def test_indicator_set_pages_are_for_hr(personas, client, indicator_set, role, expected):
    client.force_login(personas.user(role))
    assert client.get(reverse("indicator_set_list")).status_code == expected
    url = reverse("indicator_set_detail", args=[indicator_set.pk])
    assert client.get(url).status_code == expected


def test_admin_daerah_edits_rubric_level_texts(personas, client, indicator_set):
    indicator = Indicator.objects.get(code="I2")
    client.force_login(personas.admin_daerah)
    url = reverse("indicator_rubric", args=[indicator.pk])
    data = {f"level_{i}": f"Baru {i}" for i in range(1, 6)}
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert indicator.rubric["4"] == "Baru 4"


def test_rubric_texts_are_all_required(personas, client, indicator_set):
    indicator = Indicator.objects.get(code="I2")
    client.force_login(personas.admin_daerah)
    url = reverse("indicator_rubric", args=[indicator.pk])
    response = client.post(url, {"level_1": "x"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    indicator.refresh_from_db()
    assert indicator.rubric["1"] == "Teks 1"


def test_admin_hr_may_read_but_not_change_rubrics(personas, client, indicator_set):
    indicator = Indicator.objects.get(code="I2")
    client.force_login(personas.hr_a.user)
    url = reverse("indicator_rubric", args=[indicator.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {f"level_{i}": "x" for i in range(1, 6)}).status_code == 403


def test_indicator_set_of_another_region_is_404(personas, client, indicator_set):
    from .factories import PositionFactory, RegionFactory

    other_region = RegionFactory(code="8888")
    other = IndicatorSet.objects.create(
        region=other_region, position=PositionFactory(region=other_region)
    )
    client.force_login(personas.admin_daerah)
    assert client.get(reverse("indicator_set_detail", args=[other.pk])).status_code == 404


def test_indicator_set_list_query_count_does_not_grow(
    personas, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import PositionFactory

    client.force_login(personas.hr_a.user)
    for _ in range(3):
        IndicatorSet.objects.create(
            region=personas.region, position=PositionFactory(region=personas.region)
        )
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("indicator_set_list"))
    for _ in range(30):
        IndicatorSet.objects.create(
            region=personas.region, position=PositionFactory(region=personas.region)
        )
    with django_assert_max_num_queries(len(small)):
        client.get(reverse("indicator_set_list"))
