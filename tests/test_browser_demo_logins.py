"""Journey: each demo role from the README logs in and sees its home page, in a real browser."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from .browser import screenshot
from .readme import HOME_ROLE_LABELS, demo_logins

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_demo_role_logs_in_and_sees_its_home_page(live_server, page):
    """Through the login form, one README login per role (test_demo_data logs in with
    every one of them, in-process)."""
    call_command("seed_demo", quiet_logins=True, no_prescore=True, stdout=io.StringIO())
    rows, password = demo_logins()
    first_of_role = {}
    for row in rows:
        first_of_role.setdefault(row["Role"], row)
    assert set(first_of_role) == set(HOME_ROLE_LABELS)
    for role, row in first_of_role.items():
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/akun/login/")
        assert page.locator("html").get_attribute("lang") == "id"
        page.get_by_label("NIP atau e-mail").fill(row["Login"])
        page.get_by_label("Kata sandi").fill(password)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(f"{live_server.url}/")
        assert page.get_by_test_id("current-user").inner_text() == row["Name"]
        roles = page.get_by_test_id("roles").inner_text()
        assert HOME_ROLE_LABELS[role] in roles, (row, roles)
        screenshot(page, f"home-{role}")


def test_phone_sized_employee_list_is_usable(live_server, browser):
    call_command("seed_demo", quiet_logins=True, no_prescore=True, stdout=io.StringIO())
    rows, password = demo_logins()
    hr = next(r for r in rows if r["Role"] == "admin_hr")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/akun/login/")
    page.get_by_label("NIP atau e-mail").fill(hr["Login"])
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/pegawai/")
    page.get_by_label("Cari nama atau NIP").fill(hr["Name"].split(",")[0].split()[-1])
    page.wait_for_timeout(800)  # htmx debounce of the search box
    assert hr["Name"] in page.get_by_test_id("employee-table").inner_text()
    screenshot(page, "phone-employee-list")
    context.close()
