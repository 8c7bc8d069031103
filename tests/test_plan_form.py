"""The plan form: Indonesian numbers, every typed value kept, nothing saved until all valid."""

from decimal import Decimal

import pytest
from django.urls import reverse

from appraisals.models import AuditEntry, State

from .appraisal_fixtures import fresh, indicators_of


@pytest.fixture
def draft(planning, client):
    client.force_login(planning.personas.pegawai.user)
    return planning.appraisal


def _save(client, appraisal, data, **extra):
    return client.post(
        reverse("plan_save", args=[appraisal.pk]),
        {"version": fresh(appraisal).version, **data, **extra},
    )


def test_a_target_typed_with_a_thousands_point_is_a_thousand_times_larger(draft, client):
    i1, i3 = indicators_of(draft)["I1"], indicators_of(draft)["I3"]
    response = _save(client, draft, {f"target_{i1.pk}": "1.200", f"target_{i3.pk}": "2,5"})
    assert response.status_code == 302
    saved = indicators_of(draft)
    assert saved["I1"].target == Decimal("1200")
    assert saved["I3"].target == Decimal("2.5")
    page = client.get(reverse("appraisal_detail", args=[draft.pk])).content.decode()
    assert 'value="1.200"' in page and 'value="2,5"' in page


def test_one_bad_field_keeps_every_typed_value_marks_the_field_and_saves_nothing(draft, client):
    ind = indicators_of(draft)
    response = _save(
        client, draft,
        {f"target_{ind['I1'].pk}": "1.5", f"weight_{ind['I1'].pk}": "55",
         f"target_{ind['I3'].pk}": "7", f"weight_{ind['I3'].pk}": "25"},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "Rencana belum disimpan" in page
    hint = "Gunakan titik untuk ribuan dan koma untuk desimal, misalnya 1.200 atau 12,5"
    assert f"Target I1</a>: {hint}" in page
    field = f'id="id_target_{ind["I1"].pk}" name="target_{ind["I1"].pk}" value="1.5"'
    assert field in page and 'aria-invalid="true"' in page
    assert f'name="weight_{ind["I1"].pk}" value="55"' in page  # typed, not the old 60
    assert f'name="target_{ind["I3"].pk}" value="7"' in page
    unchanged = indicators_of(draft)
    assert (unchanged["I1"].target, unchanged["I1"].weight) == (Decimal(100), Decimal(60))
    assert unchanged["I3"].target == Decimal(5)
    assert not AuditEntry.objects.filter(appraisal=draft, action="plan_update").exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [("0", "Harus lebih besar dari 0"), ("-5", "Harus lebih besar dari 0"),
     ("", "Bidang ini tidak boleh kosong"), ("abc", "Harus berupa angka")],
)  # fmt: skip
def test_a_bad_target_names_its_field(draft, client, typed, message):
    i1 = indicators_of(draft)["I1"]
    response = _save(client, draft, {f"target_{i1.pk}": typed})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert indicators_of(draft)["I1"].target == Decimal(100)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("weight", "123456789", "lebih kecil dari atau sama dengan 100"),
     ("target", "1e12", "Harus berupa angka"),
     ("weight", "0.00001", "Gunakan titik untuk ribuan dan koma untuk desimal"),
     ("target", "0,00001", "lebih dari 4 angka desimal")],
)  # fmt: skip
def test_out_of_range_plan_numbers_are_refused_in_indonesian(draft, client, field, value, message):
    client.get(reverse("appraisal_detail", args=[draft.pk]))
    i1 = indicators_of(draft)["I1"]
    response = _save(client, draft, {f"{field}_{i1.pk}": value})
    assert response.status_code == 400
    assert message in response.content.decode()
    i1.refresh_from_db()
    assert (i1.weight, i1.target) == (Decimal(60), Decimal(100))


def test_a_submitted_plan_with_wrong_weights_is_saved_but_not_submitted(draft, client):
    i1 = indicators_of(draft)["I1"]
    response = _save(client, draft, {f"weight_{i1.pk}": "50"}, submit="1")
    assert response.status_code == 302
    appraisal = fresh(draft)
    assert appraisal.state == State.DRAFT
    assert indicators_of(draft)["I1"].weight == Decimal(50)
    page = client.get(reverse("appraisal_detail", args=[draft.pk])).content.decode()
    assert "Jumlah bobot indikator adalah 90; harus tepat 100." in page


def test_an_english_user_types_english_marks(draft, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    i1 = indicators_of(draft)["I1"]
    assert _save(client, draft, {f"target_{i1.pk}": "1,200.5"}).status_code == 302
    assert indicators_of(draft)["I1"].target == Decimal("1200.5")
