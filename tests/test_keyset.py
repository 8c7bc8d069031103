"""Keyset pages of the employee list ("Berikutnya"/"Sebelumnya", asn_portal/keyset.py): every
row once, in (name, id) order, with search and filters kept, and a page costs the same
number of queries whatever its depth and the size of the data."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.access import scope_for
from agencies.models import Employee
from asn_portal.keyset import capped_count

from .factories import EmployeeFactory, UnitFactory

LINK = re.compile(r'<a class="page-link" rel="(next|prev)" href="\?([^"]*)"')


def _links(response) -> dict[str, str]:
    return {rel: unescape(query) for rel, query in LINK.findall(response.content.decode())}


def _walk(client, url: str, query: str = "") -> list[list[int]]:
    """Every page from the first, following "Berikutnya"."""
    pages = []
    while True:
        response = client.get(f"{url}?{query}")
        pages.append([e.pk for e in response.context["page"]])
        query = _links(response).get("next", "")
        if not query:
            return pages


@pytest.fixture
def crowd(personas):
    """60 more employees below the kasi, many sharing a name, so that ties cross pages."""
    unit = UnitFactory(agency=personas.agency_a, parent=personas.unit_a)
    for i in range(60):
        EmployeeFactory(unit=unit, supervisor=personas.kasi, name=f"Sama {i % 3}")
    return personas


def test_walking_forward_visits_every_row_once_in_name_order(crowd, client):
    client.force_login(crowd.hr_a.user)
    pages = _walk(client, reverse("employee_list"))
    expected = list(
        scope_for(crowd.hr_a.user).visible_employees().order_by("name", "pk").values_list("pk", flat=True)
    )  # fmt: skip
    assert [pk for page in pages for pk in page] == expected
    assert [len(p) for p in pages[:-1]] == [25] * (len(pages) - 1)


def test_walking_back_returns_the_same_pages(crowd, client):
    client.force_login(crowd.hr_a.user)
    url = reverse("employee_list")
    forward = _walk(client, url)
    response = client.get(url, {"setelah": forward[-2][-1]})
    back = []
    while True:
        back.append([e.pk for e in response.context["page"]])
        previous = _links(response).get("prev")
        if not previous:
            break
        response = client.get(f"{url}?{previous}")
    assert back[::-1] == forward


def test_search_and_filters_are_kept_on_every_page(crowd, client):
    client.force_login(crowd.hr_a.user)
    pages = _walk(client, reverse("employee_list"), "q=Sama")
    rows = [pk for page in pages for pk in page]
    assert len(pages) == 3
    assert rows == list(
        Employee.objects.filter(name__startswith="Sama").order_by("name", "pk").values_list("pk", flat=True)
    )  # fmt: skip


@pytest.mark.parametrize("cursor", ["abc", "-1", "99999999999999999999999", ""])
def test_a_malformed_cursor_shows_the_first_page(crowd, client, cursor):
    client.force_login(crowd.hr_a.user)
    first = client.get(reverse("employee_list"))
    response = client.get(reverse("employee_list"), {"setelah": cursor})
    assert [e.pk for e in response.context["page"]] == [e.pk for e in first.context["page"]]


def test_a_cursor_outside_the_scope_shows_the_first_page(crowd, client):
    """The cursor's row is read through the list's own scope: nobody learns where a
    stranger's name would sort."""
    client.force_login(crowd.hr_a.user)
    first = client.get(reverse("employee_list"))
    response = client.get(reverse("employee_list"), {"setelah": crowd.outsider.pk})
    assert [e.pk for e in response.context["page"]] == [e.pk for e in first.context["page"]]
    assert not response.context["page"].has_previous


@pytest.mark.parametrize("role", ["hr_a", "kepala", "admin_daerah"])
def test_a_deep_page_costs_the_queries_of_the_first_at_both_sizes(crowd, client, role):
    client.force_login(crowd.user(role))
    url = reverse("employee_list")
    counts = []
    for grow in (0, 40):
        unit = UnitFactory(agency=crowd.agency_a, parent=crowd.unit_a)
        for _ in range(grow):
            EmployeeFactory(unit=unit, supervisor=crowd.kasi)
        pages = _walk(client, url)
        assert len(pages) >= 3
        for query in ("", f"setelah={pages[-2][-1]}", f"sebelum={pages[-1][0]}"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(f"{url}?{query}").status_code == 200
            counts.append(len(captured))
    first_small, *cursor_small = counts[:3]
    first_large, *cursor_large = counts[3:]
    assert first_small == first_large, counts
    # A cursor page reads its anchor row first: one query more, at any depth and size.
    assert set(cursor_small + cursor_large) == {first_small + 1}, counts


def test_the_count_stops_at_its_cap(crowd):
    everyone = Employee.objects.all()
    assert capped_count(everyone, cap=10) == (10, True)
    total = everyone.count()
    assert capped_count(everyone, cap=total) == (total, False)


def test_the_list_says_more_than_the_cap_when_it_is_reached(crowd, client, monkeypatch):
    import agencies.views

    monkeypatch.setattr(agencies.views, "capped_count", lambda qs: capped_count(qs, cap=10))
    client.force_login(crowd.hr_a.user)
    assert "Lebih dari 10 pegawai" in client.get(reverse("employee_list")).content.decode()
