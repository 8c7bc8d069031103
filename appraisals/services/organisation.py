"""The organisation predikat of each agency per cycle, set by the Admin Daerah, and the
predikat distribution that finalisation checks against it (see docs/cycle.md and
docs/scoring.md, SE MenPANRB 3/2023)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count

from agencies.access import scope_for
from agencies.models import Agency, User
from indicators.schemes.base import Predikat
from indicators.scoring import DistributionCheck, OrganisationPredikat, check_distribution

from ..models import AgencyCycleSetting, Appraisal, Cycle, State
from ._base import _audit

COUNTED_STATES = (State.SCORED, State.FINALISED, State.RELEASED)


@transaction.atomic
def agency_set_organisation_predikat(
    *,
    acting_user: User,
    cycle: Cycle,
    agency: Agency,
    organisation_predikat: str,
    block_on_mismatch: bool,
) -> AgencyCycleSetting:
    """The Admin Daerah sets an agency's organisation predikat for a cycle, and whether a
    distribution that does not match its pattern refuses finalisation (else it asks for a
    written justification)."""
    if cycle.region_id not in scope_for(acting_user).region_ids:
        raise PermissionDenied("Hanya Admin Daerah yang menetapkan predikat organisasi")
    if not cycle.agencies.filter(pk=agency.pk).exists():
        raise ValidationError("Perangkat Daerah ini tidak termasuk dalam siklus")
    if organisation_predikat not in {p.value for p in OrganisationPredikat}:
        raise ValidationError({"organisation_predikat": "Pilih predikat organisasi"})
    setting, _ = AgencyCycleSetting.objects.select_for_update().get_or_create(
        cycle=cycle, agency=agency, defaults={"block_on_mismatch": agency.block_on_distribution}
    )
    before = {
        "predikat_organisasi": setting.organisation_predikat,
        "tolak_bila_tidak_sesuai": setting.block_on_mismatch,
    }
    setting.organisation_predikat = organisation_predikat
    setting.block_on_mismatch = bool(block_on_mismatch)
    setting.updated_by = acting_user
    setting.save()
    after = {
        "predikat_organisasi": setting.organisation_predikat,
        "tolak_bila_tidak_sesuai": setting.block_on_mismatch,
    }
    if before != after:
        label = OrganisationPredikat(organisation_predikat).label
        _audit(
            None, cycle=cycle, actor=acting_user, action="org_predikat",
            summary=f"Predikat organisasi {agency.name} ditetapkan: {label}"
            + (" (finalisasi ditolak bila distribusi tidak sesuai)" if block_on_mismatch else ""),
            before=before, after=after,
        )  # fmt: skip
    return setting


def predikat_counts(cycle: Cycle, agency_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """{agency id: {predikat: count}} of the appraisals scored, final or released."""
    counts: dict[int, dict[str, int]] = {pk: {} for pk in agency_ids}
    rows = (
        Appraisal.objects.filter(cycle=cycle, agency_id__in=agency_ids, state__in=COUNTED_STATES)
        .exclude(predikat="")
        .values_list("agency_id", "predikat")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for agency_id, predikat, n in rows:
        counts[agency_id][predikat] = n
    return counts


def distribution_check(
    setting: AgencyCycleSetting | None, counts: dict[str, int]
) -> DistributionCheck | None:
    if setting is None or not setting.organisation_predikat:
        return None
    return check_distribution(setting.organisation_predikat, counts)


def missing_predikat_message(agency: Agency) -> str:
    return (
        f"Predikat organisasi {agency.name} untuk siklus ini belum ditetapkan oleh Admin Daerah; "
        "finalisasi belum dapat dilakukan."
    )


def mismatch_message(check: DistributionCheck) -> str:
    failed = " ".join(rule.text for rule in check.rules if not rule.satisfied)
    return f"{check.warning} {failed}".strip()


def chart(check: DistributionCheck | None, counts: dict[str, int]) -> dict[str, Any]:
    """What the cycle page draws: one bar per predikat and the pattern's bounds as markers,
    in SVG units (no script, no inline style)."""
    width, height, top, bottom, left = 360, 170, 12, 40, 28
    column = (width - left) // len(Predikat)
    peak = max([1, *counts.values(), *(r.limit for r in (check.rules if check else ()))])
    scale = (height - top - bottom) / peak

    # Whole SVG units: a float would be printed with the language's decimal mark ("12,5").
    def y(value: int) -> int:
        return round(height - bottom - value * scale)

    index = {p: i for i, p in enumerate(Predikat)}
    bars = []
    for p in Predikat:
        n = counts.get(p.value, 0)
        x = left + index[p] * column
        bars.append(
            {
                "label": p.label, "count": n, "x": x + 8, "width": column - 16,
                "y": y(n), "height": height - bottom - y(n), "text_x": x + column // 2,
                "count_y": y(n) - 3,
            }
        )  # fmt: skip
    markers = []
    for rule in check.rules if check else ():
        columns = [index[Predikat(p)] for p in rule.predikats]
        x1 = left + min(columns) * column + 2
        x2 = left + (max(columns) + 1) * column - 2
        markers.append(
            {
                "x1": x1, "x2": x2, "y": y(rule.limit), "at_most": rule.kind == "at_most",
                "satisfied": rule.satisfied, "text": rule.text,
            }
        )  # fmt: skip
    return {
        "width": width,
        "height": height,
        "baseline": height - bottom,
        "label_y": height - bottom + 14,
        "left": left,
        "bars": bars,
        "markers": markers,
    }
