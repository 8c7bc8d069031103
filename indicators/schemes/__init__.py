"""The scheme registry: one preset module per region, listed in one dict.

A new region starts as a copy of one preset module and one line here. Keys are a
public contract (cycles, `explain_score`, exports and the README use them).
"""

from indicators.schemes import jakarta, kotalama, nasional, rakumpit, tangsel, tebingtinggi
from indicators.schemes.base import Scheme

SCHEMES: dict[str, Scheme] = {
    module.SCHEME.key: module.SCHEME
    for module in (nasional, jakarta, tangsel, rakumpit, tebingtinggi, kotalama)
}


def get_scheme(key: str) -> Scheme:
    try:
        return SCHEMES[key]
    except KeyError:
        raise KeyError(f"Skema '{key}' tidak dikenal; pilihan: {', '.join(SCHEMES)}.") from None


def scheme_choices() -> list[tuple[str, str]]:
    """(key, name) pairs for a Django `choices`, in registry order."""
    return [(key, scheme.name) for key, scheme in SCHEMES.items()]
