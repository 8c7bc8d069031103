"""Evidence files are what they claim to be, and one appraisal cannot fill the disk.

The attacks: an HTML page or a script renamed ``laporan.pdf`` or ``foto.png`` is stored and
later opened by the supervisor; an employee uploads files without end.
"""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from appraisals import services
from appraisals.models import Evidence

from .appraisal_fixtures import indicators_of, user_of
from .evidence_files import sample

MB = 1024 * 1024


@pytest.fixture
def setup(approved):
    personas, _cycle, appraisal = approved
    return personas, appraisal, indicators_of(appraisal)


def _add(personas, appraisal, indicator, name, content):
    return services.evidence_add(
        acting_user=user_of(personas.pegawai), appraisal=appraisal,
        indicator_id=indicator.pk, upload=SimpleUploadedFile(name, content),
    )  # fmt: skip


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("laporan.pdf", b"<html><script>alert(1)</script></html>"),
        ("foto.png", b"\x89PNG\r\n\x1a\n bukan gambar"),
        ("foto.jpg", sample("x.png")),  # a real image, but not a JPEG
        ("notulen.docx", b"PK\x03\x04 bukan zip"),
        ("notulen.docx", _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<x/>"})),
        ("rekap.xlsx", _zip({"index.html": "<script/>"})),
        ("surat.odt", _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                            "content.xml": "<x/>"})),
    ],
)  # fmt: skip
def test_content_that_does_not_match_the_extension_is_refused(setup, name, content):
    personas, appraisal, indicators = setup
    with pytest.raises(ValidationError) as exc:
        _add(personas, appraisal, indicators["I1"], name, content)
    assert "Isi berkas tidak sesuai dengan jenis" in exc.value.message_dict["file"][0]
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    "name", ["a.pdf", "b.jpg", "c.png", "d.docx", "e.xlsx", "f.pptx", "g.odt", "h.ods"]
)
def test_genuine_files_of_every_type_are_accepted(setup, name):
    personas, appraisal, indicators = setup
    assert _add(personas, appraisal, indicators["I1"], name, sample(name)).pk


def test_at_most_ten_files_per_indicator(setup):
    personas, appraisal, indicators = setup
    for n in range(10):
        _add(personas, appraisal, indicators["I1"], f"b{n}.pdf", sample("x.pdf"))
    with pytest.raises(ValidationError) as exc:
        _add(personas, appraisal, indicators["I1"], "b10.pdf", sample("x.pdf"))
    assert exc.value.message_dict["file"] == ["Paling banyak 10 berkas bukti dukung per indikator"]
    _add(personas, appraisal, indicators["I2"], "lain.pdf", sample("x.pdf"))  # another one


def test_at_most_50_mb_per_appraisal(setup):
    personas, appraisal, indicators = setup
    for n in range(5):
        _add(personas, appraisal, indicators["I1"], f"b{n}.pdf", sample("x.pdf", size=10 * MB))
    with pytest.raises(ValidationError) as exc:
        _add(personas, appraisal, indicators["I2"], "lagi.pdf", sample("x.pdf"))
    assert exc.value.message_dict["file"][0].startswith(
        "Total bukti dukung penilaian ini paling banyak 50 MB"
    )


def test_the_limits_are_settings(setup, settings):
    personas, appraisal, indicators = setup
    settings.EVIDENCE_MAX_FILES_PER_INDICATOR = 1
    _add(personas, appraisal, indicators["I1"], "a.pdf", sample("a.pdf"))
    with pytest.raises(ValidationError):
        _add(personas, appraisal, indicators["I1"], "b.pdf", sample("b.pdf"))
