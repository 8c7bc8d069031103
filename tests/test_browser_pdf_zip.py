"""In a real browser, with a real worker: HR asks for the ZIP of an agency's evaluation
documents on the cycle page, watches the job page reach 100% and downloads the ZIP."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from appraisals.models import Appraisal
from reports.models import JobChunk

from .appraisal_fixtures import force_scored, future_deadlines, make_cycle, make_indicator_set
from .browser import ensure_berakhlak, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shared_media(tmp_path, settings, monkeypatch):
    """One private folder for the test process (the live server) and the worker it starts."""
    media = tmp_path / "private"
    settings.MEDIA_ROOT = media
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    return media


@pytest.fixture
def pdf_worker(shared_media, celery_worker_process):
    return celery_worker_process


def test_hr_downloads_the_agency_zip_once_the_job_reaches_100(live_server, page, personas,
                                                              pdf_worker):  # fmt: skip
    base = live_server.url
    ensure_berakhlak()
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, deadlines=future_deadlines())
    appraisals = Appraisal.objects.filter(cycle=cycle, agency=personas.agency_a)
    force_scored(appraisals)
    expected = {
        f"{nip}_{name.replace(' ', '_')}.pdf"
        for nip, name in appraisals.values_list("employee__nip", "employee__name")
    }

    login(page, base, personas.hr_a)
    page.goto(f"{base}/siklus/{cycle.pk}/")
    page.get_by_test_id(f"agency-zip-{personas.agency_a.pk}").click()
    expect(page.get_by_text("ZIP dokumen sedang disiapkan.")).to_be_visible()
    # htmx polls the job page; the link appears once every chunk and the ZIP are done.
    download_link = page.get_by_test_id("job-download")
    expect(download_link).to_be_visible(timeout=180_000)
    progress = page.get_by_role("progressbar", name="Kemajuan pekerjaan")
    expect(progress).to_have_attribute("value", "100")
    screenshot(page, "pdf-zip-01-done")
    with page.expect_download() as info:
        download_link.click()
    content = Path(info.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as bundle:
        assert set(bundle.namelist()) == expected, pdf_worker.log_path.read_text()[-3000:]
        assert all(bundle.read(n).startswith(b"%PDF-") for n in expected)
    workers = set(JobChunk.objects.values_list("worker", flat=True))
    assert workers and not any(w.endswith(f":{os.getpid()}") for w in workers)
