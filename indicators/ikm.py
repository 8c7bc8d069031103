"""Indeks Kepuasan Masyarakat (IKM, PermenPANRB 14/2017): pure Python, no database.

One function, `ikm_from_totals`, computes the index from the per-element sums of the
answers and the number of responses. The survey pages, the appraisal scoring
(`appraisals/scoring.py`) and `explain_score` (`compute_ikm`, from the answers themselves)
all go through it, so the figure a unit sees is the one that enters its employees' score.

IKM = 25 × the mean over the nine elements of each element's mean answer (1 to 4), so it
runs from 25 to 100. The grade applies to the IKM rounded half up to 2 decimals, as every
threshold of the engine does (`indicators.scoring.round2`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum

from indicators.scoring import DECIMAL_CONTEXT, round2

__all__ = [
    "ELEMENTS",
    "ELEMENT_COUNT",
    "IkmGrade",
    "IkmResult",
    "compute_ikm",
    "grade_for",
    "ikm_from_totals",
]


@dataclass(frozen=True)
class Element:
    """One of the nine survey elements: its stable key and its name in the regulation."""

    key: str
    name: str


ELEMENTS: tuple[Element, ...] = (
    Element("u1", "Persyaratan"),
    Element("u2", "Sistem, Mekanisme, dan Prosedur"),
    Element("u3", "Waktu Penyelesaian"),
    Element("u4", "Biaya/Tarif"),
    Element("u5", "Produk Spesifikasi Jenis Pelayanan"),
    Element("u6", "Kompetensi Pelaksana"),
    Element("u7", "Perilaku Pelaksana"),
    Element("u8", "Penanganan Pengaduan, Saran dan Masukan"),
    Element("u9", "Sarana dan Prasarana"),
)
ELEMENT_COUNT = len(ELEMENTS)
SCALE = Decimal(25)
MIN_ANSWER, MAX_ANSWER = 1, 4


class IkmGrade(StrEnum):
    """Mutu pelayanan: the grade letter, from the rounded IKM."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"

    @property
    def label(self) -> str:
        return {"A": "Sangat Baik", "B": "Baik", "C": "Kurang Baik", "D": "Tidak Baik"}[self.value]


# Lowest rounded IKM of each grade, best first.
GRADE_FLOORS: tuple[tuple[Decimal, IkmGrade], ...] = (
    (Decimal("88.31"), IkmGrade.A),
    (Decimal("76.61"), IkmGrade.B),
    (Decimal("65.00"), IkmGrade.C),
)


def grade_for(value: Decimal) -> IkmGrade:
    """The grade of an IKM, judged on its value rounded half up to 2 decimals."""
    rounded = round2(value)
    for floor, grade in GRADE_FLOORS:
        if rounded >= floor:
            return grade
    return IkmGrade.D


@dataclass(frozen=True)
class IkmResult:
    """The IKM of a set of responses. With no response, `value` and `grade` are None."""

    respondents: int
    element_means: tuple[Decimal | None, ...]
    value: Decimal | None
    grade: IkmGrade | None

    @property
    def value_rounded(self) -> Decimal | None:
        return None if self.value is None else round2(self.value)

    @property
    def element_means_rounded(self) -> tuple[Decimal | None, ...]:
        return tuple(None if m is None else round2(m) for m in self.element_means)


def ikm_from_totals(totals: Sequence[int | Decimal], respondents: int) -> IkmResult:
    """The IKM from the sum of the answers to each of the nine elements and the number of
    responses (every response answers all nine)."""
    if len(totals) != ELEMENT_COUNT:
        raise ValueError(f"IKM membutuhkan {ELEMENT_COUNT} unsur, bukan {len(totals)}")
    if respondents < 0:
        raise ValueError("jumlah responden tidak boleh negatif")
    if respondents == 0:
        return IkmResult(0, (None,) * ELEMENT_COUNT, None, None)
    with localcontext(DECIMAL_CONTEXT):
        count = Decimal(respondents)
        means = tuple(Decimal(total) / count for total in totals)
        for mean in means:
            if not MIN_ANSWER <= mean <= MAX_ANSWER:
                raise ValueError("rata-rata unsur harus antara 1 dan 4")
        value = SCALE * sum(means, Decimal(0)) / ELEMENT_COUNT
    return IkmResult(respondents, means, value, grade_for(value))


def compute_ikm(answers: Iterable[Sequence[int]]) -> IkmResult:
    """The IKM of a list of responses, each the nine answers 1 to 4 (`explain_score`)."""
    totals = [0] * ELEMENT_COUNT
    respondents = 0
    for response in answers:
        if len(response) != ELEMENT_COUNT:
            raise ValueError(f"setiap jawaban berisi {ELEMENT_COUNT} unsur")
        for index, answer in enumerate(response):
            if not MIN_ANSWER <= answer <= MAX_ANSWER:
                raise ValueError("setiap jawaban harus 1 sampai 4")
            totals[index] += answer
        respondents += 1
    return ikm_from_totals(totals, respondents)
