"""Template filters of the portal."""

from django import template

from asn_portal.numbers import format_number

register = template.Library()


@register.filter
def angka(value, places: int = 4):
    """A number as people read it in the active language: 1200.5000 → 1.200,5."""
    return format_number(value, int(places))


@register.filter
def nilai(value):
    """A score as shown and compared: two decimals, always (98,60)."""
    return format_number(value, 2, fixed=True)


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def bootstrap(field, css: str):
    """A bound field's widget with a Bootstrap class, marked invalid and linked to its error
    text (``<id>-error``) for screen readers."""
    classes = css + (" is-invalid" if field.errors else "")
    attrs = {"class": classes, "aria-describedby": f"{field.id_for_label}-error"}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
