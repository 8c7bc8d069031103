"""Changes to the citizens' survey: a response, and whether a unit serves the public."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from agencies.access import scope_for
from agencies.audit import org_audit_record
from agencies.models import Unit

from .models import ANSWER_FIELDS, SurveyResponse, SurveyUnit


@transaction.atomic
def survey_response_create(
    *,
    survey_unit: SurveyUnit,
    answers: dict[str, int],
    comment: str = "",
    gender: str = "",
    age_band: str = "",
    education: str = "",
    occupation: str = "",
    now: dt.datetime,
    today: dt.date,
) -> SurveyResponse:
    """Store one citizen's response for the unit of the link (never another unit: the unit
    comes from the token, not from what was posted). No user and no address are stored."""
    if not survey_unit.melayani_publik:
        raise PermissionDenied("Unit ini tidak membuka survei")
    return SurveyResponse.objects.create(
        unit_id=survey_unit.unit_id,
        submitted_at=now,
        submitted_on=today,
        comment=comment,
        gender=gender,
        age_band=age_band,
        education=education,
        occupation=occupation,
        **{key: int(answers[key]) for key in ANSWER_FIELDS},
    )


@transaction.atomic
def survey_unit_set_public(*, unit: Unit, melayani_publik: bool, acting_user) -> SurveyUnit:
    """Mark a unit as serving the public (it gets a survey link) or not. The token is kept
    when the flag goes off, so a poster printed earlier works again when it comes back on."""
    if not scope_for(acting_user).can_manage_agency(unit.agency_id, unit.region_id):
        raise PermissionDenied("Hanya Admin HR Perangkat Daerah ini atau Admin Daerah")
    survey_unit, _created = SurveyUnit.objects.select_for_update().get_or_create(unit=unit)
    if survey_unit.melayani_publik != melayani_publik:
        before = survey_unit.melayani_publik
        survey_unit.melayani_publik = melayani_publik
        survey_unit.save(update_fields=["melayani_publik", "updated_at"])
        org_audit_record(
            actor=acting_user,
            action="survey_service_unit",
            summary=(
                f"{unit.name} ditandai melayani publik (survei dibuka)"
                if melayani_publik
                else f"{unit.name} tidak lagi melayani publik (survei ditutup)"
            ),
            obj=unit,
            before={"melayani_publik": before},
            after={"melayani_publik": melayani_publik},
        )
    return survey_unit
