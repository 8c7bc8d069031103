"""The shape every scheme preset fills in, and the vocabulary it shares with the engine.

A scheme is data, not code: `indicators.scoring` reads it and never branches on a
preset key, so a new region starts as a copy of one preset module and a change of
weights or thresholds is configuration, not a code change. Stdlib only: the Django
apps, the tests and `explain_score` import this without settings.

Component keys are a public contract (the `komponen` of plans, indicator imports and
`explain_score`), so they are short Indonesian snake_case and never renamed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class SchemeError(ValueError):
    """A scheme or a weight override that would make scores meaningless.

    The message is Indonesian because HR sees it when changing a cycle's weights.
    """


class Mode(StrEnum):
    NUMERIC = "numerik"
    MATRIX = "matriks"

    @property
    def label(self) -> str:
        return {Mode.NUMERIC: "Numerik", Mode.MATRIX: "Matriks"}[self]


class Source(StrEnum):
    """Where a component's value comes from; the engine dispatches on this alone."""

    RENCANA = "rencana"
    PERILAKU = "perilaku"
    KEHADIRAN = "kehadiran"
    DISIPLIN = "disiplin"
    IKM = "ikm"
    TIM = "tim"

    @property
    def is_data(self) -> bool:
        """Scores out of 100 taken from imports or the survey, scaled to the level range."""
        return self in (Source.KEHADIRAN, Source.DISIPLIN, Source.IKM)


class Rater(StrEnum):
    PEGAWAI = "pegawai"
    ATASAN = "atasan"
    REKAN = "rekan"
    TIM_PENILAI = "tim_penilai"
    VERIFIKATOR = "verifikator"
    DATA = "data"

    @property
    def label(self) -> str:
        return _RATER_LABELS[self]


_RATER_LABELS = {
    Rater.PEGAWAI: "pegawai (mengisi realisasi dan bukti dukung)",
    Rater.ATASAN: "atasan langsung (pejabat penilai kinerja)",
    Rater.REKAN: "rekan kerja (tanpa nama)",
    Rater.TIM_PENILAI: "Tim Penilai perangkat daerah",
    Rater.VERIFIKATOR: "Verifikator (memeriksa bukti dukung)",
    Rater.DATA: "data impor atau survei, tanpa penilaian orang",
}


def _(text: str) -> str:
    """Marks a label for the translators (the portal translates it where it shows it); this
    module stays free of Django."""
    return text


class PeriodType(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMESTER = "semester"
    ANNUAL = "annual"

    @property
    def label(self) -> str:
        return {
            PeriodType.MONTHLY: _("Bulanan"),
            PeriodType.QUARTERLY: _("Triwulanan"),
            PeriodType.SEMESTER: _("Semesteran"),
            PeriodType.ANNUAL: _("Tahunan"),
        }[self]


class Predikat(StrEnum):
    """The five predikat codes used everywhere: bands, matrix, distribution, exports."""

    SANGAT_BAIK = "sangat_baik"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"

    @property
    def label(self) -> str:
        return _PREDIKAT_LABELS[self]

    def label_for(self, mode: Mode) -> str:
        # PermenPANRB 6/2022 names the matrix's Kurang cell "Kurang/Misconduct".
        if mode == Mode.MATRIX and self == Predikat.KURANG:
            return "Kurang/Misconduct"
        return self.label


_PREDIKAT_LABELS = {
    Predikat.SANGAT_BAIK: "Sangat Baik",
    Predikat.BAIK: "Baik",
    Predikat.BUTUH_PERBAIKAN: "Butuh Perbaikan",
    Predikat.KURANG: "Kurang",
    Predikat.SANGAT_KURANG: "Sangat Kurang",
}


class Rating(StrEnum):
    """Matrix-mode rating of Hasil Kerja and of Perilaku Kerja."""

    DI_ATAS = "di_atas"
    SESUAI = "sesuai"
    DI_BAWAH = "di_bawah"

    @property
    def label(self) -> str:
        return {
            Rating.DI_ATAS: "Di Atas Ekspektasi",
            Rating.SESUAI: "Sesuai Ekspektasi",
            Rating.DI_BAWAH: "Di Bawah Ekspektasi",
        }[self]


class Sanction(StrEnum):
    RINGAN = "ringan"
    SEDANG = "sedang"
    BERAT = "berat"

    @property
    def label(self) -> str:
        return {
            Sanction.RINGAN: _("Ringan"),
            Sanction.SEDANG: _("Sedang"),
            Sanction.BERAT: _("Berat"),
        }[self]


def _default_level_values() -> dict[int, Decimal]:
    return {1: Decimal(45), 2: Decimal(60), 3: Decimal(80), 4: Decimal(100), 5: Decimal(115)}


def _default_sanction_penalties() -> dict[Sanction, Decimal]:
    return {Sanction.RINGAN: Decimal(10), Sanction.SEDANG: Decimal(25), Sanction.BERAT: Decimal(50)}


def _default_bands() -> tuple[tuple[Decimal, Predikat], ...]:
    # PP 30/2019; a value below the last threshold is Sangat Kurang.
    return (
        (Decimal(110), Predikat.SANGAT_BAIK),
        (Decimal(90), Predikat.BAIK),
        (Decimal(70), Predikat.BUTUH_PERBAIKAN),
        (Decimal(50), Predikat.KURANG),
    )


def _default_incentive_percents() -> dict[Predikat, Decimal]:
    return {
        Predikat.SANGAT_BAIK: Decimal(100),
        Predikat.BAIK: Decimal(90),
        Predikat.BUTUH_PERBAIKAN: Decimal(75),
        Predikat.KURANG: Decimal(50),
        Predikat.SANGAT_KURANG: Decimal(25),
    }


@dataclass(frozen=True)
class ScoringConfig:
    """Every default number of docs/scoring.md: HR may change them per scheme.

    Treat the mappings as read-only; change them with `Scheme.with_config`.
    """

    achievement_cap: Decimal = Decimal("1.2")
    level_values: Mapping[int, Decimal] = field(default_factory=_default_level_values)
    min_peer_answers: int = 3
    min_ikm_respondents: int = 30
    attendance_penalty: Decimal = Decimal("0.5")
    sanction_penalties: Mapping[Sanction, Decimal] = field(
        default_factory=_default_sanction_penalties
    )
    # Data scores top out at 100; scaling makes their best equal the best level (115).
    data_scale: Decimal = Decimal("1.15")
    bands: tuple[tuple[Decimal, Predikat], ...] = field(default_factory=_default_bands)
    above_expectation: Decimal = Decimal(110)
    below_expectation: Decimal = Decimal(90)
    incentive_percents: Mapping[Predikat, Decimal] = field(
        default_factory=_default_incentive_percents
    )

    def __post_init__(self) -> None:
        if sorted(self.level_values) != [1, 2, 3, 4, 5]:
            raise SchemeError("Nilai level harus ditetapkan untuk level 1 sampai 5.")
        values = [self.level_values[level] for level in range(1, 6)]
        # Monotonic scoring (a better level never lowers a score) depends on this.
        if any(low >= high for low, high in zip(values, values[1:], strict=False)):
            raise SchemeError("Nilai level harus naik dari level 1 ke level 5.")
        thresholds = [threshold for threshold, _ in self.bands]
        if any(low <= high for low, high in zip(thresholds, thresholds[1:], strict=False)):
            raise SchemeError("Batas predikat harus disusun dari yang tertinggi.")
        if self.achievement_cap <= 0 or self.data_scale <= 0:
            raise SchemeError("Batas capaian dan faktor skala data harus lebih dari 0.")
        if self.below_expectation > self.above_expectation:
            raise SchemeError("Batas di bawah ekspektasi melebihi batas di atas ekspektasi.")
        if set(self.sanction_penalties) != set(Sanction):
            raise SchemeError("Potongan hukuman disiplin harus untuk ringan, sedang, dan berat.")
        if set(self.incentive_percents) != set(Predikat):
            raise SchemeError("Faktor insentif harus ditetapkan untuk kelima predikat.")


@dataclass(frozen=True)
class Component:
    """One weighted part of a scheme.

    `name`, `data_source` and `description` are plain Indonesian for the HR page that
    explains a scheme; `weight` is None in matrix mode, where components are rated, not
    averaged. `supervisor_share`/`peer_share` (percent) only matter for `perilaku`.
    """

    key: str
    name: str
    source: Source
    weight: Decimal | None
    raters: tuple[Rater, ...]
    data_source: str
    description: str
    supervisor_share: Decimal = Decimal(100)
    peer_share: Decimal = Decimal(0)

    @property
    def raters_text(self) -> str:
        return "; ".join(rater.label for rater in self.raters)

    @property
    def uses_peers(self) -> bool:
        return self.peer_share > 0


@dataclass(frozen=True)
class Scheme:
    """The rules of one appraisal: components, rating mode, thresholds and features.

    Feature flags are read by the Django apps, never by the arithmetic, except
    `verifies_realisations`, which decides whether an unverified realisation counts.
    """

    key: str
    name: str
    mode: Mode
    origin: str
    summary: str
    components: tuple[Component, ...]
    period_types: tuple[PeriodType, ...]
    config: ScoringConfig = field(default_factory=ScoringConfig)
    verifies_realisations: bool = False
    cascading: bool = False
    shows_self_assessment_gap: bool = False
    has_due_dates: bool = False
    incentive_in_export: bool = False

    def __post_init__(self) -> None:
        keys = [component.key for component in self.components]
        if len(set(keys)) != len(keys):
            raise SchemeError(f"Skema {self.key}: kunci komponen ganda.")
        if not any(c.source == Source.RENCANA for c in self.components):
            raise SchemeError(f"Skema {self.key}: harus memiliki komponen rencana kinerja.")
        for source in Source:
            # The appraisal input holds one block per non-plan source.
            if source != Source.RENCANA and self._count(source) > 1:
                raise SchemeError(f"Skema {self.key}: sumber {source} dipakai lebih dari sekali.")
        for component in self.components:
            if component.supervisor_share + component.peer_share != 100:
                raise SchemeError(
                    f"Komponen {component.key}: porsi atasan dan rekan harus berjumlah 100."
                )
        if self.mode == Mode.MATRIX:
            if self._count(Source.RENCANA) != 1 or self._count(Source.PERILAKU) != 1:
                raise SchemeError(
                    f"Skema {self.key}: mode matriks memerlukan tepat satu komponen hasil "
                    "kerja dan satu komponen perilaku."
                )
            if any(component.weight is not None for component in self.components):
                raise SchemeError(f"Skema {self.key}: mode matriks tidak memakai bobot.")
        else:
            _check_weights(self.key, {c.key: c.weight for c in self.components})

    def _count(self, source: Source) -> int:
        return sum(1 for component in self.components if component.source == source)

    def component(self, key: str) -> Component:
        for component in self.components:
            if component.key == key:
                return component
        raise KeyError(f"Skema {self.key} tidak memiliki komponen '{key}'.")

    def component_for(self, source: Source) -> Component | None:
        """The component fed by a non-plan source, if the scheme has one."""
        return next((c for c in self.components if c.source == source), None)

    @property
    def main_component(self) -> Component:
        """Where a result goes when it names no component (the first plan component)."""
        return next(c for c in self.components if c.source == Source.RENCANA)

    @property
    def plan_component_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.components if c.source == Source.RENCANA)

    @property
    def weights(self) -> dict[str, Decimal]:
        """Component weights in percent; empty in matrix mode."""
        return {c.key: c.weight for c in self.components if c.weight is not None}

    def with_weights(self, weights: Mapping[str, Decimal | int | str]) -> Scheme:
        """A copy with a cycle's own weights; every component, each > 0, summing to 100."""
        if self.mode == Mode.MATRIX:
            if weights:
                raise SchemeError(f"Skema {self.key} (mode matriks) tidak memakai bobot komponen.")
            return self
        parsed = {key: _to_decimal(value) for key, value in weights.items()}
        unknown = sorted(set(parsed) - set(self.weights))
        missing = sorted(set(self.weights) - set(parsed))
        if unknown or missing:
            parts = []
            if unknown:
                parts.append(f"komponen tidak dikenal: {', '.join(unknown)}")
            if missing:
                names = {c.key: c.name for c in self.components}
                parts.append(
                    "bobot belum diisi: " + ", ".join(f"{names[k]} ({k})" for k in missing)
                )
            raise SchemeError(f"Skema {self.key}: " + "; ".join(parts) + ".")
        _check_weights(self.key, parsed, {c.key: c.name for c in self.components})
        components = tuple(dataclasses.replace(c, weight=parsed[c.key]) for c in self.components)
        return dataclasses.replace(self, components=components)

    def with_config(self, **changes: object) -> Scheme:
        return dataclasses.replace(self, config=dataclasses.replace(self.config, **changes))

    def explanation(self) -> list[str]:
        """The scheme explained in plain Indonesian, one paragraph per line."""
        lines = [self.summary]
        for component in self.components:
            weight = "" if component.weight is None else f", bobot {_plain(component.weight)}%"
            lines.append(
                f"{component.name} ({component.key}{weight}). Dinilai oleh: "
                f"{component.raters_text}. Data: {component.data_source} {component.description}"
            )
        lines.extend(self.predikat_explanation())
        return lines

    def predikat_explanation(self) -> list[str]:
        """How the predikat is reached, generated from the config so it never goes stale."""
        cfg = self.config
        common = (
            "Semua nilai yang ditampilkan atau dibandingkan dibulatkan dua desimal "
            "(setengah ke atas); perhitungan selanjutnya memakai nilai yang belum dibulatkan."
        )
        if self.mode == Mode.MATRIX:
            above, below = _plain(cfg.above_expectation), _plain(cfg.below_expectation)
            return [
                common,
                f"Sebuah hasil kerja di atas ekspektasi bila nilainya paling sedikit {above}, "
                f"di bawah ekspektasi bila kurang dari {below}.",
                "Rating Hasil Kerja: Di Atas Ekspektasi bila hasil kerja yang di atas "
                "ekspektasi memegang lebih dari separuh bobot dan tidak ada hasil kerja utama "
                "yang di bawah ekspektasi; Di Bawah Ekspektasi bila hasil kerja yang di bawah "
                "ekspektasi memegang lebih dari separuh bobot; selain itu Sesuai Ekspektasi.",
                f"Rating Perilaku: Di Atas Ekspektasi bila rata-rata nilai perilaku paling "
                f"sedikit {above}, Di Bawah Ekspektasi bila kurang dari {below}, selain itu "
                "Sesuai Ekspektasi.",
                "Atasan menyetujui atau mengubah kedua rekomendasi dengan alasan. Predikat "
                "diambil dari matriks: Di Atas/Di Atas Sangat Baik; Di Atas/Sesuai, "
                "Sesuai/Di Atas, dan Sesuai/Sesuai Baik; Hasil Kerja Di Bawah dengan Perilaku "
                "Di Atas atau Sesuai Butuh Perbaikan; Perilaku Di Bawah dengan Hasil Kerja Di "
                "Atas atau Sesuai Kurang/Misconduct; keduanya Di Bawah Sangat Kurang. Mode "
                "matriks tidak memiliki nilai akhir.",
                self._zeroed_realisation_text(),
            ]
        bands = "; ".join(
            f"{predikat.label} bila paling sedikit {_plain(threshold)}"
            for threshold, predikat in cfg.bands
        )
        lowest = _plain(cfg.bands[-1][0])
        lines = [
            common,
            "Nilai akhir adalah rata-rata tertimbang nilai komponen yang datanya tersedia.",
            f"Predikat dari nilai akhir: {bands}; Sangat Kurang bila kurang dari {lowest}.",
        ]
        outside_control = []
        if any(c.uses_peers for c in self.components):
            outside_control.append(
                f"jawaban rekan kerja kurang dari {cfg.min_peer_answers} (porsinya beralih ke "
                "atasan)"
            )
        if self._count(Source.IKM):
            outside_control.append(f"IKM dengan responden kurang dari {cfg.min_ikm_respondents}")
        if self._count(Source.KEHADIRAN):
            outside_control.append("data kehadiran belum diimpor")
        if self._count(Source.TIM):
            outside_control.append("tidak ada nilai Tim Penilai")
        if outside_control:
            lines.append(
                "Data di luar kendali pegawai yang tidak tersedia tidak merugikan pegawai: "
                f"{'; '.join(outside_control)}. Bobotnya dibagi ke bagian lain secara "
                "proporsional."
            )
        lines.append(self._zeroed_realisation_text())
        return lines

    def _zeroed_realisation_text(self) -> str:
        unverified = " atau belum diverifikasi" if self.verifies_realisations else ""
        return (
            f"Realisasi yang tidak diisi{unverified} sampai batas waktu penilaian atasan "
            "dihitung 0 dan ditandai."
        )


def _check_weights(
    scheme_key: str, weights: Mapping[str, Decimal | None], names: Mapping[str, str] | None = None
) -> None:
    for key, weight in weights.items():
        if weight is None or weight <= 0:
            what = f"{names[key]} ({key})" if names and key in names else key
            raise SchemeError(f"Skema {scheme_key}: bobot komponen {what} harus lebih dari 0.")
    total = sum(weights.values(), Decimal(0))
    if total != 100:
        raise SchemeError(
            f"Skema {scheme_key}: bobot komponen harus berjumlah 100 (saat ini {_plain(total)})."
        )


def _to_decimal(value: Decimal | int | str | float) -> Decimal:
    if isinstance(value, bool):
        raise SchemeError("Bobot komponen harus berupa angka.")
    try:
        # str() first so a float such as 0.1 does not bring its binary expansion along.
        result = Decimal(str(value).strip())
    except ArithmeticError as exc:
        raise SchemeError(f"Bobot komponen harus berupa angka, bukan '{value}'.") from exc
    if not result.is_finite():
        raise SchemeError(f"Bobot komponen harus berupa angka, bukan '{value}'.")
    return result


def _plain(value: Decimal) -> str:
    """A Decimal as people write it: 70, 12.5, never 7E+1."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
