"""Form fields every app uses."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .numbers import NumberError, format_number, parse_number


class NumberField(forms.DecimalField):
    """A decimal typed as people write it in the active language (``1.200,5`` in Indonesian,
    ``1,200.5`` in English), shown back the same way.

    A text input, not ``type=number``: browsers' number inputs drop ``1.200,5`` silently.
    ``positive`` refuses 0 as well as negative numbers.
    """

    widget = forms.TextInput

    def __init__(self, *, positive: bool = False, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.positive = positive
        self.error_messages.setdefault("not_positive", _("Harus lebih besar dari 0"))

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int):
            return Decimal(value)
        try:
            return parse_number(str(value))
        except NumberError as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if self.positive and value is not None and value <= 0:
            raise ValidationError(self.error_messages["not_positive"], code="not_positive")

    def prepare_value(self, value):
        if isinstance(value, Decimal | int | float):
            return format_number(value, self.decimal_places if self.decimal_places else 4)
        return value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        for key in ("min", "max", "step"):
            attrs.pop(key, None)
        attrs["inputmode"] = "decimal"
        return attrs
