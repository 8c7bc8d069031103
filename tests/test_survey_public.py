"""The public survey form: anonymous, validated, limited, and bound to its unit's link."""

from __future__ import annotations

import statistics
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models import SurveyResponse
from feedback.survey_services import survey_unit_set_public

from .isolation import clear_cache
from .test_translations import compiled_catalogue as english  # noqa: F401  (fixture)

ANSWERS = {f"u{i}": "3" for i in range(1, 10)}


@pytest.fixture
def link(personas):
    survey = survey_unit_set_public(
        unit=personas.unit_a, melayani_publik=True, acting_user=personas.hr_a.user
    )
    return reverse("survey_form", args=[survey.token])


@pytest.fixture
def other_link(personas):
    survey = survey_unit_set_public(
        unit=personas.unit_b, melayani_publik=True, acting_user=personas.hr_b.user
    )
    return reverse("survey_form", args=[survey.token])


def test_a_citizen_answers_without_login_and_is_thanked(client, personas, link):
    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Seksi Layanan" in html and "Dinas Alfa" in html
    for words in ("Persyaratan", "Sangat sesuai", "Sangat mudah", "Gratis", "Dikelola dengan baik"):
        assert words in html
    assert "<script" not in html  # works without JavaScript
    response = client.post(link, {**ANSWERS, "u1": "4", "comment": "Cepat", "gender": "P"})
    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "Terima kasih" in thanks.content.decode()
    stored = SurveyResponse.objects.get()
    assert (stored.unit, stored.u1, stored.u2, stored.comment, stored.gender) == (
        personas.unit_a,
        4,
        3,
        "Cepat",
        "P",
    )
    # Nothing that identifies the respondent is a column of the table.
    columns = {f.name for f in SurveyResponse._meta.get_fields()}
    assert not columns & {"user", "ip", "ip_address", "address", "user_agent", "session"}


def test_the_link_is_a_token_not_the_unit_id(personas, link):
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 20 and str(personas.unit_a.pk) != token
    assert Client().get(reverse("survey_form", args=[str(personas.unit_a.pk)])).status_code == 404


def test_a_unit_that_no_longer_serves_the_public_has_no_survey(client, personas, link):
    survey_unit_set_public(
        unit=personas.unit_a, melayani_publik=False, acting_user=personas.hr_a.user
    )
    assert client.get(link).status_code == 404
    assert client.post(link, ANSWERS).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_each_missing_answer_is_named(client, link):
    answers = dict(ANSWERS)
    del answers["u3"], answers["u8"]
    response = client.post(link, {**answers, "u5": "9"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unsur 3 (Waktu Penyelesaian): pilih salah satu jawaban." in html
    assert "Unsur 8 (Penanganan Pengaduan, Saran dan Masukan): pilih salah satu jawaban." in html
    assert "Unsur 5 (Produk Spesifikasi Jenis Pelayanan): pilih salah satu jawaban." in html
    assert not SurveyResponse.objects.exists()


def test_a_too_long_comment_and_a_made_up_choice_are_refused(client, link):
    response = client.post(link, {**ANSWERS, "comment": "x" * 1001, "education": "S9"})
    html = response.content.decode()
    assert "Saran dan masukan paling banyak 1000 karakter" in html
    assert "Pendidikan" in html and 'id="id_education_error"' in html
    assert not SurveyResponse.objects.exists()


def test_markup_in_a_comment_is_stored_as_text_and_escaped_on_the_results_page(
    client, personas, link, login
):
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(link, {**ANSWERS, "comment": script})
    assert SurveyResponse.objects.get().comment == script
    page = login(personas.hr_a).get(reverse("survey_results", args=[personas.unit_a.pk]))
    html = page.content.decode()
    assert script not in html
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
        in html
    )


def test_an_answer_to_unit_a_never_changes_unit_b(client, personas, link, other_link):
    # Whatever is posted, the unit is the one of the link.
    client.post(link, {**ANSWERS, "unit": personas.unit_b.pk, "unit_id": personas.unit_b.pk})
    assert list(SurveyResponse.objects.values_list("unit_id", flat=True)) == [personas.unit_a.pk]
    assert not SurveyResponse.objects.filter(unit=personas.unit_b).exists()


def test_the_same_browser_answers_once_per_unit_and_day(client, link, other_link):
    assert client.post(link, ANSWERS).status_code == 302
    again = client.post(link, ANSWERS)
    assert again.status_code == 429
    assert "Anda sudah mengisi survei hari ini" in again.content.decode()
    assert client.get(link).status_code == 429
    assert SurveyResponse.objects.count() == 1
    # Another unit's survey is another question.
    assert client.post(other_link, ANSWERS).status_code == 302


def test_a_forged_cookie_does_not_count(client, personas, link):
    from django.utils import timezone

    from feedback.models import SurveyUnit

    survey = SurveyUnit.objects.get(unit=personas.unit_a)
    client.cookies[f"skm{survey.pk}"] = timezone.localdate().isoformat()  # not signed
    assert client.post(link, ANSWERS).status_code == 302


def test_the_61st_answer_from_one_address_in_an_hour_is_refused(personas, link, settings):
    clear_cache()
    statuses = []
    for _ in range(61):
        browser = Client(REMOTE_ADDR="203.0.113.7")  # a new browser each time: no cookie
        statuses.append(browser.post(link, ANSWERS).status_code)
    assert statuses[:60] == [302] * 60
    assert statuses[60] == 429
    assert SurveyResponse.objects.count() == 60
    # Another address is not affected.
    assert Client(REMOTE_ADDR="203.0.113.8").post(link, ANSWERS).status_code == 302
    # The cache holds a keyed hash, never the address itself.
    assert not any("203.0.113.7" in str(key) for key in _cache_keys())


def _cache_keys():
    """Every key in the cache, whichever backend the run uses (CI uses Redis)."""
    import os

    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]  # `cache` is a proxy: isinstance needs the backend itself
    if isinstance(backend, LocMemCache):
        return list(backend._cache.keys())
    if isinstance(backend, RedisCache):
        return list(backend._cache.get_client().keys("*"))
    return [name for _root, _dirs, files in os.walk(backend._dir) for name in files]


def test_a_filled_honeypot_is_thanked_and_dropped(client, link):
    response = client.post(link, {**ANSWERS, "situs_web": "http://spam.example"})
    assert response.status_code == 302 and "selesai=1" in response["Location"]
    assert not SurveyResponse.objects.exists()


def test_the_public_form_keeps_csrf_protection(personas, link):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(link, ANSWERS).status_code == 403
    page = strict.get(link)
    token = strict.cookies["csrftoken"].value
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert strict.post(link, {**ANSWERS, "csrfmiddlewaretoken": token}).status_code == 302


def test_the_survey_page_is_small_fast_and_cheap(personas, link, capsys):
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(link)
    query_count = len(queries)  # read now: each request start resets Django's query log
    size = len(page.content)
    assert page.status_code == 200
    timings = []
    for _ in range(50):
        started = time.perf_counter()
        client.get(link)
        timings.append(time.perf_counter() - started)
    median_ms = statistics.median(timings) * 1000
    with capsys.disabled():
        print(
            f"\nsurvey page: {size} bytes, {query_count} queries, "
            f"median {median_ms:.1f} ms over 50 requests"
        )
    assert size < 20_000
    assert query_count == 1


@pytest.mark.usefixtures("english")
def test_the_survey_is_english_with_the_language_cookie(client, link):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(link).content.decode()
    assert 'lang="en"' in html and "Public Satisfaction Survey" in html
    assert "Very appropriate" in html


def test_behind_the_proxy_the_limit_counts_the_forwarded_client_address(personas, link, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.SURVEY_MAX_PER_ADDRESS_PER_HOUR = 2

    def answer(client_address):
        browser = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=client_address)
        return browser.post(link, ANSWERS).status_code

    assert [answer("198.51.100.1") for _ in range(3)] == [302, 302, 429]
    assert answer("198.51.100.2") == 302  # the same proxy, another citizen
