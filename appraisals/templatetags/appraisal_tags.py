from django import template

from ..models import State

register = template.Library()

_STATES = dict(State.choices)


@register.filter
def audit_value(value, key: str):
    """An audit value as a person reads it: state codes become their labels."""
    if key == "state":
        return _STATES.get(value, value)
    return "—" if value in (None, "") else value
