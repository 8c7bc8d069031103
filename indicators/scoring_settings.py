"""A cycle's scoring settings (`pengaturan`): the default numbers HR may set per cycle.

One shape everywhere: the `pengaturan` object of `explain_score`, the typed values of the
cycle form and the `Cycle.scoring_settings` field (docs/explain_score.md#pengaturan)::

    {"batas_capaian": 1.2,
     "nilai_level": {"1": 45, "2": 60, "3": 80, "4": 100, "5": 115},
     "potongan_terlambat": 0.5,
     "potongan_hukuman": {"ringan": 10, "sedang": 25, "berat": 50},
     "minimal_responden_ikm": 30,
     "minimal_rekan": 3,
     "batas_predikat": {"sangat_baik": 110, "baik": 90, "butuh_perbaikan": 70, "kurang": 50},
     "batas_rating": {"di_atas": 110, "di_bawah": 90}}

Every key is optional, and so is every entry of an object: what is left out keeps the
scheme's default (its `ScoringConfig`), and the merged result is what is validated, so
`{"batas_predikat": {"baik": 115}}` is refused because 115 is not below the default 110 of
`sangat_baik`. A setting the scheme does not use (attendance penalties outside
`tebingtinggi`, predikat bands in matrix mode, …) is refused rather than ignored.

`parse_settings` is the one validation, used by `explain_score`, the cycle form and the
cycle service; `apply_settings` turns its result into the scheme's `ScoringConfig`. Pure
Python, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from indicators.schemes import SCHEMES
from indicators.schemes.base import Mode, Predikat, Rating, Sanction, Scheme, Source

__all__ = [
    "SETTING_KEYS",
    "SUBKEYS",
    "SettingError",
    "SettingsError",
    "apply_settings",
    "changed_settings",
    "default_settings",
    "describe_settings",
    "parse_settings",
    "settings_to_json",
    "settings_used_by",
    "uses_setting",
]

SETTING_KEYS = (
    "batas_capaian",
    "nilai_level",
    "potongan_terlambat",
    "potongan_hukuman",
    "minimal_responden_ikm",
    "minimal_rekan",
    "batas_predikat",
    "batas_rating",
)
SUBKEYS: dict[str, tuple[str, ...]] = {
    "nilai_level": ("1", "2", "3", "4", "5"),
    "potongan_hukuman": tuple(s.value for s in Sanction),
    "batas_predikat": (
        Predikat.SANGAT_BAIK.value,
        Predikat.BAIK.value,
        Predikat.BUTUH_PERBAIKAN.value,
        Predikat.KURANG.value,
    ),
    "batas_rating": (Rating.DI_ATAS.value, Rating.DI_BAWAH.value),
}
_COUNTS = ("minimal_responden_ikm", "minimal_rekan")
# Numbers are JSON numbers or plain decimal text: "1.3", never "1,3" nor "1e3".
_PLAIN = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_MAX_DIGITS_BEFORE_POINT = 12
_HUNDRED = Decimal(100)

Settings = dict[str, Any]
"""Complete settings of one scheme: Decimal, int or {entry: Decimal} per setting it uses."""


@dataclass(frozen=True)
class SettingError:
    """One problem, at a path inside the settings object (`("batas_predikat", "baik")`)."""

    path: tuple[str, ...]
    message: str

    def text(self, prefix: str = "") -> str:
        where = ".".join(part for part in (prefix, *self.path) if part)
        return f"{where}: {self.message}"


class SettingsError(ValueError):
    def __init__(self, errors: list[SettingError]) -> None:
        super().__init__("; ".join(error.text() for error in errors))
        self.errors = list(errors)


# ------------------------------------------------------------------- which scheme uses what


def uses_setting(scheme: Scheme, key: str) -> bool:
    if key in ("batas_capaian", "nilai_level"):
        return True  # every scheme has a plan, and levels
    if key == "potongan_terlambat":
        return scheme.component_for(Source.KEHADIRAN) is not None
    if key == "potongan_hukuman":
        return scheme.component_for(Source.DISIPLIN) is not None
    if key == "minimal_responden_ikm":
        return scheme.component_for(Source.IKM) is not None
    if key == "minimal_rekan":
        return any(component.uses_peers for component in scheme.components)
    if key == "batas_predikat":
        return scheme.mode == Mode.NUMERIC
    if key == "batas_rating":
        return scheme.mode == Mode.MATRIX
    raise KeyError(key)


def settings_used_by(scheme: Scheme) -> tuple[str, ...]:
    return tuple(key for key in SETTING_KEYS if uses_setting(scheme, key))


def default_settings(scheme: Scheme) -> Settings:
    """The settings the scheme uses, as its `ScoringConfig` has them."""
    cfg = scheme.config
    everything: Settings = {
        "batas_capaian": cfg.achievement_cap,
        "nilai_level": {str(level): cfg.level_values[level] for level in range(1, 6)},
        "potongan_terlambat": cfg.attendance_penalty,
        "potongan_hukuman": {s.value: cfg.sanction_penalties[s] for s in Sanction},
        "minimal_responden_ikm": cfg.min_ikm_respondents,
        "minimal_rekan": cfg.min_peer_answers,
        "batas_predikat": {predikat.value: threshold for threshold, predikat in cfg.bands},
        "batas_rating": {
            Rating.DI_ATAS.value: cfg.above_expectation,
            Rating.DI_BAWAH.value: cfg.below_expectation,
        },
    }
    return {key: everything[key] for key in settings_used_by(scheme)}


# --------------------------------------------------------------------------- validation


def parse_settings(raw: Any, scheme: Scheme) -> Settings:
    """Validate settings for a scheme and merge them with its defaults.

    `raw` is the `pengaturan` object (or None for none); numbers may be JSON numbers,
    Decimals or plain decimal text, and a null value keeps the default. Returns the
    complete settings the scheme uses; raises `SettingsError` with every problem, each at
    its path.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise SettingsError([SettingError((), "harus berupa objek")])
    errors: list[SettingError] = []
    result = default_settings(scheme)
    for key, value in raw.items():
        if key not in SETTING_KEYS:
            errors.append(
                SettingError(
                    (str(key),), f"kunci tidak dikenal; pilihan: {', '.join(SETTING_KEYS)}"
                )
            )
        elif not uses_setting(scheme, key):
            users = [k for k, s in SCHEMES.items() if uses_setting(s, key)]
            errors.append(
                SettingError(
                    (key,), f"tidak dipakai skema {scheme.key}; dipakai skema: {', '.join(users)}"
                )
            )
        elif value is None:
            continue
        elif key in SUBKEYS:
            result[key] = _parse_entries(key, value, result[key], errors)
        else:
            parsed = _SCALARS[key](value)
            if isinstance(parsed, str):
                errors.append(SettingError((key,), parsed))
            else:
                result[key] = parsed
    if errors:
        raise SettingsError(errors)
    return result


def _number(value: Any) -> Decimal | None:
    """A finite Decimal from a JSON number or plain decimal text, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not _PLAIN.fullmatch(text) or len(text) > 40:
            return None
        parsed = Decimal(text)
    elif isinstance(value, int):
        parsed = Decimal(value)
    elif isinstance(value, float | Decimal):
        try:
            parsed = Decimal(str(value))
        except InvalidOperation:
            return None
    else:
        return None
    if not parsed.is_finite() or parsed.adjusted() >= _MAX_DIGITS_BEFORE_POINT:
        return None
    return parsed


def _cap(value: Any) -> Decimal | str:
    parsed = _number(value)
    if parsed is None or parsed < 1:
        return "harus berupa angka >= 1"
    return parsed


def _positive(value: Any) -> Decimal | str:
    parsed = _number(value)
    if parsed is None or parsed <= 0:
        return "harus berupa angka > 0"
    return parsed


def _penalty(value: Any) -> Decimal | str:
    """Points off a score out of 100: 0 (no penalty) to 100."""
    parsed = _number(value)
    if parsed is None or parsed < 0:
        return "harus berupa angka >= 0"
    if parsed > _HUNDRED:
        return "harus antara 0 dan 100"
    return parsed


def _count(value: Any) -> int | str:
    parsed = _number(value)
    if parsed is None or parsed < 1 or parsed != parsed.to_integral_value():
        return "harus berupa bilangan bulat >= 1"
    return int(parsed)


_SCALARS: dict[str, Callable[[Any], Any]] = {
    "batas_capaian": _cap,
    "potongan_terlambat": _penalty,
    "minimal_responden_ikm": _count,
    "minimal_rekan": _count,
}
_ENTRY: dict[str, Callable[[Any], Any]] = {
    "nilai_level": _positive,
    "potongan_hukuman": _penalty,
    "batas_predikat": _positive,
    "batas_rating": _positive,
}


def _parse_entries(
    key: str, value: Any, defaults: Mapping[str, Decimal], errors: list[SettingError]
) -> dict[str, Decimal]:
    if not isinstance(value, Mapping):
        errors.append(SettingError((key,), "harus berupa objek"))
        return dict(defaults)
    merged = dict(defaults)
    given: set[str] = set()
    before = len(errors)
    for entry, raw in value.items():
        entry = str(entry)
        if entry not in SUBKEYS[key]:
            errors.append(
                SettingError(
                    (key, entry), f"kunci tidak dikenal; pilihan: {', '.join(SUBKEYS[key])}"
                )
            )
            continue
        if raw is None:
            continue
        parsed = _ENTRY[key](raw)
        if isinstance(parsed, str):
            errors.append(SettingError((key, entry), parsed))
            continue
        merged[entry] = parsed
        given.add(entry)
    if len(errors) == before:
        _check_order(key, merged, given, errors)
    return merged


# (strictly, ascending along SUBKEYS, how an entry is named in a message)
_ORDER: dict[str, tuple[bool, bool, Callable[[str], str]]] = {
    "nilai_level": (True, True, lambda entry: f"nilai level {entry}"),
    "potongan_hukuman": (False, True, str),
    "batas_predikat": (True, False, str),
    "batas_rating": (True, False, str),
}


def _check_order(
    key: str, merged: Mapping[str, Decimal], given: set[str], errors: list[SettingError]
) -> None:
    """Levels rise from 1 to 5, penalties never fall from ringan to berat, thresholds fall
    from the best predikat (or rating) down. A pair out of order is reported on the entry
    that was given (the later one when both were), naming the other."""
    strict, ascending, name = _ORDER[key]
    entries = SUBKEYS[key]
    blamed: set[str] = set()
    for first, second in zip(entries, entries[1:], strict=False):
        low, high = (
            (merged[first], merged[second]) if ascending else (merged[second], merged[first])
        )
        if low < high or (not strict and low == high):
            continue
        blame_second = second in given or first not in given
        entry, other = (second, first) if blame_second else (first, second)
        if entry in blamed:
            continue
        blamed.add(entry)
        # The second entry should be above the first when ascending, below it otherwise.
        above = blame_second == ascending
        if strict:
            relation = "harus lebih besar dari" if above else "harus lebih kecil dari"
        else:
            relation = "tidak boleh lebih kecil dari" if above else "tidak boleh lebih besar dari"
        errors.append(SettingError((key, entry), f"{relation} {name(other)}"))


# ------------------------------------------------------------------------------- using them


def apply_settings(scheme: Scheme, settings: Mapping[str, Any]) -> Scheme:
    """The scheme with validated settings (from `parse_settings`) in its `ScoringConfig`."""
    changes: dict[str, Any] = {}
    for key, value in settings.items():
        if key == "batas_capaian":
            changes["achievement_cap"] = value
        elif key == "nilai_level":
            changes["level_values"] = {int(level): value[level] for level in SUBKEYS[key]}
        elif key == "potongan_terlambat":
            changes["attendance_penalty"] = value
        elif key == "potongan_hukuman":
            changes["sanction_penalties"] = {Sanction(s): value[s] for s in SUBKEYS[key]}
        elif key == "minimal_responden_ikm":
            changes["min_ikm_respondents"] = value
        elif key == "minimal_rekan":
            changes["min_peer_answers"] = value
        elif key == "batas_predikat":
            changes["bands"] = tuple((value[p], Predikat(p)) for p in SUBKEYS[key])
        elif key == "batas_rating":
            changes["above_expectation"] = value[Rating.DI_ATAS.value]
            changes["below_expectation"] = value[Rating.DI_BAWAH.value]
        else:
            raise KeyError(key)
    return scheme.with_config(**changes) if changes else scheme


def changed_settings(scheme: Scheme, settings: Mapping[str, Any]) -> Settings:
    """The settings that differ from the scheme's defaults (a changed object whole)."""
    defaults = default_settings(scheme)
    return {key: value for key, value in settings.items() if value != defaults.get(key)}


def settings_to_json(settings: Mapping[str, Any]) -> dict[str, Any]:
    """JSON-ready: Decimals as plain decimal text ("1.3"), counts as numbers."""

    def convert(value: Any) -> Any:
        if isinstance(value, Mapping):
            return {str(k): convert(v) for k, v in value.items()}
        if isinstance(value, Decimal):
            return _plain(value)
        return value

    return {key: convert(value) for key, value in settings.items()}


def describe_settings(
    settings: Mapping[str, Any], number: Callable[[Decimal], str] | None = None
) -> list[str]:
    """One short Indonesian phrase per setting, in the order of `SETTING_KEYS`.

    `number` formats a Decimal (default: as `explain_score` prints numbers, `1.3`).
    """
    fmt = number or _plain
    labels = {
        "nilai_level": lambda entry: entry,
        "potongan_hukuman": lambda entry: entry,
        "batas_predikat": lambda entry: Predikat(entry).label,
        "batas_rating": lambda entry: Rating(entry).label,
    }
    phrases = []
    for key in SETTING_KEYS:
        if key not in settings:
            continue
        value = settings[key]
        if key == "nilai_level":
            levels = ", ".join(fmt(value[level]) for level in SUBKEYS[key])
            phrases.append(f"nilai level 1 sampai 5: {levels}")
        elif key in SUBKEYS:
            entries = ", ".join(f"{labels[key](e)} {fmt(value[e])}" for e in SUBKEYS[key])
            phrases.append(f"{_PHRASES[key]} {entries}")
        elif key in _COUNTS:
            phrases.append(f"{_PHRASES[key]} {value}")
        else:
            phrases.append(f"{_PHRASES[key]} {fmt(value)}")
    return phrases


_PHRASES = {
    "batas_capaian": "batas capaian",
    "potongan_terlambat": "potongan per terlambat atau pulang cepat",
    "potongan_hukuman": "potongan hukuman disiplin",
    "minimal_responden_ikm": "minimal responden IKM",
    "minimal_rekan": "minimal jawaban rekan",
    "batas_predikat": "batas predikat",
    "batas_rating": "batas rating",
}


def _plain(value: Decimal) -> str:
    """A Decimal as `explain_score` prints it: 1.3, 110, never 1.30 or 1.1E+2."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
