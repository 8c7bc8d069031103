"""The survey answers export, registered with ``agencies.exporting``: a busy service unit
collects thousands of answers a year, so a large export is written by a job."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from agencies.exporting import ExportPlan, inline_limit, register_export
from agencies.models import User
from indicators.ikm import ELEMENTS

from . import survey_selectors as selectors
from .models import AgeBand, Education, Gender, Occupation
from .survey_access import get_survey_unit_for


def _label(choices, value: str) -> str:
    return dict(choices.choices).get(value, "") if value else ""


@register_export("survey_responses")
def survey_responses_export(user: User, params: dict[str, Any]) -> ExportPlan:
    unit = get_survey_unit_for(user, int(params["unit"]))
    start, end = dt.date.fromisoformat(params["start"]), dt.date.fromisoformat(params["end"])
    headers = [
        _("Kode unit"),
        _("Unit"),
        _("Waktu"),
        _("Tanggal"),
        *[f"U{i} {e.name}" for i, e in enumerate(ELEMENTS, start=1)],
        _("Jenis kelamin"),
        _("Usia"),
        _("Pendidikan"),
        _("Pekerjaan"),
        _("Saran dan masukan"),
    ]
    tz = unit.region.tzinfo

    def rows() -> Iterator[list[Any]]:
        for r in selectors.responses([unit.pk], start, end):
            yield [
                r.unit.code,
                r.unit.name,
                r.submitted_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                r.submitted_on,
                *r.answers,
                _label(Gender, r.gender),
                _label(AgeBand, r.age_band),
                _label(Education, r.education),
                _label(Occupation, r.occupation),
                r.comment,
            ]

    return ExportPlan(
        headers=headers,
        rows=rows,
        count=lambda: selectors.response_count_capped([unit.pk], start, end, inline_limit()),
        filename=f"survei-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
        title=_("Jawaban survei"),
        text_headers=[_("Kode unit")],
        region=unit.region,
    )
