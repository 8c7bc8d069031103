"""Template filters of the portal."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import translation

register = template.Library()


@register.filter
def angka(value, places: int = 4):
    """A number without padding zeros, with the decimal comma in Indonesian: 4.5000 → 4,5."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    quantum = Decimal(1).scaleb(-int(places))
    text = f"{number.quantize(quantum).normalize():f}"
    if translation.get_language() == "id":
        text = text.replace(".", ",")
    return text


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
