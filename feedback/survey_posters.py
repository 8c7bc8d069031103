"""The printable A4 poster of a unit's survey link: PDF (WeasyPrint) and PNG (Pillow).

The URL on the poster and in its QR code is built from `PORTAL_BASE_URL`, never from the
request's host, so a poster always points at the portal itself.
"""

from __future__ import annotations

import io
import textwrap
import zipfile
from collections.abc import Iterable

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify

from .models import SurveyUnit

# Always Indonesian, whatever the language of the HR user who downloads it: citizens read it.
CALL_TO_ACTION = "Bantu kami melayani lebih baik"
INSTRUCTION = (
    "Pindai kode QR ini dengan kamera ponsel Anda dan isi survei kepuasan (2 menit, tanpa nama)."
)


def survey_url(survey_unit: SurveyUnit) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("survey_form", args=[survey_unit.token])


def _qr(survey_unit: SurveyUnit) -> segno.QRCode:
    return segno.make(survey_url(survey_unit), error="m", micro=False)


def poster_filename(survey_unit: SurveyUnit, extension: str) -> str:
    return f"poster-survei-{slugify(survey_unit.unit.code) or survey_unit.unit_id}.{extension}"


def poster_pdf(survey_unit: SurveyUnit) -> bytes:
    from weasyprint import HTML  # imported late: heavy, and only these downloads need it

    html = render_to_string(
        "feedback/survey_poster.html",
        {
            "unit": survey_unit.unit,
            "agency": survey_unit.unit.agency,
            "url": survey_url(survey_unit),
            "qr": _qr(survey_unit).svg_data_uri(scale=10, border=2),
            "call_to_action": CALL_TO_ACTION,
            "instruction": INSTRUCTION,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


_FONT_DIR = "/usr/share/fonts/truetype/dejavu/"


def _font(size: int, *, bold: bool = False):
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(_FONT_DIR + name, size)
    except OSError:  # no DejaVu on this host: Pillow's own scalable font
        return ImageFont.load_default(size=size)


def poster_png(survey_unit: SurveyUnit) -> bytes:
    """The same poster as an A4 image at 150 dpi (1240 × 1754), for sharing or printing."""
    from PIL import Image, ImageDraw

    width, height = 1240, 1754
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    y = 110

    def centred(text: str, size: int, *, bold=False, wrap=38, gap=14, fill="#1b1b1b"):
        nonlocal y
        font = _font(size, bold=bold)
        for line in textwrap.wrap(text, wrap) or [""]:
            box = draw.textbbox((0, 0), line, font=font)
            draw.text(((width - (box[2] - box[0])) // 2, y), line, font=font, fill=fill)
            y += box[3] - box[1] + gap

    centred(survey_unit.unit.agency.name, 40, wrap=48)
    y += 10
    centred(survey_unit.unit.name, 64, bold=True, wrap=28)
    y += 40
    centred(CALL_TO_ACTION, 52, bold=True, fill="#0b4f8a", wrap=34)
    y += 30
    buffer = io.BytesIO()
    _qr(survey_unit).save(buffer, kind="png", scale=20, border=2)
    qr_image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    side = min(720, height - y - 360)
    qr_image = qr_image.resize((side, side), Image.NEAREST)
    image.paste(qr_image, ((width - side) // 2, y))
    y += side + 40
    centred(INSTRUCTION, 34, wrap=52)
    y += 20
    centred(survey_url(survey_unit), 28, wrap=70, fill="#333333")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True, dpi=(150, 150))
    return out.getvalue()


def posters_zip(survey_units: Iterable[SurveyUnit]) -> bytes:
    """The PDF poster of every unit given, one file each."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for survey_unit in survey_units:
            archive.writestr(poster_filename(survey_unit, "pdf"), poster_pdf(survey_unit))
    return buffer.getvalue()
