"""Accessibility (WCAG 2.1 AA): every page each demo role reaches is clean under axe-core at
1280 and 390 px, forms announce their errors, and the pages work from the keyboard.

The pages come from crawling (tests/a11y.py), not from a list: each README demo login starts
at its home page and follows every link; a URL pattern that no crawl reaches fails the test,
so a new page is covered as soon as a page links to it. `make a11y` runs this file alone.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from .a11y import VIEWPORTS, Crawler, Report, axe_failures, axe_source, inject_axe, unreached_pages
from .readme import demo_logins

pytestmark = [pytest.mark.browser, pytest.mark.a11y, pytest.mark.django_db(transaction=True)]

# Roles whose object pages (their appraisal, a subordinate's) take the shape of the agency's
# scheme preset: their crawl is repeated in every demo agency.
PER_SCHEME = ("pegawai", "atasan")


@pytest.fixture
def axe_page(browser):
    axe_source()
    context = browser.new_context(viewport=VIEWPORTS["1280px"])
    page = context.new_page()
    yield page
    context.close()


def build_demo(tmp_path, settings) -> None:
    """The README's demo region, plus the states a fresh seed lacks: scored appraisals (the
    README's peers), a plan approved with an evidence file (the jakarta pegawai), a cycle
    being opened by a background job, a closed cycle, a rejected import file, and a finished job
    with a file to download."""
    from agencies.models import Employee, Region, User
    from appraisals import services
    from appraisals.demo import prescore_demo_cycles
    from appraisals.models import Appraisal, Cycle, CycleStatus, State

    from .appraisal_fixtures import advance, indicators_of

    settings.MEDIA_ROOT = tmp_path / "private"
    call_command("seed_demo", quiet_logins=True, no_prescore=True, stdout=io.StringIO())
    rows, _password = demo_logins()
    region = Region.objects.get()
    peers = {row["Login"] for row in rows if row["Role"] == "peer"}
    prescore_demo_cycles(
        region, keep_nips=set(Employee.objects.exclude(nip__in=peers).values_list("nip", flat=True))
    )
    pegawai = Employee.objects.get(nip=_login(rows, "pegawai", "jakarta"))
    appraisal = advance(Appraisal.objects.get(employee=pegawai), State.TARGETS_APPROVED)
    indicator = next(i for i in indicators_of(appraisal).values() if not i.is_rubric)
    services.evidence_add(
        acting_user=pegawai.user, appraisal=appraisal, indicator_id=indicator.pk,
        upload=SimpleUploadedFile("laporan.pdf", b"%PDF-1.4 bukti"),
    )  # fmt: skip
    hr_row = next(row for row in rows if row["Role"] == "admin_hr")
    hr = User.objects.get(employee_record__nip=hr_row["Login"])
    today = region.today()
    cycle = services.cycle_create(
        acting_user=hr, region=region, agencies=[hr.employee_record.agency], name="Siklus semester II",
        scheme_key=hr.employee_record.agency.default_scheme, period_type="annual",
        start_date=dt.date(today.year, 1, 1), end_date=dt.date(today.year, 12, 31),
        deadlines={phase: today + dt.timedelta(days=30) for phase in (
            "planning", "self_assessment", "scoring", "peer", "calibration")},
    )  # fmt: skip
    services.cycle_open(acting_user=hr, cycle=cycle)
    # A closed cycle of another agency, whose HR sees just it and their demo cycle: its page
    # offers to reopen it.
    other_row = next(r for r in rows if r["Role"] == "admin_hr" and r["Scheme"] == "jakarta")
    other_hr = User.objects.get(employee_record__nip=other_row["Login"])
    closed = services.cycle_create(
        acting_user=other_hr, region=region, agencies=[other_hr.employee_record.agency],
        name="Siklus ditutup", scheme_key="jakarta", period_type="annual",
        start_date=today, end_date=today + dt.timedelta(days=300),
        deadlines={phase: today + dt.timedelta(days=30) for phase in (
            "planning", "self_assessment", "scoring", "peer", "calibration")},
    )  # fmt: skip
    Cycle.objects.filter(pk=closed.pk).update(status=CycleStatus.CLOSED)
    # A released agency (tangsel) whose README pegawai has filed an objection with a file:
    # the objection pages, the decider's queue and HR's list of the cycle's objections.
    from .appraisal_fixtures import force_scored

    objector = Employee.objects.get(nip=_login(rows, "pegawai", "tangsel"))
    released = Appraisal.objects.get(employee=objector)
    force_scored(Appraisal.objects.filter(cycle=released.cycle))
    admin = User.objects.get(username="admin.daerah")
    services.agency_finalise(
        acting_user=admin, cycle=released.cycle, agency=released.agency,
        justification="Data demo",
    )  # fmt: skip
    services.agency_release(acting_user=admin, cycle=released.cycle, agency=released.agency)
    services.objection_file(
        acting_user=objector.user, appraisal=released, reasons="Realisasi belum dihitung penuh",
        uploads=[SimpleUploadedFile("surat.pdf", b"%PDF-1.4 surat keberatan")],
    )  # fmt: skip
    # A finished background job of the HR with the file it made (their jobs list offers it).
    from reports.jobs import job_attach_file
    from reports.models import Job

    made = Job.objects.create(
        kind="import_file", status=Job.Status.DONE, created_by=hr, region=region, total=1,
        progress=1,
    )  # fmt: skip
    job_attach_file(made, b"NIP;Catatan\n", filename="hasil.csv", content_type="text/csv")
    client = Client()
    client.force_login(hr)
    bad_file = SimpleUploadedFile("pegawai.csv", b"NIP;Nama\n199001012015011001;Budi\n")
    client.post(reverse("import_upload", args=["employees"]), {"file": bad_file})


def emailed_links(rows) -> list[str]:
    """Pages reached only from a link in an e-mail: the confirmation of a new NIP."""
    from django.core import signing

    from agencies.models import Employee
    from agencies.services import NIP_CHANGE_SALT

    employee = Employee.objects.get(nip=_login(rows, "pegawai", "jakarta"))
    token = signing.dumps(
        {"user": employee.user.pk, "employee": employee.pk, "old": employee.nip,
         "new": employee.nip},
        salt=NIP_CHANGE_SALT,
    )  # fmt: skip
    return [reverse("nip_change_confirm", kwargs={"token": token})]


def _login(rows, role: str, scheme: str) -> str:
    return next(r["Login"] for r in rows if r["Role"] == role and r["Scheme"] == scheme)


def log_in(page, base: str, user) -> None:
    """A session for ``user`` in the browser, as the login form would leave it (the form
    itself is tested with each demo role in test_browser_demo_logins)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )


def test_every_page_of_every_demo_role_passes_axe(live_server, axe_page, tmp_path, settings):
    build_demo(tmp_path, settings)
    rows, _password = demo_logins()
    base, report = live_server.url, Report()

    Crawler(axe_page, base, report, who="anonymous").run("/akun/login/", *emailed_links(rows))
    crawlers: dict[str, Crawler] = {}
    crawled = set()
    for row in rows:
        role = row["Role"]
        variant = row["Scheme"] if role in PER_SCHEME else ""
        if (role, variant) in crawled:
            continue
        crawled.add((role, variant))
        log_in(axe_page, base, _user(rows, role, row["Scheme"]))
        crawler = crawlers.setdefault(role, Crawler(axe_page, base, report, who=role))
        crawler.run("/", variant=variant, label=row["Scheme"])

    admin = Client()
    admin.force_login(_user(rows, "admin_daerah"))
    failures = report.failures + unreached_pages(report, admin)
    assert not failures, "\n".join(failures)
    assert {"login", "employee_edit", "cycle_create", "import_upload"} <= {
        n.removeprefix("account_") for n in report.probed
    }, report.probed


def _user(rows, role: str, scheme: str | None = None):
    from agencies.models import User

    login = next(r["Login"] for r in rows if r["Role"] == role and scheme in (None, r["Scheme"]))
    return (
        User.objects.get(email=login)
        if "@" in login
        else User.objects.get(employee_record__nip=login)
    )


def test_keyboard_skip_link_focus_and_language(live_server, axe_page):
    from agencies.models import User

    page, base = axe_page, live_server.url
    page.goto(f"{base}/akun/password/reset/")
    assert page.locator("html").get_attribute("lang") == "id"

    # The first Tab stop is the skip link, visible once focused; the next, the brand link on
    # the blue bar, shows its focus ring.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Langsung ke isi utama")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box and box["width"] > 20 and box["height"] > 10
    page.keyboard.press("Tab")
    assert _focus_ring(page) == ("solid", "rgb(255, 255, 255)")

    # The skip link moves focus to the main content; Tab then reaches the first field.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_email"

    page.goto(f"{base}/akun/login/")

    # A failed login: the summary has focus and is read out, with no violation.
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()
    summary = page.get_by_test_id("error-summary")
    assert summary.evaluate("el => el === document.activeElement")
    describedby = page.locator("#id_login").get_attribute("aria-describedby")
    assert page.locator(f"#{describedby}").inner_text().strip()
    assert page.locator("#id_login").get_attribute("aria-invalid") == "true"
    inject_axe(page)
    assert not axe_failures(page, "failed login")

    # English pages say so.
    with page.expect_navigation():
        page.get_by_label("Bahasa").select_option("en")
    assert page.locator("html").get_attribute("lang") == "en"
    inject_axe(page)
    assert not axe_failures(page, "English login page")

    # Signed in: every link and button of the blue bar shows a white ring when tabbed to.
    User.objects.create_user(username="uji.keyboard", password="Rahasia#2026")
    page.get_by_label("NIP or e-mail").fill("uji.keyboard")
    page.get_by_label("Password").fill("Rahasia#2026")
    with page.expect_navigation():
        page.get_by_label("Password").press("Enter")
    page.keyboard.press("Tab")  # the skip link
    rings = []
    for _ in range(5):  # brand, Home, Schemes, My profile, Sign out
        page.keyboard.press("Tab")
        rings.append(
            (page.evaluate("document.activeElement.textContent.trim()"), _focus_ring(page))
        )
    assert all(ring == ("solid", "rgb(255, 255, 255)") for _text, ring in rings), rings

    # At phone width the menu opens from the keyboard.
    page.set_viewport_size(VIEWPORTS["390px"])
    page.reload()
    toggler = page.locator(".navbar-toggler")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert toggler.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="My profile")).to_be_visible()


def _focus_ring(page) -> tuple[str, str]:
    return tuple(
        page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, s.outlineColor]; }"
        )
    )


def test_the_check_names_rule_impact_and_first_selector(axe_page):
    """The check is not vacuous: a page with a pale link, an unnamed progress bar, a chart
    with no table and a table with no header cell fails, each line naming what is wrong and
    where (for axe-core: the rule, its impact and the first selector)."""
    axe_page.set_content(
        '<html lang="id"><head><title>Uji</title></head><body><main><h1>Uji</h1>'
        '<a href="/" style="color:#9ec5fe">Beranda</a>'
        '<div class="bar" role="progressbar" aria-valuenow="5"></div>'
        '<section><h2>Grafik</h2><canvas id="grafik"></canvas></section>'
        '<table id="angka"><tr><td>1</td></tr></table></main></body></html>'
    )
    inject_axe(axe_page)
    failures = axe_failures(axe_page, "uji")
    assert any(f.startswith("color-contrast (serious, 1 nodes) first at `a`") for f in failures)
    assert any(
        f.startswith("aria-progressbar-name (serious") and "first at `div`" in f for f in failures
    )
    assert any("1280px" in f for f in failures) and any("390px" in f for f in failures)
    assert "chart `grafik` without a text table on uji" in failures
    assert "table `angka` without header cells on uji" in failures
