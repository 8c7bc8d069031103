"""The evaluation document of every scheme preset of the demo region: each prints its own
components (attendance and discipline, IKM, Tim Penilai, peers) from the stored breakdown."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from appraisals.models import Appraisal
from asn_portal.numbers import format_number
from indicators.schemes import SCHEMES
from reports import pdf

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def text_of(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


@pytest.mark.parametrize("scheme_key", sorted(SCHEMES))
def test_a_prescored_appraisal_of_each_preset_prints_its_components(prescored_demo, scheme_key):
    appraisal = (
        Appraisal.objects.filter(cycle__scheme_key=scheme_key, computed_at__isnull=False)
        .exclude(predikat="")
        .select_related("employee", "cycle")
        .order_by("pk")
        .first()
    )
    assert appraisal is not None
    text = text_of(pdf.appraisal_pdf(appraisal))
    assert appraisal.employee.full_name in text
    for component in appraisal.breakdown["components"]:
        assert component["name"] in text
    assert pdf.predikat_label(appraisal.predikat, appraisal.cycle.scheme.mode) in text
    if appraisal.final_value is not None:
        assert format_number(appraisal.final_value, 2, fixed=True, style="id") in text
    assert ("DRAF" in text) is not appraisal.is_released
