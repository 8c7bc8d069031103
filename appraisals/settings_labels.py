"""The scoring settings of a cycle as HR sees them: one form field per number, with the
labels the cycle form and the cycle page share. The rules are in
indicators/scoring_settings.py; this only names and shows them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from asn_portal.numbers import format_number
from indicators.schemes import SCHEMES, get_scheme
from indicators.scoring_settings import (
    SETTING_KEYS,
    SUBKEYS,
    default_settings,
    parse_settings,
    settings_used_by,
)

GROUP_LABELS: dict[str, Promise] = {
    "batas_capaian": _("Batas capaian"),
    "nilai_level": _("Nilai level"),
    "potongan_terlambat": _("Potongan kehadiran"),
    "potongan_hukuman": _("Potongan hukuman disiplin"),
    "minimal_responden_ikm": _("Minimal responden IKM"),
    "minimal_rekan": _("Minimal jawaban rekan"),
    "batas_predikat": _("Batas predikat (nilai akhir paling sedikit)"),
    "batas_rating": _("Batas rating (mode matriks)"),
}
_LEVELS = {
    "1": _("Sangat Kurang"),
    "2": _("Kurang"),
    "3": _("Butuh Perbaikan"),
    "4": _("Baik"),
    "5": _("Sangat Baik"),
}
_ENTRY_LABELS: dict[tuple[str, str], Promise] = {
    **{
        ("nilai_level", level): format_lazy(
            _("Nilai level {level} ({label})"), level=level, label=name
        )
        for level, name in _LEVELS.items()
    },
    ("potongan_hukuman", "ringan"): _("Potongan per hukuman ringan"),
    ("potongan_hukuman", "sedang"): _("Potongan per hukuman sedang"),
    ("potongan_hukuman", "berat"): _("Potongan per hukuman berat"),
    ("batas_predikat", "sangat_baik"): _("Batas predikat Sangat Baik"),
    ("batas_predikat", "baik"): _("Batas predikat Baik"),
    ("batas_predikat", "butuh_perbaikan"): _("Batas predikat Butuh Perbaikan"),
    ("batas_predikat", "kurang"): _("Batas predikat Kurang"),
    ("batas_rating", "di_atas"): _("Di Atas Ekspektasi bila paling sedikit"),
    ("batas_rating", "di_bawah"): _("Di Bawah Ekspektasi bila kurang dari"),
}
_SCALAR_LABELS: dict[str, Promise] = {
    "batas_capaian": _("Batas capaian (rasio realisasi/target)"),
    "potongan_terlambat": _("Potongan per terlambat atau pulang cepat"),
    "minimal_responden_ikm": _("Minimal responden IKM"),
    "minimal_rekan": _("Minimal jawaban rekan per nilai perilaku"),
}
# (max_digits, decimal_places) of each setting's form field.
_DIGITS = {
    "batas_capaian": (7, 4),
    "nilai_level": (7, 2),
    "potongan_terlambat": (5, 2),
    "potongan_hukuman": (5, 2),
    "minimal_responden_ikm": (6, 0),
    "minimal_rekan": (4, 0),
    "batas_predikat": (7, 2),
    "batas_rating": (7, 2),
}


@dataclass(frozen=True)
class SettingField:
    """One number of the settings: a whole setting, or one entry of an object setting."""

    key: str
    entry: str | None
    label: Promise

    @property
    def name(self) -> str:
        return f"setting_{self.key}" + (f"_{self.entry}" if self.entry else "")

    @property
    def digits(self) -> tuple[int, int]:
        return _DIGITS[self.key]

    @property
    def schemes(self) -> list[str]:
        """The presets that use this setting."""
        return [key for key, scheme in SCHEMES.items() if self.key in settings_used_by(scheme)]

    def value_in(self, settings: dict[str, Any]) -> Any:
        value = settings[self.key]
        return value[self.entry] if self.entry else value

    def defaults_text(self) -> str:
        """The default, or one per preset where the presets differ."""
        defaults = {key: self.value_in(default_settings(SCHEMES[key])) for key in self.schemes}
        if len(set(defaults.values())) == 1:
            return format_number(next(iter(defaults.values())))
        return ", ".join(f"{key} {format_number(value)}" for key, value in defaults.items())


SETTING_FIELDS: tuple[SettingField, ...] = tuple(
    SettingField(key, entry, _ENTRY_LABELS[key, entry])
    if key in SUBKEYS
    else SettingField(key, None, _SCALAR_LABELS[key])
    for key in SETTING_KEYS
    for entry in SUBKEYS.get(key, (None,))
)


def typed_settings(values: dict[str, Decimal | None]) -> dict[str, Any]:
    """The `pengaturan` object of what was typed, from {field name: number or None}."""
    settings: dict[str, Any] = {}
    for field in SETTING_FIELDS:
        value = values.get(field.name)
        if value is None:
            continue
        if field.entry:
            settings.setdefault(field.key, {})[field.entry] = value
        else:
            settings[field.key] = value
    return settings


def settings_rows(cycle) -> list[tuple[Promise, str, str]]:
    """(label, value, default) of each number of the cycle's settings that is not the
    scheme's default, in the order of the form."""
    if not cycle.scoring_settings:
        return []
    scheme = get_scheme(cycle.scheme_key)
    settings = parse_settings(cycle.scoring_settings, scheme)
    defaults = default_settings(scheme)
    rows = []
    for field in SETTING_FIELDS:
        if field.key not in settings:
            continue
        value, default = field.value_in(settings), field.value_in(defaults)
        if value != default:
            rows.append((field.label, format_number(value), format_number(default)))
    return rows
