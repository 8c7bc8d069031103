"""Printable documents (WeasyPrint): the employee's "Dokumen Evaluasi Kinerja Pegawai" and
an agency's predikat recap. See docs/reports.md.

Every document is Indonesian, whatever the language of the person who downloads it. The HTML
carries its own stylesheet (`templates/reports/pdf/*.css`, inlined), fonts come from the
system (DejaVu, through fontconfig) and nothing is fetched from the network while rendering:
the URL fetcher refuses everything but `data:` URLs. Renders are slow native work: never run
one inside a transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation

from agencies.models import Agency, Employee, User
from agencies.validators import PANGKAT_BY_GOLONGAN
from appraisals.models import (
    AgencyCycleSetting,
    Appraisal,
    AuditEntry,
    BehaviourScore,
    Cycle,
    PlanIndicator,
    PlanResult,
    TeamScore,
)
from appraisals.services.organisation import (
    COUNTED_STATES,
    chart,
    distribution_check,
    predikat_counts,
)
from indicators.models import LeaderExpectation
from indicators.schemes.base import Mode, Predikat, Rating, Source
from indicators.scoring import OrganisationPredikat

DOCUMENT_LANGUAGE = "id"
DRAFT_MARK = "DRAF"

_MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip


def url_fetcher() -> Any:
    """Only `data:` URLs (inline images) are read: a document never reaches the network or
    the file system, whatever its text contains (a refused resource is left out). One per
    render: the fetcher keeps per-request state, and building it costs microseconds."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


@functools.cache
def _font_config() -> Any:
    """One fontconfig set-up per process: building it scans the system fonts."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def write_pdf(html: str) -> bytes:
    """The PDF of one document's HTML, offline, with the process's font configuration."""
    from weasyprint import HTML  # imported late: heavy, and only the documents need it

    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=url_fetcher())
    return document.write_pdf(font_config=_font_config())


# --- words and dates as the form writes them ----------------------------------------------


def long_date(day: dt.date) -> str:
    """``31 Desember 2026``: the date under a signature."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


_PLACE_PREFIX = re.compile(
    r"^(pemerintah\s+)?(provinsi|kabupaten|kab\.|kota|daerah khusus ibukota|dki)\s+",
    re.IGNORECASE,
)


def place_of(region_name: str) -> str:
    """The place under a signature: the region's name without its kind."""
    return _PLACE_PREFIX.sub("", region_name.strip()) or region_name


def government_of(region_name: str) -> str:
    name = region_name.strip()
    return name if name.lower().startswith("pemerintah") else f"Pemerintah {name}"


def pangkat_golongan(golongan: str) -> str:
    pangkat = PANGKAT_BY_GOLONGAN.get(golongan, "")
    return f"{pangkat}, {golongan}" if pangkat else golongan


def predikat_label(code: str, mode: str | Mode = Mode.NUMERIC) -> str:
    if not code:
        return "-"
    return Predikat(code).label_for(Mode(mode))


def rating_label(code: str | None) -> str:
    return Rating(code).label if code else "-"


@dataclass(frozen=True)
class Person:
    """A signatory or an identity block: who, as the form prints them."""

    name: str
    nip: str
    pangkat: str
    position: str
    unit: str
    role: str

    @classmethod
    def of(cls, employee: Employee | None, *, role: str, golongan: str = "", position=None,
           unit=None, agency=None) -> Person:  # fmt: skip
        """The snapshot of an appraisal (``golongan``, ``position``, ``unit``, ``agency``)
        where it has one, else the employee's data of today."""
        if employee is None:
            return cls(name="", nip="", pangkat="", position="", unit="", role=role)
        position = position or employee.position
        unit = unit or employee.unit
        agency = agency or employee.agency
        return cls(
            name=employee.full_name,
            nip=employee.nip_display,
            pangkat=pangkat_golongan(golongan or employee.golongan),
            position=str(position),
            unit=f"{unit.name}, {agency.name}",
            role=role,
        )


# --- the employee's document ----------------------------------------------------------------


def load_appraisal(appraisal_id: int) -> Appraisal:
    """The appraisal with everything its document prints, in a fixed number of queries
    (the plan, the behaviour scores with their values, the team's scores and the people)."""
    employee_joins = ("position", "unit", "agency")
    related = [
        "cycle__region", "agency", "unit", "position", "employee",
        *(f"supervisor__{j}" for j in employee_joins),
        *(f"supervisor__supervisor__{j}" for j in employee_joins),
    ]  # fmt: skip
    return (
        Appraisal.objects.select_related(*related)
        .prefetch_related(
            Prefetch(
                "results",
                queryset=PlanResult.objects.select_related("supports").prefetch_related(
                    Prefetch("indicators", queryset=PlanIndicator.objects.order_by("order", "pk"))
                ),
            ),
            Prefetch("behaviours", queryset=BehaviourScore.objects.select_related("value")),
            Prefetch(
                "team_scores", queryset=TeamScore.objects.select_related("member__employee_record")
            ),
        )
        .get(pk=appraisal_id)
    )


_RATER_WORDS = {
    "pegawai": "pegawai", "atasan": "atasan", "rekan": "rekan kerja",
    "tim_penilai": "Tim Penilai", "verifikator": "Verifikator", "data": "data",
}  # fmt: skip


def _component_rows(breakdown: dict[str, Any]) -> list[dict[str, Any]]:
    """The breakdown's components as the value table prints them."""
    rows = []
    for c in breakdown.get("components", ()):
        weight = c.get("weight")
        effective = c.get("effective_weight_rounded")
        moved = (
            weight is not None and effective is not None and Decimal(effective) != Decimal(weight)
        )
        rows.append(
            {
                "key": c.get("key"),
                "name": c.get("name"),
                "source": c.get("source"),
                "weight": weight,
                "effective_weight": effective if moved else None,
                "value": c.get("value_rounded"),
                "status": c.get("status"),
                "raters": [_RATER_WORDS.get(r, r) for r in c.get("raters") or ()],
                "data": c.get("data"),
                "team": c.get("team"),
                "results": c.get("results") or (),
                "behaviours": c.get("behaviours") or (),
            }
        )
    return rows


def _indicator_values(breakdown: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for c in breakdown.get("components", ()):
        for r in c.get("results") or ():
            for i in r.get("indicators", ()):
                found[i.get("code")] = i
    return found


def _behaviour_values(breakdown: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for c in breakdown.get("components", ()):
        for b in c.get("behaviours") or ():
            found[b.get("code")] = b
    return found


def appraisal_pdf_context(appraisal: Appraisal, *, draft: bool) -> dict[str, Any]:
    cycle = appraisal.cycle
    region = cycle.region
    scheme = cycle.scheme
    breakdown = appraisal.breakdown or {}
    mode = scheme.mode
    supervisor = appraisal.supervisor
    second = supervisor.supervisor if supervisor is not None else None
    expectations: dict[int, str] = {}
    if supervisor is not None:
        expectations = dict(
            LeaderExpectation.objects.filter(leader_id=supervisor.pk).values_list(
                "value_id", "text"
            )
        )
    setting = AgencyCycleSetting.objects.filter(cycle=cycle, agency_id=appraisal.agency_id).first()
    indicator_values = _indicator_values(breakdown)
    results = []
    for kind, title in (("utama", "Utama"), ("tambahan", "Tambahan")):
        rows = [r for r in appraisal.results.all() if (r.kind or "utama") == kind]
        if rows:
            results.append(
                {
                    "title": title,
                    "rows": [
                        {"result": r, "indicators": [
                            (i, indicator_values.get(i.code, {})) for i in r.indicators.all()
                        ]}
                        for r in rows
                    ],
                }
            )  # fmt: skip
    behaviour_values = _behaviour_values(breakdown)
    behaviours = [
        {
            "score": b,
            "expectation": expectations.get(b.value_id, ""),
            "value": behaviour_values.get(b.value.code, {}),
        }
        for b in sorted(appraisal.behaviours.all(), key=lambda b: b.value.order)
    ]
    components = _component_rows(breakdown)
    plan_components = [c for c in components if c["source"] == Source.RENCANA]
    behaviour_components = [c for c in components if c["source"] == Source.PERILAKU]
    uses_peers = any(c.uses_peers for c in scheme.components)
    ikm = next((c for c in components if c["source"] == Source.IKM), None)
    team = next((c for c in components if c["source"] == Source.TIM), None)
    if released := appraisal.released_at:
        sign_day = released.astimezone(region.tzinfo).date()
    else:
        sign_day = timezone.now().astimezone(region.tzinfo).date()
    hasil = breakdown.get("hasil_kerja") or {}
    perilaku = breakdown.get("perilaku") or {}
    return {
        "draft": draft,
        "draft_mark": DRAFT_MARK,
        "appraisal": appraisal,
        "cycle": cycle,
        "scheme": scheme,
        "matrix": mode == Mode.MATRIX,
        "government": government_of(region.name),
        "agency": appraisal.agency,
        "period": f"{short_date(cycle.start_date)} s.d. {short_date(cycle.end_date)}",
        "period_type": cycle.get_period_type_display(),
        "employee": Person.of(
            appraisal.employee,
            role="Pegawai yang Dinilai",
            golongan=appraisal.golongan,
            position=appraisal.position,
            unit=appraisal.unit,
            agency=appraisal.agency,
        ),
        "evaluator": Person.of(supervisor, role="Pejabat Penilai Kinerja"),
        "second": Person.of(second, role="Atasan Pejabat Penilai Kinerja"),
        "organisation_predikat": OrganisationPredikat(setting.organisation_predikat).label
        if setting and setting.organisation_predikat
        else "",
        "results": results,
        "behaviours": behaviours,
        "hasil_kerja": {
            "value": hasil.get("value_rounded"),
            "rating": rating_label(hasil.get("effective")),
            "recommended": rating_label(hasil.get("recommended")),
            "overridden": hasil.get("overridden"),
            "reason": hasil.get("override_reason"),
        },
        "perilaku": {
            "value": perilaku.get("value_rounded"),
            "rating": rating_label(perilaku.get("effective")),
            "recommended": rating_label(perilaku.get("recommended")),
            "overridden": perilaku.get("overridden"),
            "reason": perilaku.get("override_reason"),
        },
        "final_value": breakdown.get("final_value_rounded"),
        "predikat": predikat_label(appraisal.predikat, mode),
        "scored": bool(appraisal.computed_at and breakdown),
        "components": components,
        "plan_components": plan_components,
        "behaviour_components": behaviour_components,
        "behaviour_counts": scheme.component_for(Source.PERILAKU) is not None,
        "notes": breakdown.get("notes") or (),
        "uses_peers": uses_peers,
        "ikm": ikm,
        "team": team,
        "team_scores": list(appraisal.team_scores.all()),
        "place": place_of(region.name),
        "sign_date": long_date(sign_day),
        "printed": timezone.now().astimezone(region.tzinfo),
        "state_label": appraisal.get_state_display(),
    }


def appraisal_pdf_html(appraisal: Appraisal, *, draft: bool) -> str:
    """The document's HTML (its stylesheet inline): what :func:`appraisal_pdf` renders."""
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string(
            "reports/pdf/appraisal.html", appraisal_pdf_context(appraisal, draft=draft)
        )


def appraisal_pdf(appraisal: Appraisal) -> bytes:
    """The employee's document, marked DRAF in every page header until it is released."""
    loaded = load_appraisal(appraisal.pk)
    return write_pdf(appraisal_pdf_html(loaded, draft=not loaded.is_released))


def appraisal_pdf_filename(appraisal: Appraisal) -> str:
    return f"{appraisal.employee.nip}_{slug(appraisal.employee.name)}.pdf"


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")[:60] or "pegawai"


# --- the agency recap ------------------------------------------------------------------------


def distribution_justification(cycle: Cycle, agency: Agency) -> AuditEntry | None:
    """The latest distribution check recorded when the agency was finalised (with HR's
    written justification when the distribution did not fit its pattern)."""
    return (
        AuditEntry.objects.filter(
            cycle=cycle,
            appraisal__isnull=True,
            action="distribution",
            summary__startswith=f"Distribusi predikat {agency.name} saat",
        )
        .select_related("actor__employee_record")
        .order_by("-at", "-pk")
        .first()
    )


def _shares(counts: dict[str, int], total: int, mode: Mode) -> list[dict[str, Any]]:
    rows = []
    for p in Predikat:
        n = counts.get(p.value, 0)
        share = (Decimal(n) * 100 / total) if total else Decimal(0)
        rows.append({"code": p.value, "label": p.label_for(mode), "count": n, "share": share})
    return rows


def agency_recap_context(cycle: Cycle, agency: Agency, *, acting_user: User) -> dict[str, Any]:
    region = cycle.region
    mode = cycle.scheme.mode
    setting = AgencyCycleSetting.objects.filter(cycle=cycle, agency=agency).first()
    counts = predikat_counts(cycle, [agency.pk])[agency.pk]
    check = distribution_check(setting, counts)
    total = sum(counts.values())
    appraisals = (
        Appraisal.objects.filter(cycle=cycle, agency=agency)
        .select_related("employee", "unit", "position")
        .order_by("unit__name", "employee__name", "pk")
    )
    employees = [
        {
            "appraisal": a,
            "counted": a.state in COUNTED_STATES and bool(a.predikat),
            "value": a.final_value,
            "hasil_kerja": rating_label(a.hasil_kerja_rating) if a.hasil_kerja_rating else "",
            "perilaku": rating_label(a.perilaku_rating) if a.perilaku_rating else "",
            "predikat": predikat_label(a.predikat, mode),
        }
        for a in appraisals
    ]
    signer = acting_user.employee
    justification = distribution_justification(cycle, agency)
    released = all(e["appraisal"].is_released for e in employees) and bool(employees)
    return {
        "cycle": cycle,
        "agency": agency,
        "government": government_of(region.name),
        "period": f"{short_date(cycle.start_date)} s.d. {short_date(cycle.end_date)}",
        "period_type": cycle.get_period_type_display(),
        "matrix": mode == Mode.MATRIX,
        "setting": setting,
        "organisation_predikat": OrganisationPredikat(setting.organisation_predikat).label
        if setting and setting.organisation_predikat
        else "",
        "shares": _shares(counts, total, mode),
        "total": total,
        "employee_count": len(employees),
        "check": check,
        "chart": chart(check, counts),
        "employees": employees,
        "justification": justification,
        "signer": Person.of(signer, role="Admin HR")
        if signer
        else Person(
            "" if acting_user is None else acting_user.display_name, "", "", "", "", "Admin HR"
        ),  # fmt: skip
        "place": place_of(region.name),
        "sign_date": long_date(region.today()),
        "draft": not released,
        "draft_mark": DRAFT_MARK,
        "printed": timezone.now().astimezone(region.tzinfo),
    }


def agency_recap_html(cycle: Cycle, agency: Agency, *, acting_user: User) -> str:
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string(
            "reports/pdf/agency_recap.html",
            agency_recap_context(cycle, agency, acting_user=acting_user),
        )


def agency_recap_pdf(cycle: Cycle, agency: Agency, *, acting_user: User) -> bytes:
    return write_pdf(agency_recap_html(cycle, agency, acting_user=acting_user))


def agency_recap_filename(cycle: Cycle, agency: Agency) -> str:
    return f"rekap_{slug(agency.code)}_{slug(cycle.name)}.pdf"


def appraisals_of(cycle: Cycle, agency: Agency) -> Iterable[int]:
    return (
        Appraisal.objects.filter(cycle=cycle, agency=agency)
        .order_by("employee__name", "pk")
        .values_list("pk", flat=True)
    )
