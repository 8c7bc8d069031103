"""The printed documents (docs/reports.md): the employee's "Dokumen Evaluasi Kinerja Pegawai",
the agency's predikat recap and `manage.py render_pdf`. PDFs are read back with pdftotext
(poppler-utils), page by page."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.management import execute_from_command_line
from django.urls import reverse

from appraisals import services
from appraisals.models import Appraisal, PlanIndicator, PlanResult, State
from reports import pdf

from .appraisal_fixtures import (
    advance,
    force_scored,
    fresh,
    set_organisation_predikat,
    user_of,
)

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def pages(content: bytes, *, layout: bool = True) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed), laid out as
    printed (the page header is the first line)."""
    assert content.startswith(b"%PDF-")
    options = ["-layout"] if layout else []
    text = subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", "-", "-"],
        input=content, capture_output=True, check=True,
    ).stdout.decode()  # fmt: skip
    return [page for page in text.split("\f") if page.strip()]


def text_of(content: bytes) -> str:
    """The whole text in reading order, a cell's wrapped lines joined by single spaces."""
    return " ".join(" ".join(pages(content, layout=False)).split())


def released(world) -> Appraisal:
    personas, _cycle, appraisal = world
    return advance(appraisal, State.RELEASED, hr=personas.hr_a)


def test_released_document_names_both_people_the_values_and_the_signatories(planning):
    personas = planning.personas
    appraisal = released(planning)
    text = text_of(pdf.appraisal_pdf(appraisal))
    assert "DOKUMEN EVALUASI KINERJA PEGAWAI" in text
    assert "PEMERINTAH KABUPATEN UJI" in text and "DINAS ALFA" in text
    assert "01/01/2026 s.d. 31/12/2026" in text
    pegawai, kasi, kepala = personas.pegawai, personas.kasi, personas.kepala
    for person in (pegawai, kasi, kepala):  # identity blocks and the three signatures
        assert person.full_name in text
        assert person.nip_display in text
    assert "Penata Tingkat I, III/d" in text  # the evaluator's pangkat/golongan
    assert "Istimewa" in text  # the organisation predikat
    for words in ("Layanan dokumen", "Dokumen selesai", "100 dokumen", "Hari penyelesaian"):
        assert words in text
    assert "Berorientasi Pelayanan" in text and "Kolaboratif" in text
    assert "Memahami dan memenuhi" in text  # a BerAKHLAK guideline
    assert appraisal.final_value == Decimal("100.00")
    assert "100,00" in text and "Baik" in text
    assert "Pegawai yang Dinilai" in text and "Atasan Pejabat Penilai Kinerja" in text
    released_day = appraisal.released_at.astimezone(planning.cycle.region.tzinfo).date()
    assert f"Uji, {pdf.long_date(released_day)}" in text
    assert "DRAF" not in text


def test_a_draft_says_DRAF_in_every_page_header_until_released(planning):
    personas = planning.personas
    scored = advance(planning.appraisal, State.SCORED)
    draft_pages = pages(pdf.appraisal_pdf(scored))
    assert len(draft_pages) >= 2
    for page in draft_pages:
        assert "DRAF" in page.splitlines()[0]  # the page header's line
    force_scored(Appraisal.objects.filter(cycle=planning.cycle, agency=personas.agency_a))
    services.agency_finalise(
        acting_user=user_of(personas.hr_a), cycle=planning.cycle, agency=personas.agency_a
    )
    assert all("DRAF" in p.splitlines()[0] for p in pages(pdf.appraisal_pdf(fresh(scored))))
    services.agency_release(
        acting_user=user_of(personas.hr_a), cycle=planning.cycle, agency=personas.agency_a
    )
    assert not any("DRAF" in p for p in pages(pdf.appraisal_pdf(fresh(scored))))


def test_forty_indicators_run_over_pages_and_each_page_repeats_the_table_header(planning):
    appraisal = planning.appraisal
    result = PlanResult.objects.create(appraisal=appraisal, code="RX", name="Layanan panjang")
    PlanIndicator.objects.bulk_create(
        PlanIndicator(
            result=result,
            code=f"K{n:02d}",
            name=f"Keluaran nomor {n:02d}",
            kind="kuantitatif",
            unit="berkas",
            direction="naik",
            aspect="kuantitas",
            target=Decimal(1000),
            weight=Decimal("2.5"),
            order=n,
        )  # fmt: skip
        for n in range(1, 41)
    )
    document = pages(pdf.appraisal_pdf(fresh(appraisal)))
    with_indicators = [p for p in document if "Keluaran nomor" in p]
    assert len(with_indicators) >= 2
    for page in with_indicators:
        assert "INDIKATOR KINERJA" in page and "REALISASI" in page  # the thead, repeated
    found = [f"Keluaran nomor {n:02d}" for n in range(1, 41)]
    assert all(any(name in p for p in with_indicators) for name in found)
    last = document[-1]
    assert f"Halaman {len(document)} dari {len(document)}" in last


def test_matrix_mode_prints_the_two_ratings_and_the_matrix_predikat(personas, time_machine):
    from .appraisal_fixtures import BEFORE_PLANNING, appraisal_of, make_cycle, make_indicator_set

    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key="nasional")
    appraisal = advance(appraisal_of(cycle, personas.pegawai), State.SCORED)
    text = text_of(pdf.appraisal_pdf(appraisal))
    assert "Rating Hasil Kerja" in text and "Rating Perilaku Kerja" in text
    assert "Sesuai Ekspektasi" in text
    assert "Baik" in text
    assert "Nilai Akhir" not in text  # matrix mode has no numeric final value


def test_the_renderer_fetches_nothing_from_the_network_or_the_disk():
    for url in ("http://example.com/logo.png", "https://example.com/x.css", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            pdf.url_fetcher().fetch(url)
    html = '<html><body><p>Teks</p><img src="http://127.0.0.1:9/x.png" alt="x"></body></html>'
    assert "Teks" in text_of(pdf.write_pdf(html))


def test_agency_recap_counts_the_predikat_against_the_pattern_with_the_justification(planning):
    personas, cycle = planning.personas, planning.cycle
    force_scored(Appraisal.objects.filter(cycle=cycle, agency=personas.agency_a))
    for appraisal in Appraisal.objects.filter(cycle=cycle, agency=personas.agency_a):
        services.appraisal_recompute(appraisal=appraisal)
    set_organisation_predikat(cycle, personas.agency_a, "baik")  # all Baik does not fit
    services.agency_finalise(
        acting_user=user_of(personas.hr_a), cycle=cycle, agency=personas.agency_a,
        justification="Seluruh pegawai mencapai target layanan tahun ini.",
    )  # fmt: skip
    count = Appraisal.objects.filter(cycle=cycle, agency=personas.agency_a).count()
    text = text_of(pdf.agency_recap_pdf(cycle, personas.agency_a, acting_user=personas.hr_a.user))
    assert "REKAPITULASI PREDIKAT KINERJA PEGAWAI" in text
    assert "DINAS ALFA" in text
    assert "Seluruh pegawai mencapai target layanan tahun ini." in text
    assert "Tidak" in text  # a rule of the Baik pattern not met
    assert f"{count} dari {count} pegawai" in text
    assert "100%" in text
    assert personas.pegawai.full_name in text and personas.pegawai.nip_display in text
    assert personas.hr_a.full_name in text  # HR's signature block
    assert "DRAF" in text  # finalised, not yet released


def test_the_links_are_on_the_appraisal_page_and_the_cycle_page(planning, login):
    personas = planning.personas
    page = login(personas.kasi).get(reverse("appraisal_detail", args=[planning.appraisal.pk]))
    assert reverse("appraisal_pdf", args=[planning.appraisal.pk]).encode() in page.content
    page = login(personas.pegawai).get(reverse("appraisal_detail", args=[planning.appraisal.pk]))
    assert reverse("appraisal_pdf", args=[planning.appraisal.pk]).encode() not in page.content
    page = login(personas.hr_a).get(reverse("cycle_detail", args=[planning.cycle.pk]))
    recap = reverse("agency_recap_pdf", args=[planning.cycle.pk, personas.agency_a.pk])
    assert recap.encode() in page.content


def test_the_download_is_a_pdf_attachment_named_by_nip(planning, login):
    appraisal = planning.appraisal
    response = login(planning.personas.kasi).get(reverse("appraisal_pdf", args=[appraisal.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"{appraisal.employee.nip}_Pegawai_Alfa.pdf" in response["Content-Disposition"]
    assert "DRAF" in text_of(response.content)


# --- manage.py render_pdf -------------------------------------------------------------------


@pytest.fixture
def run_command(monkeypatch):
    """``manage.py render_pdf ARGV`` in this process (the test database), its exit status.
    The command line closes every connection when it ends: not the test's."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
    return _run


def _run(*argv: str) -> int:
    try:
        execute_from_command_line(["manage.py", "render_pdf", *argv])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_render_pdf_writes_the_document_whatever_the_state(planning, tmp_path, capsys, run_command):
    out = tmp_path / "dokumen.pdf"
    nip = planning.personas.pegawai.nip
    assert run_command("--cycle", str(planning.cycle.pk), "--nip", nip, str(out)) == 0
    text = text_of(out.read_bytes())
    assert planning.personas.pegawai.full_name in text and "DRAF" in text
    assert [p.name for p in tmp_path.iterdir()] == ["dokumen.pdf"]  # no temporary file left


def test_render_pdf_refuses_an_unknown_cycle_or_nip_with_status_1(
    planning, tmp_path, capsys, run_command
):
    out = tmp_path / "dokumen.pdf"
    nip = planning.personas.pegawai.nip
    assert run_command("--cycle", "999999", "--nip", nip, str(out)) == 1
    assert "Siklus 999999 tidak ditemukan" in capsys.readouterr().err
    assert run_command("--cycle", str(planning.cycle.pk), "--nip", "1" * 18, str(out)) == 1
    assert "tidak mempunyai penilaian" in capsys.readouterr().err
    assert not out.exists()


def test_render_pdf_usage_errors_exit_2(planning, tmp_path, capsys, run_command):
    out = str(tmp_path / "dokumen.pdf")
    assert run_command("--nip", planning.personas.pegawai.nip, out) == 2
    assert run_command("--cycle", "satu", "--nip", "1", out) == 2
    assert run_command("--cycle", str(planning.cycle.pk), "--nip", "1") == 2
    assert "usage" in capsys.readouterr().err


def test_the_document_loads_in_a_fixed_number_of_queries(planning):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    appraisal = advance(planning.appraisal, State.SCORED)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            pdf.appraisal_pdf_html(pdf.load_appraisal(appraisal.pk), draft=True)
        return len(captured)

    few = queries()
    result = PlanResult.objects.create(appraisal=appraisal, code="RX", name="Tambahan")
    PlanIndicator.objects.bulk_create(
        PlanIndicator(
            result=result,
            code=f"K{n:02d}",
            name=f"Keluaran {n}",
            kind="kuantitatif",
            unit="berkas",
            direction="naik",
            aspect="kuantitas",
            target=Decimal(10),
            weight=Decimal(1),
            order=n,
        )  # fmt: skip
        for n in range(30)
    )
    assert queries() == few <= 8


def test_a_recap_of_an_agency_outside_the_cycle_is_not_found(planning, login):
    personas = planning.personas
    url = reverse("agency_recap_pdf", args=[planning.cycle.pk, personas.agency_b.pk])
    assert login(personas.admin_daerah).get(url).status_code == 404
