"""The appraisal scoring engine (see docs/scoring.md): pure Python, no database.

Every value a page, a PDF or an export shows about a score comes from here, so the
rules live in one place, can be tested exhaustively, and can be explained on screen
through the `Breakdown` they return.

Arithmetic is `Decimal` with 28 significant digits in a local context: the global
context is never touched, so a caller's own Decimal settings cannot change a score.
Intermediates are never rounded. Every value that is shown or compared is rounded half
up to 2 decimals, and every band and threshold applies to that rounded value, while
later computation carries on with the unrounded one: 109.995 is shown as 110.00 and is
therefore Sangat Baik, exactly as a person reading the page would expect.

Missing data, as decided here where the rules leave room (docs/scoring.md):

* Sources outside the employee's control (fewer peer answers than the minimum, an IKM
  with too few respondents, no attendance import, no Tim Penilai score) are left out
  and their weight is shared among what is present; the breakdown says so.
* A realisation that is missing, or unverified where the scheme verifies, counts as 0.
  At or after the supervisor-scoring deadline (`deadline_passed=True`, the default and
  what `explain_score` assumes) the indicator is flagged `zeroed`; before it, the same 0
  is flagged `pending` and the breakdown is provisional (`complete=False`), so the figure
  only ever moves up as realisations arrive.
* A level the supervisor (or a rater) has not given yet is left out of its mean and the
  breakdown is provisional; the rater's missing work is never charged to the employee.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from enum import Enum, StrEnum
from typing import Any

from indicators.schemes.base import (
    Component,
    Mode,
    Predikat,
    Rater,
    Rating,
    Sanction,
    Scheme,
    ScoringConfig,
    Source,
)

__all__ = [
    "BERAKHLAK",
    "LEVEL_LABELS",
    "MATRIX",
    "AppraisalInput",
    "AttendanceInput",
    "BehaviourBreakdown",
    "BehaviourInput",
    "Breakdown",
    "ComponentBreakdown",
    "ComponentStatus",
    "DataScoreBreakdown",
    "Direction",
    "DistributionCheck",
    "DistributionRule",
    "IkmInput",
    "IndicatorBreakdown",
    "IndicatorInput",
    "IndicatorKind",
    "JFLevel",
    "OrganisationPredikat",
    "Predikat",
    "Rating",
    "RatingBreakdown",
    "RatingOverride",
    "ResultBreakdown",
    "ResultInput",
    "ResultKind",
    "ScoringInputError",
    "TeamBreakdown",
    "achievement",
    "angka_kredit",
    "attendance_score",
    "check_distribution",
    "compute_appraisal",
    "discipline_score",
    "incentive_percent",
    "level_value",
    "matrix_predikat",
    "predikat_for_value",
    "rating_for_value",
    "round2",
]

DECIMAL_CONTEXT = Context(
    prec=28, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow]
)
HUNDRED = Decimal(100)
ZERO = Decimal(0)
_CENT = Decimal("0.01")
_MILLI = Decimal("0.001")
_DEFAULT_CONFIG = ScoringConfig()


class ScoringInputError(ValueError):
    """Input the engine cannot score (a bad weight, level or component key).

    Callers validate user input first (forms, imports, `explain.parse_explain_input`);
    this is the engine's last line of defence, so the message names the culprit.
    """


class IndicatorKind(StrEnum):
    KUANTITATIF = "kuantitatif"
    RUBRIK = "rubrik"


class Direction(StrEnum):
    NAIK = "naik"
    TURUN = "turun"


class ResultKind(StrEnum):
    UTAMA = "utama"
    TAMBAHAN = "tambahan"


class ComponentStatus(StrEnum):
    ADA = "ada"
    # A source outside the employee's control is missing: weight goes to the others.
    DIALIHKAN = "dialihkan"
    # Nothing rated yet; the breakdown is provisional until a rater acts.
    BELUM_DINILAI = "belum_dinilai"


class OrganisationPredikat(StrEnum):
    ISTIMEWA = "istimewa"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").title()


class JFLevel(StrEnum):
    """Jenjang jabatan fungsional, for angka kredit."""

    PEMULA = "pemula"
    TERAMPIL = "terampil"
    MAHIR = "mahir"
    PENYELIA = "penyelia"
    AHLI_PERTAMA = "ahli_pertama"
    AHLI_MUDA = "ahli_muda"
    AHLI_MADYA = "ahli_madya"
    AHLI_UTAMA = "ahli_utama"

    @property
    def label(self) -> str:
        """As positions, files and pages write it: ``Ahli Pertama``."""
        return self.value.replace("_", " ").title()


BERAKHLAK: dict[str, str] = {
    "berorientasi_pelayanan": "Berorientasi Pelayanan",
    "akuntabel": "Akuntabel",
    "kompeten": "Kompeten",
    "harmonis": "Harmonis",
    "loyal": "Loyal",
    "adaptif": "Adaptif",
    "kolaboratif": "Kolaboratif",
}

LEVEL_LABELS: dict[int, str] = {
    1: "Sangat Kurang",
    2: "Kurang",
    3: "Butuh Perbaikan",
    4: "Baik",
    5: "Sangat Baik",
}

MATRIX: dict[tuple[Rating, Rating], Predikat] = {
    (Rating.DI_ATAS, Rating.DI_ATAS): Predikat.SANGAT_BAIK,
    (Rating.DI_ATAS, Rating.SESUAI): Predikat.BAIK,
    (Rating.DI_ATAS, Rating.DI_BAWAH): Predikat.KURANG,
    (Rating.SESUAI, Rating.DI_ATAS): Predikat.BAIK,
    (Rating.SESUAI, Rating.SESUAI): Predikat.BAIK,
    (Rating.SESUAI, Rating.DI_BAWAH): Predikat.KURANG,
    (Rating.DI_BAWAH, Rating.DI_ATAS): Predikat.BUTUH_PERBAIKAN,
    (Rating.DI_BAWAH, Rating.SESUAI): Predikat.BUTUH_PERBAIKAN,
    (Rating.DI_BAWAH, Rating.DI_BAWAH): Predikat.SANGAT_KURANG,
}
"""(Hasil Kerja, Perilaku) → predikat, PermenPANRB 6/2022."""

ANGKA_KREDIT_PERCENT: dict[Predikat, Decimal] = {
    Predikat.SANGAT_BAIK: Decimal(150),
    Predikat.BAIK: Decimal(100),
    Predikat.BUTUH_PERBAIKAN: Decimal(75),
    Predikat.KURANG: Decimal(50),
    Predikat.SANGAT_KURANG: Decimal(25),
}

JF_COEFFICIENTS: dict[JFLevel, Decimal] = {
    JFLevel.PEMULA: Decimal("3.75"),
    JFLevel.TERAMPIL: Decimal(5),
    JFLevel.MAHIR: Decimal("12.5"),
    JFLevel.PENYELIA: Decimal(25),
    JFLevel.AHLI_PERTAMA: Decimal("12.5"),
    JFLevel.AHLI_MUDA: Decimal(25),
    JFLevel.AHLI_MADYA: Decimal("37.5"),
    JFLevel.AHLI_UTAMA: Decimal(50),
}


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class IndicatorInput:
    """One plan indicator as the engine needs it.

    `realisation` is the employee's figure (quantitative), `level` the supervisor's
    (rubric); `self_level` is only shown beside it (the tangsel gap), never scored.
    """

    code: str
    kind: IndicatorKind
    weight: Decimal
    direction: Direction = Direction.NAIK
    target: Decimal | None = None
    realisation: Decimal | None = None
    verified: bool = False
    level: int | None = None
    self_level: int | None = None
    name: str = ""


@dataclass(frozen=True)
class ResultInput:
    """A result (RHK). `component` None means the scheme's main plan component.

    `supports` is the supervisor's result it cascades from (nasional); display only.
    """

    code: str
    indicators: tuple[IndicatorInput, ...]
    kind: ResultKind = ResultKind.UTAMA
    component: str | None = None
    name: str = ""
    supports: str = ""


@dataclass(frozen=True)
class BehaviourInput:
    """Levels for one BerAKHLAK value: the supervisor's and each peer answer's."""

    supervisor: int | None
    peers: tuple[int, ...] = ()
    self_level: int | None = None


@dataclass(frozen=True)
class AttendanceInput:
    working_days: int
    present_days: int
    late: int = 0
    early_leave: int = 0


@dataclass(frozen=True)
class IkmInput:
    value: Decimal
    respondents: int


@dataclass(frozen=True)
class AppraisalInput:
    """Everything one appraisal's score depends on, already gathered from the database.

    `attendance` None means no import; `ikm` None means no survey; `team_levels` None or
    empty means no Tim Penilai score. An empty `sanctions` is a clean record, not
    missing data. Behaviour keys are BerAKHLAK codes.
    """

    results: tuple[ResultInput, ...] = ()
    behaviour: Mapping[str, BehaviourInput] = field(default_factory=dict)
    attendance: AttendanceInput | None = None
    sanctions: tuple[Sanction, ...] = ()
    ikm: IkmInput | None = None
    team_levels: tuple[int, ...] | None = None
    deadline_passed: bool = True


@dataclass(frozen=True)
class RatingOverride:
    """The supervisor's decision against the portal's matrix-mode recommendation."""

    rating: Rating
    reason: str


# ----------------------------------------------------------------------- breakdown


class _Jsonable:
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (Decimals as strings, enums as codes) for a JSONField or an API."""
        return _jsonable(self)


@dataclass(frozen=True)
class IndicatorBreakdown(_Jsonable):
    code: str
    name: str
    kind: IndicatorKind
    weight: Decimal
    direction: Direction | None
    target: Decimal | None
    realisation: Decimal | None
    verified: bool
    level: int | None
    self_level: int | None
    achievement: Decimal | None
    value: Decimal | None
    value_rounded: Decimal | None
    rated_by: tuple[Rater, ...]
    zeroed: bool = False
    pending: bool = False
    capped: bool = False
    floored: bool = False


@dataclass(frozen=True)
class ResultBreakdown(_Jsonable):
    code: str
    name: str
    kind: ResultKind
    component: str
    supports: str
    weight: Decimal
    value: Decimal | None
    value_rounded: Decimal | None
    rating: Rating | None
    indicators: tuple[IndicatorBreakdown, ...]


@dataclass(frozen=True)
class BehaviourBreakdown(_Jsonable):
    code: str
    label: str
    supervisor_level: int | None
    supervisor_value: Decimal | None
    self_level: int | None
    peer_count: int
    peer_mean_value: Decimal | None
    supervisor_share: Decimal
    peer_share: Decimal
    value: Decimal | None
    value_rounded: Decimal | None
    rated_by: tuple[Rater, ...]
    redistributed: bool = False
    pending: bool = False


@dataclass(frozen=True)
class DataScoreBreakdown(_Jsonable):
    """A score out of 100 from data, and the value (score × scale) that is averaged."""

    score: Decimal
    score_rounded: Decimal
    scale: Decimal
    value: Decimal
    value_rounded: Decimal
    detail: str


@dataclass(frozen=True)
class TeamBreakdown(_Jsonable):
    levels: tuple[int, ...]
    values: tuple[Decimal, ...]


@dataclass(frozen=True)
class ComponentBreakdown(_Jsonable):
    key: str
    name: str
    source: Source
    raters: tuple[Rater, ...]
    weight: Decimal | None
    effective_weight: Decimal | None
    effective_weight_rounded: Decimal | None
    status: ComponentStatus
    value: Decimal | None
    value_rounded: Decimal | None
    results: tuple[ResultBreakdown, ...] = ()
    behaviours: tuple[BehaviourBreakdown, ...] = ()
    data: DataScoreBreakdown | None = None
    team: TeamBreakdown | None = None

    @property
    def redistributed(self) -> bool:
        return self.status == ComponentStatus.DIALIHKAN


@dataclass(frozen=True)
class RatingBreakdown(_Jsonable):
    """A matrix-mode rating: the value it rests on, the recommendation and the outcome."""

    value: Decimal | None
    value_rounded: Decimal | None
    recommended: Rating | None
    effective: Rating | None
    overridden: bool
    override_reason: str


@dataclass(frozen=True)
class Breakdown(_Jsonable):
    """Everything needed to show, store and explain one appraisal's score."""

    scheme_key: str
    scheme_name: str
    mode: Mode
    components: tuple[ComponentBreakdown, ...]
    final_value: Decimal | None
    final_value_rounded: Decimal | None
    hasil_kerja: RatingBreakdown | None
    perilaku: RatingBreakdown | None
    predikat: Predikat | None
    predikat_label: str | None
    incentive_percent: Decimal | None
    notes: tuple[str, ...]
    complete: bool
    deadline_passed: bool

    @property
    def results(self) -> tuple[ResultBreakdown, ...]:
        return tuple(result for component in self.components for result in component.results)

    def component(self, key: str) -> ComponentBreakdown:
        for component in self.components:
            if component.key == key:
                return component
        raise KeyError(key)


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, Decimal):
        return format(obj, "f")
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Mapping):
        return {str(_jsonable(key)): _jsonable(value) for key, value in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(item) for item in obj]
    return obj


# ------------------------------------------------------------------- basic rules


def round2(value: Decimal) -> Decimal:
    """The shown value: half up to 2 decimals (Decimal's default would be half even)."""
    with localcontext(DECIMAL_CONTEXT):
        return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _round2_or_none(value: Decimal | None) -> Decimal | None:
    return None if value is None else round2(value)


def level_value(level: int, config: ScoringConfig = _DEFAULT_CONFIG) -> Decimal:
    if isinstance(level, bool) or level not in config.level_values:
        raise ScoringInputError(f"Level harus 1 sampai 5, bukan {level!r}.")
    return config.level_values[level]


def achievement(
    direction: Direction | str,
    target: Decimal,
    realisation: Decimal,
    cap: Decimal = _DEFAULT_CONFIG.achievement_cap,
) -> tuple[Decimal, bool, bool]:
    """Achievement ratio of a quantitative indicator, with (capped, floored) flags.

    Lower-is-better mirrors around the target, so 10% under target scores like 10%
    over it on a higher-is-better indicator; it cannot go below 0.
    """
    if target <= 0:
        raise ScoringInputError("Target indikator kuantitatif harus lebih dari 0.")
    if realisation < 0:
        raise ScoringInputError("Realisasi tidak boleh negatif.")
    with localcontext(DECIMAL_CONTEXT):
        if Direction(direction) == Direction.NAIK:
            ratio = realisation / target
        else:
            ratio = (2 * target - realisation) / target
        floored = ratio < 0
        if floored:
            ratio = ZERO
        capped = ratio > cap
        if capped:
            ratio = cap
        return ratio, capped, floored


def attendance_score(
    attendance: AttendanceInput, config: ScoringConfig = _DEFAULT_CONFIG
) -> Decimal | None:
    """Score out of 100, or None (no data) when there were no working days."""
    a = attendance
    if min(a.working_days, a.present_days, a.late, a.early_leave) < 0:
        raise ScoringInputError("Data kehadiran tidak boleh negatif.")
    if a.present_days > a.working_days:
        raise ScoringInputError("Hari hadir tidak boleh melebihi hari kerja.")
    if a.working_days == 0:
        return None
    with localcontext(DECIMAL_CONTEXT):
        score = HUNDRED * a.present_days / a.working_days
        score -= config.attendance_penalty * (a.late + a.early_leave)
        return max(score, ZERO)


def discipline_score(
    sanctions: Iterable[Sanction | str], config: ScoringConfig = _DEFAULT_CONFIG
) -> Decimal:
    with localcontext(DECIMAL_CONTEXT):
        score = HUNDRED
        for sanction in sanctions:
            try:
                score -= config.sanction_penalties[Sanction(sanction)]
            except ValueError as exc:
                raise ScoringInputError(f"Tingkat hukuman tidak dikenal: {sanction!r}.") from exc
        return max(score, ZERO)


def predikat_for_value(value: Decimal, config: ScoringConfig = _DEFAULT_CONFIG) -> Predikat:
    """Numeric-mode band of a value, applied to the value rounded to 2 decimals."""
    shown = round2(value)
    for threshold, predikat in config.bands:
        if shown >= threshold:
            return predikat
    return Predikat.SANGAT_KURANG


def rating_for_value(value: Decimal, config: ScoringConfig = _DEFAULT_CONFIG) -> Rating:
    """Above/as/below expectation of a result value or the mean behaviour value."""
    shown = round2(value)
    if shown >= config.above_expectation:
        return Rating.DI_ATAS
    if shown < config.below_expectation:
        return Rating.DI_BAWAH
    return Rating.SESUAI


def matrix_predikat(hasil_kerja: Rating | str, perilaku: Rating | str) -> Predikat:
    return MATRIX[(Rating(hasil_kerja), Rating(perilaku))]


def incentive_percent(predikat: Predikat | str, config: ScoringConfig = _DEFAULT_CONFIG) -> Decimal:
    """TPP factor in percent (90 means 90%)."""
    return config.incentive_percents[Predikat(predikat)]


def angka_kredit(predikat: Predikat | str, jenjang: JFLevel | str, months: int = 12) -> Decimal:
    """Angka kredit for one period: percentage × yearly coefficient × months / 12.

    Rounded half up to 3 decimals. A period is 1 to 12 months; a year or more earns the
    yearly figure once per appraisal, so longer periods are refused rather than guessed.
    """
    if isinstance(months, bool) or not 1 <= months <= 12:
        raise ScoringInputError("Masa penilaian angka kredit harus 1 sampai 12 bulan.")
    with localcontext(DECIMAL_CONTEXT):
        value = (
            ANGKA_KREDIT_PERCENT[Predikat(predikat)]
            / HUNDRED
            * JF_COEFFICIENTS[JFLevel(jenjang)]
            * months
            / 12
        )
        return value.quantize(_MILLI, rounding=ROUND_HALF_UP)


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, ZERO) / len(values)


def _weighted_mean(pairs: Sequence[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Mean of (value, weight) pairs; None when there is nothing to average."""
    total = sum((weight for _, weight in pairs), ZERO)
    if not pairs or total == 0:
        return None
    return sum((value * weight for value, weight in pairs), ZERO) / total


# ------------------------------------------------------------------ the appraisal


def compute_appraisal(
    scheme: Scheme,
    data: AppraisalInput,
    *,
    hasil_kerja_override: RatingOverride | None = None,
    perilaku_override: RatingOverride | None = None,
) -> Breakdown:
    """Score one appraisal under a scheme (with the cycle's weights already applied).

    Overrides are the supervisor's matrix-mode ratings; they are refused in numeric
    mode, where there is nothing to override.
    """
    if scheme.mode == Mode.NUMERIC and (hasil_kerja_override or perilaku_override):
        raise ScoringInputError("Rating hanya dapat diubah atasan pada skema mode matriks.")
    for override in (hasil_kerja_override, perilaku_override):
        if override is not None and not override.reason.strip():
            raise ScoringInputError("Perubahan rating oleh atasan wajib disertai alasan.")
    with localcontext(DECIMAL_CONTEXT):
        return _Computation(scheme, data).run(hasil_kerja_override, perilaku_override)


class _Computation:
    """One run of the engine; collects the notes as each part is scored."""

    def __init__(self, scheme: Scheme, data: AppraisalInput) -> None:
        self.scheme = scheme
        self.config = scheme.config
        self.data = data
        self.notes: list[str] = []
        self.complete = True

    def run(
        self, hasil_kerja_override: RatingOverride | None, perilaku_override: RatingOverride | None
    ) -> Breakdown:
        results_by_component = self._route_results()
        components = [
            self._component(component, results_by_component.get(component.key, []))
            for component in self.scheme.components
        ]
        final_value = predikat = hasil_kerja = perilaku = None
        if self.scheme.mode == Mode.NUMERIC:
            components, final_value = self._combine(components)
            if final_value is not None:
                predikat = predikat_for_value(final_value, self.config)
        else:
            hasil_kerja, perilaku = self._ratings(
                components, hasil_kerja_override, perilaku_override
            )
            if hasil_kerja.effective and perilaku.effective:
                predikat = matrix_predikat(hasil_kerja.effective, perilaku.effective)
        if not self.complete:
            self.notes.insert(0, "Penilaian belum lengkap; nilai dan predikat masih sementara.")
        return Breakdown(
            scheme_key=self.scheme.key,
            scheme_name=self.scheme.name,
            mode=self.scheme.mode,
            components=tuple(components),
            final_value=final_value,
            final_value_rounded=_round2_or_none(final_value),
            hasil_kerja=hasil_kerja,
            perilaku=perilaku,
            predikat=predikat,
            predikat_label=predikat.label_for(self.scheme.mode) if predikat else None,
            incentive_percent=incentive_percent(predikat, self.config) if predikat else None,
            notes=tuple(self.notes),
            complete=self.complete,
            deadline_passed=self.data.deadline_passed,
        )

    # -- routing and plan indicators

    def _route_results(self) -> dict[str, list[ResultInput]]:
        routed: dict[str, list[ResultInput]] = {}
        plan_keys = self.scheme.plan_component_keys
        for result in self.data.results:
            key = result.component or self.scheme.main_component.key
            if key not in plan_keys:
                raise ScoringInputError(
                    f"Hasil {result.code}: '{key}' bukan komponen rencana skema "
                    f"{self.scheme.key} (pilihan: {', '.join(plan_keys)})."
                )
            if not result.indicators:
                raise ScoringInputError(f"Hasil {result.code} tidak memiliki indikator.")
            routed.setdefault(key, []).append(result)
        return routed

    def _indicator(self, result: ResultInput, ind: IndicatorInput) -> IndicatorBreakdown:
        if ind.weight <= 0:
            raise ScoringInputError(f"Indikator {ind.code}: bobot harus lebih dari 0.")
        common = {
            "code": ind.code,
            "name": ind.name,
            "kind": IndicatorKind(ind.kind),
            "weight": ind.weight,
            "verified": ind.verified,
            "level": ind.level,
            "self_level": ind.self_level,
        }
        if ind.kind == IndicatorKind.RUBRIK:
            if ind.level is None:
                self.complete = False
                self.notes.append(
                    f"Indikator {ind.code} (hasil {result.code}) belum diberi level oleh atasan; "
                    "belum dihitung."
                )
                return IndicatorBreakdown(
                    **common,
                    direction=None,
                    target=None,
                    realisation=None,
                    achievement=None,
                    value=None,
                    value_rounded=None,
                    rated_by=(Rater.ATASAN,),
                    pending=True,
                )
            value = level_value(ind.level, self.config)
            return IndicatorBreakdown(
                **common,
                direction=None,
                target=None,
                realisation=None,
                achievement=None,
                value=value,
                value_rounded=round2(value),
                rated_by=(Rater.ATASAN,),
            )

        if ind.target is None or ind.target <= 0:
            raise ScoringInputError(f"Indikator {ind.code}: target harus lebih dari 0.")
        rated_by = (
            (Rater.PEGAWAI, Rater.VERIFIKATOR)
            if self.scheme.verifies_realisations
            else (Rater.PEGAWAI,)
        )
        missing = None
        if ind.realisation is None:
            missing = "belum diisi"
        elif self.scheme.verifies_realisations and not ind.verified:
            missing = "belum diverifikasi Verifikator"
        if missing:
            where = f"Indikator {ind.code} (hasil {result.code}): realisasi {missing}"
            if self.data.deadline_passed:
                self.notes.append(f"{where} sampai batas waktu penilaian atasan; dihitung 0.")
            else:
                self.complete = False
                self.notes.append(
                    f"{where}; sementara dihitung 0 sampai batas waktu penilaian atasan."
                )
            return IndicatorBreakdown(
                **common,
                direction=Direction(ind.direction),
                target=ind.target,
                realisation=ind.realisation,
                achievement=ZERO,
                value=ZERO,
                value_rounded=round2(ZERO),
                rated_by=rated_by,
                zeroed=self.data.deadline_passed,
                pending=not self.data.deadline_passed,
            )
        ratio, capped, floored = achievement(
            ind.direction, ind.target, ind.realisation, self.config.achievement_cap
        )
        value = ratio * HUNDRED
        return IndicatorBreakdown(
            **common,
            direction=Direction(ind.direction),
            target=ind.target,
            realisation=ind.realisation,
            achievement=ratio,
            value=value,
            value_rounded=round2(value),
            rated_by=rated_by,
            capped=capped,
            floored=floored,
        )

    def _result(self, component_key: str, result: ResultInput) -> ResultBreakdown:
        indicators = tuple(self._indicator(result, ind) for ind in result.indicators)
        value = _weighted_mean([(i.value, i.weight) for i in indicators if i.value is not None])
        rating = None
        if self.scheme.mode == Mode.MATRIX and value is not None:
            rating = rating_for_value(value, self.config)
        return ResultBreakdown(
            code=result.code,
            name=result.name,
            kind=ResultKind(result.kind),
            component=component_key,
            supports=result.supports,
            weight=sum((i.weight for i in indicators), ZERO),
            value=value,
            value_rounded=_round2_or_none(value),
            rating=rating,
            indicators=indicators,
        )

    # -- components

    def _component(self, component: Component, results: list[ResultInput]) -> ComponentBreakdown:
        base = ComponentBreakdown(
            key=component.key,
            name=component.name,
            source=component.source,
            raters=component.raters,
            weight=component.weight,
            effective_weight=None,
            effective_weight_rounded=None,
            status=ComponentStatus.ADA,
            value=None,
            value_rounded=None,
        )
        source = component.source
        if source == Source.RENCANA:
            return self._plan_component(base, component, results)
        if source == Source.PERILAKU:
            return self._behaviour_component(base, component)
        if source == Source.TIM:
            return self._team_component(base, component)
        return self._data_component(base, component)

    def _with_value(
        self, base: ComponentBreakdown, value: Decimal, **extra: Any
    ) -> ComponentBreakdown:
        return dataclasses.replace(base, value=value, value_rounded=round2(value), **extra)

    def _redistributed(
        self, base: ComponentBreakdown, why: str, **extra: Any
    ) -> ComponentBreakdown:
        if self.scheme.mode == Mode.MATRIX:
            # A matrix rating has no other component to lean on: it simply waits.
            return self._not_rated(base, why, **extra)
        why += f"; bobot {_plain(base.weight)}% dibagi secara proporsional ke komponen lain"
        self.notes.append(f"Komponen {base.name}: {why}.")
        return dataclasses.replace(base, status=ComponentStatus.DIALIHKAN, **extra)

    def _not_rated(self, base: ComponentBreakdown, why: str, **extra: Any) -> ComponentBreakdown:
        self.complete = False
        self.notes.append(f"Komponen {base.name}: {why}.")
        return dataclasses.replace(base, status=ComponentStatus.BELUM_DINILAI, **extra)

    def _plan_component(
        self, base: ComponentBreakdown, component: Component, results: list[ResultInput]
    ) -> ComponentBreakdown:
        scored = tuple(self._result(component.key, result) for result in results)
        pairs = [
            (ind.value, ind.weight)
            for result in scored
            for ind in result.indicators
            if ind.value is not None
        ]
        value = _weighted_mean(pairs)
        if not scored:
            # The plan agreed with the supervisor has nothing here: not the employee's gap
            # to fill at scoring time, so the component steps aside rather than scoring 0.
            return self._redistributed(
                base, "rencana kinerja tidak memiliki indikator untuk komponen ini"
            )
        if value is None:
            return self._not_rated(base, "belum ada indikator yang dinilai", results=scored)
        return self._with_value(base, value, results=scored)

    def _behaviour_component(
        self, base: ComponentBreakdown, component: Component
    ) -> ComponentBreakdown:
        unknown = sorted(set(self.data.behaviour) - set(BERAKHLAK))
        if unknown:
            raise ScoringInputError(f"Nilai BerAKHLAK tidak dikenal: {', '.join(unknown)}.")
        behaviours: list[BehaviourBreakdown] = []
        short_of_peers: list[str] = []
        unrated: list[str] = []
        for code, label in BERAKHLAK.items():
            given = self.data.behaviour.get(code)
            if given is None or given.supervisor is None:
                unrated.append(label)
                if given is None:
                    continue
            behaviours.append(self._behaviour(component, code, label, given, short_of_peers))
        if short_of_peers:
            self.notes.append(
                f"Komponen {base.name}: jawaban rekan kerja kurang dari "
                f"{self.config.min_peer_answers} untuk {', '.join(short_of_peers)}; porsi rekan "
                f"{_plain(component.peer_share)}% dialihkan ke penilaian atasan."
            )
        values = [b.value for b in behaviours if b.value is not None]
        if not values:
            return self._not_rated(
                base, "nilai perilaku belum dinilai atasan", behaviours=tuple(behaviours)
            )
        if unrated:
            self.complete = False
            self.notes.append(
                f"Komponen {base.name}: belum dinilai atasan untuk {', '.join(unrated)}; "
                "rata-rata sementara dari nilai yang sudah dinilai."
            )
        return self._with_value(base, _mean(values), behaviours=tuple(behaviours))

    def _behaviour(
        self,
        component: Component,
        code: str,
        label: str,
        given: BehaviourInput,
        short_of_peers: list[str],
    ) -> BehaviourBreakdown:
        peer_values = [level_value(level, self.config) for level in given.peers]
        common = {
            "code": code,
            "label": label,
            "supervisor_level": given.supervisor,
            "self_level": given.self_level,
            "peer_count": len(peer_values),
        }
        if given.supervisor is None:
            return BehaviourBreakdown(
                **common,
                supervisor_value=None,
                peer_mean_value=None,
                supervisor_share=component.supervisor_share,
                peer_share=component.peer_share,
                value=None,
                value_rounded=None,
                rated_by=(),
                pending=True,
            )
        supervisor_value = level_value(given.supervisor, self.config)
        if component.uses_peers and len(peer_values) >= self.config.min_peer_answers:
            peer_mean = _mean(peer_values)
            value = (
                component.supervisor_share * supervisor_value + component.peer_share * peer_mean
            ) / HUNDRED
            return BehaviourBreakdown(
                **common,
                supervisor_value=supervisor_value,
                peer_mean_value=peer_mean,
                supervisor_share=component.supervisor_share,
                peer_share=component.peer_share,
                value=value,
                value_rounded=round2(value),
                rated_by=(Rater.ATASAN, Rater.REKAN),
            )
        if component.uses_peers:
            short_of_peers.append(f"{label} ({len(peer_values)})")
        return BehaviourBreakdown(
            **common,
            supervisor_value=supervisor_value,
            peer_mean_value=None,
            supervisor_share=HUNDRED,
            peer_share=ZERO,
            value=supervisor_value,
            value_rounded=round2(supervisor_value),
            rated_by=(Rater.ATASAN,),
            redistributed=component.uses_peers,
        )

    def _team_component(self, base: ComponentBreakdown, component: Component) -> ComponentBreakdown:
        levels = self.data.team_levels
        if not levels:
            return self._redistributed(base, "tidak ada nilai dari anggota Tim Penilai")
        values = tuple(level_value(level, self.config) for level in levels)
        team = TeamBreakdown(levels=tuple(levels), values=values)
        return self._with_value(base, _mean(values), team=team)

    def _data_component(self, base: ComponentBreakdown, component: Component) -> ComponentBreakdown:
        cfg = self.config
        if component.source == Source.KEHADIRAN:
            a = self.data.attendance
            score = attendance_score(a, cfg) if a is not None else None
            if score is None:
                return self._redistributed(base, "tidak ada data kehadiran untuk periode ini")
            detail = (
                f"hadir {a.present_days} dari {a.working_days} hari kerja, terlambat {a.late} "
                f"kali, pulang cepat {a.early_leave} kali"
            )
        elif component.source == Source.DISIPLIN:
            score = discipline_score(self.data.sanctions, cfg)
            counts = {s: list(self.data.sanctions).count(s) for s in Sanction}
            detail = (
                "tidak ada hukuman disiplin"
                if not self.data.sanctions
                else "hukuman disiplin "
                + ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
            )
        else:
            ikm = self.data.ikm
            if ikm is None or ikm.respondents < cfg.min_ikm_respondents:
                responden = "tidak ada survei" if ikm is None else f"{ikm.respondents} responden"
                return self._redistributed(
                    base,
                    f"IKM unit kerja belum dapat dipakai ({responden}; minimal "
                    f"{cfg.min_ikm_respondents} responden)",
                )
            if not ZERO <= ikm.value <= HUNDRED:
                raise ScoringInputError("IKM harus antara 0 dan 100.")
            score = ikm.value
            detail = f"IKM unit kerja dari {ikm.respondents} responden"
        value = score * cfg.data_scale
        data = DataScoreBreakdown(
            score=score,
            score_rounded=round2(score),
            scale=cfg.data_scale,
            value=value,
            value_rounded=round2(value),
            detail=detail,
        )
        return self._with_value(base, value, data=data)

    # -- combining

    def _combine(
        self, components: list[ComponentBreakdown]
    ) -> tuple[list[ComponentBreakdown], Decimal | None]:
        """Final value over the components present; their weights are scaled to the total."""
        present = [c for c in components if c.value is not None]
        total = sum((c.weight for c in components), ZERO)
        present_total = sum((c.weight for c in present), ZERO)
        final_value = _weighted_mean([(c.value, c.weight) for c in present])
        combined = []
        for c in components:
            effective = c.weight * total / present_total if c.value is not None else ZERO
            combined.append(
                dataclasses.replace(
                    c, effective_weight=effective, effective_weight_rounded=round2(effective)
                )
            )
        return combined, final_value

    def _ratings(
        self,
        components: list[ComponentBreakdown],
        hasil_kerja_override: RatingOverride | None,
        perilaku_override: RatingOverride | None,
    ) -> tuple[RatingBreakdown, RatingBreakdown]:
        plan = next(c for c in components if c.source == Source.RENCANA)
        behaviour = next(c for c in components if c.source == Source.PERILAKU)
        rated_results = [r for r in plan.results if r.rating is not None]
        recommended_hk = self._hasil_kerja_rating(rated_results) if rated_results else None
        recommended_pk = (
            rating_for_value(behaviour.value, self.config) if behaviour.value is not None else None
        )
        return (
            self._rating("Hasil Kerja", plan.value, recommended_hk, hasil_kerja_override),
            self._rating("Perilaku", behaviour.value, recommended_pk, perilaku_override),
        )

    @staticmethod
    def _hasil_kerja_rating(results: Sequence[ResultBreakdown]) -> Rating:
        total = sum((r.weight for r in results), ZERO)
        above = sum((r.weight for r in results if r.rating == Rating.DI_ATAS), ZERO)
        below = sum((r.weight for r in results if r.rating == Rating.DI_BAWAH), ZERO)
        main_below = any(
            r.kind == ResultKind.UTAMA and r.rating == Rating.DI_BAWAH for r in results
        )
        # "More than half the weight": strictly, so an even split stays Sesuai.
        if 2 * above > total and not main_below:
            return Rating.DI_ATAS
        if 2 * below > total:
            return Rating.DI_BAWAH
        return Rating.SESUAI

    def _rating(
        self,
        label: str,
        value: Decimal | None,
        recommended: Rating | None,
        override: RatingOverride | None,
    ) -> RatingBreakdown:
        effective = override.rating if override else recommended
        overridden = override is not None and override.rating != recommended
        if overridden:
            advice = recommended.label if recommended else "belum ada"
            self.notes.append(
                f"Atasan menetapkan rating {label} {override.rating.label} (rekomendasi portal: "
                f"{advice}). Alasan: {override.reason.strip()}"
            )
        return RatingBreakdown(
            value=value,
            value_rounded=_round2_or_none(value),
            recommended=recommended,
            effective=Rating(effective) if effective else None,
            overridden=overridden,
            override_reason=override.reason.strip() if overridden else "",
        )


def _plain(value: Decimal | None) -> str:
    if value is None:
        return "-"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# ------------------------------------------------------------------- distribution


@dataclass(frozen=True)
class DistributionRule(_Jsonable):
    """One line of an SE MenPANRB 3/2023 pattern, checked against the actual counts.

    `limit` is the allowed maximum (`at_most`) or required minimum (`at_least`) in
    employees; `percent` is None for a fixed count ("at least one").
    """

    kind: str
    predikats: tuple[Predikat, ...]
    percent: int | None
    limit: int
    actual: int
    satisfied: bool
    text: str


@dataclass(frozen=True)
class DistributionCheck(_Jsonable):
    organisation_predikat: OrganisationPredikat
    total: int
    rules: tuple[DistributionRule, ...]
    satisfiable: bool
    warning: str | None

    @property
    def satisfied(self) -> bool:
        return all(rule.satisfied for rule in self.rules)

    @property
    def needs_justification(self) -> bool:
        """A deviation that finalisation must justify (or block, if the agency chose so).

        An impossible pattern is only ever a warning: nobody can be asked to justify it.
        """
        return self.satisfiable and not self.satisfied

    @property
    def may_block(self) -> bool:
        return self.needs_justification

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["satisfied"] = self.satisfied
        data["needs_justification"] = self.needs_justification
        return data


_AT_MOST = "at_most"
_AT_LEAST = "at_least"

_P = Predikat
# (kind, predikats, percent or None for a fixed count, fixed count)
_PATTERNS: dict[
    OrganisationPredikat, tuple[tuple[str, tuple[Predikat, ...], int | None, int], ...]
] = {
    OrganisationPredikat.ISTIMEWA: ((_AT_MOST, (_P.SANGAT_BAIK,), 70, 0),),
    OrganisationPredikat.BAIK: (
        (_AT_MOST, (_P.BAIK,), 70, 0),
        (_AT_LEAST, (_P.BUTUH_PERBAIKAN, _P.KURANG), None, 1),
    ),
    OrganisationPredikat.BUTUH_PERBAIKAN: (
        (_AT_LEAST, (_P.BUTUH_PERBAIKAN,), 60, 0),
        (_AT_MOST, (_P.SANGAT_BAIK,), 10, 0),
    ),
    OrganisationPredikat.KURANG: (
        (_AT_LEAST, (_P.KURANG,), 60, 0),
        (_AT_LEAST, (_P.BUTUH_PERBAIKAN,), 10, 0),
        (_AT_MOST, (_P.SANGAT_BAIK,), 10, 0),
    ),
    OrganisationPredikat.SANGAT_KURANG: (
        (_AT_LEAST, (_P.SANGAT_KURANG,), 60, 0),
        (_AT_LEAST, (_P.KURANG, _P.BUTUH_PERBAIKAN), 10, 0),
        (_AT_MOST, (_P.SANGAT_BAIK,), 0, 0),
    ),
}


def check_distribution(
    organisation_predikat: OrganisationPredikat | str, counts: Mapping[Predikat | str, int]
) -> DistributionCheck:
    """Check an agency's predikat counts against the pattern for its organisation predikat.

    N is the sum of the counts (the employees with a predikat in the cycle). Integer
    arithmetic only: ⌊p·N/100⌋ and ⌈p·N/100⌉ must not depend on float rounding.
    """
    org = OrganisationPredikat(organisation_predikat)
    tally = {predikat: 0 for predikat in Predikat}
    for code, count in counts.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ScoringInputError(f"Jumlah pegawai untuk {code} harus bilangan bulat ≥ 0.")
        tally[Predikat(code)] += count
    total = sum(tally.values())

    rules = []
    for kind, predikats, percent, fixed in _PATTERNS[org]:
        actual = sum(tally[p] for p in predikats)
        if percent is None:
            limit = fixed
        elif kind == _AT_MOST:
            limit = percent * total // 100
        else:
            limit = -(-percent * total // 100)
        satisfied = actual <= limit if kind == _AT_MOST else actual >= limit
        rules.append(
            DistributionRule(
                kind=kind,
                predikats=predikats,
                percent=percent,
                limit=limit,
                actual=actual,
                satisfied=satisfied,
                text=_rule_text(kind, predikats, percent, limit, actual, satisfied),
            )
        )
    required = sum(rule.limit for rule in rules if rule.kind == _AT_LEAST)
    satisfiable = required <= total
    warning = None
    if not satisfiable:
        warning = f"Pola distribusi tidak dapat dipenuhi untuk {total} pegawai"
    elif not all(rule.satisfied for rule in rules):
        warning = (
            f"Distribusi predikat tidak sesuai pola untuk organisasi berpredikat {org.label}; "
            "perlu justifikasi tertulis."
        )
    return DistributionCheck(
        organisation_predikat=org,
        total=total,
        rules=tuple(rules),
        satisfiable=satisfiable,
        warning=warning,
    )


def _rule_text(
    kind: str,
    predikats: tuple[Predikat, ...],
    percent: int | None,
    limit: int,
    actual: int,
    satisfied: bool,
) -> str:
    names = " atau ".join(p.label for p in predikats)
    if len(predikats) > 1 and percent is not None:
        names += " (bersama-sama)"
    if kind == _AT_MOST and percent == 0:
        rule = f"Tidak ada {names}"
        bound = "diizinkan 0 pegawai"
    elif kind == _AT_MOST:
        rule = f"Paling banyak {percent}% {names}"
        bound = f"paling banyak {limit} pegawai"
    elif percent is None:
        rule = f"Paling sedikit {limit} pegawai {names}"
        bound = f"paling sedikit {limit} pegawai"
    else:
        rule = f"Paling sedikit {percent}% {names}"
        bound = f"paling sedikit {limit} pegawai"
    verdict = "terpenuhi" if satisfied else "tidak terpenuhi"
    return f"{rule}: {bound}, saat ini {actual}: {verdict}."
