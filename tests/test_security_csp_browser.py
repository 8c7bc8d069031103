"""Every page carries a Content Security Policy and loads in Chromium without violating it.

The attack it answers: an injected ``<script>`` or inline handler (a stored name, a crafted
link) runs in the portal; with scripts and styles only from the portal itself (inline
scripts by per-request nonce) and no framing, a browser refuses it.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from agencies.models import ImportRun
from appraisals.models import Appraisal, Cycle
from indicators.models import IndicatorSet
from reports.models import Job

from .appraisal_fixtures import make_cycle, make_indicator_set
from .personas import PASSWORD, build_personas

VIOLATIONS_SCRIPT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def test_every_response_has_the_policy(personas, client):
    client.force_login(personas.hr_a.user)
    for url in (reverse("home"), reverse("employee_list"), reverse("account_login")):
        policy = client.get(url)["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "style-src 'self'" in policy


def test_pages_carry_no_inline_script_and_the_policy_allows_none(personas, client):
    client.force_login(personas.hr_a.user)
    for url in (reverse("home"), reverse("employee_edit", args=[personas.pegawai.pk])):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())
        assert inline == [], url


def _pages(p) -> dict[str, list[str]]:
    cycle = Cycle.objects.first()
    appraisal = Appraisal.objects.filter(employee=p.pegawai).first()
    indicator_set = IndicatorSet.objects.first()
    job = Job.objects.filter(created_by=p.hr_a.user).first()
    run = ImportRun.objects.create(
        kind="employees", region=p.region, uploaded_by=p.hr_a.user, original_name="p.xlsx",
        status=ImportRun.Status.VALIDATING, job_id=job.pk if job else None,
    )  # fmt: skip
    hr_pages = [
        reverse("home"), reverse("profile"), reverse("employee_list"),
        reverse("employee_detail", args=[p.pegawai.pk]),
        reverse("employee_edit", args=[p.pegawai.pk]), reverse("agency_list"),
        reverse("agency_detail", args=[p.agency_a.pk]), reverse("position_list"),
        reverse("import_upload", args=["employees"]), reverse("import_preview", args=[run.pk]),
        reverse("org_audit"), reverse("cycle_list"), reverse("cycle_create"),
        reverse("cycle_detail", args=[cycle.pk]), reverse("appraisal_detail", args=[appraisal.pk]),
        reverse("indicator_set_list"), reverse("scheme_list"),
    ]  # fmt: skip
    if indicator_set:
        hr_pages.append(reverse("indicator_set_detail", args=[indicator_set.pk]))
    if job:
        hr_pages.append(reverse("job_detail", args=[job.pk]))
    return {
        "": [reverse("account_login"), reverse("account_reset_password"),
             reverse("account_confirm_email", args=["kunci-tidak-valid"])],
        "hr_a": hr_pages,
        "pegawai": [reverse("home"), reverse("my_appraisals"),
                    reverse("appraisal_detail", args=[appraisal.pk])],
        "kasi": [reverse("team"), reverse("appraisal_detail", args=[appraisal.pk])],
        "admin_daerah": [reverse("home"), reverse("agency_list"),
                         reverse("import_upload", args=["positions"])],
    }  # fmt: skip


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_load_in_chromium_without_a_csp_violation(live_server, page):
    p = build_personas()
    make_indicator_set(p.pegawai.position, p.region)
    make_cycle(p)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(VIOLATIONS_SCRIPT)
    checked = 0
    for who, urls in _pages(p).items():
        page.context.clear_cookies()
        if who:
            page.goto(f"{live_server.url}{reverse('account_login')}")
            page.get_by_label("NIP atau e-mail").fill(p.user(who).username)
            page.get_by_label("Kata sandi").fill(PASSWORD)
            page.get_by_role("button", name="Masuk").click()
            page.wait_for_url(f"{live_server.url}/")
        for url in urls:
            response = page.goto(f"{live_server.url}{url}")
            assert response.status == 200, (who, url, response.status)
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
            page.wait_for_load_state("load")
            page.wait_for_timeout(150)  # htmx and the deferred scripts have run
            violations = page.evaluate("window.__cspViolations")
            assert violations == [], (who, url, violations)
            checked += 1
    csp_messages = [m for m in console if "Content Security Policy" in m]
    assert csp_messages == []
    assert checked >= 25
