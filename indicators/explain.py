"""`explain_score`: score a hand-written JSON appraisal and explain it in Indonesian.

HR and sceptical employees use it to check the arithmetic without the database, so
validation collects every problem at once and names each by its path in the JSON
(`hasil[0].indikator[1].bobot: ...`). The input is read as at the supervisor-scoring
deadline: a null realisation (or an unverified one where the scheme verifies) counts 0.

Input contract::

    {"skema": "<preset key>",
     "hasil": [{"kode", "jenis": "utama"|"tambahan", "komponen",
                "indikator": [{"kode", "jenis": "kuantitatif"|"rubrik", "arah": "naik"|"turun",
                               "target", "realisasi", "terverifikasi", "bobot", "level"}]}],
     "perilaku": {"<nilai BerAKHLAK>": {"atasan": 1-5, "rekan": [1-5, ...]}},
     "kehadiran": {"hari_kerja", "hari_hadir", "terlambat", "pulang_cepat"} | null,
     "disiplin": ["ringan"|"sedang"|"berat", ...],
     "ikm": {"nilai", "responden"} | {"jawaban": [[1-4 × 9], ...]} | null,
     "tim": [1-5, ...] | null,
     "bobot": {"<komponen>": <bobot>, ...} | null,
     "pengaturan": {see indicators.scoring_settings} | null,
     "penyesuaian": {"hasil_kerja": <rating>, "perilaku": <rating>, "alasan"} | null}

Decisions where the contract is open: numbers may be JSON numbers or strings, floats
go through `str()` so 95.1 stays 95.1; `jenis` of a result defaults to `utama`,
`komponen` to the preset's main plan component, `terverifikasi` to false, `terlambat`
and `pulang_cepat` to 0, `disiplin` to a clean record; `arah` and `target` are required
for `kuantitatif`, `level` for `rubrik`; plan weights must sum to exactly 100. Blocks a
preset does not use are ignored, not validated.

`ikm.jawaban` is the survey's own answers, one list of the nine element scores per response
(`indicators.ikm`): the IKM and the respondent count are computed exactly as the survey pages
compute them, and the IKM and its grade are printed before the components.

`bobot`, `pengaturan` and `penyesuaian` are what a cycle and its supervisor decide, applied
through the cycle's own code: `Scheme.with_weights` for the component weights,
`indicators.scoring_settings.parse_settings` for the settings (partial objects merge with
the defaults), `RatingOverride` for a matrix-mode adjustment. Unlike the blocks above they
are refused, not ignored, where the preset cannot use them, and so is an unknown key inside
them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from indicators.ikm import ELEMENT_COUNT, IkmResult, compute_ikm
from indicators.schemes import SCHEMES
from indicators.schemes.base import Mode, Rating, Sanction, Scheme, SchemeError, Source
from indicators.scoring import (
    BERAKHLAK,
    AppraisalInput,
    AttendanceInput,
    BehaviourInput,
    Breakdown,
    ComponentBreakdown,
    Direction,
    IkmInput,
    IndicatorBreakdown,
    IndicatorInput,
    IndicatorKind,
    RatingBreakdown,
    RatingOverride,
    ResultInput,
    ResultKind,
    compute_appraisal,
    round2,
)
from indicators.scoring_settings import (
    SettingsError,
    apply_settings,
    changed_settings,
    describe_settings,
    parse_settings,
)

__all__ = [
    "ExplainInputError",
    "ExplainRequest",
    "explain_score",
    "explain_score_text",
    "parse_explain_input",
    "parse_explain_request",
    "render_breakdown_text",
]


class ExplainInputError(ValueError):
    """Every problem found in an `explain_score` input, as Indonesian messages."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


class _Reader:
    """Collects errors while converting, so one run reports every problem."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def decimal(self, value: Any, path: str, *, positive: bool = False) -> Decimal | None:
        requirement = "harus berupa angka > 0" if positive else "harus berupa angka >= 0"
        parsed = _to_decimal(value)
        if parsed is None or parsed < 0 or (positive and parsed == 0):
            self.error(path, requirement)
            return None
        return parsed

    def integer(self, value: Any, path: str) -> int | None:
        parsed = _to_decimal(value)
        if parsed is None or parsed < 0 or parsed != parsed.to_integral_value():
            self.error(path, "harus berupa bilangan bulat >= 0")
            return None
        return int(parsed)

    def level(self, value: Any, path: str) -> int | None:
        parsed = _to_decimal(value)
        if parsed is None or parsed not in (1, 2, 3, 4, 5):
            self.error(path, "harus berupa level 1 sampai 5")
            return None
        return int(parsed)

    def levels(self, value: Any, path: str) -> tuple[int, ...]:
        if not isinstance(value, list):
            self.error(path, "harus berupa daftar level 1 sampai 5")
            return ()
        levels = [self.level(item, f"{path}[{i}]") for i, item in enumerate(value)]
        return tuple(level for level in levels if level is not None)

    def text(self, value: Any, path: str) -> str:
        if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
            self.error(path, "wajib diisi")
            return ""
        return str(value).strip()

    def choice(self, value: Any, path: str, choices: list[str], default: str | None = None) -> Any:
        if value is None and default is not None:
            return default
        if value not in choices:
            self.error(path, f"harus salah satu dari {', '.join(choices)}")
            return None
        return value

    def mapping(self, value: Any, path: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(path, "harus berupa objek")
            return None
        return value


def _to_decimal(value: Any) -> Decimal | None:
    """A finite Decimal from a JSON number or a numeric string, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        parsed = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return parsed if parsed.is_finite() else None


@dataclass(frozen=True)
class ExplainRequest:
    """A validated `explain_score` input: the scheme with the input's weights and settings,
    the appraisal, the supervisor's adjustments, and the settings that differ from the
    preset's defaults (for the `Pengaturan:` line)."""

    scheme: Scheme
    appraisal: AppraisalInput
    hasil_kerja_override: RatingOverride | None = None
    perilaku_override: RatingOverride | None = None
    settings_changed: Mapping[str, Any] = field(default_factory=dict)
    survey: IkmResult | None = None

    def compute(self) -> Breakdown:
        return compute_appraisal(
            self.scheme,
            self.appraisal,
            hasil_kerja_override=self.hasil_kerja_override,
            perilaku_override=self.perilaku_override,
        )


def parse_explain_input(data: dict[str, Any]) -> AppraisalInput:
    """Validate and convert an `explain_score` JSON object into the engine's input."""
    return parse_explain_request(data).appraisal


def parse_explain_request(data: dict[str, Any]) -> ExplainRequest:
    """Validate the whole input: the appraisal, `bobot`, `pengaturan` and `penyesuaian`."""
    reader = _Reader()
    if not isinstance(data, dict):
        raise ExplainInputError(["input: harus berupa objek JSON"])
    scheme = SCHEMES.get(data["skema"]) if isinstance(data.get("skema"), str) else None
    if scheme is None:
        reader.error(
            "skema", f"skema tidak dikenal {data.get('skema')!r}; pilihan: {', '.join(SCHEMES)}"
        )
        raise ExplainInputError(reader.errors)

    results = _parse_results(reader, scheme, data.get("hasil"))
    sources = {component.source for component in scheme.components}
    behaviour = _parse_behaviour(reader, data.get("perilaku")) if Source.PERILAKU in sources else {}
    attendance = (
        _parse_attendance(reader, data.get("kehadiran")) if Source.KEHADIRAN in sources else None
    )
    sanctions = _parse_sanctions(reader, data.get("disiplin")) if Source.DISIPLIN in sources else ()
    ikm, survey = _parse_ikm(reader, data.get("ikm")) if Source.IKM in sources else (None, None)
    team = None
    if Source.TIM in sources and data.get("tim") is not None:
        team = reader.levels(data.get("tim"), "tim")
    weights = _parse_weights(reader, scheme, data.get("bobot"))
    settings = None
    try:
        settings = parse_settings(data.get("pengaturan"), scheme)
    except SettingsError as exc:
        for error in exc.errors:
            reader.errors.append(error.text("pengaturan"))
    overrides = _parse_adjustment(reader, scheme, data.get("penyesuaian"))
    if reader.errors:
        raise ExplainInputError(reader.errors)
    assert settings is not None  # a SettingsError has added its errors above
    configured = scheme
    try:
        # The cycle's own code path: its weights, then its settings.
        if weights:
            configured = configured.with_weights(weights)
        configured = apply_settings(configured, settings)
    except SchemeError as exc:  # validation should have caught it; still input
        raise ExplainInputError([f"input: {exc}"]) from None
    appraisal = AppraisalInput(
        results=results,
        behaviour=behaviour,
        attendance=attendance,
        sanctions=sanctions,
        ikm=ikm,
        team_levels=team,
        deadline_passed=True,
    )
    return ExplainRequest(
        scheme=configured,
        appraisal=appraisal,
        settings_changed=changed_settings(scheme, settings),
        survey=survey,
        **overrides,
    )


def _parse_results(reader: _Reader, scheme: Scheme, value: Any) -> tuple[ResultInput, ...]:
    if not isinstance(value, list) or not value:
        reader.error("hasil", "wajib berisi minimal satu hasil kerja")
        return ()
    plan_keys = list(scheme.plan_component_keys)
    results = []
    total_weight = Decimal(0)
    weights_valid = True
    seen_results: dict[str, int] = {}
    for i, raw in enumerate(value):
        path = f"hasil[{i}]"
        item = reader.mapping(raw, path)
        if item is None:
            weights_valid = False
            continue
        code = reader.text(item.get("kode"), f"{path}.kode")
        if code in seen_results:
            reader.error(f"{path}.kode", f"duplikat dengan hasil[{seen_results[code]}]")
        elif code:
            seen_results[code] = i
        kind = reader.choice(item.get("jenis"), f"{path}.jenis", list(ResultKind), "utama")
        component = item.get("komponen")
        if component is None:
            component = scheme.main_component.key
        elif component not in plan_keys:
            reader.error(
                f"{path}.komponen",
                f"bukan komponen rencana skema {scheme.key}; pilihan: {', '.join(plan_keys)}",
            )
        raw_indicators = item.get("indikator")
        if not isinstance(raw_indicators, list) or not raw_indicators:
            reader.error(f"{path}.indikator", "wajib berisi minimal satu indikator")
            weights_valid = False
            continue
        indicators = []
        seen_indicators: dict[str, int] = {}
        for j, raw_indicator in enumerate(raw_indicators):
            ind_path = f"{path}.indikator[{j}]"
            indicator = _parse_indicator(reader, raw_indicator, ind_path)
            if indicator is None:
                weights_valid = False
                continue
            if indicator.code in seen_indicators:
                reader.error(
                    f"{ind_path}.kode",
                    f"duplikat dengan {path}.indikator[{seen_indicators[indicator.code]}]",
                )
            seen_indicators[indicator.code] = j
            total_weight += indicator.weight
            indicators.append(indicator)
        results.append(
            ResultInput(
                code=code,
                kind=ResultKind(kind) if kind else ResultKind.UTAMA,
                component=component,
                indicators=tuple(indicators),
            )
        )
    if weights_valid and total_weight != 100:
        reader.error(
            "hasil",
            f"jumlah bobot semua indikator harus 100 (saat ini {format(total_weight, 'f')})",
        )
    return tuple(results)


def _parse_indicator(reader: _Reader, raw: Any, path: str) -> IndicatorInput | None:
    item = reader.mapping(raw, path)
    if item is None:
        return None
    errors_before = len(reader.errors)
    code = reader.text(item.get("kode"), f"{path}.kode")
    kind = reader.choice(item.get("jenis"), f"{path}.jenis", list(IndicatorKind))
    weight = reader.decimal(item.get("bobot"), f"{path}.bobot", positive=True)
    direction, target, realisation, level = Direction.NAIK, None, None, None
    verified = item.get("terverifikasi", False)
    if not isinstance(verified, bool):
        reader.error(f"{path}.terverifikasi", "harus true atau false")
    if kind == IndicatorKind.KUANTITATIF:
        direction = reader.choice(item.get("arah"), f"{path}.arah", list(Direction))
        target = reader.decimal(item.get("target"), f"{path}.target", positive=True)
        if item.get("realisasi") is not None:
            realisation = reader.decimal(item.get("realisasi"), f"{path}.realisasi")
    elif kind == IndicatorKind.RUBRIK:
        if item.get("level") is None:
            reader.error(f"{path}.level", "wajib diisi level 1 sampai 5 untuk indikator rubrik")
        else:
            level = reader.level(item.get("level"), f"{path}.level")
    if weight is None or len(reader.errors) > errors_before:
        return None
    return IndicatorInput(
        code=code,
        kind=IndicatorKind(kind),
        weight=weight,
        direction=Direction(direction),
        target=target,
        realisation=realisation,
        verified=verified,
        level=level,
    )


def _parse_behaviour(reader: _Reader, value: Any) -> dict[str, BehaviourInput]:
    if value is None:
        reader.error("perilaku", "wajib diisi untuk skema ini")
        return {}
    item = reader.mapping(value, "perilaku")
    if item is None:
        return {}
    if not item:
        reader.error("perilaku", "wajib berisi minimal satu nilai BerAKHLAK")
    behaviour = {}
    for code, raw in item.items():
        path = f"perilaku.{code}"
        if code not in BERAKHLAK:
            reader.error(path, f"bukan nilai BerAKHLAK; pilihan: {', '.join(BERAKHLAK)}")
            continue
        levels = reader.mapping(raw, path)
        if levels is None:
            continue
        supervisor = reader.level(levels.get("atasan"), f"{path}.atasan")
        peers = reader.levels(levels.get("rekan", []), f"{path}.rekan")
        behaviour[code] = BehaviourInput(supervisor=supervisor, peers=peers)
    return behaviour


def _parse_attendance(reader: _Reader, value: Any) -> AttendanceInput | None:
    if value is None:
        return None
    item = reader.mapping(value, "kehadiran")
    if item is None:
        return None
    working = reader.integer(item.get("hari_kerja"), "kehadiran.hari_kerja")
    present = reader.integer(item.get("hari_hadir"), "kehadiran.hari_hadir")
    late = reader.integer(item.get("terlambat", 0), "kehadiran.terlambat")
    early = reader.integer(item.get("pulang_cepat", 0), "kehadiran.pulang_cepat")
    if working is None or present is None or late is None or early is None:
        return None
    if present > working:
        reader.error("kehadiran.hari_hadir", "tidak boleh melebihi hari_kerja")
        return None
    return AttendanceInput(working, present, late, early)


def _parse_sanctions(reader: _Reader, value: Any) -> tuple[Sanction, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        reader.error("disiplin", "harus berupa daftar tingkat hukuman")
        return ()
    choices: list[str] = list(Sanction)
    parsed = [reader.choice(item, f"disiplin[{i}]", choices) for i, item in enumerate(value)]
    return tuple(Sanction(item) for item in parsed if item is not None)


def _parse_ikm(reader: _Reader, value: Any) -> tuple[IkmInput | None, IkmResult | None]:
    """`ikm`: either the index itself (`nilai`, `responden`) or the survey's answers
    (`jawaban`), from which the index is computed as the survey pages compute it."""
    if value is None:
        return None, None
    item = reader.mapping(value, "ikm")
    if item is None:
        return None, None
    if "jawaban" in item:
        if "nilai" in item or "responden" in item:
            reader.error("ikm", "isi jawaban, atau nilai dan responden; bukan keduanya")
            return None, None
        return _parse_answers(reader, item["jawaban"])
    score = reader.decimal(item.get("nilai"), "ikm.nilai")
    if score is not None and score > 100:
        reader.error("ikm.nilai", "harus antara 0 dan 100")
        score = None
    respondents = reader.integer(item.get("responden"), "ikm.responden")
    if score is None or respondents is None:
        return None, None
    return IkmInput(value=score, respondents=respondents), None


def _parse_answers(reader: _Reader, value: Any) -> tuple[IkmInput | None, IkmResult | None]:
    if not isinstance(value, list):
        reader.error(
            "ikm.jawaban", f"harus berupa daftar jawaban ({ELEMENT_COUNT} unsur per jawaban)"
        )
        return None, None
    answers = []
    errors_before = len(reader.errors)
    for i, response in enumerate(value):
        path = f"ikm.jawaban[{i}]"
        if not isinstance(response, list) or len(response) != ELEMENT_COUNT:
            reader.error(path, f"harus berupa daftar {ELEMENT_COUNT} nilai unsur (1 sampai 4)")
            continue
        row = []
        for j, answer in enumerate(response):
            parsed = _to_decimal(answer)
            if parsed is None or parsed not in (1, 2, 3, 4):
                reader.error(f"{path}[{j}]", "harus 1 sampai 4")
                continue
            row.append(int(parsed))
        answers.append(row)
    if len(reader.errors) > errors_before:
        return None, None
    survey = compute_ikm(answers)
    if survey.value is None:  # no response: no survey, as in the database
        return None, survey
    return IkmInput(value=survey.value, respondents=survey.respondents), survey


def _parse_weights(reader: _Reader, scheme: Scheme, value: Any) -> dict[str, Decimal] | None:
    """`bobot`: every component of a numeric preset, each > 0, summing to 100."""
    if value is None:
        return None
    if scheme.mode == Mode.MATRIX:
        reader.error("bobot", f"tidak dipakai skema {scheme.key} (mode matriks)")
        return None
    item = reader.mapping(value, "bobot")
    if item is None:
        return None
    keys = list(scheme.weights)
    errors_before = len(reader.errors)
    weights: dict[str, Decimal] = {}
    for key, raw in item.items():
        if key not in keys:
            reader.error(
                f"bobot.{key}", f"bukan komponen skema {scheme.key}; pilihan: {', '.join(keys)}"
            )
            continue
        weight = reader.decimal(raw, f"bobot.{key}", positive=True)
        if weight is not None:  # else an error is recorded and nothing is returned
            weights[key] = weight
    for key in keys:
        if key not in item:
            reader.error(f"bobot.{key}", "wajib diisi (bobot semua komponen skema)")
    if len(reader.errors) > errors_before:
        return None
    total = sum(weights.values(), Decimal(0))
    if total != 100:
        reader.error("bobot", f"jumlah bobot komponen harus 100 (saat ini {_plain(total)})")
        return None
    return weights


_ADJUSTMENT_KEYS = ("hasil_kerja", "perilaku", "alasan")


def _parse_adjustment(reader: _Reader, scheme: Scheme, value: Any) -> dict[str, RatingOverride]:
    """`penyesuaian`: the supervisor's ratings against the recommendation (matrix mode)."""
    if value is None:
        return {}
    if scheme.mode != Mode.MATRIX:
        matrix = [key for key, s in SCHEMES.items() if s.mode == Mode.MATRIX]
        reader.error(
            "penyesuaian",
            f"tidak dipakai skema {scheme.key} (mode numerik); hanya untuk skema mode matriks: "
            + ", ".join(matrix),
        )
        return {}
    item = reader.mapping(value, "penyesuaian")
    if item is None:
        return {}
    for key in item:
        if key not in _ADJUSTMENT_KEYS:
            reader.error(
                f"penyesuaian.{key}",
                f"kunci tidak dikenal; pilihan: {', '.join(_ADJUSTMENT_KEYS)}",
            )
    ratings = {}
    for key in ("hasil_kerja", "perilaku"):
        if item.get(key) is not None:
            ratings[key] = reader.choice(item[key], f"penyesuaian.{key}", list(Rating))
    reason = item.get("alasan")
    if reason is not None and not isinstance(reason, str):
        reader.error("penyesuaian.alasan", "harus berupa teks")
        reason = None
    if ratings and not (reason or "").strip():
        reader.error("penyesuaian.alasan", "wajib diisi bila rating ditetapkan")
    return {
        f"{key}_override": RatingOverride(Rating(rating), reason or "")
        for key, rating in ratings.items()
        if rating is not None
    }


def explain_score(data: dict[str, Any]) -> Breakdown:
    """Parse, then score under the named preset with the input's weights, settings and
    adjustments (the preset's defaults where the input has none)."""
    return parse_explain_request(data).compute()


def explain_score_text(data: dict[str, Any]) -> str:
    """What the command prints: the breakdown, with the settings that are not the default."""
    request = parse_explain_request(data)
    return render_breakdown_text(
        request.compute(), settings=request.settings_changed, survey=request.survey
    )


# ---------------------------------------------------------------------- rendering


def _num(value: Decimal | None) -> str:
    return "-" if value is None else str(round2(value))


def _plain(value: Decimal | None) -> str:
    if value is None:
        return "-"
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def render_breakdown_text(
    breakdown: Breakdown,
    *,
    settings: Mapping[str, Any] | None = None,
    survey: IkmResult | None = None,
) -> str:
    """The breakdown as plain Indonesian text.

    `settings` are the settings that differ from the preset's defaults (a `Pengaturan:`
    line after the first); `survey` is the IKM computed from `ikm.jawaban` (an `IKM:` line).
    The last lines are a contract for scripts and tests:
    `Nilai akhir: 104.50` (numeric mode only) and then `Predikat: <kode>` (`-` while it
    cannot be determined).
    """
    lines = [
        f"Skema: {breakdown.scheme_name} ({breakdown.scheme_key}), mode {breakdown.mode.label}"
    ]
    if settings:
        lines.append(f"Pengaturan: {'; '.join(describe_settings(settings, _plain))}")
    if survey is not None:
        lines.append(_survey_line(survey))
    for component in breakdown.components:
        lines.extend(_component_lines(component, breakdown.mode))
    if breakdown.notes:
        lines.append("Catatan:")
        lines.extend(f"- {note}" for note in breakdown.notes)
    if breakdown.mode == Mode.MATRIX:
        lines.append(_rating_line("Hasil Kerja", breakdown.hasil_kerja))
        lines.append(_rating_line("Perilaku", breakdown.perilaku))
    if breakdown.predikat is not None:
        lines.append(
            f"Kesimpulan: {breakdown.predikat_label}, faktor insentif (TPP) "
            f"{_plain(breakdown.incentive_percent)}%"
        )
    if breakdown.mode == Mode.NUMERIC:
        lines.append(f"Nilai akhir: {_num(breakdown.final_value)}")
    lines.append(f"Predikat: {breakdown.predikat.value if breakdown.predikat else '-'}")
    return "\n".join(lines)


def _survey_line(survey: IkmResult) -> str:
    if survey.value is None or survey.grade is None:
        return "IKM dari jawaban survei: - (0 responden)"
    return (
        f"IKM dari jawaban survei: {_num(survey.value)}, mutu {survey.grade.value} "
        f"({survey.grade.label}), {survey.respondents} responden"
    )


def _component_lines(component: ComponentBreakdown, mode: Mode) -> list[str]:
    weight = ""
    if mode == Mode.NUMERIC:
        weight = (
            f", bobot {_plain(component.weight)}%, bobot efektif "
            f"{_num(component.effective_weight)}%"
        )
    value = _num(component.value) if component.value is not None else component.status.value
    lines = [f"Komponen {component.name} [{component.key}]{weight}: nilai {value}"]
    for result in component.results:
        rating = f", {result.rating.label}" if result.rating else ""
        lines.append(
            f"  Hasil {result.code} ({result.kind.value}, bobot {_plain(result.weight)}): "
            f"nilai {_num(result.value)}{rating}"
        )
        lines.extend(f"    - {_indicator_text(ind)}" for ind in result.indicators)
    for b in component.behaviours:
        if b.supervisor_value is None:
            lines.append(f"  {b.label}: belum dinilai atasan")
            continue
        text = f"  {b.label}: atasan level {b.supervisor_level} ({_num(b.supervisor_value)})"
        if b.peer_mean_value is not None:
            text += (
                f", {b.peer_count} rekan rata-rata {_num(b.peer_mean_value)}, "
                f"{_plain(b.supervisor_share)}/{_plain(b.peer_share)}"
            )
        elif b.redistributed:
            text += f", {b.peer_count} rekan (kurang dari minimal; porsi rekan ke atasan)"
        lines.append(f"{text}; nilai {_num(b.value)}")
    if component.data is not None:
        d = component.data
        lines.append(
            f"  {d.detail}; skor {_num(d.score)} × {_plain(d.scale)} = nilai {_num(d.value)}"
        )
    if component.team is not None:
        levels = ", ".join(str(level) for level in component.team.levels)
        lines.append(f"  Level dari anggota Tim Penilai: {levels}; nilai {_num(component.value)}")
    return lines


def _indicator_text(ind: IndicatorBreakdown) -> str:
    head = f"Indikator {ind.code} ({ind.kind.value}"
    if ind.direction is not None:
        head += f", {ind.direction.value}"
    head += f", bobot {_plain(ind.weight)})"
    if ind.kind == IndicatorKind.RUBRIK:
        if ind.level is None:
            return f"{head}: belum diberi level oleh atasan"
        return f"{head}: level {ind.level} dari atasan, nilai {_num(ind.value)}"
    realisation = "belum diisi" if ind.realisation is None else _plain(ind.realisation)
    text = f"{head}: target {_plain(ind.target)}, realisasi {realisation}"
    flags = []
    if ind.zeroed:
        flags.append("dinolkan")
    if ind.pending:
        flags.append("sementara 0")
    if ind.capped:
        flags.append("capaian dibatasi")
    if ind.floored:
        flags.append("capaian paling rendah 0")
    if not (ind.zeroed or ind.pending) and ind.achievement is not None:
        text += f", capaian {_num(ind.achievement * 100)}%"
    text += f", nilai {_num(ind.value)}"
    return text + (f" ({', '.join(flags)})" if flags else "")


def _rating_line(label: str, rating: RatingBreakdown | None) -> str:
    if rating is None:
        return f"{label}: -"
    recommended = rating.recommended.label if rating.recommended else "-"
    effective = rating.effective.label if rating.effective else "-"
    return f"{label}: nilai {_num(rating.value)}, rekomendasi {recommended}, ditetapkan {effective}"
