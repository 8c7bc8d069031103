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
def bootstrap(field):
    """A bound field's widget with its Bootstrap class (no script needed to style it);
    Django adds aria-invalid and aria-describedby itself."""
    if field.widget_type == "checkbox":
        css = "form-check-input"
    elif field.widget_type in ("select", "selectmultiple"):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def days_left(item, today):
    """Days from ``today`` to a waiting item's deadline (negative once it has passed)."""
    return item.days_left(today)


@register.filter
def abs_int(value):
    return abs(int(value))
