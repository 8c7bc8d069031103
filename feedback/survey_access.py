"""Who reaches the survey: anybody with a service unit's link; HR for the results.

`get_survey_unit_for` is the one access helper of the results pages (see
docs/architecture.md): a unit outside the user's scope is 404, whatever the role.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from agencies.access import scope_for
from agencies.models import Unit

from .models import SurveyUnit


def get_public_survey(token: str) -> SurveyUnit:
    """The service unit of a public link; 404 for an unknown token or a unit that no longer
    serves the public."""
    survey_unit = (
        SurveyUnit.objects.select_related("unit__agency", "unit__region")
        .filter(token=token, melayani_publik=True)
        .first()
    )
    if survey_unit is None:
        raise Http404("Survei tidak ditemukan")
    return survey_unit


def get_survey_unit_for(user, pk: int, *, write: bool = False) -> Unit:
    """A unit whose survey the user may see: Admin HR of its agency, Admin Daerah of its
    region. 404 outside that scope; 403 for a change the user may only read."""
    scope = scope_for(user)
    unit = scope.visible_units().select_related("agency", "region", "survey").filter(pk=pk).first()
    if unit is None:
        raise Http404("Unit kerja tidak ditemukan")
    if write and not scope.can_manage_agency(unit.agency_id, unit.region_id):
        raise PermissionDenied
    return unit


def survey_of(unit: Unit) -> SurveyUnit | None:
    try:
        return unit.survey
    except SurveyUnit.DoesNotExist:
        return None
