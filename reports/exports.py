"""Excel exports of a cycle: the recap per employee, the detail per indicator, the peer
summary and the survey summary (docs/exports.md).

Each export is a list of :class:`reports.xlsx.Sheet` whose rows are generators: rows are
read from the database in batches (``BATCH`` appraisals at a time, a fixed number of queries
per batch and per agency, whatever the number of rows) and written by ``reports.xlsx`` in
constant memory. Values are the stored results of the scoring module (the appraisal's fields
and its breakdown JSON, written by ``appraisals.scoring.store``), never recomputed here.

Access is the caller's business: the views and the job handler pass only the agencies the
user manages (``appraisals.access.cycle_agencies_managed``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Employee, PositionKind
from appraisals.models import Appraisal, Cycle, Phase, PlanIndicator, Verification
from indicators import ikm as ikm_engine
from indicators.schemes.base import Mode, Predikat, Rating, Scheme
from indicators.scoring import JFLevel, ScoringInputError, angka_kredit, round2

from .xlsx import Sheet, write_workbook

BATCH = 2000

# --- the recap ------------------------------------------------------------------------------

RECAP_HEAD = ["NIP", "Nama", "Jabatan", "Unit", "Golongan"]
RECAP_TAIL = [
    "Nilai Akhir",
    "Hasil Kerja",
    "Perilaku Kerja",
    "Predikat",
    "Predikat Label",
    "Faktor TPP",
    "Angka Kredit",
]
VALUE_FORMAT = "0.00"
ANGKA_KREDIT_FORMAT = "0.000"

_JF_BY_LABEL = {level.label: level for level in JFLevel}


def recap_headers(scheme: Scheme) -> list[str]:
    """The recap's columns, exactly: fixed, plus one per component key of the cycle's scheme.
    (Kotalama's on-time share is per target in the detail export and per employee on the
    dashboard's on-time list, so that every recap has the same documented columns.)"""
    return RECAP_HEAD + [c.key for c in scheme.components] + RECAP_TAIL


def _decimal(value: Any) -> Decimal | None:
    # "null": a JSON null read as text through a key transform (SQLite).
    if value is None or value == "" or value == "null":
        return None
    return Decimal(str(value))


class _Names:
    """The fields ``Employee.full_name`` reads, without building a model instance per row."""

    __slots__ = ("name", "front_title", "back_title")

    def __init__(self, name: str, front: str, back: str) -> None:
        self.name, self.front_title, self.back_title = name, front, back


_EMPLOYEE_FULL_NAME: Callable[[Any], str] = cast(property, Employee.__dict__["full_name"]).fget  # type: ignore[assignment]


def _full_name(name: str, front: str, back: str) -> str:
    """The name with academic titles, by the rule of ``Employee.full_name``."""
    return _EMPLOYEE_FULL_NAME(_Names(name, front, back))


@dataclass(frozen=True)
class RecapContext:
    scheme: Scheme
    months: int

    @classmethod
    def of(cls, cycle: Cycle) -> RecapContext:
        return cls(scheme=cycle.scheme, months=min(max(cycle.months, 1), 12))


# The appraisal's own columns, then (annotated) the incentive percent and each component's
# key and value from the breakdown JSON: only those few keys cross the wire, not the whole
# breakdown (several kB per appraisal).
RECAP_FIELDS = (
    "employee__nip",
    "employee__name",
    "employee__front_title",
    "employee__back_title",
    "position__name",
    "position__kind",
    "position__jf_level",
    "unit__name",
    "golongan",
    "final_value",
    "hasil_kerja_rating",
    "perilaku_rating",
    "predikat",
)


def _angka_kredit(kind: str, jf_level: str, predikat: str, months: int) -> Decimal | None:
    if kind != PositionKind.FUNGSIONAL or not predikat or jf_level not in _JF_BY_LABEL:
        return None
    try:
        return angka_kredit(predikat, _JF_BY_LABEL[jf_level], months)
    except ScoringInputError:
        return None


def _recap_appraisals(cycle: Cycle, agency: Agency, scheme: Scheme) -> Any:
    """The recap's values of one agency's appraisals, streamed (one query)."""
    parts: dict[str, Any] = {"tpp": KT("breakdown__incentive_percent")}
    names = []
    for i in range(len(scheme.components)):
        parts[f"c{i}_key"] = KT(f"breakdown__components__{i}__key")
        parts[f"c{i}_value"] = KT(f"breakdown__components__{i}__value_rounded")
        names += [f"c{i}_key", f"c{i}_value"]
    return (
        Appraisal.objects.filter(cycle=cycle, agency=agency)
        .annotate(**parts)
        .order_by("employee__name", "employee__nip")
        .values_list("pk", *RECAP_FIELDS, "tpp", *names)
        .iterator(chunk_size=BATCH)
    )


def recap_row(ctx: RecapContext, values: Sequence[Any]) -> list[Any]:
    """One recap row from the ``RECAP_FIELDS``, the incentive percent and the components'
    (key, value) pairs of one appraisal."""
    (nip, name, front, back, position, kind, jf_level, unit, golongan, final_value,
     hk_rating, pk_rating, predikat, tpp) = values[:14]  # fmt: skip
    pairs = values[14:]
    component_values = {
        pairs[i]: _decimal(pairs[i + 1]) for i in range(0, len(pairs), 2) if pairs[i]
    }
    scheme = ctx.scheme
    matrix = scheme.mode == Mode.MATRIX
    row: list[Any] = [nip, _full_name(name, front, back), position, unit, golongan]
    row += [component_values.get(c.key) for c in scheme.components]
    row += [
        None if matrix else final_value,
        Rating(hk_rating).label if matrix and hk_rating else None,
        Rating(pk_rating).label if matrix and pk_rating else None,
        predikat or None,
        Predikat(predikat).label_for(scheme.mode) if predikat else None,
        _decimal(tpp) if scheme.incentive_in_export and predikat else None,
        _angka_kredit(kind, jf_level, predikat, ctx.months),
    ]
    return row


def _appraisals(cycle: Cycle, agency: Agency) -> Any:
    """(pk, NIP, name, front and back titles, breakdown) of one agency's appraisals."""
    return (
        Appraisal.objects.filter(cycle=cycle, agency=agency)
        .order_by("employee__name", "employee__nip")
        .values_list("pk", *RECAP_FIELDS[:4], "breakdown")
        .iterator(chunk_size=BATCH)
    )


def _agencies(cycle: Cycle, agency_ids: Iterable[int] | None) -> list[Agency]:
    agencies = cycle.agencies.all()
    if agency_ids is not None:
        agencies = agencies.filter(pk__in=list(agency_ids))
    return list(agencies.order_by("code", "pk"))


def agency_sheet_title(agency: Agency) -> str:
    return f"{agency.code} {agency.name}"


def recap_sheets(
    cycle: Cycle, agency_ids: Iterable[int] | None = None, *, counter: Counter | None = None
) -> list[Sheet]:
    """The recap: one sheet per agency of the cycle (all, or those in ``agency_ids``),
    ordered by agency code, each with the same headers."""
    ctx = RecapContext.of(cycle)
    headers = recap_headers(ctx.scheme)
    formats = {c.key: VALUE_FORMAT for c in ctx.scheme.components}
    formats["Nilai Akhir"] = VALUE_FORMAT
    formats["Angka Kredit"] = ANGKA_KREDIT_FORMAT

    def rows(agency: Agency) -> Iterator[list[Any]]:
        for batch in _batches(_recap_appraisals(cycle, agency, ctx.scheme), BATCH):
            for values in batch:
                yield recap_row(ctx, values[1:])
            if counter:
                counter.add(len(batch))

    return [
        Sheet(agency_sheet_title(agency), headers, rows(agency), number_formats=formats)
        for agency in _agencies(cycle, agency_ids)
    ]


# --- the detail per indicator ---------------------------------------------------------------

DETAIL_HEADERS = [
    "NIP",
    "Nama",
    "Kode Hasil",
    "Hasil Kerja (RHK)",
    "Jenis Hasil",
    "Komponen",
    "Kode Indikator",
    "Indikator",
    "Jenis",
    "Satuan",
    "Arah",
    "Bobot",
    "Target",
    "Realisasi",
    "Level",
    "Verifikasi",
    "Nilai",
    "Dihitung 0",
]
DATED_HEADERS = ["Tanggal Target", "Tanggal Selesai", "Ketepatan Waktu"]
_TIMELINESS = {
    "tepat_waktu": "tepat waktu",
    "terlambat": "terlambat",
    "belum_selesai": "belum selesai",
}
_VERIFICATION = dict(Verification.choices)

DETAIL_FIELDS = (
    "result__appraisal_id",
    "result__code",
    "result__name",
    "result__kind",
    "result__component",
    "code",
    "name",
    "kind",
    "unit",
    "direction",
    "weight",
    "target",
    "realisation",
    "level",
    "verification",
    "due_date",
    "completed_on",
    "on_time_share",
)


def detail_headers(scheme: Scheme) -> list[str]:
    return DETAIL_HEADERS + (DATED_HEADERS if scheme.has_due_dates else [])


def _indicator_values(breakdown: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    found = {}
    for component in breakdown.get("components") or ():
        for result in component.get("results") or ():
            for row in result.get("indicators") or ():
                found[(result.get("code"), row.get("code"))] = row
    return found


def _timeliness(kind: str, due: dt.date | None, done: dt.date | None, share: bool) -> str:
    indicator = PlanIndicator(kind=kind, due_date=due, completed_on=done, on_time_share=share)
    return _TIMELINESS.get(indicator.timeliness, "")


def _batches(iterator: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(iterator)
    while batch := list(itertools.islice(it, size)):
        yield batch


def detail_sheets(
    cycle: Cycle, agency_ids: Iterable[int] | None = None, *, counter: Counter | None = None
) -> list[Sheet]:
    """One row per plan indicator, one sheet per agency; the value is the breakdown's."""
    scheme = cycle.scheme
    headers = detail_headers(scheme)
    component_names = {c.key: c.name for c in scheme.components}
    main = scheme.main_component.key
    dated = scheme.has_due_dates
    verifies = scheme.verifies_realisations

    def rows(agency: Agency) -> Iterator[list[Any]]:
        for batch in _batches(_appraisals(cycle, agency), BATCH):
            people = {values[0]: values for values in batch}
            indicators = (
                PlanIndicator.objects.filter(result__appraisal_id__in=list(people))
                .order_by("result__order", "result__pk", "order", "pk")
                .values_list(*DETAIL_FIELDS)
            )
            by_appraisal: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
            for values in indicators:
                by_appraisal[values[0]].append(values)
            for pk, people_values in people.items():
                nip, name, front, back = people_values[1:5]
                full_name = _full_name(name, front, back)
                scores = _indicator_values(people_values[-1] or {})
                for (_a, r_code, r_name, r_kind, r_component, code, i_name, kind, unit,
                     direction, weight, target, realisation, level, verification, due,
                     done, share) in by_appraisal.get(pk, ()):  # fmt: skip
                    score = scores.get((r_code, code), {})
                    row = [
                        nip, full_name, r_code, r_name, r_kind,
                        component_names.get(r_component or main, r_component),
                        code, i_name, kind, unit, direction or None, weight, target,
                        realisation, level,
                        _VERIFICATION.get(verification) if verifies and kind != "rubrik" else None,
                        _decimal(score.get("value_rounded")),
                        "ya" if score.get("zeroed") else None,
                    ]  # fmt: skip
                    if dated:
                        row += [due, done, _timeliness(kind, due, done, share) or None]
                    yield row
                if counter:
                    counter.add(1)

    formats = {
        "Bobot": "0.##",
        "Nilai": VALUE_FORMAT,
        "Tanggal Target": "DD/MM/YYYY",
        "Tanggal Selesai": "DD/MM/YYYY",
    }
    return [
        Sheet(
            agency_sheet_title(agency),
            headers,
            rows(agency),
            text_columns={"NIP", "Kode Hasil", "Kode Indikator"},
            number_formats=formats,
        )
        for agency in _agencies(cycle, agency_ids)
    ]


# --- the peer summary -----------------------------------------------------------------------

PEER_HEADERS = ["NIP", "Nama", "Unit", "Rekan Menjawab", "Nilai BerAKHLAK", "Jumlah Rekan",
                "Rerata Level"]  # fmt: skip


def peer_summary_problem(cycle: Cycle, *, now: dt.datetime | None = None) -> str:
    """Why the peer summary cannot be exported now (empty when it can)."""
    if not any(c.uses_peers for c in cycle.scheme.components):
        return "Skema siklus ini tidak memakai umpan balik rekan kerja."
    if not cycle.is_past(Phase.PEER, now or timezone.now()):
        return (
            "Ringkasan umpan balik rekan kerja tersedia setelah batas umpan balik rekan "
            f"({cycle.peer_deadline:%d/%m/%Y} 23:59) lewat."
        )
    return ""


def peer_sheets(
    cycle: Cycle,
    agency_ids: Iterable[int] | None = None,
    *,
    counter: Counter | None = None,
    now: dt.datetime | None = None,
) -> list[Sheet]:
    """Per employee and BerAKHLAK value: how many peers rated it and, only when at least the
    cycle's ``minimal_rekan`` did, their mean level; the same aggregate the atasan's page
    shows after the peer deadline (docs/feedback.md). No answer, comment or name of a peer."""
    from feedback.models import AssignmentState, PeerAnswer, PeerAssignment
    from indicators.models import BehaviourValue

    problem = peer_summary_problem(cycle, now=now)
    if problem:
        raise ValidationError(problem)
    minimum = cycle.scheme.config.min_peer_answers
    values = list(BehaviourValue.objects.order_by("order").values_list("pk", "name"))

    def rows(agency: Agency) -> Iterator[list[Any]]:
        appraisals = (
            Appraisal.objects.filter(cycle=cycle, agency=agency)
            .order_by("employee__name", "employee__nip")
            .values_list(
                "pk",
                "employee__nip",
                "employee__name",
                "employee__front_title",
                "employee__back_title",
                "unit__name",
            )  # fmt: skip
            .iterator(chunk_size=BATCH)
        )
        for batch in _batches(appraisals, BATCH):
            ids = [values[0] for values in batch]
            answered = dict(
                PeerAssignment.objects.filter(appraisal_id__in=ids, state=AssignmentState.SUBMITTED)
                .values("appraisal_id")
                .annotate(n=Count("pk"))
                .values_list("appraisal_id", "n")
                .order_by()
            )
            totals = {
                (a, v): (n, s)
                for a, v, n, s in PeerAnswer.objects.filter(appraisal_id__in=ids)
                .values("appraisal_id", "value_id")
                .annotate(n=Count("pk"), s=Sum("level"))
                .values_list("appraisal_id", "value_id", "n", "s")
                .order_by()
            }
            for pk, nip, name, front, back, unit in batch:
                full_name = _full_name(name, front, back)
                for value_id, value_name in values:
                    n, total = totals.get((pk, value_id), (0, 0))
                    mean = round2(Decimal(total) / n) if n and n >= minimum else None
                    yield [nip, full_name, unit, answered.get(pk, 0), value_name, n, mean]
                if counter:
                    counter.add(1)

    return [
        Sheet(
            agency_sheet_title(agency),
            PEER_HEADERS,
            rows(agency),
            number_formats={"Rerata Level": VALUE_FORMAT},
        )
        for agency in _agencies(cycle, agency_ids)
    ]


# --- the survey summary ---------------------------------------------------------------------

SURVEY_HEADERS = (
    ["Kode Perangkat Daerah", "Perangkat Daerah", "Kode Unit", "Unit", "Responden"]
    + [element.name for element in ikm_engine.ELEMENTS]
    + ["IKM", "Mutu", "Cukup Responden"]
)


def survey_sheets(cycle: Cycle, agency_ids: Iterable[int] | None = None) -> list[Sheet]:
    """The IKM of each unit serving the public in the cycle's agencies over the cycle's
    dates (``feedback.survey_selectors.ikm_by_unit``), on one sheet: three queries."""
    from agencies.models import Unit
    from feedback.survey_selectors import ikm_by_unit

    agencies = _agencies(cycle, agency_ids)
    units = list(
        Unit.objects.filter(agency__in=agencies, survey__melayani_publik=True)
        .select_related("agency")
        .order_by("agency__code", "code")
    )
    results = ikm_by_unit([u.pk for u in units], cycle.start_date, cycle.end_date)
    minimum = cycle.scheme.config.min_ikm_respondents

    def rows() -> Iterator[list[Any]]:
        for unit in units:
            result = results[unit.pk]
            yield [
                unit.agency.code,
                unit.agency.name,
                unit.code,
                unit.name,
                result.respondents,
                *result.element_means_rounded,
                result.value_rounded,
                result.grade.value if result.grade else None,
                "ya" if result.respondents >= minimum else "tidak",
            ]

    formats = {h: VALUE_FORMAT for h in SURVEY_HEADERS[5:-2]}
    return [
        Sheet(
            "IKM per unit",
            SURVEY_HEADERS,
            rows(),
            text_columns={"Kode Perangkat Daerah", "Kode Unit"},
            number_formats=formats,
        )
    ]


# --- the exports by kind --------------------------------------------------------------------


class Counter:
    """Counts appraisals written and reports progress every ``every`` of them."""

    def __init__(self, total: int, progress: Any = None, every: int = 500) -> None:
        self.total, self.done, self.every, self.progress = total, 0, every, progress

    def add(self, n: int) -> None:
        self.done += n
        if self.progress and (self.done % self.every == 0 or self.done == self.total):
            self.progress(self.done, self.total)

    def __bool__(self) -> bool:
        return True


@dataclass(frozen=True)
class ExportKind:
    key: str
    label: Any  # a lazily translated text
    filename: str
    per_appraisal: bool  # large: runs as a job above a page of appraisals


EXPORT_KINDS = {
    kind.key: kind
    for kind in (
        ExportKind("rekap", _("Rekap per pegawai"), "rekap", True),
        ExportKind("detail", _("Rincian per indikator"), "rincian-indikator", True),
        ExportKind("rekan", _("Ringkasan umpan balik rekan"), "ringkasan-rekan", True),
        ExportKind("survei", _("Ringkasan survei (IKM per unit)"), "ringkasan-survei", False),
    )
}


def export_filename(cycle: Cycle, kind: str, agencies: Sequence[Agency] = ()) -> str:
    suffix = f"-{agencies[0].code}" if len(agencies) == 1 else ""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in suffix)
    return f"{EXPORT_KINDS[kind].filename}-siklus{cycle.pk}{safe}.xlsx"


def export_sheets(
    cycle: Cycle,
    kind: str,
    agency_ids: Iterable[int] | None = None,
    *,
    counter: Counter | None = None,
) -> list[Sheet]:
    if kind == "rekap":
        return recap_sheets(cycle, agency_ids, counter=counter)
    if kind == "detail":
        return detail_sheets(cycle, agency_ids, counter=counter)
    if kind == "rekan":
        return peer_sheets(cycle, agency_ids, counter=counter)
    if kind == "survei":
        return survey_sheets(cycle, agency_ids)
    raise ValueError(f"unknown export {kind!r}")


def export_size(cycle: Cycle, agency_ids: Iterable[int]) -> int:
    """How many appraisals an export of these agencies covers (one query)."""
    return Appraisal.objects.filter(cycle=cycle, agency_id__in=list(agency_ids)).count()


def export_recap(
    cycle: Cycle,
    agency: Agency | None = None,
    target: str | os.PathLike[str] | IO[bytes] = "rekap.xlsx",
) -> int:
    """The recap of a cycle (all its agencies, or one) written to ``target`` (a path is
    written atomically); returns the number of employee rows. Used by ``export_recap``
    and by the benchmark."""
    agency_ids = None if agency is None else [agency.pk]
    return write_workbook(target, recap_sheets(cycle, agency_ids))
